import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateUsers } from '../../bench/generate-users.js';
import { checkUser, UserSchema } from '../../src/users/schema.js';
import { isValidUser } from '../../src/users/valid-user.js';

const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const SHA256_HEX = '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8';
const ARGON2 = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';
const PBKDF2 = '$pbkdf2-sha256$i=100000,l=32$c2FsdHNhbHRzYWx0$kI8cPCaAXKxP4JqGmpBKSBHxFXPqBw4vs7n3/bGmnP8';

const HMAC_SHA256 = Buffer.alloc(32, 7).toString('base64');

/** What each property may be: valid values first, then values UserSchema refuses (or, with the rules, may refuse). */
interface Values {
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
}

const of = (valid: unknown[], invalid: unknown[]): Values => ({
  valid: fc.constantFrom(...valid),
  invalid: fc.constantFrom(...invalid),
});
const text = (limit: number) =>
  of(['a', 'Ada Lovelace', 'é😀', 'x'.repeat(limit)], ['', 'x'.repeat(limit + 1), 42, null]);
const flag = of([true, false], ['true', 1, null]);

/** Valid custom_password_hash objects, one per kind of algorithm. */
const HASHES = [
  { algorithm: 'sha256', hash: { value: SHA256_HEX, encoding: 'hex' } },
  {
    algorithm: 'sha256',
    hash: { value: SHA256_HEX, encoding: 'hex' },
    salt: { value: 'c2FsdA==', encoding: 'base64', position: 'prefix' },
    password: { encoding: 'utf8' },
  },
  { algorithm: 'bcrypt', hash: { value: BCRYPT }, salt: { value: 'pepper' } },
  { algorithm: 'argon2', hash: { value: ARGON2, encoding: 'utf8' } },
  { algorithm: 'pbkdf2', hash: { value: PBKDF2 } },
  { algorithm: 'ldap', hash: { value: '{SSHA}c2FsdHNhbHQ=' } },
  {
    algorithm: 'hmac',
    hash: {
      value: HMAC_SHA256,
      encoding: 'base64',
      digest: 'sha256',
      key: { value: 'c2VjcmV0', encoding: 'base64' },
    },
  },
  {
    algorithm: 'scrypt',
    hash: { value: SHA256_HEX, encoding: 'hex' },
    keylen: 32,
    cost: 16384,
    blockSize: 8,
    parallelization: 1,
  },
];

/** One change to a valid hash: a property set to a value it may not have, or removed, or one added. */
const HASH_CHANGES: [path: string[], value: unknown][] = [
  [['algorithm'], 'sha3'],
  [['algorithm'], 'md5'],
  [['algorithm'], undefined],
  [['hash'], 'x'],
  [['hash', 'value'], 7],
  [['hash', 'value'], 'zz'],
  [['hash', 'encoding'], 'latin1'],
  [['hash', 'encoding'], 'base64'],
  [['hash', 'encoding'], undefined],
  [['hash', 'digest'], 'sha3'],
  [['hash', 'key'], { value: 'c2VjcmV0', stray: 1 }],
  [['hash', 'key'], { encoding: 'hex' }],
  [['hash', 'stray'], 1],
  [['salt'], { value: 'c2FsdA==', position: 'middle' }],
  [['salt'], { value: 'zz', encoding: 'hex' }],
  [['salt'], { encoding: 'hex' }],
  [['password'], 'utf8'],
  [['password'], { encoding: 'ebcdic' }],
  [['keylen'], 0],
  [['keylen'], 1.5],
  [['keylen'], '32'],
  [['cost'], 3],
  [['cost'], 1],
  [['blockSize'], -1],
  [['parallelization'], 8],
  [['rounds'], 10],
];

function changed(value: unknown, path: readonly string[], to: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let holder = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof holder[key] !== 'object' || holder[key] === null) return copy;
    holder = holder[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (to === undefined) delete holder[last];
  else holder[last] = to;
  return copy;
}

const customPasswordHash: Values = {
  valid: fc.constantFrom(...HASHES),
  invalid: fc
    .tuple(fc.constantFrom(...HASHES), fc.constantFrom(...HASH_CHANGES))
    .map(([hash, [path, to]]) => changed(hash, path, to))
    .chain((hash) => fc.constantFrom(hash, 'x', null, [])),
};

const FACTORS = [
  { totp: { secret: 'JBSWY3DPEHPK3PXP' } },
  { phone: { value: '+14155550123' } },
  { email: { value: 'ada@example.com' } },
];

/** Every property of UserSchema. */
const PROPERTIES: Record<string, Values> = {
  email: of(
    ['ada@example.com', 'A.b+c@sub.example.org', 'ädä@example.com', '"a b"@example.com'],
    [
      'ada',
      'ada@x',
      'ada@example.c',
      '.ada@example.com',
      `${'a'.repeat(65)}@example.com`,
      'ada@exa_mple.com',
      '',
      42,
      null,
    ],
  ),
  email_verified: flag,
  user_id: of(['abc', 'google-oauth2|123', ''], ['auth0|abc', 42]),
  username: text(128),
  given_name: text(150),
  family_name: text(150),
  name: text(150),
  nickname: text(350),
  picture: of(
    ['https://example.com/a.png', 'http://x', 'HTTPS://x.io/?q=1'],
    ['ftp://x', 'https://', 'https://a b', 7],
  ),
  blocked: flag,
  password_hash: of(
    [BCRYPT, BCRYPT.replace('$2b$', '$2a$')],
    [BCRYPT.replace('$10$', '$12$'), '$2y$10$abc', 'plain', 3],
  ),
  custom_password_hash: customPasswordHash,
  app_metadata: of(
    [{}, { plan: 'pro', roles: ['a'] }, { nested: { 'ok-key': [1, { x: null }] } }],
    [{ email: 'reserved' }, { 'a.b': 1 }, { deep: { $x: 1 } }, { pad: 'x'.repeat(11_000) }, [], 'x', null],
  ),
  user_metadata: of(
    [{}, { theme: 'dark' }, { list: [{ a: 1 }] }],
    [{ 'a.b': 1 }, { deep: [{ $x: 1 }] }, { pad: 'x'.repeat(11_000) }, [], 'x', null],
  ),
  mfa_factors: {
    valid: fc.array(fc.constantFrom(...FACTORS), { minLength: 1, maxLength: 10 }),
    invalid: fc.constantFrom(
      [],
      Array.from({ length: 11 }, () => FACTORS[0]),
      [{}],
      [{ ...FACTORS[0], ...FACTORS[1] }],
      [{ sms: {} }],
      [{ totp: { secret: 'jbswy3dp' } }],
      [{ phone: { value: '4155550123' } }],
      [{ email: { value: 'ada@x' } }],
      [{ totp: { secret: 'ABC', stray: 1 } }],
      [{ totp: {} }],
      [{ phone: {} }],
      [{ email: {} }],
      ['totp'],
      'x',
    ),
  },
  phone_number: of(['+14155550123', '+1'], ['+1234567890123456', '4155550123', 1]),
  phone_verified: flag,
};

const valid = fc.record(
  Object.fromEntries(Object.entries(PROPERTIES).map(([key, values]) => [key, values.valid])),
);

/** Some valid properties, the email always, at most one kind of password hash (they exclude each other). */
const validUsers = fc
  .tuple(valid, fc.subarray(Object.keys(PROPERTIES)), fc.boolean())
  .map(([all, keys, bcrypt]) =>
    Object.fromEntries(
      Object.entries(all).filter(
        ([key]) =>
          key === 'email' ||
          (keys.includes(key) && key !== (bcrypt ? 'custom_password_hash' : 'password_hash')),
      ),
    ),
  );

/** A valid user, or one with a property given a value UserSchema refuses, removed, or one it does not have. */
const users = fc
  .tuple(
    validUsers,
    fc.option(
      fc.oneof(
        ...Object.entries(PROPERTIES).map(([key, values]) =>
          values.invalid.map((value) => [key, value] as const),
        ),
        fc.constantFrom(
          ['email', undefined] as const,
          ['password_hash', BCRYPT] as const,
          ['created_at', '2020'] as const,
          ['emial', 'x'] as const,
        ),
      ),
      { freq: 2 },
    ),
  )
  .map(([user, change]) =>
    change ? (changed(user, [change[0]], change[1]) as Record<string, unknown>) : user,
  );

describe('the valid-user path', () => {
  it('knows every property of UserSchema (a new one must be taught to valid-user.ts and to this test)', () => {
    expect(Object.keys(PROPERTIES).sort()).toEqual(Object.keys(UserSchema.shape).sort());
  });

  it('gives the same verdict as UserSchema on users valid and not', () => {
    fc.assert(
      fc.property(users, (user) => {
        expect(isValidUser(user)).toBe(UserSchema.safeParse(user).success);
      }),
      { numRuns: 5_000 },
    );
  });

  it('gives the same verdict as UserSchema on every change to every kind of custom_password_hash', () => {
    for (const hash of HASHES) {
      for (const [path, to] of HASH_CHANGES) {
        const user = { email: 'ada@example.com', custom_password_hash: changed(hash, path, to) };
        expect(isValidUser(user), JSON.stringify(user)).toBe(UserSchema.safeParse(user).success);
      }
    }
  });

  it('leaves to zod what it cannot decide cheaply, and never calls such a user valid', () => {
    const proto: unknown = JSON.parse('{"email":"ada@example.com","__proto__":{"name":"x"}}');
    const edge = [
      proto,
      { email: 'ada@example.com', name: undefined },
      ...[2 ** 60, 1e-7].map((keylen) => ({
        email: 'ada@example.com',
        custom_password_hash: { algorithm: 'scrypt', hash: { value: SHA256_HEX, encoding: 'hex' }, keylen },
      })),
      Object.create({ email: 'ada@example.com' }) as unknown,
    ];
    for (const user of edge) {
      if (isValidUser(user)) expect(UserSchema.safeParse(user).success).toBe(true);
      expect(() => checkUser(user)).not.toThrow();
    }
    expect(isValidUser(proto)).toBe(false);
    expect(checkUser(proto).map((issue) => issue.message)).toEqual(['unknown property "__proto__"']);
  });

  it('takes realistic users: every user the bench generates', () => {
    const generated = generateUsers(500);
    expect(generated.filter((user) => !isValidUser(user))).toEqual([]);
  });
});
