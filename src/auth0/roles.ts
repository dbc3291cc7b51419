/** Tenant roles: find one by name, read its holders, grant it to many users, revoke roles from one user. */
import { Auth0Error, type ApiClient } from './http.js';
import { readAllPages, sendJson } from './pages.js';

/** A holder as `GET /roles/{id}/users` answers it. */
export interface Holder {
  user_id: string;
  email?: string;
}

/**
 * The id of the role named exactly `name`, or undefined (`read:roles`). `name_filter` is a
 * case-insensitive filter, not a match: the exact name is checked here, on every page.
 */
export async function findRole(api: ApiClient, name: string): Promise<string | undefined> {
  const perPage = 100;
  for (let page = 0; ; page++) {
    const response = await api.send({
      method: 'GET',
      path: `/api/v2/roles?name_filter=${encodeURIComponent(name)}&per_page=${perPage}&page=${page}`,
      repeatable: true,
    });
    if (response.status !== 200) throw new Auth0Error(response.status, response.body, `Finding role ${name}`);
    const roles = Array.isArray(response.body) ? (response.body as { id?: unknown; name?: unknown }[]) : [];
    const found = roles.find((role) => role.name === name && typeof role.id === 'string');
    if (found) return found.id as string;
    if (roles.length < perPage) return undefined;
  }
}

/** Everyone holding the role (`read:roles`, `read:role_members`), by checkpoint. */
export function roleHolders(api: ApiClient, roleId: string, name: string): Promise<Holder[]> {
  return readAllPages<Holder>(
    api,
    `/api/v2/roles/${encodeURIComponent(roleId)}/users`,
    'users',
    `the holders of role ${name}`,
  );
}

/** Auth0 documents no maximum for `POST /roles/{id}/users`; this keeps each body modest. */
export const GRANT_BATCH = 1_000;

/** Grants one role to many users in one request (`create:role_members`). */
export function grantRole(
  api: ApiClient,
  roleId: string,
  name: string,
  userIds: readonly string[],
): Promise<void> {
  return sendJson(
    api,
    'POST',
    `/api/v2/roles/${encodeURIComponent(roleId)}/users`,
    { users: userIds },
    `Granting role ${name}`,
  );
}

/** Revokes roles from one user (`delete:role_members`): the API has no bulk removal from a role. */
export function revokeRoles(api: ApiClient, userId: string, roleIds: readonly string[]): Promise<void> {
  return sendJson(
    api,
    'DELETE',
    `/api/v2/users/${encodeURIComponent(userId)}/roles`,
    { roles: roleIds },
    `Revoking roles of ${userId}`,
  );
}

/** Every role of the tenant (`read:roles`): at most 1,000, so offset paging reaches them all. */
export async function listRoles(api: ApiClient): Promise<{ id: string; name: string }[]> {
  const roles: { id: string; name: string }[] = [];
  const perPage = 100;
  for (let page = 0; page * perPage < 1_000; page++) {
    const response = await api.send({
      method: 'GET',
      path: `/api/v2/roles?per_page=${perPage}&page=${page}`,
      repeatable: true,
    });
    if (response.status !== 200) throw new Auth0Error(response.status, response.body, 'Listing roles');
    const batch = Array.isArray(response.body) ? (response.body as { id: string; name: string }[]) : [];
    roles.push(...batch);
    if (batch.length < perPage) break;
  }
  return roles;
}
