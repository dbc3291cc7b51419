/** What the access plan manages and only that: the named roles and organizations, for the managed people. */
import { describe, expect, it } from 'vitest';
import { parseAccessFile } from '../../src/access/file.js';
import {
  planAccess,
  protectedMatcher,
  type TenantAccess,
  type UsersFileUser,
} from '../../src/access/plan.js';

const USERS: UsersFileUser[] = [
  { ordinal: 0, email: 'ada@example.com', userId: 'ada', file: 'users.json', line: 2, column: 3 },
  { ordinal: 1, email: 'alan@example.com', userId: undefined, file: 'users.json', line: 3, column: 3 },
];

function plan(text: string, tenant: Partial<TenantAccess>, policy = {}) {
  const { access, problems } = parseAccessFile(text, 'access.yml');
  expect(problems).toEqual([]);
  return planAccess(
    access!,
    USERS,
    { roles: new Map(), organizations: new Map(), memberRoles: new Map(), ...tenant },
    { maxRevocations: { count: 10 }, isProtected: () => false, ...policy },
  );
}

const steps = (result: ReturnType<typeof plan>) =>
  result.actions.map(
    (action) =>
      `${action.kind} ${action.person.label} ${'role' in action ? action.role : action.organization}`,
  );

describe('planAccess', () => {
  it('revokes a managed role from managed people the file leaves out, and never touches anyone else', () => {
    const result = plan('roles:\n  admin: [ada@example.com]\n', {
      roles: new Map([
        [
          'admin',
          {
            id: 'rol_1',
            holders: [
              { user_id: 'auth0|alan-generated', email: 'Alan@example.com' },
              { user_id: 'auth0|outsider', email: 'outsider@example.com' },
              { user_id: 'google-oauth2|1', email: 'ada@example.com' },
            ],
          },
        ],
      ]),
    });
    // Alan has no user_id in the file: he is known by email among database users; the Google account
    // with Ada's email is not Ada.
    expect(steps(result)).toEqual(['revoke-role alan@example.com admin', 'grant-role ada@example.com admin']);
    expect(result.actions[0]?.person.userId).toBe('auth0|alan-generated');
  });

  it("does not take a social account with a users-file user's email for that user", () => {
    const result = plan('roles:\n  viewer: []\n', {
      roles: new Map([
        ['viewer', { id: 'rol_2', holders: [{ user_id: 'google-oauth2|2', email: 'alan@example.com' }] }],
      ]),
    });
    expect(result.actions).toEqual([]);
  });

  it('leaves a role the file does not name alone: a key left out is "not managed"', () => {
    const result = plan('organizations:\n  acme:\n    members: []\n', {
      roles: new Map([['admin', { id: 'rol_1', holders: [{ user_id: 'auth0|ada' }] }]]),
      organizations: new Map([['acme', { id: 'org_1', members: [] }]]),
    });
    expect(result.actions).toEqual([]);
  });

  it("manages a member's organization roles only when the file lists them", () => {
    const tenant = {
      roles: new Map(),
      memberRoles: new Map([['billing', 'rol_b']]),
      organizations: new Map([
        [
          'acme',
          { id: 'org_1', members: [{ user_id: 'auth0|ada', roles: [{ id: 'rol_x', name: 'support' }] }] },
        ],
      ]),
    };
    expect(plan('organizations:\n  acme:\n    members: [ada@example.com]\n', tenant).actions).toEqual([]);
    expect(
      steps(
        plan(
          'organizations:\n  acme:\n    members:\n      - user: ada@example.com\n        roles: [billing]\n',
          tenant,
        ),
      ),
    ).toEqual(['revoke-member-role ada@example.com support', 'grant-member-role ada@example.com billing']);
  });

  it('keeps what protected-users hold, and says so', () => {
    const result = plan(
      'roles:\n  admin: []\n',
      { roles: new Map([['admin', { id: 'rol_1', holders: [{ user_id: 'auth0|ada' }] }]]) },
      { isProtected: protectedMatcher(['*@EXAMPLE.com']) },
    );
    expect(result.actions).toEqual([]);
    expect(result.kept.map((action) => action.kind)).toEqual(['revoke-role']);
  });

  it('refuses more revocations than a share of what the managed people hold now', () => {
    const tenant = {
      roles: new Map([
        ['admin', { id: 'rol_1', holders: [{ user_id: 'auth0|ada' }] }],
        ['viewer', { id: 'rol_2', holders: [{ user_id: 'auth0|ada' }] }],
      ]),
    };
    const text = 'roles:\n  admin: []\n  viewer: [ada@example.com]\n';
    expect(plan(text, tenant, { maxRevocations: { percent: 50 } }).problems).toEqual([]);
    expect(plan(text, tenant, { maxRevocations: { percent: 49 } }).problems[0]?.message).toMatch(
      /would revoke 1 .*0 \(49% of 2\)/,
    );
  });
});
