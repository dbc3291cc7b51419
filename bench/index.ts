/**
 * `npm run bench`: what users of the action feel, against targets (issue 16). Every time and memory
 * figure of the action is a whole process, `node dist/index.js` with a runner's INPUT_* variables,
 * from spawn to exit, held against baselines run the same way in the same run: bare node, a script
 * that JSON.parses the file, one that also runs ajv compiled from Auth0's official schema on every
 * user, a hello-world action on @actions/core. Prints one table, headed by the machine it ran on, and
 * writes bench/results.json (the last run) and bench/results/<cpu>-<cores>c.json (this machine's last
 * run, committed, so figures from different machines can be compared: npm run bench:compare).
 * `--smoke` (or BENCH_SMOKE=1) runs every measurement on tiny sizes, to prove the bench still works;
 * its numbers mean nothing and nothing is written.
 */
import { loadavg } from 'node:os';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchAccess } from './access.js';
import { benchChunking } from './chunking.js';
import { benchDryRun } from './dry-run.js';
import { benchExportRead } from './export-read.js';
import { renderTable, type Figure } from './figures.js';
import { benchImportMemory } from './import-memory.js';
import { describeMachine, machineResultsFile, thisMachine } from './machine.js';
import { benchImportPipeline, benchStatusPolls, SIXTY_SECOND_JOB, type Scenario } from './import-pipeline.js';
import { DEFAULT_MAX_CHUNK_BYTES, describeRssMethod, DIST, ROOT } from './measure.js';
import { benchStartup } from './startup.js';
import { makeWorkspace, writeUsersFile, type UsersFile } from './users-files.js';
import { DEFAULT_TIMING } from '../src/auth0/timing.js';

interface BenchConfig {
  dryRun: { sizes: number[]; runs: number };
  importMemory: { size: number; runs: number };
  chunkLimit: number;
  pipeline: Scenario[];
  startup: { runs: number; bundleHello: boolean };
  /** Users in the tenant exports read for baseline: tenant. */
  exportRead: number[];
  /** People whose roles and organizations an access file sets, at this many requests a second. */
  access: { people: number; rate: number };
}

const FREE_TENANT = { rate: 2, burst: 2 };
/** Auth0's jobs spend a moment queued (pending) before they run; the emulator reports time_left_seconds only while processing. */
const FIVE_SECOND_JOB = { pendingMs: 500, processingMs: 4_500, timing: DEFAULT_TIMING } as const;
/** "Nothing gets slower": 1.00× as printed. */
const AT_IDEAL = 1.005;

const FULL: BenchConfig = {
  dryRun: { sizes: [100_000, 300_000], runs: 5 },
  importMemory: { size: 100_000, runs: 3 },
  chunkLimit: DEFAULT_MAX_CHUNK_BYTES,
  pipeline: [
    {
      ...FIVE_SECOND_JOB,
      name: 'import, 5 s jobs, 2 requests/s',
      clock: 'real',
      rateLimit: FREE_TENANT,
      chunkCounts: [4, 10, 20],
      runs: 3,
      target: 1.05,
    },
    {
      ...SIXTY_SECOND_JOB,
      name: 'import, 60 s jobs (virtual clock)',
      chunkCounts: [1, 4, 10, 20],
      runs: 1,
      target: AT_IDEAL,
    },
    {
      ...SIXTY_SECOND_JOB,
      name: 'import, 60 s jobs, 2 requests/s (virtual clock)',
      rateLimit: FREE_TENANT,
      chunkCounts: [4, 20],
      runs: 1,
      target: AT_IDEAL,
    },
  ],
  startup: { runs: 21, bundleHello: true },
  exportRead: [100_000, 1_000_000],
  access: { people: 1_000, rate: FREE_TENANT.rate },
};

const SMOKE: BenchConfig = {
  dryRun: { sizes: [300], runs: 1 },
  importMemory: { size: 300, runs: 1 },
  chunkLimit: 20_000,
  pipeline: [
    {
      ...FIVE_SECOND_JOB,
      name: 'import, 5 s jobs, 2 requests/s (virtual clock)',
      clock: 'virtual',
      rateLimit: FREE_TENANT,
      chunkCounts: [2],
      runs: 1,
      target: 1.05,
    },
    {
      ...SIXTY_SECOND_JOB,
      name: 'import, 60 s jobs (virtual clock)',
      chunkCounts: [3],
      runs: 1,
      target: AT_IDEAL,
    },
  ],
  startup: { runs: 1, bundleHello: false },
  exportRead: [1_000],
  access: { people: 20, rate: 20 },
};

/** The bench measures dist/ as built: say so when a source file was changed after it (a checkout writes both at once). */
async function staleDistWarning(): Promise<string | undefined> {
  const built = (await stat(DIST)).mtimeMs;
  const sources = await readdir(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true });
  for (const source of sources.filter((entry) => entry.isFile())) {
    const file = path.join(source.parentPath, source.name);
    if ((await stat(file)).mtimeMs > built + 2_000) {
      return `${path.relative(ROOT, file)} is newer than dist/index.js: run npm run bundle first, or these figures are of the old build.`;
    }
  }
  return undefined;
}

const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const loadAverage = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
const loadBefore = loadAverage();
const machine = thisMachine();
const config = smoke ? SMOKE : FULL;
const started = performance.now();
const workspace = await makeWorkspace();
try {
  const stale = await staleDistWarning();
  if (stale) console.warn(`Warning: ${stale}`);
  const section = async <T extends { figures: Figure[] }>(name: string, work: () => Promise<T>) => {
    process.stdout.write(`${name}…`);
    const sectionStart = performance.now();
    const result = await work();
    console.log(` ${((performance.now() - sectionStart) / 1000).toFixed(1)} s`);
    return result;
  };
  const files: UsersFile[] = [];
  for (const size of config.dryRun.sizes) files.push(await writeUsersFile(workspace, size));
  const importFile =
    files.find((file) => file.count === config.importMemory.size) ??
    (await writeUsersFile(workspace, config.importMemory.size));

  const startup = await section('start-up', () =>
    benchStartup(workspace, config.startup.runs, { bundle: config.startup.bundleHello }),
  );
  const dryRun = await section('dry run', () => benchDryRun(workspace, files, config.dryRun.runs));
  const importMemory = await section('import memory', () =>
    benchImportMemory(workspace, importFile, config.importMemory.runs),
  );
  const pipeline = await section('import pipeline', () => benchImportPipeline(config.pipeline));
  const statusPolls = await section('status polls of a 60 s job', benchStatusPolls);
  const chunking = await section('chunking', () => benchChunking(workspace, files[0]!, config.chunkLimit));
  const exportRead = await section('tenant export read', () => benchExportRead(config.exportRead));
  const access = await section('access as code', () => benchAccess(workspace, config.access));

  const figures = [
    startup,
    dryRun,
    importMemory,
    pipeline,
    statusPolls,
    chunking,
    exportRead,
    access,
  ].flatMap((part) => part.figures);
  const durationMs = performance.now() - started;
  const loadAfter = loadAverage();
  console.log(`\nMachine: ${describeMachine(machine)}\n${renderTable(figures)}\n`);
  const missed = figures.filter((row) => row.met === false).length;
  console.log(
    `${figures.filter((row) => row.met !== undefined).length - missed} targets met, ${missed} not; the bench took ${(durationMs / 1000).toFixed(1)} s on ${machine.cores} cores (load average before: ${loadBefore}; after: ${loadAfter}).`,
  );
  console.log(
    `Each process figure is the median of its runs (start-up ${config.startup.runs}, dry run ${config.dryRun.runs}, import ${config.importMemory.runs}), run round-robin with its baselines; wall time from spawn to exit; ${describeRssMethod()}.`,
  );
  if (smoke) {
    console.log('Smoke run: tiny sizes, numbers meaningless; bench/results.json left alone.');
  } else {
    const results = {
      date: new Date().toISOString(),
      machine,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
      rssMethod: describeRssMethod(),
      durationMs,
      figures,
      startup: startup.result,
      dryRun: dryRun.results,
      importMemory: importMemory.result,
      importPipeline: pipeline.results,
      statusPolls: statusPolls.results,
      chunking: chunking.result,
      exportRead: exportRead.results,
      access: access.result,
    };
    const text = `${JSON.stringify(results, null, 2)}\n`;
    const last = path.join(import.meta.dirname, 'results.json');
    const ofMachine = machineResultsFile(machine);
    await mkdir(path.dirname(ofMachine), { recursive: true });
    await writeFile(last, text);
    await writeFile(ofMachine, text);
    console.log(
      `Wrote ${path.relative(process.cwd(), last)} and ${path.relative(process.cwd(), ofMachine)}.`,
    );
  }
} finally {
  await rm(workspace, { recursive: true, force: true });
}
