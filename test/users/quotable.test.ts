import { describe, expect, it } from 'vitest';
import { describeShape, hashScheme, isQuotable, quote, quoteName } from '../../src/users/quotable.js';

describe('isQuotable', () => {
  it.each(['email', 'user_id', 'username', 'given_name', 'family_name', 'name', 'nickname', 'picture'])(
    'allows the naming field %s',
    (name) => {
      expect(isQuotable([name])).toBe(true);
    },
  );

  it.each([
    ['custom_password_hash', 'algorithm'],
    ['custom_password_hash', 'hash', 'encoding'],
    ['custom_password_hash', 'hash', 'digest'],
    ['custom_password_hash', 'hash', 'key', 'encoding'],
    ['custom_password_hash', 'salt', 'encoding'],
    ['custom_password_hash', 'salt', 'position'],
    ['custom_password_hash', 'password', 'encoding'],
  ])('allows the enum field %s.%s', (...path) => {
    expect(isQuotable(path)).toBe(true);
  });

  it.each(['keylen', 'cost', 'blockSize', 'parallelization'])('allows the scrypt parameter %s', (name) => {
    expect(isQuotable(['custom_password_hash', name])).toBe(true);
  });

  it.each([
    [['password_hash']],
    [['phone_number']],
    [['custom_password_hash', 'hash', 'value']],
    [['custom_password_hash', 'hash', 'key', 'value']],
    [['custom_password_hash', 'salt', 'value']],
    [['custom_password_hash', 'hash']],
    [['mfa_factors', 0, 'totp', 'secret']],
    [['mfa_factors', 0, 'phone', 'value']],
    [['mfa_factors', 0, 'email', 'value']],
    [['app_metadata', 'email']],
    [['user_metadata', 'name']],
    [[]],
  ])('refuses %j', (path) => {
    expect(isQuotable(path)).toBe(false);
  });

  it('refuses a key that only reads like an allowed path', () => {
    expect(isQuotable(['custom_password_hash', 'hash.encoding'])).toBe(false);
  });
});

describe('quote', () => {
  it('quotes an allowed string in JSON quotes', () => {
    expect(quote(['email'], 'ada@example.com')).toBe('"ada@example.com"');
  });

  it('cuts a long allowed string to 60 characters', () => {
    expect(quote(['name'], 'x'.repeat(1000))).toBe(`"${'x'.repeat(59)}…"`);
  });

  it('quotes a scrypt parameter that is a number', () => {
    expect(quote(['custom_password_hash', 'cost'], 10_000)).toBe('10000');
  });

  it('describes an allowed field of the wrong type by its shape', () => {
    expect(quote(['email'], 42)).toBe('a number');
  });

  it('describes a scrypt parameter given as a string by its shape', () => {
    expect(quote(['custom_password_hash', 'keylen'], 'k3yl3n')).toBe('a 6-character string');
  });

  it('quotes a boolean anywhere', () => {
    expect(quote(['custom_password_hash', 'hash'], false)).toBe('false');
  });

  it('describes a value of a field outside the list by its shape', () => {
    expect(quote(['mfa_factors', 0, 'totp', 'secret'], 'JBSWY3DPEHPK3PXP')).toBe('a 16-character string');
  });
});

describe('describeShape', () => {
  it.each([
    ['5f4dcc3b5aa765d61d8327deb882cf99', 'a 32-character string'],
    ['', 'an empty string'],
    [14155550123, 'a number'],
    [true, 'a boolean'],
    [null, 'null'],
    [{ value: 'x' }, 'an object'],
    [['x'], 'an array'],
    [[], 'an empty array'],
    [undefined, 'nothing'],
  ])('describes %j as %s', (value, shape) => {
    expect(describeShape(value)).toBe(shape);
  });

  it('shows the scheme and cost of a bcrypt hash, nothing after', () => {
    const hash = '$2b$12$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
    expect(describeShape(hash)).toBe('a 60-character string starting "$2b$12$"');
  });

  it.each([
    ['$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub', '$argon2id$'],
    ['$pbkdf2-sha256$i=100000,l=32$c2FsdA$kI8cPCaAXKxP4JqG', '$pbkdf2-sha256$'],
    ['{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', '{SSHA}'],
    ['$6$rounds=5000$salt$hash', '$6$'],
  ])('shows only the scheme of %s', (hash, scheme) => {
    expect(hashScheme(hash)).toBe(scheme);
  });

  it('shows no scheme for text that only starts with "$"', () => {
    expect(describeShape('$4.99 a month')).toBe('a 13-character string');
  });

  it('shows no scheme longer than 16 characters, which could be part of a secret', () => {
    expect(describeShape('{ABCDEFGHIJKLMNOPQ}rest')).toBe('a 23-character string');
  });
});

describe('quoteName', () => {
  it('quotes a property name cut to 60 characters', () => {
    expect(quoteName('k'.repeat(100))).toBe(`"${'k'.repeat(59)}…"`);
  });
});
