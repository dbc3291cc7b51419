import { describe, expect, it } from 'vitest';
import { countActions, planUsers, usersToSend, type Baseline } from '../../src/plan/plan.js';
import { parseExact } from '../../src/users/exact-json.js';
import { validateRun, type RunUser } from '../../src/users/validate.js';

function current(users: unknown[]): RunUser[] {
  return [...validateRun([{ file: 'users.json', text: JSON.stringify(users) }]).users];
}

function baseline(users: unknown[], kind: Baseline['kind'] = 'git'): Baseline {
  return {
    kind,
    description: 'the base',
    users: users.map((user) => {
      const record = parseExact(JSON.stringify(user)) as Record<string, unknown>;
      return { email: String(record.email), record: () => record, place: 'users.json at abc1234' };
    }),
    unknowable:
      kind === 'tenant' ? new Set(['password_hash', 'custom_password_hash', 'mfa_factors']) : new Set(),
    fileGivesOnly: kind === 'tenant',
  };
}

function actions(plan: ReturnType<typeof planUsers>): string[] {
  return [...plan.users].map((planned) => `${planned.action} ${planned.email}`);
}

describe('planUsers', () => {
  it('plans every valid user as new without a baseline', () => {
    const plan = planUsers(current([{ email: 'a@x.io' }]), [], undefined);
    expect(actions(plan)).toEqual(['add a@x.io']);
    expect(plan.baseline).toBeUndefined();
  });

  it('matches users by email in any case, ignoring key order', () => {
    const plan = planUsers(
      current([{ name: 'A', email: 'A@x.io' }]),
      [],
      baseline([{ email: 'a@x.io', name: 'A' }]),
    );
    expect(actions(plan)).toEqual(['unchanged A@x.io']);
  });

  it('names each attribute that changes, quoting only what may be quoted', () => {
    const [planned] = planUsers(
      current([{ email: 'a@x.io', name: 'New', phone_number: '+14155550100', user_metadata: { k: 2 } }]),
      [],
      baseline([{ email: 'a@x.io', name: 'Old', phone_number: '+14155550199', user_metadata: { k: 1 } }]),
    ).users;
    expect(planned?.action).toBe('update');
    expect(
      planned?.changes.map((change) => [change.attribute, change.before, change.after, change.effect]),
    ).toEqual([
      ['name', '"Old"', '"New"', 'applies'],
      ['phone_number', 'a 12-character string', 'a 12-character string', 'never'],
      ['user_metadata', 'an object', 'an object', 'applies'],
    ]);
  });

  it('tells numbers beyond 2^53 apart', () => {
    const text = '[{"email":"a@x.io","app_metadata":{"n":12345678901234567891}}]';
    const users = validateRun([{ file: 'users.json', text }]).users;
    const before = parseExact('{"email":"a@x.io","app_metadata":{"n":12345678901234567890}}') as Record<
      string,
      unknown
    >;
    const plan = planUsers(users, [], {
      ...baseline([]),
      users: [{ email: 'a@x.io', record: () => before, place: 'x' }],
    });
    expect(actions(plan)).toEqual(['update a@x.io']);
  });

  it('calls a user gone from the files with its user_id on a new email a rename', () => {
    const plan = planUsers(
      current([{ email: 'new@x.io', user_id: 'u1' }]),
      [],
      baseline([{ email: 'old@x.io', user_id: 'u1' }]),
    );
    expect(actions(plan)).toEqual(['rename new@x.io']);
    expect([...plan.users][0]?.before?.email).toBe('old@x.io');
    expect(countActions(plan)).toMatchObject({ rename: 1, remove: 0, add: 0, unapplied: 1 });
  });

  it('reports a user with problems as invalid, not removed', () => {
    const plan = planUsers(
      [],
      [{ email: 'a@x.io', file: 'users.json', line: 2 }],
      baseline([{ email: 'a@x.io' }]),
    );
    expect(actions(plan)).toEqual(['invalid a@x.io']);
    expect([...plan.users][0]?.at).toEqual({ file: 'users.json', line: 2 });
  });

  it("counts a valid user's duplicate once: the person is added, the duplicate is a problem", () => {
    const plan = planUsers(
      current([{ email: 'a@x.io' }]),
      [{ email: 'A@x.io', file: 'users.json', line: 3 }],
      baseline([{ email: 'b@x.io' }]),
    );
    expect(actions(plan)).toEqual(['add a@x.io', 'remove b@x.io']);
  });

  it('sends new and changed users with only-changed, never a rename, and every other user without it', () => {
    const run = validateRun([
      {
        file: 'users.json',
        text: JSON.stringify([
          { email: 'same@x.io' },
          { email: 'changed@x.io', name: 'B' },
          { email: 'new@x.io' },
          { email: 'renamed@x.io', user_id: 'u' },
        ]),
      },
    ]);
    const plan = planUsers(
      run.users,
      [],
      baseline([
        { email: 'same@x.io' },
        { email: 'changed@x.io', name: 'A' },
        { email: 'old@x.io', user_id: 'u' },
      ]),
    );
    expect(usersToSend(plan, true, run.users).map((user) => user.email)).toEqual([
      'changed@x.io',
      'new@x.io',
    ]);
    expect(usersToSend(plan, false, run.users).map((user) => user.email)).toEqual([
      'same@x.io',
      'changed@x.io',
      'new@x.io',
    ]);
  });

  describe('against the tenant', () => {
    it('compares only what the file gives: what Auth0 filled in or the dashboard set elsewhere is not a change', () => {
      const plan = planUsers(
        current([{ email: 'a@x.io', user_metadata: { k: 1 } }]),
        [],
        baseline(
          [
            {
              email: 'a@x.io',
              user_metadata: { k: 1 },
              name: 'a@x.io',
              picture: 'https://x/y.png',
              blocked: true,
            },
          ],
          'tenant',
        ),
      );
      expect(actions(plan)).toEqual(['unchanged a@x.io']);
    });

    it('cannot tell a password hash apart, and does not count it as a change', () => {
      const hash = `$2b$10$${'A'.repeat(53)}`;
      const plan = planUsers(
        current([{ email: 'a@x.io', password_hash: hash }]),
        [],
        baseline([{ email: 'a@x.io' }], 'tenant'),
      );
      expect(actions(plan)).toEqual(['unchanged a@x.io']);
      expect([...plan.users][0]?.cannotTell).toEqual(['password_hash']);
    });
  });
});
