import { describe, expect, it } from 'vitest';
import {
  comparableText,
  comparableUser,
  EXPORTED_ATTRIBUTES,
  ExportLineError,
  fileShapeOf,
  tenantUserOf,
} from '../../src/auth0/tenant-user.js';

const GRAVATAR =
  'https://s.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fad.png';

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

describe('comparableUser', () => {
  it('leaves out the values Auth0 gives a user whose file leaves them out', () => {
    const tenant = {
      email: 'Ada@Example.com',
      name: 'ada@example.com',
      nickname: 'Ada',
      picture: GRAVATAR,
      email_verified: false,
      blocked: false,
      phone_verified: false,
    };

    expect(comparableUser(tenant)).toEqual({ email: 'ada@example.com' });
  });

  it('keeps values a person chose, and true flags', () => {
    const user = {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      nickname: 'countess',
      picture: 'https://example.com/ada.png',
      email_verified: true,
    };

    expect(comparableUser(user)).toEqual(user);
  });

  it('drops what an export never brings back: password hashes and MFA factors', () => {
    const fileUser = {
      email: 'ada@example.com',
      password_hash: `$2b$10$${'a'.repeat(53)}`,
      mfa_factors: [{ totp: { secret: 'ABC' } }],
    };

    expect(comparableUser(fileUser)).toEqual({ email: 'ada@example.com' });
  });

  it('gives a file user and the tenant user Auth0 made of it the same text', () => {
    const fileUser = { email: 'Ada@Example.com', user_id: 'ada', app_metadata: { plan: 'gold', tier: 1 } };
    const exported = {
      user_id: 'auth0|ada',
      email: 'Ada@Example.com',
      email_verified: false,
      name: 'Ada@Example.com',
      nickname: 'Ada',
      picture: GRAVATAR,
      app_metadata: { tier: 1, plan: 'gold' },
    };

    expect(comparableText(fileShapeOf(exported))).toBe(comparableText(fileUser));
  });
});

describe('tenantUserOf', () => {
  it('keys a user by its lower-cased email', () => {
    const user = tenantUserOf('{"email":"Ada@Example.com","user_id":"auth0|ada"}', 1);

    expect(user).toEqual({
      key: 'ada@example.com',
      user: { email: 'Ada@Example.com', user_id: 'ada' },
      text: '{"email":"ada@example.com","user_id":"ada"}',
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
