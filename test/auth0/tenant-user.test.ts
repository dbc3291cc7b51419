import { describe, expect, it } from 'vitest';
import {
  EXPORTED_ATTRIBUTES,
  ExportLineError,
  fileShapeOf,
  tenantUserOf,
} from '../../src/auth0/tenant-user.js';

describe('EXPORTED_ATTRIBUTES', () => {
  it("are the users file's root attributes but password hashes and MFA factors, within Auth0's 30 fields", () => {
    expect([...EXPORTED_ATTRIBUTES].sort()).toEqual(
      [
        'email',
        'email_verified',
        'user_id',
        'username',
        'given_name',
        'family_name',
        'name',
        'nickname',
        'picture',
        'blocked',
        'phone_number',
        'phone_verified',
        'app_metadata',
        'user_metadata',
      ].sort(),
    );
  });
});

describe('fileShapeOf', () => {
  it('takes auth0| off the user_id and drops what a users file cannot hold', () => {
    const exported = {
      user_id: 'auth0|ada',
      email: 'ada@example.com',
      identities: [{ connection: 'db', user_id: 'ada', provider: 'auth0', isSocial: false }],
      created_at: '2025-01-01T00:00:00.000Z',
      logins_count: 3,
    };

    expect(fileShapeOf(exported)).toEqual({ user_id: 'ada', email: 'ada@example.com' });
  });

  it('leaves a user_id without the prefix as it is', () => {
    expect(fileShapeOf({ user_id: 'legacy|7', email: 'a@example.com' }).user_id).toBe('legacy|7');
  });
});

describe('tenantUserOf', () => {
  it('keys a user by its lower-cased email', () => {
    const user = tenantUserOf('{"email":"Ada@Example.com","user_id":"auth0|ada"}', 1);

    expect(user).toEqual({
      key: 'ada@example.com',
      user: { email: 'Ada@Example.com', user_id: 'ada' },
      text: '{"email":"Ada@Example.com","user_id":"ada"}',
    });
  });

  it('keeps a user without an email under no key', () => {
    expect(tenantUserOf('{"user_id":"auth0|x","username":"x"}', 1).key).toBeUndefined();
  });

  it('names the line that is not JSON without quoting it', () => {
    expect(() => tenantUserOf('{"email":"secret@example.com"', 7)).toThrow(
      new ExportLineError('line 7 of the export is not JSON'),
    );
  });
});
