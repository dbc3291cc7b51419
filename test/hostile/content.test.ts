/**
 * Well-formed JSON with hostile content: nesting 100,000 deep, prototype keys, 10 MB strings,
 * duplicate keys, a million users. Each gets a placed problem report (or, for the million, a plan)
 * and nothing is sent.
 */
import { describe, expect, it } from 'vitest';
import { largestEnvelopeBytes } from '../../src/auth0/import-form.js';
import { planChunks } from '../../src/users/chunks.js';
import { userJson, validateRun } from '../../src/users/validate.js';
import { runAction } from '../support/action.js';
import { expectRefused, loggedProblems, workspaceWith } from './refused.js';

const DEPTH = 100_000;
const TEN_MB = 10 * 1024 * 1024;

function problemsOf(text: string) {
  return validateRun([{ file: 'users.json', text }]).problems;
}

describe.concurrent('nesting 100,000 deep', () => {
  const files = {
    'arrays.json': `[${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}]`,
    'metadata.json': `[{ "email": "a@example.com", "app_metadata": ${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)} }]`,
    'unclosed.json': `[{ "email": "a@example.com", "app_metadata": ${'{"a":['.repeat(DEPTH)}`,
    'top.json': '['.repeat(DEPTH),
  };

  it('is refused without a stack overflow, at the level where it goes too deep (in-process)', () => {
    expect(problemsOf(files['arrays.json'])).toEqual([
      expect.objectContaining({
        line: 1,
        column: 66,
        message: 'The user nests objects or arrays more than 64 levels deep',
      }),
    ]);
    expect(problemsOf(files['metadata.json'])[0]).toMatchObject({
      path: '[0]',
      message: 'The user nests objects or arrays more than 64 levels deep',
    });
    expect(problemsOf(files['unclosed.json'])[0]?.message).toBe(
      'Unexpected end of file: the JSON is cut short',
    );
    expect(problemsOf(files['top.json'])[0]).toMatchObject({ line: 1, column: DEPTH + 1 });
  });

  it('is refused by the action, each file with its problem, before any request', async () => {
    const run = await expectRefused(await workspaceWith(files), '*.json');
    const listed = loggedProblems(run);
    for (const file of Object.keys(files)) {
      expect(
        listed.filter((problem) => problem.file === file),
        file,
      ).toHaveLength(1);
    }
  });
});

describe.concurrent('keys named __proto__, constructor and prototype', () => {
  // Written as text: an object literal's "__proto__" would set its prototype, not a key.
  const text = [
    '[',
    '  {"email":"a@example.com","__proto__":{"polluted":"user"}},',
    '  {"email":"b@example.com","constructor":{"prototype":{"polluted":"ctor"}},"prototype":{"polluted":1}},',
    '  {"email":"c@example.com","app_metadata":{"__proto__":{"polluted":"app"},"constructor":{"prototype":{"polluted":"app"}}},' +
      '"user_metadata":{"prototype":{"polluted":"user"},"hasOwnProperty":"x","toString":"y"}},',
    '  {"email":"d@example.com","custom_password_hash":{"algorithm":"__proto__","hash":{"value":"x","__proto__":{"polluted":1}}}},',
    '  {"email":"e@example.com","custom_password_hash":{"algorithm":"constructor","hash":{"value":"x","encoding":"toString"}}},',
    '  {"email":"f@example.com","mfa_factors":[{"__proto__":{"totp":{"secret":"JBSWY3DP"}}}]}',
    ']',
  ].join('\n');

  it('pollutes no prototype, and reports each key where Auth0 would refuse it (in-process)', () => {
    const objectKeys = Object.getOwnPropertyNames(Object.prototype);
    const arrayKeys = Object.getOwnPropertyNames(Array.prototype);
    const run = validateRun([{ file: 'users.json', text }]);
    planChunks(
      run.users.map((user) => user.bytes),
      500_000,
    );
    const sent = run.users.map((user) => JSON.parse(userJson(user)) as Record<string, unknown>);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(objectKeys);
    expect(Object.getOwnPropertyNames(Array.prototype)).toEqual(arrayKeys);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);

    const places = run.problems.map((problem) => `${problem.line} ${problem.path}`);
    expect(places).toEqual(
      expect.arrayContaining([
        '2 [0].__proto__',
        '3 [1].constructor',
        '3 [1].prototype',
        '5 [3].custom_password_hash.algorithm',
        '5 [3].custom_password_hash.hash.__proto__',
        '6 [4].custom_password_hash.algorithm',
        '6 [4].custom_password_hash.hash.encoding',
        '7 [5].mfa_factors[0].__proto__',
      ]),
    );
    // In metadata they are only names: allowed, and sent exactly as written, as own properties.
    expect(run.users.map((user) => user.email)).toEqual(['c@example.com']);
    expect(Object.hasOwn(sent[0]?.app_metadata as object, '__proto__')).toBe(true);
    expect(userJson(run.users.at(0)!)).toContain('"app_metadata":{"__proto__":{"polluted":"app"}');
  });

  it('is refused by the action before any request', async () => {
    const run = await expectRefused(await workspaceWith({ 'users.json': text }), 'users.json');
    expect(loggedProblems(run).map((problem) => problem.text)).toContain(
      '[0].__proto__: unknown property "__proto__" (keep custom data in user_metadata or app_metadata; a user\'s own properties are email, email_verified, user_id, username, given_name, family_name, name, nickname, picture, blocked, password_hash, custom_password_hash, app_metadata, user_metadata, mfa_factors, phone_number, phone_verified)',
    );
  });
});

describe.concurrent('10 MB strings', () => {
  const huge = 'x'.repeat(TEN_MB);
  const users = [
    `{ "email": "a@example.com", "name": "${huge}" }`,
    `{ "email": "b@example.com", "${huge}": 1 }`,
    `{ "email": "c@example.com", "app_metadata": { "${huge}.x": 1 } }`,
    `{ "email": "${huge}@example.com" }`,
    `{ "email": "e@example.com", "password_hash": "${huge}" }`,
  ];
  const text = `[\n${users.join(',\n')}\n]`;

  it('are reported by their length, never quoted whole', async () => {
    const run = await expectRefused(await workspaceWith({ 'users.json': text }), 'users.json');
    const listed = loggedProblems(run);
    expect(listed.map((problem) => problem.line)).toEqual(expect.arrayContaining([2, 3, 4, 5, 6]));
    expect(listed.map((problem) => problem.text)).toContain(
      `[0].name: name must be at most 150 characters, got ${TEN_MB}`,
    );
    // 50 MB of input, a few kilobytes of report: no value, key or path is printed in full.
    expect(run.stdout.length).toBeLessThan(64 * 1024);
    expect(run.summary.length).toBeLessThan(64 * 1024);
  });
});

describe.concurrent('duplicate keys in one object', () => {
  const text = [
    '[',
    '  { "email": "a@example.com", "name": "Ada", "name": "Eve" },',
    '  { "email": "b@example.com", "app_metadata": { "plan": "free", "plan": "gold" } },',
    '  { "email": "c@example.com", "user_metadata": { "a": { "k": 1, "k": 2 } } },',
    '  { "email": "d@example.com", "name": "Bob", "n\\u0061me": "Rob" },',
    '  { "email": "e@example.com", "app_metadata": { "x": 1 }, "user_metadata": { "x": 1 } }',
    ']',
  ].join('\n');

  it('are reported at the repeated key, escapes decoded (JSON.parse would keep only the last)', async () => {
    const run = await expectRefused(await workspaceWith({ 'users.json': text }), 'users.json');
    const lines = text.split('\n');
    const at = (line: number, key: string) => `${line}:${(lines[line - 1] ?? '').lastIndexOf(key) + 1}`;
    const message = (key: string) =>
      `Duplicate key "${key}" in one object: JSON.parse would silently keep only the last one`;
    expect(loggedProblems(run).map((problem) => `${problem.line}:${problem.column} ${problem.text}`)).toEqual(
      [
        `${at(2, '"name"')} [0]: ${message('name')}`,
        `${at(3, '"plan"')} [1]: ${message('plan')}`,
        `${at(4, '"k"')} [2]: ${message('k')}`,
        `${at(5, '"n\\u0061me"')} [3]: ${message('name')}`,
      ],
    );
  });
});

describe('a million tiny users', () => {
  it('is validated and planned in a dry run', async () => {
    const count = 1_000_000;
    const lines = Array.from({ length: count }, (_, i) => `{"email":"u${i}@x.io"}`);
    const workspace = await workspaceWith({ 'users.json': `[\n${lines.join(',\n')}\n]\n` });
    const started = performance.now();
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });
    const seconds = (performance.now() - started) / 1000;
    expect(run.code).toBe(0);
    expect(run.outputs.total).toBe(String(count));
    expect(Number(run.outputs.chunks)).toBe(
      planChunks(
        lines.map((line) => Buffer.byteLength(line)),
        // The default max-chunk-bytes bounds the whole request body, envelope included.
        512_000 - largestEnvelopeBytes('acme/identity@0123456', count),
      ).chunks.length,
    );
    console.info(`a million users: ${seconds.toFixed(1)} s, ${run.outputs.chunks} chunks`);
  }, 120_000);
});

describe.concurrent('secrets in the wrong places', () => {
  const secrets = {
    hash: '5f4dcc3b5aa765d61d8327deb882cf99',
    salt: 'Pepper-9f3Kq',
    key: 'hmac-key-7Xw2Lr',
    totp: 'JBSWY3DPEHPK3PXQ',
    phone: '+14155550199',
    email: 'private.person.7731@example.org',
    number: '918273645546372',
  };
  const users = [
    { email: 'a@example.com', custom_password_hash: { algorithm: 'md5', hash: secrets.hash } },
    {
      email: 'b@example.com',
      custom_password_hash: {
        algorithm: 'md5',
        hash: { value: secrets.hash, encoding: 'hex' },
        salt: secrets.salt,
      },
    },
    {
      email: 'c@example.com',
      custom_password_hash: {
        algorithm: 'hmac',
        hash: { value: secrets.hash, encoding: 'hex', digest: 'md5', key: secrets.key },
      },
    },
    { email: 'd@example.com', mfa_factors: [{ totp: secrets.totp }, { phone: secrets.phone }] },
    { email: 'e@example.com', mfa_factors: [{ email: { value: `.${secrets.email}` } }] },
    { email: 'f@example.com', phone_number: Number(secrets.number), app_metadata: secrets.email },
  ];
  const text = JSON.stringify(users, null, 2);

  it('are described by their shape, never printed in the log or the summary', async () => {
    const run = await expectRefused(await workspaceWith({ 'users.json': text }), 'users.json');
    expect(loggedProblems(run).length).toBeGreaterThanOrEqual(users.length);
    for (const secret of Object.values(secrets)) {
      expect(run.stdout).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
    }
  });
});
