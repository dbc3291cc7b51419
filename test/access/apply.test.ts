/**
 * Applying the access plan through the action's client against the emulator: the fewest requests (bulk
 * grants, ten members a request, one revocation request per user), revocations first, and a member's
 * organization roles only once they are a member.
 */
import { describe, expect, it } from 'vitest';
import { applyAccess } from '../../src/access/apply.js';
import { parseAccessFile } from '../../src/access/file.js';
import { planAccess, type UsersFileUser } from '../../src/access/plan.js';
import { readTenantAccess } from '../../src/access/tenant.js';
import { DEFAULT_TIMING, systemClock } from '../../src/auth0/timing.js';
import { useEmulators } from '../emulator/contract-client.js';
import type { Emulator } from '../emulator/index.js';
import { databaseId, emulatorClient } from '../support/client.js';

const start = useEmulators();
const SCOPES = [
  'read:users',
  'read:roles',
  'create:role_members',
  'delete:role_members',
  'read:organizations',
  'read:organization_members',
  'create:organization_members',
  'delete:organization_members',
  'create:organization_member_roles',
  'delete:organization_member_roles',
];

function people(count: number): UsersFileUser[] {
  return Array.from({ length: count }, (_, i) => ({
    ordinal: i,
    email: `p${i}@example.com`,
    userId: `p${i}`,
    file: 'users.json',
    line: i + 2,
    column: 3,
  }));
}

async function apply(
  emulator: Emulator,
  users: UsersFileUser[],
  text: string,
  heldBack = (_: number) => undefined as string | undefined,
) {
  const { access, problems } = parseAccessFile(text, 'access.yml');
  expect(problems).toEqual([]);
  const { api } = emulatorClient(emulator, { clock: systemClock, timing: DEFAULT_TIMING });
  try {
    const plan = planAccess(access!, users, await readTenantAccess(api, access!), {
      maxRevocations: { count: 1_000 },
      isProtected: () => false,
    });
    const before = emulator.state.requests.length;
    const applied = await applyAccess(api, plan, { heldBack, log: () => {} });
    const sent = emulator.state.requests.slice(before).map((request) => request.route);
    return { plan, applied, sent };
  } finally {
    await api.close();
  }
}

describe('applyAccess', () => {
  it('grants a role to everyone in one request and adds organization members ten at a time', async () => {
    const emulator = await start({ clients: [{ scopes: SCOPES }] });
    const users = people(25);
    emulator.state.seedUsers(
      databaseId(emulator),
      users.map((user) => ({ email: user.email!, user_id: user.userId! })),
    );
    emulator.state.seedRole('viewer');
    emulator.state.seedOrganization('acme');
    const everyone = JSON.stringify(users.map((user) => user.email));
    const { sent, applied } = await apply(
      emulator,
      users,
      `{"roles": {"viewer": ${everyone}}, "organizations": {"acme": {"members": ${everyone}}}}`,
    );
    expect(sent).toEqual([
      'assign-role-users',
      'add-organization-members',
      'add-organization-members',
      'add-organization-members',
    ]);
    expect(applied.results.every((result) => result.outcome === 'done')).toBe(true);
    expect(emulator.state.roleHolders('viewer')).toHaveLength(25);
    expect(emulator.state.organizationMembers('acme')).toHaveLength(25);
  });

  it("revokes first, all of one user's roles in one request, then grants", async () => {
    const emulator = await start({ clients: [{ scopes: SCOPES }] });
    const users = people(2);
    emulator.state.seedUsers(
      databaseId(emulator),
      users.map((user) => ({ email: user.email!, user_id: user.userId! })),
    );
    for (const role of ['a', 'b', 'c']) emulator.state.seedRole(role);
    emulator.state.grantRole('a', ['auth0|p0']);
    emulator.state.grantRole('b', ['auth0|p0']);
    const { sent } = await apply(
      emulator,
      users,
      'roles:\n  a: []\n  b: []\n  c: [p0@example.com, p1@example.com]\n',
    );
    expect(sent).toEqual(['remove-user-roles', 'assign-role-users']);
    expect(emulator.state.roleHolders('a')).toEqual([]);
    expect(emulator.state.roleHolders('c')).toEqual(['auth0|p0', 'auth0|p1']);
  });

  it('holds back the changes of a user whose import failed, and gives organization roles only to members', async () => {
    const emulator = await start({ clients: [{ scopes: SCOPES }] });
    const users = people(2);
    emulator.state.seedUsers(
      databaseId(emulator),
      users.map((user) => ({ email: user.email!, user_id: user.userId! })),
    );
    emulator.state.seedRole('billing');
    emulator.state.seedOrganization('acme');
    const { applied } = await apply(
      emulator,
      users,
      'organizations:\n  acme:\n    members:\n      - {user: p0@example.com, roles: [billing]}\n      - {user: p1@example.com, roles: [billing]}\n',
      (ordinal) => (ordinal === 1 ? 'import rejected the user' : undefined),
    );
    expect(
      applied.results.map(
        (result) => `${result.action.kind} ${result.action.person.label} ${result.outcome}`,
      ),
    ).toEqual([
      'join p0@example.com done',
      'join p1@example.com held',
      'grant-member-role p0@example.com done',
      'grant-member-role p1@example.com held',
    ]);
    expect(emulator.state.organizationMembers('acme')).toEqual([
      { user_id: 'auth0|p0', via: 'api', roles: ['billing'] },
    ]);
  });
});
