/** Measurement 4: how long the bundled action takes to say something, against bare node, and its size. */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { figure, type Figure } from './figures.js';
import { MB, median, ROOT, runNode } from './measure.js';
import { writeUsersFile } from './users-files.js';

const DIST = path.join(ROOT, 'dist/index.js');

interface StartupResult {
  runs: number;
  /** spawn() to the end of the bundle's first line of stdout (a dry run of a tiny file). */
  actionFirstLineMs: number;
  /** spawn() to the bundle's exit, for the record. */
  actionExitMs: number;
  /** spawn() to the exit of `node -e ''`. */
  bareNodeMs: number;
  distBytes: number;
}

/** What a runner hands the action: its inputs and the files its commands write to. */
async function runnerEnvironment(workspace: string, usersFile: string): Promise<NodeJS.ProcessEnv> {
  const outputFile = path.join(workspace, 'github-output');
  const summaryFile = path.join(workspace, 'github-step-summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  return {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: workspace,
    'INPUT_USERS-FILE': usersFile,
    'INPUT_DRY-RUN': 'true',
  };
}

export async function benchStartup(
  workspace: string,
  runs: number,
): Promise<{ figures: Figure[]; result: StartupResult }> {
  const tiny = await writeUsersFile(workspace, 2);
  const env = await runnerEnvironment(workspace, tiny.file);
  const first: number[] = [];
  const exit: number[] = [];
  const bare: number[] = [];
  // Unmeasured: brings dist/index.js into the page cache, as any run after a checkout finds it.
  await runNode([DIST], env);
  for (let run = 0; run < runs; run++) {
    const action = await runNode([DIST], env);
    if (action.code !== 0 || action.firstLineMs === undefined) {
      throw new Error(`dist/index.js dry run failed (${action.code}):\n${action.stdout}${action.stderr}`);
    }
    first.push(action.firstLineMs);
    exit.push(action.exitMs);
    bare.push((await runNode(['-e', ''])).exitMs);
  }
  const result: StartupResult = {
    runs,
    actionFirstLineMs: median(first),
    actionExitMs: median(exit),
    bareNodeMs: median(bare),
    distBytes: (await stat(DIST)).size,
  };
  return {
    figures: [
      figure('start-up: bare node -e ""', result.bareNodeMs, 'ms'),
      figure('start-up: dist/index.js dry run to its first line', result.actionFirstLineMs, 'ms'),
      figure('start-up: first line / bare node', result.actionFirstLineMs / result.bareNodeMs, '×', {
        op: '≤',
        limit: 4,
      }),
      figure('dist/index.js size', result.distBytes / MB, 'MB', { op: '≤', limit: 2 }),
    ],
    result,
  };
}
