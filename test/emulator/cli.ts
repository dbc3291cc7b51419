// `npm run emulator [-- --port N --pending-ms N --processing-ms N --rate N --burst N --scopes "a b"]`: an
// emulator to point the action at by hand. Runs until SIGINT or SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'pending-ms': { type: 'string' },
    'processing-ms': { type: 'string' },
    rate: { type: 'string' },
    burst: { type: 'string' },
    scopes: { type: 'string' },
  },
});

/**
 * By default its client may do everything the action can ask for (import, reconcile, removals,
 * baseline: tenant), so every feature can be tried by hand; `--scopes` narrows it to try a refusal.
 */
const ALL_SCOPES = ['create:users', 'read:connections', 'read:users', 'update:users', 'delete:users'];
const scopes = values.scopes === undefined ? ALL_SCOPES : values.scopes.split(/[\s,]+/).filter(Boolean);

function numberOption(name: keyof typeof values): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0, got "${text}"`);
  return value;
}

const rate = numberOption('rate');
const options: EmulatorOptions = {
  port: numberOption('port'),
  // Slow enough by default to watch a job move through pending and processing.
  jobTiming: {
    pendingMs: numberOption('pending-ms') ?? 1_000,
    processingMs: numberOption('processing-ms') ?? 3_000,
  },
  rateLimit: rate === undefined ? undefined : { rate, burst: numberOption('burst') ?? rate },
  clients: [{ scopes }],
};
const emulator = await startEmulator(options);
const database = emulator.connections.find((c) => c.strategy === 'auth0');
console.log(`Auth0 Management API emulator listening on ${emulator.url}`);
// The origin, scheme included: a bare host would mean https, which the emulator does not speak.
console.log(`  domain:         ${emulator.url}`);
console.log(`  audience:       ${emulator.url}/api/v2/`);
console.log(`  client id:      ${emulator.clientId}`);
console.log(`  client secret:  ${emulator.clientSecret}`);
if (database) console.log(`  connection:     ${database.name} (${database.id})`);
console.log(`  scopes:         ${scopes.join(' ')}`);
console.log('Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
