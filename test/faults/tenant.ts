/** The tenant and the users file every fault test imports: several chunks, each user with secrets to leak. */
import { getToken } from '../emulator/contract-client.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { makeWorkspace, runAction, type ActionOptions, type ActionRun } from '../support/action.js';
import { expectRunInvariants, type RunInvariantOptions, type TenantTruth } from '../support/invariants.js';
import { tenantInputs } from '../support/tenant-inputs.js';

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A valid bcrypt hash, different for each `seed`. */
function bcrypt(seed: number): string {
  const body = Array.from({ length: 53 }, (_, i) => BCRYPT_ALPHABET[(seed * 7 + i * 13) % 64]).join('');
  return `$2b$10$${body}`;
}

/**
 * `count` users, one per line, each with a secret to leak (a hash, a TOTP secret or a phone number,
 * and `secret-` metadata): about 180 bytes each, so `max-chunk-bytes: 1700` takes 5 a chunk (with the multipart envelope).
 */
export function usersFile(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => {
    const user: Record<string, unknown> = { email: `user${i}@example.com`, name: `User ${i}` };
    if (i % 3 === 0) user.password_hash = bcrypt(i);
    if (i % 3 === 1)
      user.mfa_factors = [{ totp: { secret: `JBSWY3DPEHPK3PX${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 26]}` } }];
    if (i % 3 === 2) user.phone_number = `+1415555${String(1000 + i).padStart(4, '0')}`;
    user.app_metadata = { token: `secret-${i}-${'q'.repeat(40)}` };
    return `  ${JSON.stringify(user)}`;
  });
  return `[\n${lines.join(',\n')}\n]\n`;
}

/** 12 users: 3 chunks (5, 5 and 2) with `max-chunk-bytes: 1700`. */
export const THREE_CHUNKS = usersFile(12);
export const CHUNK_BYTES = '1700';

export { databaseOf } from '../support/tenant-inputs.js';

export async function importInto(
  emulator: Emulator,
  usersText: string,
  inputs: Record<string, string> = {},
  extra: Partial<ActionOptions> = {},
): Promise<ActionRun> {
  const workspace = await makeWorkspace({ 'users.json': usersText });
  return runAction({
    workspace,
    inputs: {
      'users-file': 'users.json',
      ...tenantInputs(emulator),
      'max-chunk-bytes': CHUNK_BYTES,
      ...inputs,
    },
    ...extra,
  });
}

/** Runs the bundle against one emulator and checks every invariant; returns the run for the test's own checks. */
export async function importChecked(
  emulator: Emulator,
  usersText: string,
  inputs: Record<string, string> = {},
  extra: Partial<ActionOptions> = {},
  invariants: Partial<RunInvariantOptions> = {},
): Promise<{ run: ActionRun; truth: TenantTruth }> {
  const run = await importInto(emulator, usersText, inputs, extra);
  const truth = await expectRunInvariants(run, {
    tenants: [emulator],
    usersText,
    credentials: [emulator.clientSecret],
    upsert: inputs.upsert === 'true',
    ...invariants,
  });
  return { run, truth };
}

/** What `startTenant` needs of vitest's test context (concurrent tests each have their own). */
export interface TestContextLike {
  onTestFinished: (fn: () => Promise<void> | void) => void;
}

/** A fresh emulator for one test, closed when the test finishes. */
export async function startTenant(context: TestContextLike, options?: EmulatorOptions): Promise<Emulator> {
  const emulator = await startEmulator(options);
  context.onTestFinished(() => emulator.close());
  return emulator;
}

export function routeStatuses(emulator: Emulator, route: string): (number | 'reset')[] {
  return emulator.state.requests
    .filter((request) => request.route === route)
    .map((request) => request.status);
}

/**
 * Another client of the same tenant, as Auth0's bucket is shared with the customer's own traffic:
 * once started, for `forMs`, it takes every request token the bucket holds.
 */
export async function competingTraffic(emulator: Emulator, forMs: number) {
  const token = await getToken(emulator);
  let done: Promise<void> | undefined;
  const drain = async () => {
    const until = Date.now() + forMs;
    while (Date.now() < until) {
      // Take tokens until the bucket says no, then look again shortly.
      for (let i = 0; i < 20; i++) {
        const answer = await fetch(`${emulator.url}/api/v2/connections`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await answer.arrayBuffer();
        if (answer.status === 429) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  };
  return {
    start: () => {
      done ??= drain();
    },
    finished: async () => {
      await done;
    },
  };
}
