/**
 * `npm start`: the action's main job, for real, against the loopback Auth0 emulator: imports
 * examples/users.json through the built bundle, the way a runner runs it, and prints the result.
 */
import path from 'node:path';
import { startEmulator } from '../test/emulator/index.js';
import { runAction } from '../test/support/action.js';

const root = path.resolve(import.meta.dirname, '..');
const emulator = await startEmulator({ jobTiming: { pendingMs: 300, processingMs: 1_200 } });
const database = emulator.connections.find((connection) => connection.strategy === 'auth0');
console.log(`Auth0 emulator at ${emulator.url} (connection ${database?.name}, ${database?.id})\n`);
try {
  const run = await runAction({
    workspace: root,
    echo: true,
    // Not a workflow run: no repository, commit or run to link to.
    env: { GITHUB_REPOSITORY: '', GITHUB_SHA: '', GITHUB_RUN_ID: '' },
    inputs: {
      'users-file': 'examples/users.json',
      domain: emulator.url,
      'client-id': emulator.clientId,
      'client-secret': emulator.clientSecret,
      'connection-name': database?.name ?? '',
    },
  });
  console.log('\n──────── Job summary (GITHUB_STEP_SUMMARY) ────────\n');
  console.log(run.summary);
  console.log('──────── Step outputs (GITHUB_OUTPUT) ────────\n');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name} = ${value}`);
  console.log(`\nThe action exited with code ${run.code}.`);
  process.exitCode = run.code ?? 1;
} finally {
  await emulator.close();
}
