/** Roles and organizations as the facts doc describes them: routes, checkpoint pagination, limits, scopes. */
import { describe, expect, it } from 'vitest';
import { getToken, send, useEmulators } from './contract-client.js';
import { manualClock, type Emulator } from './index.js';
import { ACCESS_SCOPES } from '../support/access-scopes.js';

const start = useEmulators();
const DATABASE = 'Username-Password-Authentication';

async function tenant(scopes = ACCESS_SCOPES, people = 3) {
  const clock = manualClock(Date.UTC(2026, 0, 1));
  const emulator = await start({ clock, clients: [{ scopes }] });
  emulator.state.seedUsers(
    DATABASE,
    Array.from({ length: people }, (_, i) => ({
      email: `u${i}@example.com`,
      user_id: `u${String(i).padStart(4, '0')}`,
    })),
  );
  return { clock, emulator, token: await getToken(emulator) };
}

function json(emulator: Emulator, token: string, method: string, path: string, body?: unknown) {
  return send(emulator, path, {
    method,
    token,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

describe('GET /api/v2/roles?name_filter=', () => {
  it('filters by a part of the name, whatever its case, so a client must match the name itself', async () => {
    const { emulator, token } = await tenant();
    emulator.state.seedRole('admin');
    emulator.state.seedRole('Admins');
    emulator.state.seedRole('viewer');
    const answer = await json(emulator, token, 'GET', '/api/v2/roles?name_filter=ADMIN');
    expect(answer.status).toBe(200);
    expect((answer.body as { name: string }[]).map((role) => role.name).sort()).toEqual(['Admins', 'admin']);
  });

  it('needs read:roles', async () => {
    const { emulator, token } = await tenant(['read:users']);
    const answer = await json(emulator, token, 'GET', '/api/v2/roles');
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ errorCode: 'insufficient_scope' });
  });
});

describe('role members', () => {
  it('reads holders by checkpoint: from omitted first, next followed until absent, take at most 100', async () => {
    const { emulator, token } = await tenant(ACCESS_SCOPES, 250);
    const role = emulator.state.seedRole('viewer');
    const ids = Array.from({ length: 250 }, (_, i) => `auth0|u${String(i).padStart(4, '0')}`);
    emulator.state.grantRole('viewer', ids);
    const seen: string[] = [];
    let from: string | undefined;
    let pages = 0;
    do {
      const answer = await json(
        emulator,
        token,
        'GET',
        `/api/v2/roles/${role}/users?take=100${from ? `&from=${from}` : ''}`,
      );
      expect(answer.status).toBe(200);
      const body = answer.body as { users: { user_id: string; email: string }[]; next?: string };
      seen.push(...body.users.map((user) => user.user_id));
      from = body.next;
      pages++;
    } while (from);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    expect((await json(emulator, token, 'GET', `/api/v2/roles/${role}/users?take=101`)).status).toBe(400);
  });

  it('refuses offset paging past 1,000 records with invalid_paging', async () => {
    const { emulator, token } = await tenant();
    const role = emulator.state.seedRole('viewer');
    const answer = await json(emulator, token, 'GET', `/api/v2/roles/${role}/users?page=10&per_page=100`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ errorCode: 'invalid_paging' });
  });

  it('adds many users in one request and removes them one user at a time', async () => {
    const { emulator, token } = await tenant();
    const role = emulator.state.seedRole('viewer');
    const added = await json(emulator, token, 'POST', `/api/v2/roles/${role}/users`, {
      users: ['auth0|u0000', 'auth0|u0001'],
    });
    expect(added.status).toBe(200);
    expect(emulator.state.roleHolders('viewer')).toEqual(['auth0|u0000', 'auth0|u0001']);
    const removed = await json(emulator, token, 'DELETE', '/api/v2/users/auth0%7Cu0000/roles', {
      roles: [role],
    });
    expect(removed.status).toBe(204);
    expect(emulator.state.roleHolders('viewer')).toEqual(['auth0|u0001']);
  });

  it('answers 400 to a role name where an id belongs and 404 to an unknown user', async () => {
    const { emulator, token } = await tenant();
    const role = emulator.state.seedRole('viewer');
    const byName = await json(emulator, token, 'POST', '/api/v2/users/auth0%7Cu0000/roles', {
      roles: ['viewer'],
    });
    expect(byName).toMatchObject({ status: 400, body: { message: 'Invalid request payload input' } });
    const nobody = await json(emulator, token, 'POST', `/api/v2/roles/${role}/users`, {
      users: ['auth0|nobody'],
    });
    expect(nobody).toMatchObject({ status: 404, body: { message: 'The user does not exist.' } });
  });

  it('holds a user to 50 roles', async () => {
    const { emulator, token } = await tenant();
    const roles = Array.from({ length: 51 }, (_, i) => emulator.state.seedRole(`r${i}`));
    const fifty = await json(emulator, token, 'POST', '/api/v2/users/auth0%7Cu0000/roles', {
      roles: roles.slice(0, 50),
    });
    expect(fifty.status).toBe(204);
    const more = await json(emulator, token, 'POST', `/api/v2/roles/${roles[50]}/users`, {
      users: ['auth0|u0000'],
    });
    expect(more.status).toBe(400);
  });
});

describe('organizations', () => {
  it('finds an organization by its exact name, or 404', async () => {
    const { emulator, token } = await tenant();
    const id = emulator.state.seedOrganization('acme');
    expect(await json(emulator, token, 'GET', '/api/v2/organizations/name/acme')).toMatchObject({
      status: 200,
      body: { id, name: 'acme' },
    });
    expect(await json(emulator, token, 'GET', '/api/v2/organizations/name/nope')).toMatchObject({
      status: 404,
      body: { message: 'The organization does not exist.' },
    });
  });

  it('lists every organization by checkpoint', async () => {
    const { emulator, token } = await tenant();
    for (const name of ['a', 'b', 'c']) emulator.state.seedOrganization(name);
    const first = await json(emulator, token, 'GET', '/api/v2/organizations?take=2');
    const { organizations, next } = first.body as { organizations: { name: string }[]; next: string };
    const rest = await json(emulator, token, 'GET', `/api/v2/organizations?take=2&from=${next}`);
    const names = [...organizations, ...(rest.body as { organizations: { name: string }[] }).organizations];
    expect(names.map((organization) => organization.name).sort()).toEqual(['a', 'b', 'c']);
    expect(rest.body).not.toHaveProperty('next');
  });

  it('adds and removes at most 10 members a request', async () => {
    const { emulator, token } = await tenant(ACCESS_SCOPES, 11);
    const org = emulator.state.seedOrganization('acme');
    const eleven = Array.from({ length: 11 }, (_, i) => `auth0|u${String(i).padStart(4, '0')}`);
    const tooMany = await json(emulator, token, 'POST', `/api/v2/organizations/${org}/members`, {
      members: eleven,
    });
    expect(tooMany.status).toBe(400);
    const ten = await json(emulator, token, 'POST', `/api/v2/organizations/${org}/members`, {
      members: eleven.slice(0, 10),
    });
    expect(ten.status).toBe(204);
    const gone = await json(emulator, token, 'DELETE', `/api/v2/organizations/${org}/members`, {
      members: eleven.slice(0, 9),
    });
    expect(gone.status).toBe(204);
    expect(emulator.state.organizationMembers('acme').map((member) => member.user_id)).toEqual([
      'auth0|u0009',
    ]);
  });

  it('lists members with their roles only when asked, including those who joined through the login', async () => {
    const { emulator, token } = await tenant();
    const org = emulator.state.seedOrganization('acme');
    emulator.state.seedRole('billing');
    emulator.state.addMember('acme', 'auth0|u0000', { roles: ['billing'] });
    emulator.state.addMember('acme', 'auth0|u0001', { via: 'login' });
    const plain = await json(emulator, token, 'GET', `/api/v2/organizations/${org}/members?take=100`);
    expect(plain.body).toMatchObject({
      members: [
        { user_id: 'auth0|u0000', email: 'u0@example.com' },
        { user_id: 'auth0|u0001', email: 'u1@example.com' },
      ],
    });
    expect((plain.body as { members: object[] }).members[0]).not.toHaveProperty('roles');
    const withRoles = await json(
      emulator,
      token,
      'GET',
      `/api/v2/organizations/${org}/members?take=100&fields=user_id,roles`,
    );
    expect(withRoles.body).toEqual({
      members: [
        { user_id: 'auth0|u0000', roles: [{ id: expect.stringMatching(/^rol_/), name: 'billing' }] },
        { user_id: 'auth0|u0001', roles: [] },
      ],
    });
  });

  it('answers 409 past 50 roles for one organization member', async () => {
    const { emulator, token } = await tenant();
    const org = emulator.state.seedOrganization('acme');
    const roles = Array.from({ length: 51 }, (_, i) => emulator.state.seedRole(`r${i}`));
    emulator.state.addMember('acme', 'auth0|u0000');
    const path = `/api/v2/organizations/${org}/members/auth0%7Cu0000/roles`;
    expect((await json(emulator, token, 'POST', path, { roles: roles.slice(0, 50) })).status).toBe(204);
    expect(await json(emulator, token, 'POST', path, { roles: roles.slice(50) })).toMatchObject({
      status: 409,
      body: { message: 'No more roles can be assigned to this organization member.' },
    });
    expect((await json(emulator, token, 'DELETE', path, { roles: roles.slice(0, 1) })).status).toBe(204);
    expect(emulator.state.organizationMembers('acme')[0]?.roles).toHaveLength(49);
  });

  it('needs the organization scopes for each route', async () => {
    const { emulator, token } = await tenant(['read:organizations']);
    const org = emulator.state.seedOrganization('acme');
    expect((await json(emulator, token, 'GET', `/api/v2/organizations/${org}/members`)).status).toBe(403);
    const add = await json(emulator, token, 'POST', `/api/v2/organizations/${org}/members`, {
      members: ['auth0|u0000'],
    });
    expect(add).toMatchObject({ status: 403, body: { errorCode: 'insufficient_scope' } });
  });
});
