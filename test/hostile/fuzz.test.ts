/**
 * Property tests with fixed seeds: mutated users files never crash the validator and every problem
 * it reports is placed inside the file; and, over real HTTP, no user the validator accepts is one
 * the emulator's server-side checks refuse.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planChunks } from '../../src/users/chunks.js';
import { isUnreadable, readUsersFile, wholeText } from '../../src/users/read.js';
import type { Problem } from '../../src/users/problem.js';
import { userJson, validateRun } from '../../src/users/validate.js';
import {
  createJob,
  databaseConnectionId,
  getJobErrors,
  getToken,
  jobIdOf,
} from '../emulator/contract-client.js';
import { manualClock, startEmulator } from '../emulator/index.js';

const BCRYPT = '$2b$10$C9P9mZ0wZ0bq5l5mYbZJmu8s3l0c3pQ7Sx6m7b9M2Zr8b1o2w3Xy.';

const BASES = [
  `${JSON.stringify(
    [
      { email: 'ada@example.com', name: 'Ada', password_hash: BCRYPT },
      {
        email: 'alan@example.com',
        custom_password_hash: {
          algorithm: 'md5',
          hash: { value: 'X03MO1qnZdYdgyfeuILPmQ==', encoding: 'base64' },
        },
        mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }],
      },
      { email: 'grace@example.com', app_metadata: { roles: ['a', 'b'], n: 1.5, ok: true, none: null } },
    ],
    null,
    2,
  )}\n`,
  `[${['{"email":"a@x.io","user_metadata":{"café":"☃ \\u00e9 \\ud83d\\ude00"}}', '{"email":"b@x.io","phone_number":"+14155550123"}'].join(',\n')}]`,
  '[{"email":"c@x.io","given_name":"C","family_name":"D","blocked":false,"email_verified":true}]',
];

/** Characters that change what JSON means. */
const SIGNIFICANT = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\\u',
  '\\ud800',
  '\n',
  ' ',
  '0',
  '-',
  'e',
  'true',
  'null',
];

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-line'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SIGNIFICANT), fc.string({ maxLength: 3 })),
  }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
);

function mutate(base: string, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(base);
  for (const change of mutations) {
    const at = bytes.length === 0 ? 0 : change.at % (bytes.length + 1);
    if (change.kind === 'flip' && at < bytes.length) {
      bytes = Buffer.from(bytes);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << change.bit);
    } else if (change.kind === 'delete') {
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + change.length)]);
    } else if (change.kind === 'insert') {
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(change.text), bytes.subarray(at)]);
    } else if (change.kind === 'duplicate-line') {
      const lines = bytes.toString('latin1').split('\n');
      const line = change.at % lines.length;
      lines.splice(line, 0, lines[line] ?? '');
      bytes = Buffer.from(lines.join('\n'), 'latin1');
    }
  }
  return bytes;
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'fuzz-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('mutated users files', () => {
  it('never crash the validator, and every problem is placed inside the file', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: BASES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (base, mutations) => {
          const bytes = mutate(BASES[base]!, mutations);
          await writeFile(path.join(scratch, 'users.json'), bytes);
          const read = await readUsersFile(scratch, 'users.json');
          const readable = isUnreadable(read) ? undefined : read;
          const text = readable ? wholeText(readable) : bytes.toString('utf8');
          const problems = readable ? validateRun([readable]).problems : [read as Problem];
          if (readable) {
            const { users } = validateRun([readable]);
            const plan = planChunks(
              users.map((user) => user.bytes),
              1_000,
            );
            expect(plan.chunks.reduce((sum, chunk) => sum + chunk.count, 0) + plan.oversized.length).toBe(
              users.length,
            );
            if (problems.length === 0) expect((JSON.parse(text) as unknown[]).length).toBe(users.length);
          }
          if (problems.length > 0) refused++;
          const lines = text.split('\n');
          for (const problem of problems) {
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.line).toBeLessThanOrEqual(lines.length);
            expect(problem.column).toBeGreaterThanOrEqual(1);
            expect(problem.column).toBeLessThanOrEqual((lines[problem.line - 1] ?? '').length + 1);
          }
        },
      ),
      { seed: 20261126, numRuns: 400, interruptAfterTimeLimit: 20_000 },
    );
    // Most mutations break the file; a few (inside a string, in whitespace) leave it valid.
    expect(refused).toBeGreaterThan(200);
  });
});

// ------------------------------------------------------------------------------------------------

/** Values each property may take: `valid` ones, and ones a little `off`. */
const POOLS: Record<string, { valid: readonly unknown[]; off: readonly unknown[] }> = {
  email: {
    valid: [
      'ada@example.com',
      'ADA@Example.COM',
      'jösé@example.com',
      'a@bücher.de',
      'a+tag@sub.example.co.uk',
    ],
    off: [
      'a@b',
      'a b@c.de',
      '@x.io',
      'a@@b.co',
      'a@b..co',
      '"q"@x.io',
      'a@x.io ',
      `${'x'.repeat(65)}@x.io`,
      1,
      null,
    ],
  },
  email_verified: { valid: [true, false], off: ['true', 1, null] },
  user_id: { valid: ['u1', 'abc-123', 'a'.repeat(300)], off: ['', 'auth0|x', 42] },
  username: { valid: ['ada', 'a_b.c', '😀'], off: ['', 'a'.repeat(129), 7] },
  given_name: { valid: ['Ada', 'x'.repeat(150)], off: ['', 'x'.repeat(151), 1] },
  family_name: { valid: ['Lovelace', 'é'.repeat(150)], off: ['', null] },
  name: { valid: ['Ada Lovelace'], off: ['', 'x'.repeat(151), ['Ada']] },
  nickname: { valid: ['ada', 'x'.repeat(350)], off: ['', 'x'.repeat(351)] },
  picture: {
    valid: ['https://example.com/a.png', 'http://x.io'],
    off: ['ftp://x.io/a', 'not a url', '', 'https://'],
  },
  blocked: { valid: [true, false], off: ['no', 0] },
  password_hash: {
    valid: [BCRYPT, BCRYPT.replace('$2b$', '$2a$')],
    off: [BCRYPT.replace('$2b$', '$2y$'), BCRYPT.slice(0, -1), 'plain', ''],
  },
  custom_password_hash: {
    valid: [
      {
        algorithm: 'sha256',
        hash: { value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', encoding: 'hex' },
      },
      { algorithm: 'md5', hash: { value: 'X03MO1qnZdYdgyfeuILPmQ==', encoding: 'base64' } },
      { algorithm: 'bcrypt', hash: { value: BCRYPT } },
      {
        algorithm: 'argon2',
        hash: { value: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA' },
      },
    ],
    off: [
      { algorithm: 'sha256', hash: { value: 'zz', encoding: 'hex' } },
      { algorithm: 'rot13', hash: { value: 'x' } },
      { algorithm: 'md5' },
      'md5',
    ],
  },
  app_metadata: {
    // Near Auth0's 10 KB profile limit: with the other properties a user lands on either side of it.
    valid: [{}, { plan: 'gold', roles: ['a'] }, { pad: 'x'.repeat(9_600) }],
    off: [{ 'a.b': 1 }, { $x: 1 }, { email: 'x' }, [], 'x', null, { big: 'x'.repeat(11_000) }],
  },
  user_metadata: {
    valid: [{}, { theme: 'dark', nested: { deep: [1, 2, { x: null }] } }],
    off: [{ 'k.k': 1 }, 5],
  },
  mfa_factors: {
    valid: [
      [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }],
      [{ phone: { value: '+14155550123' } }],
      [{ email: { value: 'ada@example.com' } }],
    ],
    off: [
      [],
      [{ totp: { secret: 'JBSWY3DPEHPK3PXP' }, phone: { value: '+14155550123' } }],
      Array.from({ length: 11 }, () => ({ totp: { secret: 'JBSWY3DPEHPK3PXP' } })),
      [{ sms: { value: '+1' } }],
      [{ totp: { secret: 'jbswy3dp' } }],
    ],
  },
  phone_number: {
    valid: ['+14155550123', '+1', '+123456789012345'],
    off: ['+1234567890123456', '14155550123', '+1 415 555', '', 14155550123],
  },
  phone_verified: { valid: [true, false], off: ['yes'] },
  nick: { valid: [], off: ['a property outside the schema'] },
  created_at: { valid: [], off: ['2020-01-01T00:00:00Z'] },
};

/** A user of valid values for a random set of properties, then zero to two set to anything, a little off included. */
const user: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      Object.fromEntries(
        Object.entries(POOLS)
          .filter(([, pool]) => pool.valid.length > 0)
          .map(([key, pool]) => [
            key,
            key === 'email'
              ? fc.constantFrom(...pool.valid)
              : fc.option(fc.constantFrom(...pool.valid), { nil: undefined }),
          ]),
      ),
    ),
    fc.array(
      fc
        .constantFrom(...Object.keys(POOLS))
        .chain((key) =>
          fc.tuple(fc.constant(key), fc.constantFrom(...POOLS[key]!.valid, ...POOLS[key]!.off)),
        ),
      { maxLength: 2 },
    ),
  )
  .map(([base, changes]) => {
    const record: Record<string, unknown> = Object.fromEntries(
      Object.entries(base).filter(([, value]) => value !== undefined),
    );
    for (const [key, value] of changes) record[key] = value;
    return record;
  });

function uniqueIdentities(candidate: Record<string, unknown>, i: number): Record<string, unknown> {
  const unique = { ...candidate };
  for (const key of ['email', 'username', 'user_id'] as const) {
    const value = unique[key];
    if (POOLS[key]!.valid.includes(value) && typeof value === 'string') unique[key] = `${i}${value}`;
  }
  return unique;
}

/** Codes that say the user repeats another, which the validator cannot always know (the tenant's store). */
const DUPLICATE_CODES = new Set(['DUPLICATED_USER', 'CONFLICT', 'CONFLICT_EMAIL', 'CONFLICT_USERNAME']);

describe('users the validator accepts', () => {
  it('are never refused by the emulator, except as duplicates (over HTTP)', async () => {
    const clock = manualClock();
    const emulator = await startEmulator({ clock });
    const token = await getToken(emulator);
    let accepted = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(user, { minLength: 1, maxLength: 8 }), async (generated) => {
          // Valid identities made unique, so that users are not refused just as repeats of each other.
          const users = generated.map((candidate, i) => uniqueIdentities(candidate, i));
          const text = `[\n${users.map((candidate) => JSON.stringify(candidate)).join(',\n')}\n]`;
          const run = validateRun([{ file: 'users.json', text }]);
          const refused = new Set(run.problems.map((problem) => /^\[(\d+)\]/.exec(problem.path)?.[1]));
          const kept = [...run.users].filter((candidate) => !refused.has(String(candidate.index)));
          if (kept.length === 0) return;
          accepted += kept.length;
          // Exactly what the action sends: each user's compact text, in a JSON array.
          const answer = await createJob(emulator, token, {
            users: `[${kept.map(userJson).join(',')}]`,
            connection_id: databaseConnectionId(emulator),
            upsert: 'false',
          });
          const id = jobIdOf(answer);
          clock.advance(60_000);
          const errors = await getJobErrors(emulator, token, id);
          const failures =
            errors.status === 204 ? [] : (errors.body as { user: unknown; errors: { code: string }[] }[]);
          const refusedByServer = failures.filter((failure) =>
            failure.errors.some((error) => !DUPLICATE_CODES.has(error.code)),
          );
          expect(refusedByServer, 'the validator accepted users the emulator refuses').toEqual([]);
        }),
        { seed: 20261127, numRuns: 300, interruptAfterTimeLimit: 20_000 },
      );
    } finally {
      await emulator.close();
    }
    // Enough accepted users to mean something: the pools are mostly valid values.
    expect(accepted).toBeGreaterThan(50);
  });
});
