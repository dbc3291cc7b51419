/**
 * `npm run bench`: what users of the action feel, measured against targets (issue 6). Prints one
 * table and writes bench/results.json. `--smoke` (or BENCH_SMOKE=1) runs every measurement on tiny
 * sizes, to prove the bench still works; its numbers mean nothing and nothing is written.
 */
import { cpus } from 'node:os';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchChunking } from './chunking.js';
import { renderTable, type Figure } from './figures.js';
import {
  benchImportPipeline,
  benchStatusPolls,
  scaledTiming,
  SIXTY_SECOND_JOB,
  type Scenario,
} from './import-pipeline.js';
import { DEFAULT_MAX_CHUNK_BYTES } from './measure.js';
import { benchStartup } from './startup.js';
import { makeWorkspace, writeUsersFile, type UsersFile } from './users-files.js';
import { benchValidation } from './validation.js';

interface BenchConfig {
  validation: { sizes: number[]; runs: number; rssRuns: number };
  chunkLimit: number;
  pipeline: Scenario[];
  startupRuns: number;
}

const FREE_TENANT = { rate: 2, burst: 2 };
/** The scaled real-clock jobs stand for 15 s Auth0 jobs polled with DEFAULT_TIMING. */
const SCALED_JOB_MS = 15_000;

function realClock(
  name: string,
  pendingMs: number,
  processingMs: number,
): Omit<Scenario, 'chunkCounts' | 'runs'> {
  return {
    name,
    clock: 'real',
    pendingMs,
    processingMs,
    timing: scaledTiming((pendingMs + processingMs) / SCALED_JOB_MS),
  };
}

const FULL: BenchConfig = {
  validation: { sizes: [10_000, 100_000], runs: 5, rssRuns: 3 },
  chunkLimit: DEFAULT_MAX_CHUNK_BYTES,
  pipeline: [
    { ...realClock('import, 300 ms jobs', 50, 250), chunkCounts: [1, 4, 10, 20], runs: 3 },
    { ...realClock('import, 1 s jobs', 50, 950), chunkCounts: [4, 10], runs: 3 },
    {
      ...realClock('import, 300 ms jobs, 2 requests/s', 50, 250),
      rateLimit: FREE_TENANT,
      chunkCounts: [4, 10],
      runs: 1,
    },
    { ...SIXTY_SECOND_JOB, name: 'import, 60 s jobs (virtual clock)', chunkCounts: [1, 4, 10, 20], runs: 1 },
    {
      ...SIXTY_SECOND_JOB,
      name: 'import, 60 s jobs, 2 requests/s (virtual clock)',
      rateLimit: FREE_TENANT,
      chunkCounts: [20],
      runs: 1,
    },
  ],
  startupRuns: 15,
};

const SMOKE: BenchConfig = {
  validation: { sizes: [300], runs: 1, rssRuns: 1 },
  chunkLimit: 20_000,
  pipeline: [
    { ...realClock('import, 60 ms jobs', 10, 50), chunkCounts: [1, 3], runs: 1 },
    {
      ...realClock('import, 60 ms jobs, 20 requests/s', 10, 50),
      rateLimit: { rate: 20, burst: 2 },
      chunkCounts: [2],
      runs: 1,
    },
    { ...SIXTY_SECOND_JOB, name: 'import, 60 s jobs (virtual clock)', chunkCounts: [3], runs: 1 },
  ],
  startupRuns: 1,
};

const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const config = smoke ? SMOKE : FULL;
const started = performance.now();
const workspace = await makeWorkspace();
try {
  const section = async <T extends { figures: Figure[] }>(name: string, work: () => Promise<T>) => {
    process.stdout.write(`${name}…`);
    const sectionStart = performance.now();
    const result = await work();
    console.log(` ${((performance.now() - sectionStart) / 1000).toFixed(1)} s`);
    return result;
  };
  const files: UsersFile[] = [];
  for (const size of config.validation.sizes) files.push(await writeUsersFile(workspace, size));
  const largest = files.at(-1)!;

  const validation = await section('validation', () => benchValidation(workspace, files, config.validation));
  const pipeline = await section('import pipeline', () => benchImportPipeline(config.pipeline));
  const statusPolls = await section('status polls of a 60 s job', benchStatusPolls);
  const chunking = await section('chunking', () => benchChunking(workspace, largest, config.chunkLimit));
  const startup = await section('start-up', () => benchStartup(workspace, config.startupRuns));

  const figures = [validation, pipeline, statusPolls, chunking, startup].flatMap((part) => part.figures);
  const durationMs = performance.now() - started;
  console.log(`\n${renderTable(figures)}\n`);
  const missed = figures.filter((row) => row.met === false).length;
  console.log(
    `${figures.filter((row) => row.met !== undefined).length - missed} targets met, ${missed} not; the bench took ${(durationMs / 1000).toFixed(1)} s on ${cpus().length} cores.`,
  );
  if (smoke) {
    console.log('Smoke run: tiny sizes, numbers meaningless; bench/results.json left alone.');
  } else {
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      durationMs,
      figures,
      validation: validation.results,
      importPipeline: pipeline.results,
      statusPolls: statusPolls.results,
      chunking: chunking.result,
      startup: startup.result,
    };
    const out = path.join(import.meta.dirname, 'results.json');
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Wrote ${path.relative(process.cwd(), out)}.`);
  }
} finally {
  await rm(workspace, { recursive: true, force: true });
}
