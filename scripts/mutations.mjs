// `npm run mutations`: breaks the code on purpose, one way at a time, and checks that the tests
// notice. Each mutation patches the sources (and rebuilds dist/ when the bundle is what the catching
// tests run), runs the tests, and restores everything. `--full` runs the whole suite each time
// instead of the tests expected to catch it; other arguments keep only the mutations whose names hold
// one of them (`npm run mutations -- job`). Slow: minutes, not part of `npm test`.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const full = process.argv.includes('--full');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

const MUTATIONS = [
  {
    name: 'reconcile acts for a user whose import failed (no hold-back)',
    patches: [
      ['src/auth0/reconcile.ts', '    const held = edge.holdBack(action);', '    const held = undefined;'],
    ],
    tests: ['test/bundle/safe-reconcile.test.ts'],
  },
  {
    name: 'a linked account counts as ours (any primary identity)',
    patches: [
      [
        'src/auth0/users.ts',
        'return user.identities?.[0]?.connection === connection;',
        'return user.identities?.some((identity) => identity.connection === connection) ?? false;',
      ],
    ],
    tests: ['test/bundle/safe-reconcile.test.ts'],
  },
  {
    name: 'wait: false goes with reconcile and removals',
    patches: [['src/inputs.ts', 'if (!raw[Inputs.Wait] && (', 'if (false && (']],
    tests: ['test/bundle/safe-reconcile.test.ts', 'test/inputs.test.ts'],
  },
  {
    name: 'removals reach users the applied files never held',
    patches: [['src/plan/removals.ts', '      managed.has(action.email.toLowerCase()),', '      true,']],
    tests: ['test/plan/removals.test.ts', 'test/bundle/applied.test.ts'],
  },
  {
    name: 'protected-users protect nobody',
    patches: [
      [
        'src/plan/removals.ts',
        '  const lower = email.toLowerCase();',
        '  const lower = email.toLowerCase();\n  if (lower) return undefined;',
      ],
    ],
    tests: ['test/plan/removals.test.ts', 'test/bundle/applied.test.ts', 'test/bundle/access.test.ts'],
  },
  {
    name: 'max-removals never stops a run',
    patches: [['src/plan/removals.ts', 'if (removals.length > limit) {', 'if (removals.length < 0) {']],
    tests: ['test/bundle/applied.test.ts', 'test/bundle/reconcile.test.ts'],
  },
  {
    name: 'max-revocations never stops a run',
    patches: [['src/access/plan.ts', 'if (revocations > limit) {', 'if (revocations < 0) {']],
    tests: ['test/bundle/access.test.ts', 'test/access'],
  },
  {
    name: 'access changes go ahead for a user whose import failed',
    patches: [
      [
        'src/access/apply.ts',
        'const why = action.person.user && edge.heldBack(action.person.user.ordinal);',
        'const why = undefined;',
      ],
    ],
    tests: ['test/bundle/access.test.ts', 'test/access'],
  },
  {
    name: 'a changed plan matches the reviewed one',
    patches: [
      [
        'src/github/reviewed-plan.ts',
        'const differences = compareDigests(reviewed, digestOf());',
        'const differences: string[] = [];',
      ],
    ],
    tests: ['test/bundle/reviewed-plan.test.ts', 'test/bundle/access.test.ts'],
  },
  {
    name: 'an MFA factor without its secret passes the fast path',
    patches: [['src/users/valid-user.ts', 'factor.secret !== undefined &&', 'true &&']],
    tests: ['test/users/schema-differential.test.ts', 'test/users/valid-user.test.ts'],
  },
  {
    name: 'scrub is a no-op',
    patches: [['src/auth0/job-errors.ts', 'let out = text;', 'let out = text;\n  if (out) return out;']],
    tests: ['test/security', 'test/auth0'],
  },
  {
    name: 'redaction disabled (every value quoted, nothing scrubbed)',
    patches: [
      [
        'src/users/quotable.ts',
        'export function quote(path: JsonPath, value: unknown): string {',
        'export function quote(path: JsonPath, value: unknown): string {\n  if (path) return JSON.stringify(value);',
      ],
      [
        'src/users/quotable.ts',
        'export function unquotableValues(user: unknown): string[] {',
        'export function unquotableValues(user: unknown): string[] {\n  if (user !== Symbol.iterator) return [];',
      ],
    ],
    tests: ['test/security'],
  },
  {
    name: 'Retry-After ignored',
    patches: [
      [
        'src/auth0/pacer.ts',
        "const retryAfter = headerValue(headers, 'retry-after');",
        'const retryAfter: string | undefined = undefined;',
      ],
    ],
    tests: ['test/auth0', 'test/faults/create.test.ts'],
  },
  {
    name: 'max-concurrent-jobs forced to 2',
    patches: [
      ['src/auth0/import.ts', 'maxConcurrentJobs: request.maxConcurrentJobs,', 'maxConcurrentJobs: 2,'],
    ],
    tests: ['test/bundle/import.test.ts'],
  },
  {
    name: 'no backoff between failed polls',
    patches: [
      [
        'src/auth0/poller.ts',
        'watch.at = now + backoffMs(watch.failures, timing.retryInitialMs, timing.pollMaxMs, random);',
        'watch.at = now;',
      ],
    ],
    tests: ['test/auth0'],
  },
  {
    name: 'status_details not reduced',
    patches: [['src/auth0/jobs.ts', 'statusDetails: scrubChunkSecrets(text, chunk)', 'statusDetails: text']],
    tests: ['test/security', 'test/auth0'],
  },
  {
    name: 'a create answered 5xx is sent again without upsert',
    patches: [
      [
        'src/auth0/retry-policy.ts',
        'if (response.status >= 500) {\n      if (!repeatable) {',
        'if (response.status >= 500) {\n      if (!repeatable && response.status < 502) {',
      ],
    ],
    tests: ['test/faults/create.test.ts', 'test/bundle/import.test.ts'],
  },
  {
    name: 'a create whose answer was lost is sent again without upsert',
    patches: [
      [
        'src/auth0/retry-policy.ts',
        'if (!notSent && !repeatable) {',
        'if (!notSent && !repeatable && notSent) {',
      ],
    ],
    tests: ['test/auth0', 'test/faults/create.test.ts'],
  },
  {
    name: 'a job presumed ended with max-concurrent-jobs below the job limit',
    patches: [
      [
        'src/auth0/slots.ts',
        'this.presumeEnds = maxConcurrentJobs >= AUTH0_ACTIVE_JOBS;',
        'this.presumeEnds = true;',
      ],
    ],
    tests: ['test/auth0'],
  },
  {
    name: 'an empty rate-limit bucket does not pace the next request',
    patches: [
      [
        'src/auth0/pacer.ts',
        'this.#quietUntil = Math.max(this.#quietUntil, clock.now() + pauseMs);',
        'this.#quietUntil = Math.max(this.#quietUntil, clock.now());',
      ],
    ],
    tests: ['test/auth0'],
  },
  {
    name: "debug lines show a request's query",
    patches: [
      [
        'src/auth0/attempt.ts',
        "return `${api.method} ${api.path.replace(/\\?.*$/, '')}`;",
        'return `${api.method} ${api.path}`;',
      ],
    ],
    tests: ['test/auth0'],
  },
];

function run(command, args) {
  try {
    execFileSync(command, args, { cwd: root, stdio: 'pipe', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return true;
  } catch {
    return false;
  }
}

function failedTests(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    return report.testResults.flatMap((suite) =>
      suite.assertionResults
        .filter((test) => test.status === 'failed')
        .map((test) => `${path.relative(root, suite.name)} > ${test.title}`),
    );
  } catch {
    return ['(no report: the test run itself failed)'];
  }
}

const distBackup = path.join(root, '.tmp', 'dist-before-mutations');
rmSync(distBackup, { recursive: true, force: true });
cpSync(path.join(root, 'dist'), distBackup, { recursive: true });
const results = [];
try {
  for (const mutation of MUTATIONS.filter(
    ({ name }) => only.length === 0 || only.some((part) => name.includes(part)),
  )) {
    const originals = new Map();
    for (const [file, from, to] of mutation.patches) {
      const absolute = path.join(root, file);
      const text = originals.get(absolute) ?? readFileSync(absolute, 'utf8');
      originals.set(absolute, text);
      const current = readFileSync(absolute, 'utf8');
      if (!current.includes(from)) throw new Error(`${mutation.name}: "${from}" not found in ${file}`);
      writeFileSync(absolute, current.replace(from, to));
    }
    try {
      process.stdout.write(`${mutation.name}: building… `);
      if (!run('npm', ['run', 'bundle']))
        throw new Error(`${mutation.name}: the mutated code does not build`);
      process.stdout.write('testing… ');
      // vitest.config.ts writes this JSON report on every run.
      const report = path.join(root, '.tmp', 'vitest-results.json');
      rmSync(report, { force: true });
      const passed = run('npx', ['vitest', 'run', ...(full ? [] : mutation.tests)]);
      const caughtBy = failedTests(report);
      results.push({ name: mutation.name, caught: !passed, caughtBy });
      console.log(passed ? 'NOT CAUGHT' : `caught by ${caughtBy.length} test(s)`);
    } finally {
      for (const [file, text] of originals) writeFileSync(file, text);
    }
  }
} finally {
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  cpSync(distBackup, path.join(root, 'dist'), { recursive: true });
}
console.log('\n| mutation | caught | by |\n| --- | --- | --- |');
for (const result of results) {
  console.log(
    `| ${result.name} | ${result.caught ? 'yes' : 'NO'} | ${result.caughtBy.slice(0, 3).join('; ')}${result.caughtBy.length > 3 ? `; +${result.caughtBy.length - 3} more` : ''} |`,
  );
}
process.exitCode = results.every((result) => result.caught) ? 0 : 1;
