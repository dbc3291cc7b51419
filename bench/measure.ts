/**
 * What every measurement of the bench shares: medians, and running one whole process the way a
 * runner runs the action, timed from spawn to exit with its peak resident memory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DIST = path.join(ROOT, 'dist/index.js');

/** Lets a child node run this repo's TypeScript, as `npm run bench` itself does. */
export const TS_HOOKS = path.join(ROOT, 'scripts/ts-hooks.mjs');

/** The action's default max-chunk-bytes (action.yml). */
export const DEFAULT_MAX_CHUNK_BYTES = 512_000;

export const MB = 1024 * 1024;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * How a child's peak RSS is read. GNU time reports the child's own ru_maxrss from wait4(). Without
 * it, on Linux, a preloaded module reads VmHWM from /proc/self/status as the process exits: the
 * high-water mark of its own address space. (Not process.resourceUsage().maxRSS: Linux carries it
 * over fork and exec, so a child of the bench would report at least the bench's RSS.)
 */
export type RssMethod = 'gnu-time' | 'vmhwm-hook' | 'none';

const GNU_TIME = '/usr/bin/time';
const VMHWM_HOOK = path.join(import.meta.dirname, 'baselines/peak-rss-hook.mjs');

function detectRssMethod(): RssMethod {
  const probe = spawnSync(GNU_TIME, ['-f', '%M', process.execPath, '-e', '0'], { encoding: 'utf8' });
  if (probe.status === 0 && /^\d+\s*$/.test(probe.stderr.trim().split('\n').at(-1) ?? '')) return 'gnu-time';
  return process.platform === 'linux' ? 'vmhwm-hook' : 'none';
}

export const RSS_METHOD: RssMethod = detectRssMethod();

export function describeRssMethod(): string {
  switch (RSS_METHOD) {
    case 'gnu-time':
      return `peak RSS: the child's maxrss from wait4(), as ${GNU_TIME} -f %M reports it`;
    case 'vmhwm-hook':
      return 'peak RSS: VmHWM of /proc/self/status at exit, read by a preloaded module (no GNU time here)';
    case 'none':
      return 'peak RSS: not measured (no GNU time and no /proc on this system)';
  }
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawn() to the process's exit. */
  wallMs: number;
  /** Undefined when RSS_METHOD is 'none'. */
  peakRssBytes: number | undefined;
}

export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs `node ...args` (the Node running the bench, as the action's runner runs node24) once. */
export async function runProcess(args: readonly string[], options: ProcessOptions = {}): Promise<ProcessRun> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-rss-'));
  const rssFile = path.join(scratch, 'rss');
  let command = process.execPath;
  let argv = [...args];
  const env = { ...(options.env ?? process.env) };
  if (RSS_METHOD === 'gnu-time') {
    command = GNU_TIME;
    argv = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
  } else if (RSS_METHOD === 'vmhwm-hook') {
    argv = ['--import', VMHWM_HOOK, ...args];
    env.BENCH_PEAK_RSS_FILE = rssFile;
  }
  try {
    const run = await new Promise<Omit<ProcessRun, 'peakRssBytes'>>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(command, argv, {
        cwd: options.cwd ?? ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
    });
    let peakRssBytes: number | undefined;
    if (RSS_METHOD !== 'none') {
      const text = await readFile(rssFile, 'utf8').catch(() => '');
      // GNU time writes kilobytes (maybe after a line about a signal); the hook writes bytes.
      const last = Number(text.trim().split('\n').at(-1));
      if (Number.isFinite(last) && last > 0) peakRssBytes = RSS_METHOD === 'gnu-time' ? last * 1024 : last;
    }
    return { ...run, peakRssBytes };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Fails loudly: a process that did not do its work is broken, not fast. */
export function expectSuccess(name: string, run: ProcessRun): ProcessRun {
  if (run.code !== 0) {
    throw new Error(
      `${name} exited with ${run.code}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
    );
  }
  return run;
}

export interface Series {
  wallMs: number[];
  peakRssBytes: number[];
}

export interface SeriesMedian {
  runs: number;
  wallMs: number;
  /** NaN when RSS is not measured. */
  peakRssBytes: number;
}

export function medianOf(series: Series): SeriesMedian {
  return {
    runs: series.wallMs.length,
    wallMs: median(series.wallMs),
    peakRssBytes: series.peakRssBytes.length > 0 ? median(series.peakRssBytes) : NaN,
  };
}

/**
 * Runs every named process `runs` times, round-robin, so that drift (other load on the machine,
 * heat) spreads over all of them, and gives each one's median wall time and peak RSS.
 */
export async function measureProcesses<K extends string>(
  runs: number,
  processes: Record<K, () => Promise<ProcessRun>>,
): Promise<Record<K, SeriesMedian>> {
  const keys = Object.keys(processes) as K[];
  const series = new Map<K, Series>(keys.map((key) => [key, { wallMs: [], peakRssBytes: [] }]));
  for (let run = 0; run < runs; run++) {
    // A different order each round, so no process always runs right after the same other one.
    const order = keys.map((_, i) => keys[(i + run) % keys.length]!);
    for (const key of order) {
      const result = expectSuccess(key, await processes[key]());
      series.get(key)!.wallMs.push(result.wallMs);
      if (result.peakRssBytes !== undefined) series.get(key)!.peakRssBytes.push(result.peakRssBytes);
    }
  }
  return Object.fromEntries(keys.map((key) => [key, medianOf(series.get(key)!)])) as Record<K, SeriesMedian>;
}

/** What a runner hands the action: its inputs as INPUT_* variables and the files its commands write to. */
export async function runnerEnvironment(
  workspace: string,
  inputs: Readonly<Record<string, string>>,
): Promise<NodeJS.ProcessEnv> {
  // Inside the bench's workspace, which is removed at the end; the users-file input names its file.
  const runnerTemp = await mkdtemp(path.join(workspace, 'runner-'));
  const outputFile = path.join(runnerTemp, 'github-output');
  const summaryFile = path.join(runnerTemp, 'github-step-summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/identity',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_EVENT_NAME: 'push',
    RUNNER_TEMP: runnerTemp,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
        value,
      ]),
    ),
  };
}

/**
 * The peak RSS of this process alone. Not resourceUsage().maxRSS: on Linux it survives fork + exec,
 * so a child of the (large) bench would report at least the bench's own RSS at spawn time.
 */
export function peakRssBytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kilobytes === undefined)
    throw new Error('No VmHWM in /proc/self/status: the bench measures memory on Linux');
  return Number(kilobytes) * 1024;
}
