/** Measurement 1: the dry-run path against JSON.parse and ajv, in time, throughput and peak memory. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { figure, type Figure } from './figures.js';
import { MB, median, medianTimes, runNode, TS_HOOKS } from './measure.js';
import type { UsersFile } from './users-files.js';
import { MODES, profileDryRun, runMode, type DryRunProfile, type Mode } from './validation-modes.js';

export interface ValidationOptions {
  /** Timed runs of each mode per file; the median counts. */
  runs: number;
  /** Processes per mode whose peak RSS is taken; the median counts. */
  rssRuns: number;
}

interface FileResult {
  users: number;
  fileBytes: number;
  medianMs: Record<Mode, number>;
  megabytesPerSecond: Record<Mode, number>;
  /** Peak RSS of a process doing only this, less that of one loading the same code and doing nothing. */
  peakRssBytes: Record<Mode, number>;
  baselineRssBytes: number;
  profileMs: DryRunProfile;
}

const LABELS: Record<Mode, string> = {
  parse: 'JSON.parse',
  ajv: 'ajv (JSON.parse + schema)',
  'dry-run': 'dry-run (read + validate + plan)',
};

const WORKER = path.join(import.meta.dirname, 'validation-worker.ts');

async function peakRss(workspace: string, file: string, mode: Mode | 'baseline'): Promise<number> {
  const run = await runNode(['--import', TS_HOOKS, WORKER, workspace, file, mode]);
  if (run.code !== 0) throw new Error(`validation-worker ${mode} ${file} failed:\n${run.stderr}`);
  return (JSON.parse(run.stdout) as { maxRssBytes: number }).maxRssBytes;
}

/** Each mode's median peak RSS over `runs` fresh processes, two at a time (one per core). */
async function medianPeakRss(
  workspace: string,
  file: string,
  runs: number,
): Promise<Record<Mode | 'baseline', number>> {
  const modes = ['baseline', ...MODES] as const;
  const queue = modes.flatMap((mode) => Array.from({ length: runs }, () => mode));
  const peaks = new Map<Mode | 'baseline', number[]>(modes.map((mode) => [mode, []]));
  const drain = async () => {
    for (let mode = queue.shift(); mode !== undefined; mode = queue.shift()) {
      peaks.get(mode)!.push(await peakRss(workspace, file, mode));
    }
  };
  await Promise.all([drain(), drain()]);
  return Object.fromEntries(modes.map((mode) => [mode, median(peaks.get(mode)!)])) as Record<
    Mode | 'baseline',
    number
  >;
}

async function measureFile(
  workspace: string,
  users: UsersFile,
  options: ValidationOptions,
): Promise<FileResult> {
  const { runs } = options;
  const text = await readFile(path.join(workspace, users.file), 'utf8');
  const medianMs = await medianTimes(
    runs,
    Object.fromEntries(
      MODES.map((mode) => [mode, () => runMode(mode, workspace, users.file, text)]),
    ) as Record<Mode, () => Promise<number>>,
  );
  const profiles: DryRunProfile[] = [];
  for (let run = 0; run < runs; run++) profiles.push(await profileDryRun(workspace, users.file));
  const profileMs = Object.fromEntries(
    Object.keys(profiles[0]!).map((stage) => [
      stage,
      median(profiles.map((profile) => profile[stage as keyof DryRunProfile])),
    ]),
  ) as unknown as DryRunProfile;

  const rss = await medianPeakRss(workspace, users.file, options.rssRuns);
  const baselineRssBytes = rss.baseline;
  const peakRssBytes = Object.fromEntries(
    MODES.map((mode) => [mode, rss[mode] - baselineRssBytes]),
  ) as Record<Mode, number>;
  const megabytesPerSecond = Object.fromEntries(
    MODES.map((mode) => [mode, users.bytes / MB / (medianMs[mode] / 1000)]),
  ) as Record<Mode, number>;
  return {
    users: users.count,
    fileBytes: users.bytes,
    medianMs,
    megabytesPerSecond,
    peakRssBytes,
    baselineRssBytes,
    profileMs,
  };
}

function describeProfile(profile: DryRunProfile): string {
  return `dry-run split: ${Object.entries(profile)
    .map(([stage, ms]) => `${stage} ${Math.round(ms)} ms`)
    .join(', ')}`;
}

function figuresOf(result: FileResult): Figure[] {
  const label = `validate ${result.users.toLocaleString('en-US')} users (${(result.fileBytes / MB).toFixed(1)} MB)`;
  const { medianMs: ms } = result;
  const parseRatio = ms['dry-run'] / ms.parse;
  return [
    ...MODES.map((mode) => figure(`${label}: ${LABELS[mode]}`, ms[mode], 'ms')),
    figure(`${label}: dry-run throughput`, result.megabytesPerSecond['dry-run'], 'MB/s'),
    figure(
      `${label}: dry-run / JSON.parse`,
      parseRatio,
      '×',
      { op: '≤', limit: 3 },
      parseRatio > 3 ? describeProfile(result.profileMs) : undefined,
    ),
    figure(`${label}: dry-run / ajv`, ms['dry-run'] / ms.ajv, '×', { op: '<', limit: 1 }),
    ...MODES.map((mode) =>
      figure(`${label}: ${LABELS[mode]}, peak RSS`, result.peakRssBytes[mode] / MB, 'MB'),
    ),
    figure(`${label}: dry-run peak RSS / file size`, result.peakRssBytes['dry-run'] / result.fileBytes, '×', {
      op: '≤',
      limit: 4,
    }),
  ];
}

export async function benchValidation(
  workspace: string,
  files: readonly UsersFile[],
  options: ValidationOptions,
): Promise<{ figures: Figure[]; results: FileResult[] }> {
  const results: FileResult[] = [];
  for (const users of files) results.push(await measureFile(workspace, users, options));
  return { figures: results.flatMap(figuresOf), results };
}
