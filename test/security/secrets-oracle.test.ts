/**
 * The promise "never a hash, salt, key, TOTP secret, phone number or metadata value in logs, summary
 * or outputs", checked by an oracle that knows nothing of the action's own policy: it takes every
 * string and number of the users file outside the allow-list written here from the words,
 * and looks for each in everything the run left behind.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ActionRun } from '../support/action.js';
import { makeWorkspace, runAction } from '../support/action.js';
import { importInto, startTenant } from '../faults/tenant.js';

/** Paths (from a user) whose string values may be quoted: names, and fields whose values are names of things. */
const QUOTABLE_STRINGS = new Set([
  'email',
  'user_id',
  'username',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'custom_password_hash.algorithm',
  'custom_password_hash.hash.encoding',
  'custom_password_hash.hash.digest',
  'custom_password_hash.hash.key.encoding',
  'custom_password_hash.salt.encoding',
  'custom_password_hash.salt.position',
  'custom_password_hash.password.encoding',
]);
/** scrypt's parameters: public, like a bcrypt cost. */
const QUOTABLE_NUMBERS = new Set([
  'custom_password_hash.keylen',
  'custom_password_hash.cost',
  'custom_password_hash.blockSize',
  'custom_password_hash.parallelization',
]);

/** Shorter values cannot be looked for without matching by chance: the fixtures must not hold any. */
const CHECKABLE_LENGTH = 8;

/** Every value of the users file that may not be shown, each long enough to be looked for. */
export function valuesThatMustNotShow(usersText: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        walk(child, Array.isArray(value) ? path : [...path, key]);
      }
      return;
    }
    const where = path.join('.');
    if (typeof value === 'string' && !QUOTABLE_STRINGS.has(where)) found.push(value);
    if (typeof value === 'number' && !QUOTABLE_NUMBERS.has(where)) found.push(String(value));
  };
  for (const user of JSON.parse(usersText) as unknown[]) walk(user, []);
  for (const value of found) {
    expect(value.length, `fixture value "${value}" is too short to look for`).toBeGreaterThanOrEqual(
      CHECKABLE_LENGTH,
    );
  }
  return found;
}

/** Where each value shows up in what the run left behind: stdout, stderr, summary, outputs, failed-users file. */
async function leaks(run: ActionRun, values: readonly string[]): Promise<string[]> {
  const failedUsersFile = run.outputs['failed-users-file'];
  const places: Record<string, string> = {
    stdout: run.stdout,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    'failed-users-file': failedUsersFile ? await readFile(failedUsersFile, 'utf8') : '',
  };
  return values.flatMap((value) =>
    Object.entries(places)
      .filter(([, text]) => text.includes(value))
      .map(([place]) => `"${value}" in ${place}`),
  );
}

const BCRYPT = (tail: string) => `$2b$10$${tail.padEnd(53, 'Q').slice(0, 53)}`;

/** Secrets where the schema wants another shape: each becomes a problem whose message must not quote it. */
const WRONG_SHAPES = [
  { email: 'shape1@example.com', custom_password_hash: { algorithm: 'md5', hash: 'q7Xv2ZpLm9Rt4Kw8Yb3N' } },
  {
    email: 'shape2@example.com',
    custom_password_hash: {
      algorithm: 'sha256',
      hash: { value: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', encoding: 'hex' },
      salt: 'saltSecretSeven7788',
    },
  },
  {
    email: 'shape3@example.com',
    custom_password_hash: {
      algorithm: 'hmac',
      hash: {
        value: 'c2VjcmV0LWhtYWMtdmFsdWUtMTIz',
        encoding: 'base64',
        digest: 'sha256',
        key: 'hmacKeySecret9911',
      },
    },
  },
  { email: 'shape4@example.com', mfa_factors: [{ totp: 'JBSWY3DPEHPK3PXQ' }] },
  { email: 'shape5@example.com', mfa_factors: [{ totp: { secret: 73918264 } }] },
  { email: 'shape6@example.com', phone_number: 16505550987 },
  { email: 'shape7@example.com', phone_number: '+1 415 555 0199' },
  { email: 'shape8@example.com', mfa_factors: [{ phone: '+14155550177' }] },
  { email: 'shape9@example.com', password_hash: 98765432101 },
  { email: 'shape10@example.com', password_hash: BCRYPT('costTwelveSecret').replace('$10$', '$12$') },
  { email: 'shape11@example.com', app_metadata: 'metadataSecretString', user_metadata: 58201937 },
  { email: 'shape12@example.com', mfa_factors: [{ email: { value: 'not-an-email-secret' } }] },
  { email: 'shape13@example.com', username: 55512345, nickname: 66612345 },
  {
    email: 'shape14@example.com',
    custom_password_hash: { algorithm: 77712345, hash: { value: 'ldapSecretValue1' } },
  },
];

/** Valid users, each with secrets, that Auth0 will reject or echo one way or another. */
const VALID = [
  {
    email: 'dup@example.com',
    password_hash: BCRYPT('duplicatedUserHashSecret'),
    app_metadata: { token: 'appMetadataSecretToken1' },
  },
  {
    email: 'quoted@example.com',
    phone_number: '+14155550111',
    custom_password_hash: {
      algorithm: 'sha256',
      hash: { value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', encoding: 'hex' },
      salt: { value: 'c2FsdFNlY3JldEZvclF1b3RlZA==', encoding: 'base64' },
    },
    user_metadata: { pin: 48151623 },
  },
  {
    email: 'mfa@example.com',
    mfa_factors: [{ totp: { secret: 'GEZDGNBVGY3TQOJQGEZDGNBV' } }, { phone: { value: '+14155550122' } }],
  },
  { email: 'fine@example.com', user_metadata: { note: 'userMetadataSecretNote' } },
];

describe('the secrets oracle', () => {
  it('finds a value that leaked, so it can fail', async () => {
    const text = JSON.stringify([{ email: 'a@example.com', password_hash: BCRYPT('leakedValue') }]);
    const leaked = `::error::password_hash is ${BCRYPT('leakedValue')}`;
    const run: ActionRun = {
      code: 1,
      stdout: leaked,
      stderr: '',
      outputs: {},
      summary: '',
      errors: [],
      runnerTemp: '',
    };
    expect(await leaks(run, valuesThatMustNotShow(text))).toEqual([`"${BCRYPT('leakedValue')}" in stdout`]);
  });

  it('refuses a fixture value too short to look for', () => {
    expect(() =>
      valuesThatMustNotShow(JSON.stringify([{ email: 'a@example.com', phone_number: '+1415' }])),
    ).toThrow(/too short to look for/);
  });
});

describe('nothing the allow-list leaves out shows anywhere', () => {
  it('in a dry run of secrets in the wrong shape', async () => {
    const text = JSON.stringify(WRONG_SHAPES, null, 2);
    const workspace = await makeWorkspace({ 'users.json': text });
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });
    expect(run.code).toBe(1);
    // Every user has a problem, so every one was described in messages.
    expect(run.summary).toContain(`### Problems (`);
    expect(await leaks(run, valuesThatMustNotShow(text))).toEqual([]);
  });

  it('in an import where Auth0 rejects users and echoes them, quotes their values and fails a job', async (context) => {
    const text = JSON.stringify(VALID, null, 2);
    const emulator = await startTenant(context);
    const database = emulator.connections.find((connection) => connection.strategy === 'auth0')!;
    emulator.state.seedUsers(database.id, [{ email: 'dup@example.com' }]);
    // Auth0's z-schema messages quote the value at fault; here one quotes every secret of the user.
    emulator.faults.refuseUsers((user) =>
      user.email === 'quoted@example.com'
        ? {
            code: 'PATTERN',
            message: `String does not match pattern: ${JSON.stringify(user)}`,
            path: 'phone_number',
          }
        : undefined,
    );
    emulator.faults.failMfaFactors(['mfa@example.com']);
    const run = await importInto(emulator, text, {
      'max-chunk-bytes': '512000',
      'fail-on-user-errors': 'true',
    });
    expect(run.code).toBe(1);
    expect(run.outputs.failed).toBe('3');
    expect(await leaks(run, valuesThatMustNotShow(text))).toEqual([]);
  });

  it('in an import whose failed job Auth0 describes by quoting its users', async (context) => {
    const text = JSON.stringify(VALID, null, 2);
    const emulator = await startTenant(context);
    emulator.faults.failJob('next', `Could not process ${JSON.stringify(VALID)}`);
    const run = await importInto(emulator, text, { 'max-chunk-bytes': '512000' });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('Could not process');
    expect(await leaks(run, valuesThatMustNotShow(text))).toEqual([]);
  });
});
