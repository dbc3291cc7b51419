/** What every measurement of the bench shares: medians, timing and running a child node. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Lets a child node run this repo's TypeScript, as `npm run bench` itself does. */
export const TS_HOOKS = path.join(ROOT, 'scripts/ts-hooks.mjs');

/** The action's default max-chunk-bytes (action.yml). */
export const DEFAULT_MAX_CHUNK_BYTES = 500_000;

export const MB = 1024 * 1024;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function timeMs(work: () => unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Runs each piece of work `runs` times, round-robin so that drift (GC, heat, other processes)
 * spreads over all of them, and gives each one's median time in ms.
 */
export async function medianTimes<K extends string>(
  runs: number,
  work: Record<K, () => unknown>,
): Promise<Record<K, number>> {
  const keys = Object.keys(work) as K[];
  const times = new Map<K, number[]>(keys.map((key) => [key, []]));
  for (let run = 0; run < runs; run++) {
    for (const key of keys) times.get(key)!.push(await timeMs(work[key]));
  }
  return Object.fromEntries(keys.map((key) => [key, median(times.get(key)!)])) as Record<K, number>;
}

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawn() returning to the end of the first line of stdout; undefined when it printed none. */
  firstLineMs: number | undefined;
  /** From spawn() returning to the process's exit. */
  exitMs: number;
}

/** Runs `node ...args` (the node running the bench) and collects what it printed and when. */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    let firstLineMs: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (firstLineMs === undefined && chunk.includes('\n')) firstLineMs = performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, firstLineMs, exitMs: performance.now() - started }),
    );
  });
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
