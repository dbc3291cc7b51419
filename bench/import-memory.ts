/**
 * An import's peak memory as users run it: `node dist/index.js` importing a generated file into the
 * emulator (in the bench's own process, so its memory is not the action's), with jobs that end at
 * once so the run is as short as the action's polling allows.
 */
import { startEmulator } from '../test/emulator/index.js';
import { databaseId } from '../test/support/client.js';
import { figure, type Figure } from './figures.js';
import {
  DIST,
  expectSuccess,
  MB,
  measureProcesses,
  runnerEnvironment,
  runProcess,
  type SeriesMedian,
} from './measure.js';
import type { UsersFile } from './users-files.js';

interface ImportMemoryResult {
  users: number;
  fileBytes: number;
  jobs: number;
  import: SeriesMedian;
}

export async function benchImportMemory(
  workspace: string,
  users: UsersFile,
  runs: number,
): Promise<{ figures: Figure[]; result: ImportMemoryResult }> {
  let jobs = 0;
  const importOnce = async () => {
    const emulator = await startEmulator({ jobTiming: { pendingMs: 0, processingMs: 0 } });
    try {
      const env = await runnerEnvironment(workspace, {
        'users-file': users.file,
        domain: emulator.url,
        'client-id': emulator.clientId,
        'client-secret': emulator.clientSecret,
        'connection-id': databaseId(emulator),
      });
      const run = expectSuccess('import', await runProcess([DIST], { env, cwd: workspace }));
      const imported = emulator.state.jobs.reduce((sum, job) => sum + (job.summary?.inserted ?? 0), 0);
      if (imported !== users.count) throw new Error(`import: ${imported} of ${users.count} users inserted`);
      jobs = emulator.state.jobs.length;
      return run;
    } finally {
      await emulator.close();
    }
  };
  const { import: medians } = await measureProcesses(runs, { import: importOnce });
  const result: ImportMemoryResult = { users: users.count, fileBytes: users.bytes, jobs, import: medians };
  const label = `import of ${users.count.toLocaleString('en-US')} users (${(users.bytes / MB).toFixed(1)} MB, ${jobs} jobs)`;
  return {
    figures: [
      figure(`${label}: wall`, medians.wallMs, 'ms'),
      figure(`${label}: peak RSS`, medians.peakRssBytes / MB, 'MB'),
      figure(`${label}: peak RSS / file size`, medians.peakRssBytes / users.bytes, '×', {
        op: '≤',
        limit: 3,
      }),
    ],
    result,
  };
}
