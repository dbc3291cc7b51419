/**
 * Start-up: a dry run of a 1-user file, spawn to exit, against bare node and a hello-world action on
 * @actions/core bundled by ncc as this action is, in the same run.
 */
import { spawn } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
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
import { writeUsersFile } from './users-files.js';

const HELLO_SOURCE = path.join(import.meta.dirname, 'baselines/hello-action.mjs');
const NCC = path.join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

interface StartupResult {
  medians: Record<'bare node' | 'hello-world action' | 'dry run of 1 user', SeriesMedian>;
  helloBundled: boolean;
  distBytes: number;
}

/** The hello-world action as its author would ship it: ncc, minified, ESM, like `npm run bundle`. */
async function bundleHello(workspace: string): Promise<string> {
  const out = path.join(workspace, 'hello-action');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [NCC, 'build', HELLO_SOURCE, '-o', out, '--minify', '--target', 'es2024', '--quiet'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ncc failed:\n${stderr}`))));
  });
  await writeFile(path.join(out, 'package.json'), '{ "type": "module" }\n');
  // ncc names the bundle after its entry's extension: index.mjs for an .mjs source.
  const built = (await readdir(out)).find((name) => /^index\.m?js$/.test(name));
  if (built === undefined) throw new Error(`ncc wrote no index.js or index.mjs in ${out}`);
  return path.join(out, built);
}

/**
 * `bundle: false` (the smoke run) runs the hello-world source as it is, loading @actions/core from
 * node_modules: no time spent on ncc, and a baseline that means nothing.
 */
export async function benchStartup(
  workspace: string,
  runs: number,
  options: { bundle: boolean },
): Promise<{ figures: Figure[]; result: StartupResult }> {
  const one = await writeUsersFile(workspace, 1);
  const hello = options.bundle ? await bundleHello(workspace) : HELLO_SOURCE;
  const dryRunEnv = await runnerEnvironment(workspace, { 'users-file': one.file, 'dry-run': 'true' });
  const helloEnv = await runnerEnvironment(workspace, { who: 'bench' });
  const processes = {
    'bare node': () => runProcess(['-e', '0']),
    'hello-world action': () => runProcess([hello], { env: helloEnv, cwd: workspace }),
    'dry run of 1 user': () => runProcess([DIST], { env: dryRunEnv, cwd: workspace }),
  };
  // Unmeasured: brings node and both bundles into the page cache, as any run after a checkout finds them.
  for (const run of Object.values(processes)) await run();
  const medians = await measureProcesses(runs, processes);
  const result: StartupResult = { medians, helloBundled: options.bundle, distBytes: (await stat(DIST)).size };
  const bare = medians['bare node'].wallMs;
  return {
    figures: [
      figure('start-up: bare node -e 0, wall', bare, 'ms'),
      figure(
        `start-up: hello-world action on @actions/core${options.bundle ? ' (ncc)' : ' (not bundled)'}, wall`,
        medians['hello-world action'].wallMs,
        'ms',
      ),
      figure('start-up: dry run of 1 user, wall', medians['dry run of 1 user'].wallMs, 'ms'),
      figure('start-up: hello-world action / bare node', medians['hello-world action'].wallMs / bare, '×'),
      figure('start-up: dry run of 1 user / bare node', medians['dry run of 1 user'].wallMs / bare, '×', {
        op: '≤',
        limit: 3,
      }),
      figure('start-up: dry run of 1 user, peak RSS', medians['dry run of 1 user'].peakRssBytes / MB, 'MB'),
      figure('dist/index.js size', result.distBytes / MB, 'MB', { op: '≤', limit: 2 }),
    ],
    result,
  };
}
