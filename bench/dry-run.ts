/**
 * The dry run as users feel it: `node dist/index.js` with `dry-run: true`, a whole process from spawn
 * to exit, against whole-process baselines in the same run on the same machine: bare node, a script
 * that JSON.parses the file, and one that also checks every user with ajv compiled from Auth0's
 * official schema (what a user would write instead).
 */
import path from 'node:path';
import { figure, type Figure } from './figures.js';
import {
  DIST,
  MB,
  measureProcesses,
  ROOT,
  runnerEnvironment,
  runProcess,
  type SeriesMedian,
} from './measure.js';
import { summariseProfile } from './profile.js';
import type { UsersFile } from './users-files.js';

const BASELINES = path.join(import.meta.dirname, 'baselines');
const TS_HOOKS = path.join(ROOT, 'scripts/ts-hooks.mjs');
const SOURCE_ENTRY = path.join(ROOT, 'src/index.ts');

export const DRY_RUN_PROCESSES = ['bare node', 'JSON.parse', 'ajv', 'dry run'] as const;
type DryRunProcess = (typeof DRY_RUN_PROCESSES)[number];

export interface DryRunResult {
  users: number;
  fileBytes: number;
  medians: Record<DryRunProcess, SeriesMedian>;
  /** Where the dry run's time goes, from a CPU profile of one more run; when a time target is missed. */
  profile?: string;
}

export async function dryRunProcesses(workspace: string, users: UsersFile) {
  const file = path.join(workspace, users.file);
  const env = await runnerEnvironment(workspace, { 'users-file': users.file, 'dry-run': 'true' });
  return {
    env,
    processes: {
      'bare node': () => runProcess(['-e', '0']),
      'JSON.parse': () => runProcess([path.join(BASELINES, 'parse.mjs'), file]),
      ajv: () => runProcess([path.join(BASELINES, 'ajv.mjs'), file]),
      'dry run': () => runProcess([DIST], { env, cwd: workspace }),
    } satisfies Record<DryRunProcess, unknown>,
  };
}

export async function benchDryRun(
  workspace: string,
  files: readonly UsersFile[],
  runs: number,
): Promise<{ figures: Figure[]; results: DryRunResult[] }> {
  const results: DryRunResult[] = [];
  for (const users of files) {
    const { env, processes } = await dryRunProcesses(workspace, users);
    const medians = await measureProcesses(runs, processes);
    const result: DryRunResult = { users: users.count, fileBytes: users.bytes, medians };
    const ms = medians['dry run'].wallMs;
    if (ms > medians.ajv.wallMs || ms > 2 * medians['JSON.parse'].wallMs) {
      // From the TypeScript sources, whose function names the minified bundle has lost.
      result.profile = await summariseProfile(workspace, ['--import', TS_HOOKS, SOURCE_ENTRY], {
        env,
        cwd: workspace,
      });
    }
    results.push(result);
  }
  return { figures: [...results.flatMap(figuresOf), ...growthFigures(results)], results };
}

function label(result: DryRunResult): string {
  return `dry run of ${result.users.toLocaleString('en-US')} users (${(result.fileBytes / MB).toFixed(1)} MB)`;
}

function figuresOf(result: DryRunResult): Figure[] {
  const { medians, fileBytes } = result;
  const name = label(result);
  const ms = medians['dry run'].wallMs;
  const note = result.profile ? `CPU profile of one dry run (from src/): ${result.profile}` : undefined;
  return [
    ...DRY_RUN_PROCESSES.map((process) => figure(`${name}: ${process}, wall`, medians[process].wallMs, 'ms')),
    figure(`${name}: dry run / ajv`, ms / medians.ajv.wallMs, '×', { op: '≤', limit: 1 }, note),
    figure(`${name}: dry run / JSON.parse`, ms / medians['JSON.parse'].wallMs, '×', { op: '≤', limit: 2 }),
    ...(['JSON.parse', 'ajv'] as const).map((process) =>
      figure(`${name}: ${process}, peak RSS / file size`, medians[process].peakRssBytes / fileBytes, '×'),
    ),
    figure(`${name}: dry run, peak RSS`, medians['dry run'].peakRssBytes / MB, 'MB'),
    figure(`${name}: dry run, peak RSS / file size`, medians['dry run'].peakRssBytes / fileBytes, '×', {
      op: '≤',
      limit: 2.5,
    }),
  ];
}

/** Linear growth: the time per user (less bare node's start) at the largest file, over that at the smallest. */
function growthFigures(results: readonly DryRunResult[]): Figure[] {
  if (results.length < 2) return [];
  const perUser = (result: DryRunResult) =>
    (result.medians['dry run'].wallMs - result.medians['bare node'].wallMs) / result.users;
  const first = results[0]!;
  const last = results.at(-1)!;
  return [
    figure(
      `dry run: time per user at ${last.users.toLocaleString('en-US')} / at ${first.users.toLocaleString('en-US')} users`,
      perUser(last) / perUser(first),
      '×',
      { op: '≤', limit: 1.1 },
    ),
  ];
}
