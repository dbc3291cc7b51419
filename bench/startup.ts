/**
 * Start-up: a dry run of a 1-user file, spawn to exit, against a hello-world action on @actions/core
 * bundled by ncc as this action is, in the same run: what any JavaScript action pays to start. Bare
 * node runs alongside, for scale. And the size of dist/, which every run reads.
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
  /** Every file ncc wrote that node may load: index.js and the chunks it imports on demand. */
  distBytes: number;
}

/** The JavaScript of dist/: index.js and its chunks (not licenses.txt, which nothing loads). */
async function distBytes(): Promise<number> {
  const directory = path.dirname(DIST);
  let bytes = 0;
  for (const name of await readdir(directory)) {
    if (name.endsWith('.js')) bytes += (await stat(path.join(directory, name))).size;
  }
  return bytes;
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
  const helloAction = options.bundle ? await bundleHello(workspace) : HELLO_SOURCE;
  const dryRunEnv = await runnerEnvironment(workspace, { 'users-file': one.file, 'dry-run': 'true' });
  const helloEnv = await runnerEnvironment(workspace, { who: 'bench' });
  const processes = {
    'bare node': () => runProcess(['-e', '0']),
    'hello-world action': () => runProcess([helloAction], { env: helloEnv, cwd: workspace }),
    'dry run of 1 user': () => runProcess([DIST], { env: dryRunEnv, cwd: workspace }),
  };
  // Unmeasured: brings node and both bundles into the page cache, as any run after a checkout finds them.
  for (const run of Object.values(processes)) await run();
  const medians = await measureProcesses(runs, processes);
  const result: StartupResult = { medians, helloBundled: options.bundle, distBytes: await distBytes() };
  const bare = medians['bare node'].wallMs;
  const hello = medians['hello-world action'];
  const dryRun = medians['dry run of 1 user'];
  return {
    figures: [
      figure('start-up: bare node -e 0, wall', bare, 'ms'),
      figure(
        `start-up: hello-world action on @actions/core${options.bundle ? ' (ncc)' : ' (not bundled)'}, wall`,
        hello.wallMs,
        'ms',
      ),
      figure('start-up: dry run of 1 user, wall', dryRun.wallMs, 'ms'),
      figure('start-up: hello-world action / bare node', hello.wallMs / bare, '×'),
      figure(
        'start-up: dry run of 1 user / hello-world action',
        dryRun.wallMs / hello.wallMs,
        '×',
        { op: '≤', limit: 1.5 },
        options.bundle
          ? undefined
          : 'the hello-world action ran unbundled (smoke run): the ratio means nothing',
      ),
      figure('start-up: hello-world action, peak RSS', hello.peakRssBytes / MB, 'MB'),
      figure('start-up: dry run of 1 user, peak RSS', dryRun.peakRssBytes / MB, 'MB'),
      figure('dist/ size (index.js and its chunks)', result.distBytes / MB, 'MB', { op: '≤', limit: 2 }),
    ],
    result,
  };
}
