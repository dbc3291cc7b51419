/** Organizations: find one by name, read its members with their roles, add and remove members, change member roles. */
import { Auth0Error, type ApiClient } from './http.js';
import { readAllPages, sendJson } from './pages.js';

/** A member as `GET /organizations/{id}/members?fields=user_id,email,roles` answers it. */
export interface Member {
  user_id: string;
  email?: string;
  roles?: { id: string; name?: string }[];
}

/** Auth0 takes at most 10 members per request to add or remove. */
export const MEMBERS_PER_REQUEST = 10;

/** The organization's id, or undefined when there is none of that name (`read:organizations`). */
export async function findOrganization(api: ApiClient, name: string): Promise<string | undefined> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/organizations/name/${encodeURIComponent(name)}`,
    repeatable: true,
  });
  if (response.status === 404) return undefined;
  const id = (response.body as { id?: unknown } | undefined)?.id;
  if (response.status !== 200 || typeof id !== 'string')
    throw new Auth0Error(response.status, response.body, `Finding organization ${name}`);
  return id;
}

/** Every member with their organization roles (`read:organization_members`, `read:organization_member_roles`). */
export function organizationMembers(api: ApiClient, organizationId: string, name: string): Promise<Member[]> {
  return readAllPages<Member>(
    api,
    `/api/v2/organizations/${encodeURIComponent(organizationId)}/members?fields=user_id,email,roles`,
    'members',
    `the members of organization ${name}`,
  );
}

/** Adds or removes at most 10 members (`create:` / `delete:organization_members`). */
export function changeMembers(
  api: ApiClient,
  organizationId: string,
  name: string,
  change: 'add' | 'remove',
  userIds: readonly string[],
): Promise<void> {
  return sendJson(
    api,
    change === 'add' ? 'POST' : 'DELETE',
    `/api/v2/organizations/${encodeURIComponent(organizationId)}/members`,
    { members: userIds },
    `${change === 'add' ? 'Adding members to' : 'Removing members from'} organization ${name}`,
  );
}

/** Grants or revokes one member's organization roles (`create:` / `delete:organization_member_roles`). */
export function changeMemberRoles(
  api: ApiClient,
  organizationId: string,
  name: string,
  userId: string,
  change: 'add' | 'remove',
  roleIds: readonly string[],
): Promise<void> {
  return sendJson(
    api,
    change === 'add' ? 'POST' : 'DELETE',
    `/api/v2/organizations/${encodeURIComponent(organizationId)}/members/${encodeURIComponent(userId)}/roles`,
    { roles: roleIds },
    `${change === 'add' ? 'Granting' : 'Revoking'} organization ${name} roles of ${userId}`,
  );
}

/** Every organization of the tenant (`read:organizations`), by checkpoint. */
export function listOrganizations(api: ApiClient): Promise<{ id: string; name: string }[]> {
  return readAllPages(api, '/api/v2/organizations', 'organizations', 'the organizations');
}
