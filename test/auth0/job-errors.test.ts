import { describe, expect, it } from 'vitest';
import { fileProperty, readableMessage, reduceJobErrors } from '../../src/auth0/job-errors.js';
import { buildChunks } from '../../src/users/chunks.js';
import { validateRun } from '../../src/users/validate.js';

function chunkOf(users: unknown[]) {
  const { users: valid } = validateRun([{ file: 'users.json', text: JSON.stringify(users, null, 2) }]);
  return buildChunks(valid, [{ first: 0, count: valid.length, bytes: 0 }], 'test')[0]!;
}

describe("Auth0's per-user errors, whatever their shape", () => {
  it("maps internal paths back to the file's property names", () => {
    expect(fileProperty('identities[0].profileData.email')).toBe('email');
    expect(fileProperty('passwordHash')).toBe('password_hash');
    expect(fileProperty('appMetadata.plan')).toBe('app_metadata.plan');
    expect(fileProperty('custom_password_hash.hash.value')).toBe('custom_password_hash.hash.value');
  });

  it('strips the "Error in … property - " prefix and names the property instead', () => {
    expect(
      readableMessage(
        "Error in identities[0].profileData.email property - Object didn't pass validation for format email: x",
        'identities[0].profileData.email',
      ),
    ).toBe("email: Object didn't pass validation for format email: x");
    expect(
      readableMessage('Error in passwordHash property - String does not match pattern ^x$', undefined),
    ).toBe('password_hash: String does not match pattern ^x$');
    expect(readableMessage('Unable to import factors', undefined)).toBe('Unable to import factors');
  });

  it('traces each echo to its line by email, then user_id, and keeps any code', () => {
    const chunk = chunkOf([{ email: 'ada@example.com' }, { email: 'alan@example.com', user_id: 'alan-1' }]);
    const failed = reduceJobErrors(
      [
        { user: { email: 'ADA@example.com' }, errors: [{ code: 'SOMETHING_NEW', message: 'New words' }] },
        { user: { user_id: 'alan-1', email: 'changed@example.com' }, errors: [{ code: 'DUPLICATED_USER' }] },
        { user: { email: 'nobody@example.com' }, errors: 'not a list' },
        'not even an object',
      ],
      chunk,
      'job_1',
    );
    expect(failed.map((user) => [user.line, user.email, user.codes])).toEqual([
      [2, 'ada@example.com', ['SOMETHING_NEW']],
      [5, 'alan@example.com', ['DUPLICATED_USER']],
      [undefined, 'nobody@example.com', []],
      [undefined, undefined, []],
    ]);
  });

  it('removes every value of the user that may not be quoted from its messages', () => {
    const hash = `$2b$10$${'A'.repeat(53)}`;
    const chunk = chunkOf([{ email: 'ada@example.com', password_hash: hash, phone_number: '+14155550111' }]);
    const [failed] = reduceJobErrors(
      [
        {
          user: { email: 'ada@example.com', password_hash: hash },
          errors: [{ code: 'PATTERN', message: `bad ${hash} and +14155550111 for ada@example.com` }],
        },
      ],
      chunk,
      'job_1',
    );
    expect(failed?.messages).toEqual(['bad [redacted] and [redacted] for ada@example.com']);
  });
});
