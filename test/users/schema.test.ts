import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { UserIssue } from '../../src/users/problem.js';
import { checkUser, UserSchema } from '../../src/users/schema.js';

const digest = (algorithm: string, encoding: 'hex' | 'base64' = 'hex') =>
  createHash(algorithm).update('correct horse battery staple').digest(encoding);

const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const ARGON2 = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';
const PBKDF2 = '$pbkdf2-sha256$i=100000,l=32$c2FsdHNhbHRzYWx0$kI8cPCaAXKxP4JqGmpBKSBHxFXPqBw4vs7n3/bGmnP8';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

function user(properties: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: 'ada@example.com', ...properties };
}

/** A valid address of `length` characters: its domain's labels stay within 63 characters. */
function emailOfLength(length: number): string {
  const labels = 'x'.repeat(length - 'ada@.com'.length).match(/.{1,62}/g) ?? [];
  return `ada@${labels.join('.').slice(0, length - 'ada@.com'.length)}.com`;
}

function cph(properties: Record<string, unknown>): Record<string, unknown> {
  return user({ custom_password_hash: properties });
}

/** The one issue a user has; fails the test when there are none or several. */
function onlyIssue(value: unknown): UserIssue {
  const issues = checkUser(value);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

describe('a valid user', () => {
  it('needs nothing but an email', () => {
    expect(checkUser({ email: 'ada@example.com' })).toEqual([]);
  });

  it('may have every documented property at once', () => {
    const rich = {
      email: 'ada.lovelace+import@example.co.uk',
      email_verified: true,
      user_id: 'legacy-1815',
      username: 'ada_l',
      given_name: 'Ada',
      family_name: 'Lovelace',
      name: 'Ada Lovelace',
      nickname: 'Enchantress of Numbers',
      picture: 'https://cdn.example.com/avatars/ada.png?size=128',
      blocked: false,
      password_hash: BCRYPT,
      app_metadata: { roles: ['admin'], plan: 'pro' },
      user_metadata: { locale: 'en-GB', preferences: { theme: 'dark' } },
      mfa_factors: [
        { totp: { secret: TOTP_SECRET } },
        { phone: { value: '+14155550123' } },
        { email: { value: 'ada@backup.example.com' } },
      ],
      phone_number: '+447700900123',
      phone_verified: false,
    };
    expect(checkUser(rich)).toEqual([]);
  });

  it.each([
    ['argon2', { algorithm: 'argon2', hash: { value: ARGON2 } }],
    ['argon2 with utf8', { algorithm: 'argon2', hash: { value: ARGON2, encoding: 'utf8' } }],
    ['bcrypt of cost 12', { algorithm: 'bcrypt', hash: { value: BCRYPT.replace('$10$', '$12$') } }],
    [
      'bcrypt $2y$ with a salt',
      { algorithm: 'bcrypt', hash: { value: BCRYPT.replace('$2b$', '$2y$') }, salt: { value: 'pepper' } },
    ],
    [
      'hmac',
      {
        algorithm: 'hmac',
        hash: {
          value: digest('sha256', 'base64'),
          encoding: 'base64',
          digest: 'sha256',
          key: { value: 'c2VjcmV0LWtleQ==', encoding: 'base64' },
        },
      },
    ],
    [
      'ldap {SSHA}',
      { algorithm: 'ldap', hash: { value: `{SSHA}${Buffer.alloc(24, 7).toString('base64')}` } },
    ],
    ['md4', { algorithm: 'md4', hash: { value: '8a9d093f14f8701df17732b2bb182c74', encoding: 'hex' } }],
    [
      'md5 with a prefix salt',
      {
        algorithm: 'md5',
        hash: { value: digest('md5'), encoding: 'hex' },
        salt: { value: 'c2FsdA==', encoding: 'base64', position: 'prefix' },
        password: { encoding: 'utf8' },
      },
    ],
    ['sha1 in base64', { algorithm: 'sha1', hash: { value: digest('sha1', 'base64'), encoding: 'base64' } }],
    ['sha256', { algorithm: 'sha256', hash: { value: digest('sha256'), encoding: 'hex' } }],
    ['sha512', { algorithm: 'sha512', hash: { value: digest('sha512').toUpperCase(), encoding: 'hex' } }],
    ['pbkdf2', { algorithm: 'pbkdf2', hash: { value: PBKDF2 } }],
    [
      'scrypt',
      {
        algorithm: 'scrypt',
        hash: { value: 'ab'.repeat(64), encoding: 'hex' },
        salt: { value: 'c2FsdHNhbHQ=', encoding: 'base64' },
        keylen: 64,
        cost: 16384,
        blockSize: 8,
        parallelization: 1,
      },
    ],
  ])('may have a custom_password_hash of algorithm %s', (_name, hash) => {
    expect(checkUser(cph(hash))).toEqual([]);
  });

  it('is what UserSchema accepts, with its type inferred', () => {
    const parsed = UserSchema.parse(user({ email_verified: true }));
    expect(parsed.email_verified).toBe(true);
  });

  it('is judged by UserSchema with the prose rules too', () => {
    expect(UserSchema.safeParse(user({ user_id: 'auth0|42' })).success).toBe(false);
  });
});

describe('the user itself', () => {
  it.each([null, [], 'ada@example.com', 42, true, undefined])('must be a JSON object, not %j', (value) => {
    expect(onlyIssue(value)).toEqual({
      path: [],
      message: expect.stringContaining('the user must be a JSON object, got'),
    });
  });

  it('needs an email, reported on the user', () => {
    expect(onlyIssue({ name: 'Ada' })).toEqual({ path: [], message: 'email is required' });
  });

  it('reports an unknown property at its key, suggesting the close name', () => {
    expect(onlyIssue({ emial: 'ada@example.com', email: 'ada@example.com' })).toEqual({
      path: ['emial'],
      at: 'key',
      message: 'unknown property "emial"',
      hint: 'did you mean "email"?',
    });
  });

  it('suggests metadata for an unknown property with no close name', () => {
    const issue = onlyIssue(user({ favourite_colour: 'green' }));
    expect(issue).toMatchObject({ path: ['favourite_colour'], at: 'key' });
    expect(issue.hint).toContain('user_metadata or app_metadata');
  });

  it('says that Auth0 sets a property an Auth0 export carries', () => {
    expect(onlyIssue(user({ created_at: '2020-01-01T00:00:00.000Z' })).hint).toBe(
      'Auth0 sets created_at itself: remove it',
    );
  });

  it('reports every problem at once', () => {
    const issues = checkUser({ email: 'not-an-email', blocked: 'no', user_id: 'auth0|42' });
    expect(issues.map((issue) => issue.path)).toEqual([['email'], ['blocked'], ['user_id']]);
  });

  it('reports rule problems beside schema problems', () => {
    const issues = checkUser({ password_hash: BCRYPT, custom_password_hash: { algorithm: 'md5' } });
    expect(issues.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: [], message: 'email is required' },
      { path: ['custom_password_hash'], message: 'custom_password_hash.hash is required' },
      { path: ['custom_password_hash'], message: expect.stringContaining('together with password_hash') },
    ]);
  });

  it('suggests leaving a property out rather than null', () => {
    expect(onlyIssue(user({ nickname: null }))).toEqual({
      path: ['nickname'],
      message: 'nickname must be a string, got null',
      hint: 'leave the property out instead of null',
    });
  });
});

describe('__proto__ and constructor keys', () => {
  it('reports __proto__ as an unknown property of a user without polluting Object.prototype', () => {
    const issues = checkUser(JSON.parse('{"email":"ada@example.com","__proto__":{"polluted":true}}'));
    expect(issues).toEqual([expect.objectContaining({ path: ['__proto__'], at: 'key' })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports constructor as an unknown property of a user', () => {
    expect(onlyIssue(JSON.parse('{"email":"ada@example.com","constructor":{"prototype":1}}')).path).toEqual([
      'constructor',
    ]);
  });

  it('allows __proto__ as a metadata key without polluting Object.prototype', () => {
    const value = JSON.parse('{"email":"ada@example.com","user_metadata":{"__proto__":{"polluted":true}}}');
    expect(checkUser(value)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports __proto__ in a password hash object as unknown', () => {
    const value = JSON.parse(
      `{"email":"a@example.com","custom_password_hash":{"algorithm":"argon2","hash":{"value":"${ARGON2}","__proto__":{}}}}`,
    );
    expect(onlyIssue(value)).toMatchObject({
      path: ['custom_password_hash', 'hash', '__proto__'],
      at: 'key',
    });
  });
});

describe('robustness', () => {
  it('copes with a huge string without throwing', () => {
    const issues = checkUser({ email: `${'a'.repeat(5_000_000)}@example.com` });
    expect(issues.map((issue) => issue.path)).toContainEqual(['email']);
    expect(issues.every((issue) => issue.message.length < 500)).toBe(true);
  });

  it('copes with metadata nested deeper than the call stack', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => checkUser(user({ user_metadata: deep }))).not.toThrow();
  });

  it('reports a cyclic value instead of throwing', () => {
    const metadata: Record<string, unknown> = {};
    metadata.self = metadata;
    expect(onlyIssue(user({ app_metadata: metadata }))).toEqual({
      path: [],
      message: expect.stringContaining('cannot be written as JSON'),
    });
  });
});

describe('email', () => {
  it('must look like an email address', () => {
    expect(onlyIssue({ email: 'ada.example.com' })).toEqual({
      path: ['email'],
      message: 'email must be an email address like "name@example.com", got "ada.example.com"',
      hint: 'it has no "@"',
    });
  });

  it('must be a string', () => {
    expect(onlyIssue({ email: 42 }).message).toBe('email must be a string, got a number');
  });

  it('may be 254 characters long', () => {
    expect(checkUser({ email: emailOfLength(254) })).toEqual([]);
  });

  it('may not be longer than 254 characters', () => {
    expect(onlyIssue({ email: emailOfLength(255) }).message).toBe(
      'email must be at most 254 characters, got 255',
    );
  });

  it('refuses what Auth0 refuses, saying what to change', () => {
    expect(onlyIssue({ email: 'casey..jones@example.com' })).toEqual({
      path: ['email'],
      message: 'email must be an email address like "name@example.com", got "casey..jones@example.com"',
      hint: 'the part before the "@" holds "..": remove one dot',
    });
  });

  it('counts the part before the @ in UTF-8 bytes, as Auth0 does', () => {
    expect(onlyIssue({ email: `${'é'.repeat(33)}@example.com` }).message).toBe(
      'email must have at most 64 bytes of UTF-8 before the "@", got 66 (33 characters)',
    );
  });

  it('may have 64 characters before the @', () => {
    expect(checkUser({ email: `${'a'.repeat(64)}@example.com` })).toEqual([]);
  });

  it('may not have more than 64 characters before the @', () => {
    expect(onlyIssue({ email: `${'a'.repeat(65)}@example.com` })).toMatchObject({
      path: ['email'],
      message: expect.stringContaining('at most 64 characters before the "@"'),
    });
  });
});

describe('email_verified, blocked and phone_verified', () => {
  it.each(['email_verified', 'blocked', 'phone_verified'])('%s must be true or false', (property) => {
    expect(onlyIssue(user({ [property]: 'true' }))).toEqual({
      path: [property],
      message: `${property} must be true or false, got a 4-character string`,
      hint: 'write true or false without quotes',
    });
  });
});

describe('user_id', () => {
  it('may not start with auth0|, which Auth0 adds itself', () => {
    expect(onlyIssue(user({ user_id: 'auth0|5f7c8ec7c33c6c004bbafe82' }))).toEqual({
      path: ['user_id'],
      message:
        'user_id starts with "auth0|", which Auth0 adds itself: it would store "auth0|auth0|5f7c8ec7c33c6c004bbafe82"',
      hint: 'remove the prefix: "5f7c8ec7c33c6c004bbafe82" (users exported from Auth0 carry it)',
    });
  });

  it('may contain auth0| elsewhere', () => {
    expect(checkUser(user({ user_id: 'legacy-auth0|1' }))).toEqual([]);
  });

  it('must be a string', () => {
    expect(onlyIssue(user({ user_id: 1815 })).path).toEqual(['user_id']);
  });
});

describe('profile lengths', () => {
  it.each([
    ['username', 128],
    ['given_name', 150],
    ['family_name', 150],
    ['name', 150],
    ['nickname', 350],
  ])('%s may be %i characters long', (property, max) => {
    expect(checkUser(user({ [property]: 'x'.repeat(max) }))).toEqual([]);
  });

  it.each([
    ['username', 128],
    ['given_name', 150],
    ['family_name', 150],
    ['name', 150],
    ['nickname', 350],
  ])('%s may not be longer than %i characters', (property, max) => {
    expect(onlyIssue(user({ [property]: 'x'.repeat(max + 1) }))).toEqual({
      path: [property],
      message: `${property} must be at most ${max} characters, got ${max + 1}`,
    });
  });

  it.each(['username', 'given_name', 'family_name', 'name', 'nickname'])(
    '%s may not be empty',
    (property) => {
      expect(onlyIssue(user({ [property]: '' }))).toEqual({
        path: [property],
        message: `${property} must not be empty`,
      });
    },
  );
});

describe('picture', () => {
  it('may be an http URL', () => {
    expect(checkUser(user({ picture: 'http://example.com/a.png' }))).toEqual([]);
  });

  it('must be an http or https URL', () => {
    expect(onlyIssue(user({ picture: 'ftp://example.com/a.png' }))).toEqual({
      path: ['picture'],
      message: expect.stringContaining('picture must be an http or https URL'),
    });
  });
});

describe('phone_number', () => {
  it('must be E.164', () => {
    expect(onlyIssue(user({ phone_number: '+1 415 555 0123' }))).toEqual({
      path: ['phone_number'],
      message: expect.stringContaining('phone_number must be an E.164 phone number'),
    });
  });

  it('may have at most 15 digits', () => {
    expect(onlyIssue(user({ phone_number: `+${'1'.repeat(16)}` })).path).toEqual(['phone_number']);
  });

  it('never quotes a phone number in its message', () => {
    const issues = checkUser(
      user({ phone_number: '+1 999 888 7777', mfa_factors: [{ phone: { value: '9998887777' } }] }),
    );
    expect(issues).toHaveLength(2);
    for (const issue of issues) expect(issue.message).not.toMatch(/888/);
  });
});

describe('password_hash', () => {
  it('may be a $2a$ bcrypt hash', () => {
    expect(checkUser(user({ password_hash: BCRYPT.replace('$2b$', '$2a$') }))).toEqual([]);
  });

  it('points a $2y$ hash to custom_password_hash, without quoting the hash', () => {
    const hash = BCRYPT.replace('$2b$', '$2y$');
    const issue = onlyIssue(user({ password_hash: hash }));
    expect(issue).toEqual({
      path: ['password_hash'],
      message: expect.stringContaining('got a 60-character string starting "$2y$10$"'),
      hint: 'use custom_password_hash with algorithm "bcrypt" (it accepts "$2y$" and any cost) for this hash',
    });
    expect(issue.message).not.toContain(hash.slice(7));
  });

  it('may not have a cost other than 10, which Auth0 refuses, pointing to custom_password_hash', () => {
    const issue = onlyIssue(user({ password_hash: BCRYPT.replace('$10$', '$12$') }));
    expect(issue).toEqual({
      path: ['password_hash'],
      message: expect.stringContaining('must be a bcrypt hash of cost 10'),
      hint: 'Auth0 takes password_hash at cost 10 only, and this one has cost 12: use custom_password_hash with algorithm "bcrypt" (it accepts any cost) for this hash',
    });
    expect(issue.message).toContain('got a 60-character string starting "$2b$12$"');
  });

  it.each(['$2$10$', '$2a$100$'])("may start %s, as Auth0's own pattern allows", (prefix) => {
    expect(checkUser(user({ password_hash: BCRYPT.replace('$2b$10$', prefix) }))).toEqual([]);
  });

  it('points an argon2 hash to custom_password_hash with algorithm argon2', () => {
    expect(onlyIssue(user({ password_hash: ARGON2 })).hint).toContain('algorithm "argon2"');
  });

  it('points a hex sha256 digest to custom_password_hash with hex encoding', () => {
    expect(onlyIssue(user({ password_hash: digest('sha256') })).hint).toBe(
      'use custom_password_hash with algorithm "sha256" and hash.encoding "hex" for this hash',
    );
  });

  it('says how long a truncated bcrypt hash should be', () => {
    expect(onlyIssue(user({ password_hash: BCRYPT.slice(0, 59) })).hint).toContain('this one has 59');
  });

  it('may not be given together with custom_password_hash', () => {
    const issue = onlyIssue(
      user({ password_hash: BCRYPT, custom_password_hash: { algorithm: 'argon2', hash: { value: ARGON2 } } }),
    );
    expect(issue).toMatchObject({
      path: ['custom_password_hash'],
      at: 'key',
      message: expect.stringContaining('cannot be given together with password_hash'),
    });
  });
});

describe('custom_password_hash structure', () => {
  it('needs an algorithm', () => {
    expect(onlyIssue(cph({ hash: { value: ARGON2 } }))).toEqual({
      path: ['custom_password_hash'],
      message: 'custom_password_hash.algorithm is required',
    });
  });

  it('needs a hash', () => {
    expect(onlyIssue(cph({ algorithm: 'argon2' }))).toEqual({
      path: ['custom_password_hash'],
      message: 'custom_password_hash.hash is required',
    });
  });

  it('needs hash.value', () => {
    expect(onlyIssue(cph({ algorithm: 'argon2', hash: {} }))).toEqual({
      path: ['custom_password_hash', 'hash'],
      message: 'custom_password_hash.hash.value is required',
    });
  });

  it('suggests the algorithm name a differently written one means', () => {
    expect(
      onlyIssue(cph({ algorithm: 'SHA-256', hash: { value: digest('sha256'), encoding: 'hex' } })),
    ).toEqual({
      path: ['custom_password_hash', 'algorithm'],
      message: expect.stringContaining('custom_password_hash.algorithm must be one of "argon2", "bcrypt"'),
      hint: 'did you mean "sha256"?',
    });
  });

  it('reports an unknown property at its key with the allowed names', () => {
    expect(onlyIssue(cph({ algorithm: 'argon2', hash: { value: ARGON2 }, rounds: 3 }))).toEqual({
      path: ['custom_password_hash', 'rounds'],
      at: 'key',
      message: 'unknown property "rounds" in custom_password_hash',
      hint: 'allowed here: algorithm, hash, salt, password, keylen, cost, blockSize, parallelization',
    });
  });

  it.each([
    ['hash', { value: digest('md5'), encoding: 'hex', iterations: 1 }, {}],
    ['salt', { value: digest('md5'), encoding: 'hex' }, { salt: { value: 'x', size: 1 } }],
    [
      'password',
      { value: digest('md5'), encoding: 'hex' },
      { password: { encoding: 'utf8', normalize: true } },
    ],
  ])('reports an unknown property in %s at its key', (object, hash, more) => {
    const issue = onlyIssue(cph({ algorithm: 'md5', hash, ...more }));
    expect(issue).toMatchObject({
      at: 'key',
      message: expect.stringContaining(`in custom_password_hash.${object}`),
    });
  });

  it('reports an unknown property in hash.key at its key', () => {
    const hash = { value: digest('sha256'), encoding: 'hex', digest: 'sha256', key: { value: 'k', id: 1 } };
    expect(onlyIssue(cph({ algorithm: 'hmac', hash })).path).toEqual([
      'custom_password_hash',
      'hash',
      'key',
      'id',
    ]);
  });

  it.each([
    [['hash', 'encoding'], { hash: { value: digest('md5'), encoding: 'binary' } }],
    [['hash', 'digest'], { hash: { value: digest('md5'), encoding: 'hex', digest: 'sha3' } }],
    [['salt', 'encoding'], { salt: { value: 'x', encoding: 'latin1' } }],
    [['salt', 'position'], { salt: { value: 'x', position: 'middle' } }],
    [['password', 'encoding'], { password: { encoding: 'utf-16' } }],
  ])('reports %j outside its allowed values', (path, properties) => {
    const issue = onlyIssue(
      cph({ algorithm: 'md5', hash: { value: digest('md5'), encoding: 'hex' }, ...properties }),
    );
    expect(issue).toMatchObject({
      path: ['custom_password_hash', ...path],
      message: expect.stringContaining(`custom_password_hash.${path.join('.')} must be one of`),
    });
  });

  it('reports hash.key.encoding outside its allowed values', () => {
    const hash = {
      value: digest('sha256'),
      encoding: 'hex',
      digest: 'sha256',
      key: { value: 'k', encoding: 'raw' },
    };
    expect(onlyIssue(cph({ algorithm: 'hmac', hash })).path).toEqual([
      'custom_password_hash',
      'hash',
      'key',
      'encoding',
    ]);
  });

  it('needs salt.value when there is a salt', () => {
    const issue = onlyIssue(
      cph({ algorithm: 'md5', hash: { value: digest('md5'), encoding: 'hex' }, salt: {} }),
    );
    expect(issue).toEqual({
      path: ['custom_password_hash', 'salt'],
      message: 'custom_password_hash.salt.value is required',
    });
  });

  it('needs hash.key.value when there is a key', () => {
    const hash = { value: digest('sha256'), encoding: 'hex', digest: 'sha256', key: { encoding: 'utf8' } };
    expect(onlyIssue(cph({ algorithm: 'hmac', hash }))).toEqual({
      path: ['custom_password_hash', 'hash', 'key'],
      message: 'custom_password_hash.hash.key.value is required',
    });
  });
});

describe('custom_password_hash encodings per algorithm', () => {
  it('needs hex or base64 for a digest algorithm, not utf8', () => {
    expect(
      onlyIssue(cph({ algorithm: 'sha256', hash: { value: digest('sha256'), encoding: 'utf8' } })),
    ).toEqual({
      path: ['custom_password_hash', 'hash', 'encoding'],
      message:
        'custom_password_hash.hash.encoding must be "hex" or "base64" for algorithm "sha256", got "utf8"',
      hint: 'give the hash bytes as hex or base64 text and say which',
    });
  });

  it.each(['md4', 'md5', 'sha1', 'sha256', 'sha512', 'hmac', 'scrypt'])(
    'needs hash.encoding for algorithm %s, reported on hash',
    (algorithm) => {
      const issues = checkUser(cph({ algorithm, hash: { value: 'abc' }, keylen: 64 }));
      expect(issues).toContainEqual(
        expect.objectContaining({
          path: ['custom_password_hash', 'hash'],
          message: expect.stringContaining(`hash.encoding is required for algorithm "${algorithm}"`),
        }),
      );
    },
  );

  it('guesses hex for a missing encoding of a hex value', () => {
    expect(onlyIssue(cph({ algorithm: 'sha1', hash: { value: digest('sha1') } })).hint).toBe(
      'hash.value looks like hex: set "encoding": "hex"',
    );
  });

  it.each([
    ['argon2', ARGON2],
    ['bcrypt', BCRYPT],
    ['ldap', '{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g='],
    ['pbkdf2', PBKDF2],
  ])('needs utf8 or no hash.encoding for algorithm %s', (algorithm, value) => {
    expect(onlyIssue(cph({ algorithm, hash: { value, encoding: 'base64' } }))).toMatchObject({
      path: ['custom_password_hash', 'hash', 'encoding'],
      message: `custom_password_hash.hash.encoding must be "utf8" or left out for algorithm "${algorithm}", got "base64"`,
    });
  });
});

describe('custom_password_hash salt per algorithm', () => {
  it.each([
    ['argon2', ARGON2],
    ['ldap', '{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g='],
    ['pbkdf2', PBKDF2],
  ])('does not allow a salt for algorithm %s', (algorithm, value) => {
    expect(onlyIssue(cph({ algorithm, hash: { value }, salt: { value: 'pepper' } }))).toEqual({
      path: ['custom_password_hash', 'salt'],
      at: 'key',
      message: `custom_password_hash.salt is not allowed for algorithm "${algorithm}": its hash value carries its own salt`,
      hint: 'remove salt; hash.value already holds it',
    });
  });

  it('needs salt.value to decode in salt.encoding', () => {
    const salt = { value: 'not hex', encoding: 'hex' };
    expect(
      onlyIssue(cph({ algorithm: 'md5', hash: { value: digest('md5'), encoding: 'hex' }, salt })),
    ).toEqual({
      path: ['custom_password_hash', 'salt', 'value'],
      message: expect.stringContaining('custom_password_hash.salt.value is not valid hex'),
    });
  });

  it('needs hash.key.value to decode in hash.key.encoding', () => {
    const hash = {
      value: digest('sha256'),
      encoding: 'hex',
      digest: 'sha256',
      key: { value: 'k%y', encoding: 'base64' },
    };
    expect(onlyIssue(cph({ algorithm: 'hmac', hash })).path).toEqual([
      'custom_password_hash',
      'hash',
      'key',
      'value',
    ]);
  });
});

describe('custom_password_hash hmac', () => {
  it('needs hash.digest', () => {
    const hash = { value: digest('sha256'), encoding: 'hex', key: { value: 'secret' } };
    expect(onlyIssue(cph({ algorithm: 'hmac', hash }))).toEqual({
      path: ['custom_password_hash', 'hash'],
      message: expect.stringContaining('custom_password_hash.hash.digest is required for algorithm "hmac"'),
    });
  });

  it('needs hash.key', () => {
    const hash = { value: digest('sha256'), encoding: 'hex', digest: 'sha256' };
    expect(onlyIssue(cph({ algorithm: 'hmac', hash }))).toEqual({
      path: ['custom_password_hash', 'hash'],
      message: expect.stringContaining('custom_password_hash.hash.key is required for algorithm "hmac"'),
    });
  });

  it('needs a value as long as its digest', () => {
    const hash = { value: digest('sha1'), encoding: 'hex', digest: 'sha256', key: { value: 'secret' } };
    expect(onlyIssue(cph({ algorithm: 'hmac', hash })).message).toBe(
      'custom_password_hash.hash.value decodes to 20 bytes, but an HMAC-sha256 is 32 bytes',
    );
  });
});

describe('custom_password_hash scrypt', () => {
  const scrypt = (properties: Record<string, unknown>) =>
    cph({
      algorithm: 'scrypt',
      hash: { value: 'ab'.repeat(64), encoding: 'hex' },
      keylen: 64,
      ...properties,
    });

  it('needs keylen, reported on custom_password_hash', () => {
    expect(
      onlyIssue(cph({ algorithm: 'scrypt', hash: { value: 'ab'.repeat(64), encoding: 'hex' } })),
    ).toEqual({
      path: ['custom_password_hash'],
      message: expect.stringContaining('custom_password_hash.keylen is required for algorithm "scrypt"'),
    });
  });

  it('needs a whole keylen', () => {
    expect(onlyIssue(scrypt({ keylen: 63.5 })).message).toBe(
      'custom_password_hash.keylen must be a whole number, got 63.5',
    );
  });

  it.each(['keylen', 'blockSize', 'parallelization'])('needs %s above 0', (property) => {
    expect(onlyIssue(scrypt({ [property]: 0 }))).toEqual({
      path: ['custom_password_hash', property],
      message: `custom_password_hash.${property} must be greater than 0, got 0`,
    });
  });

  it.each(['blockSize', 'parallelization', 'cost'])('needs a whole %s', (property) => {
    expect(onlyIssue(scrypt({ [property]: 8.5 })).message).toContain('must be a whole number');
  });

  it('needs cost to be a power of two', () => {
    expect(onlyIssue(scrypt({ cost: 10_000 }))).toEqual({
      path: ['custom_password_hash', 'cost'],
      message: 'custom_password_hash.cost must be a power of two (e.g. 16384), got 10000',
    });
  });

  it('needs cost above 1', () => {
    expect(onlyIssue(scrypt({ cost: 1 })).message).toBe(
      'custom_password_hash.cost must be at least 2, got 1',
    );
  });

  it('needs a value of keylen bytes', () => {
    expect(onlyIssue(scrypt({ keylen: 32 })).message).toBe(
      'custom_password_hash.hash.value decodes to 64 bytes, but a key of keylen 32 is 32 bytes',
    );
  });

  it.each(['keylen', 'cost', 'blockSize', 'parallelization'])(
    'does not allow %s on another algorithm',
    (property) => {
      const issue = onlyIssue(
        cph({ algorithm: 'sha256', hash: { value: digest('sha256'), encoding: 'hex' }, [property]: 16 }),
      );
      expect(issue).toEqual({
        path: ['custom_password_hash', property],
        at: 'key',
        message: `custom_password_hash.${property} is only for algorithm "scrypt", not algorithm "sha256"`,
        hint: 'remove it',
      });
    },
  );
});

describe('custom_password_hash values', () => {
  it('needs an argon2 PHC string', () => {
    expect(onlyIssue(cph({ algorithm: 'argon2', hash: { value: '$argon2id$m=65536$abc' } }))).toEqual({
      path: ['custom_password_hash', 'hash', 'value'],
      message: expect.stringContaining('must be an argon2 PHC string'),
    });
  });

  it('needs a bcrypt value to start $2a$, $2b$ or $2y$', () => {
    expect(
      onlyIssue(cph({ algorithm: 'bcrypt', hash: { value: BCRYPT.replace('$2b$', '$2x$') } })).message,
    ).toContain(
      'must be a bcrypt hash starting "$2a$", "$2b$" or "$2y$", got a 60-character string starting "$2x$10$"',
    );
  });

  it('needs a pbkdf2 PHC string', () => {
    expect(
      onlyIssue(cph({ algorithm: 'pbkdf2', hash: { value: '$pbkdf2$i=1$salt$hash' } })).message,
    ).toContain('must be a PHC string like "$pbkdf2-sha256$i=100000,l=32$<salt>$<hash>"');
  });

  it('needs an RFC 2307 ldap value', () => {
    expect(onlyIssue(cph({ algorithm: 'ldap', hash: { value: digest('sha1') } })).message).toContain(
      'must be an RFC 2307 hash',
    );
  });

  it('explains that {CRYPT} ldap values cannot be imported', () => {
    expect(
      onlyIssue(cph({ algorithm: 'ldap', hash: { value: '{CRYPT}$1$abcdefgh$Ihwqf0SKV2b4O3xFyDwM./' } })),
    ).toEqual({
      path: ['custom_password_hash', 'hash', 'value'],
      message: 'custom_password_hash.hash.value uses {CRYPT}, which Auth0 cannot import',
      hint: 'crypt(3) hashes cannot be imported as they are; these users will have to reset their password',
    });
  });

  it('points a {CRYPT} bcrypt value to algorithm bcrypt', () => {
    expect(onlyIssue(cph({ algorithm: 'ldap', hash: { value: `{CRYPT}${BCRYPT}` } })).hint).toContain(
      'use algorithm "bcrypt"',
    );
  });

  it('rejects an unsupported ldap scheme', () => {
    expect(onlyIssue(cph({ algorithm: 'ldap', hash: { value: '{PBKDF2}abcd' } })).message).toContain(
      'uses {PBKDF2}, which is not supported',
    );
  });

  it('needs base64 after the ldap scheme', () => {
    expect(onlyIssue(cph({ algorithm: 'ldap', hash: { value: '{SSHA}not base64!' } })).message).toBe(
      'custom_password_hash.hash.value must be base64 after {SSHA}',
    );
  });

  it('needs a hex value to be hex', () => {
    expect(
      onlyIssue(cph({ algorithm: 'md5', hash: { value: `${digest('md5').slice(1)}g`, encoding: 'hex' } })),
    ).toEqual({
      path: ['custom_password_hash', 'hash', 'value'],
      message:
        'custom_password_hash.hash.value is not valid hex: expected an even number of the characters 0-9 and a-f',
    });
  });

  it('needs an even number of hex characters', () => {
    expect(
      onlyIssue(cph({ algorithm: 'md5', hash: { value: digest('md5').slice(1), encoding: 'hex' } })).path,
    ).toEqual(['custom_password_hash', 'hash', 'value']);
  });

  it('suggests base64 when a base64 digest is declared hex', () => {
    expect(
      onlyIssue(cph({ algorithm: 'sha1', hash: { value: digest('sha1', 'base64'), encoding: 'hex' } })).hint,
    ).toBe('it is valid base64 of the right length: set custom_password_hash.hash.encoding to "base64"');
  });

  it('needs a base64 value to be base64', () => {
    const issue = onlyIssue(
      cph({ algorithm: 'sha1', hash: { value: `${digest('sha1')}!`, encoding: 'base64' } }),
    );
    expect(issue.message).toContain('custom_password_hash.hash.value is not valid base64');
  });

  it('needs a value as long as the digest, naming the digest that length fits', () => {
    expect(onlyIssue(cph({ algorithm: 'sha256', hash: { value: digest('sha1'), encoding: 'hex' } }))).toEqual(
      {
        path: ['custom_password_hash', 'hash', 'value'],
        message: 'custom_password_hash.hash.value decodes to 20 bytes, but a sha256 digest is 32 bytes',
        hint: '20 bytes is the size of a ripemd160 or sha1 digest: check the algorithm',
      },
    );
  });

  it('suggests hex when a hex digest is declared base64', () => {
    expect(
      onlyIssue(cph({ algorithm: 'sha256', hash: { value: digest('sha256'), encoding: 'base64' } })).hint,
    ).toBe('it is valid hex of the right length: set custom_password_hash.hash.encoding to "hex"');
  });

  it('never quotes a hash value', () => {
    const value = `${digest('sha512')}zz`;
    const issues = checkUser(cph({ algorithm: 'sha512', hash: { value, encoding: 'hex' } }));
    expect(JSON.stringify(issues)).not.toContain(value.slice(0, 20));
  });
});

describe('app_metadata and user_metadata', () => {
  it.each(['app_metadata', 'user_metadata'])('%s must be a JSON object', (property) => {
    expect(onlyIssue(user({ [property]: ['admin'] }))).toEqual({
      path: [property],
      message: `${property} must be a JSON object, got an array`,
    });
  });

  it.each([
    '__tenant',
    '_id',
    'blocked',
    'clientID',
    'created_at',
    'email_verified',
    'email',
    'globalClientID',
    'global_client_id',
    'identities',
    'lastIP',
    'lastLogin',
    'loginsCount',
    'metadata',
    'multifactor_last_modified',
    'multifactor',
    'updated_at',
    'user_id',
  ])('app_metadata may not hold the reserved key %s', (key) => {
    expect(onlyIssue(user({ app_metadata: { [key]: 1 } }))).toEqual({
      path: ['app_metadata', key],
      at: 'key',
      message: expect.stringContaining(`app_metadata may not hold "${key}"`),
      hint: expect.stringContaining('rename the key'),
    });
  });

  it('user_metadata may hold a key app_metadata reserves', () => {
    expect(checkUser(user({ user_metadata: { email: 'other@example.com' } }))).toEqual([]);
  });

  it.each(['app_metadata', 'user_metadata'])('%s key names may not contain a dot', (property) => {
    expect(onlyIssue(user({ [property]: { 'ui.theme': 'dark' } }))).toEqual({
      path: [property, 'ui.theme'],
      at: 'key',
      message: `${property}["ui.theme"] is not a valid metadata key: Auth0 refuses "." and "$" in metadata key names`,
      hint: 'rename it, e.g. to "ui_theme"',
    });
  });

  it('checks key names at every depth, inside arrays too', () => {
    expect(onlyIssue(user({ user_metadata: { orders: [{ $total: 3 }] } }))).toMatchObject({
      path: ['user_metadata', 'orders', 0, '$total'],
      at: 'key',
    });
  });

  it('allows dots and dollars in metadata values', () => {
    expect(checkUser(user({ user_metadata: { price: '$4.99' } }))).toEqual([]);
  });
});

describe('profile size', () => {
  it('may be 10,240 bytes as JSON', () => {
    const base = JSON.stringify(user({ user_metadata: { note: '' } })).length;
    expect(checkUser(user({ user_metadata: { note: 'x'.repeat(10_240 - base) } }))).toEqual([]);
  });

  it('may not be over 10,240 bytes as JSON', () => {
    const base = JSON.stringify(user({ user_metadata: { note: '' } })).length;
    expect(onlyIssue(user({ user_metadata: { note: 'x'.repeat(10_241 - base) } }))).toEqual({
      path: [],
      message:
        'the user is 10,241 bytes as JSON; Auth0 may reject a profile over about 10 KB (10,240 bytes) with PROFILE_SIZE_EXCEEDED',
      hint: expect.stringContaining('keep large data out of app_metadata and user_metadata'),
    });
  });

  it('counts bytes, not characters', () => {
    expect(onlyIssue(user({ user_metadata: { note: 'é'.repeat(5_200) } })).message).toContain('10,4');
  });
});

describe('mfa_factors', () => {
  it('needs at least one factor', () => {
    expect(onlyIssue(user({ mfa_factors: [] }))).toEqual({
      path: ['mfa_factors'],
      message: 'mfa_factors must have at least 1 item, got 0',
    });
  });

  it('may have ten factors', () => {
    expect(checkUser(user({ mfa_factors: Array(10).fill({ totp: { secret: TOTP_SECRET } }) }))).toEqual([]);
  });

  it('may not have more than ten factors', () => {
    expect(onlyIssue(user({ mfa_factors: Array(11).fill({ totp: { secret: TOTP_SECRET } }) }))).toEqual({
      path: ['mfa_factors'],
      message: 'mfa_factors must have at most 10 items, got 11',
    });
  });

  it('needs a factor to be one of totp, phone or email', () => {
    expect(onlyIssue(user({ mfa_factors: [{}] }))).toEqual({
      path: ['mfa_factors', 0],
      message: 'mfa_factors[0] must hold exactly one of totp, phone or email, got none',
    });
  });

  it('needs a factor to be only one of totp, phone or email', () => {
    const factor = { totp: { secret: TOTP_SECRET }, phone: { value: '+14155550123' } };
    expect(onlyIssue(user({ mfa_factors: [factor] }))).toEqual({
      path: ['mfa_factors', 0],
      message: 'mfa_factors[0] must hold exactly one of totp, phone or email, got totp and phone',
      hint: 'give each factor its own item in mfa_factors',
    });
  });

  it('reports an unknown kind of factor at its key', () => {
    const issues = checkUser(user({ mfa_factors: [{ sms: { value: '+14155550123' } }] }));
    expect(issues[0]).toMatchObject({ path: ['mfa_factors', 0, 'sms'], at: 'key' });
  });

  it('needs a base32 TOTP secret, without quoting it', () => {
    expect(onlyIssue(user({ mfa_factors: [{ totp: { secret: 'jbswy3dpehpk3pxp' } }] }))).toEqual({
      path: ['mfa_factors', 0, 'totp', 'secret'],
      message:
        'mfa_factors[0].totp.secret must be a base32 TOTP secret (A-Z and 2-7, no "=" or spaces), got a 16-character string',
    });
  });

  it('needs an E.164 phone value', () => {
    expect(onlyIssue(user({ mfa_factors: [{ phone: { value: '4155550123' } }] })).path).toEqual([
      'mfa_factors',
      0,
      'phone',
      'value',
    ]);
  });

  it('describes an email value Auth0 refuses by its shape, saying why', () => {
    expect(onlyIssue(user({ mfa_factors: [{ email: { value: 'casey@example.c' } }] }))).toEqual({
      path: ['mfa_factors', 0, 'email', 'value'],
      message:
        'mfa_factors[0].email.value must be an email address like "name@example.com", got a 15-character string',
      hint: 'the top-level domain (after the last ".") must be 2 or more letters, or an "xn--" name',
    });
  });

  it('needs an email value that looks like an email address', () => {
    expect(onlyIssue(user({ mfa_factors: [{ email: { value: 'ada' } }] })).message).toContain(
      'mfa_factors[0].email.value must be an email address',
    );
  });
});
