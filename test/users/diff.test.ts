import { describe, expect, it } from 'vitest';
import { canonicalJson, diffUsers, previousUsers } from '../../src/users/diff.js';
import { validateRun, type RunUser } from '../../src/users/validate.js';

function current(users: unknown[]): RunUser[] {
  return validateRun([{ file: 'users.json', text: JSON.stringify(users) }]).users;
}

function emails(users: readonly RunUser[]): (string | undefined)[] {
  return users.map((user) => user.email);
}

describe('diffUsers', () => {
  it('finds added users', () => {
    const changes = diffUsers([{ email: 'a@x.io' }], current([{ email: 'a@x.io' }, { email: 'b@x.io' }]));
    expect(emails(changes.added)).toEqual(['b@x.io']);
    expect(emails(changes.unchanged)).toEqual(['a@x.io']);
  });

  it('finds a user modified in any field, however deep', () => {
    const changes = diffUsers(
      [{ email: 'a@x.io', app_metadata: { plan: { tier: 'free' } } }],
      current([{ email: 'a@x.io', app_metadata: { plan: { tier: 'pro' } } }]),
    );
    expect(emails(changes.modified)).toEqual(['a@x.io']);
  });

  it('ignores key order', () => {
    const changes = diffUsers(
      [{ name: 'A', email: 'a@x.io', user_metadata: { b: 1, a: 2 } }],
      current([{ email: 'a@x.io', name: 'A', user_metadata: { a: 2, b: 1 } }]),
    );
    expect(emails(changes.unchanged)).toEqual(['a@x.io']);
  });

  it('reports users removed from the file', () => {
    const changes = diffUsers(
      [{ email: 'a@x.io', user_id: 'a1' }, { email: 'b@x.io' }],
      current([{ email: 'b@x.io' }]),
    );
    expect(changes.removed).toEqual([{ email: 'a@x.io', userId: 'a1' }]);
  });

  it('matches emails case-insensitively, as Auth0 does, and still sees the case change', () => {
    const changes = diffUsers([{ email: 'Ada@X.io' }], current([{ email: 'ada@x.io' }]));
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(emails(changes.modified)).toEqual(['ada@x.io']);
  });

  it('pairs an email change by user_id as removed + added', () => {
    const changes = diffUsers(
      [{ email: 'old@x.io', user_id: 'u1' }],
      current([{ email: 'new@x.io', user_id: 'u1' }]),
    );
    expect(changes.removed).toEqual([{ email: 'old@x.io', userId: 'u1' }]);
    expect(changes.emailChanges.map((change) => [change.from, change.to.email])).toEqual([
      ['old@x.io', 'new@x.io'],
    ]);
  });

  it('compares with the first of duplicate emails in the previous version', () => {
    const changes = diffUsers(
      [
        { email: 'a@x.io', name: 'One' },
        { email: 'A@x.io', name: 'Two' },
      ],
      current([{ email: 'a@x.io', name: 'One' }]),
    );
    expect(emails(changes.unchanged)).toEqual(['a@x.io']);
    expect(changes.removed).toEqual([]);
  });
});

describe('previousUsers', () => {
  it('treats a missing or broken previous version as no users', () => {
    expect(previousUsers(undefined)).toEqual([]);
    expect(previousUsers('[{"email": "a@x.io"')).toEqual([]);
    expect(previousUsers('{"email": "a@x.io"}')).toEqual([]);
  });

  it('reads a version with a BOM', () => {
    expect(previousUsers('\uFEFF[{"email":"a@x.io"}]')).toEqual([{ email: 'a@x.io' }]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
