/**
 * Secrets and personal data in the wrong place or the wrong shape: each case was once quoted in a
 * message. The values are distinctive, so finding them anywhere in a message or hint is a leak.
 */
import { describe, expect, it } from 'vitest';
import { checkUser } from '../../src/users/schema.js';
import { validateRun } from '../../src/users/validate.js';

const MD5 = '5f4dcc3b5aa765d61d8327deb882cf99';
const SALT = 'Pepper-9f3Kq';
const HMAC_KEY = 'hmac-key-7Xw2Lr';
const TOTP = 'JBSWY3DPEHPK3PXQ';
const PHONE = '+14155550199';
const PHONE_DIGITS = 14155550199;
const NUMERIC_SECRET = 918273645546372;
const PRIVATE_EMAIL = 'private.person.7731@example.org';

const user = (properties: Record<string, unknown>) => ({ email: 'ada@example.com', ...properties });
const md5 = (properties: Record<string, unknown>) =>
  user({
    custom_password_hash: { algorithm: 'md5', hash: { value: MD5, encoding: 'hex' }, ...properties },
  });
const hmac = (key: unknown) =>
  user({
    custom_password_hash: {
      algorithm: 'hmac',
      hash: { value: MD5, encoding: 'hex', digest: 'md5', key },
    },
  });

const cases: [string, unknown, string][] = [
  [
    'a hash value where the hash object belongs',
    user({ custom_password_hash: { algorithm: 'md5', hash: MD5 } }),
    MD5,
  ],
  ['a hash value where custom_password_hash belongs', user({ custom_password_hash: MD5 }), MD5],
  [
    'a hash value given as a number',
    user({ custom_password_hash: { algorithm: 'md5', hash: { value: NUMERIC_SECRET, encoding: 'hex' } } }),
    String(NUMERIC_SECRET),
  ],
  ['a password_hash given as a number', user({ password_hash: NUMERIC_SECRET }), String(NUMERIC_SECRET)],
  ['a salt where the salt object belongs', md5({ salt: SALT }), SALT],
  ['a salt given as a number', md5({ salt: NUMERIC_SECRET }), String(NUMERIC_SECRET)],
  ['a salt value given as a number', md5({ salt: { value: NUMERIC_SECRET } }), String(NUMERIC_SECRET)],
  ['an HMAC key where the key object belongs', hmac(HMAC_KEY), HMAC_KEY],
  ['an HMAC key value given as a number', hmac({ value: NUMERIC_SECRET }), String(NUMERIC_SECRET)],
  ['a TOTP secret where the totp object belongs', user({ mfa_factors: [{ totp: TOTP }] }), TOTP],
  [
    'a TOTP secret given as a number',
    user({ mfa_factors: [{ totp: { secret: NUMERIC_SECRET } }] }),
    String(NUMERIC_SECRET),
  ],
  ['a phone number where the phone object belongs', user({ mfa_factors: [{ phone: PHONE }] }), PHONE],
  [
    'a phone factor given as a number',
    user({ mfa_factors: [{ phone: { value: PHONE_DIGITS } }] }),
    String(PHONE_DIGITS),
  ],
  ['a phone_number given as a number', user({ phone_number: PHONE_DIGITS }), String(PHONE_DIGITS)],
  [
    'an email where the email factor object belongs',
    user({ mfa_factors: [{ email: PRIVATE_EMAIL }] }),
    PRIVATE_EMAIL,
  ],
  [
    'an email factor that is not a valid address',
    user({ mfa_factors: [{ email: { value: `.${PRIVATE_EMAIL}` } }] }),
    PRIVATE_EMAIL,
  ],
  [
    'an email factor given as a number',
    user({ mfa_factors: [{ email: { value: NUMERIC_SECRET } }] }),
    String(NUMERIC_SECRET),
  ],
  ['mfa_factors given as a string', user({ mfa_factors: TOTP }), TOTP],
  ['app_metadata given as a string', user({ app_metadata: PRIVATE_EMAIL }), PRIVATE_EMAIL],
  ['user_metadata given as a number', user({ user_metadata: NUMERIC_SECRET }), String(NUMERIC_SECRET)],
  [
    'an algorithm given as a number',
    user({ custom_password_hash: { algorithm: NUMERIC_SECRET, hash: { value: MD5 } } }),
    String(NUMERIC_SECRET),
  ],
  [
    'an encoding given as a number',
    md5({ salt: { value: 'c2FsdA==', encoding: NUMERIC_SECRET } }),
    String(NUMERIC_SECRET),
  ],
  ['the user given as a string', PRIVATE_EMAIL, PRIVATE_EMAIL],
];

describe('no message or hint quotes a secret', () => {
  it.each(cases)('%s', (_name, value, secret) => {
    const issues = checkUser(value);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.message).not.toContain(secret);
      expect(issue.hint ?? '').not.toContain(secret);
    }
  });

  it('describes a hash value where the hash object belongs by its shape', () => {
    const [issue] = checkUser(user({ custom_password_hash: { algorithm: 'md5', hash: MD5 } }));
    expect(issue?.message).toBe('custom_password_hash.hash must be a JSON object, got a 32-character string');
  });

  it('names a repeated phone number without quoting it', () => {
    const text = JSON.stringify([
      user({ phone_number: PHONE }),
      user({ email: 'b@example.com', phone_number: PHONE }),
    ]);
    const { problems } = validateRun([{ file: 'users.json', text }]);
    expect(problems.map((problem) => problem.message)).toEqual([
      'Duplicate phone_number: the same user is also at users.json:1',
    ]);
  });

  it('cuts a repeated username to 60 characters', () => {
    const username = 'u'.repeat(100);
    const text = JSON.stringify([user({ username }), user({ email: 'b@example.com', username })]);
    const [problem] = validateRun([{ file: 'users.json', text }]).problems;
    expect(problem?.message).toBe(
      `Duplicate username "${'u'.repeat(59)}…": the same user is also at users.json:1`,
    );
  });
});
