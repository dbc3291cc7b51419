/**
 * Tenant roles and organizations as the facts doc describes them ("Roles and organizations"): who holds
 * which role, who is a member of which organization with which organization roles, and the routes that
 * read and change them, with Auth0's limits and checkpoint pagination.
 */
import type { Clock } from './clock.js';
import { randomAlphanumerics } from './ids.js';
import { invalidBody, isObject, parseJsonBody } from './json-payload.js';
import { apiError, type Reply } from './reply.js';
import type { TenantUsers } from './tenant-users.js';

/** Auth0's limits ("Roles and organizations" in the facts doc). */
export const MAX_ROLES_PER_USER = 50;
export const MAX_MEMBER_ROLES = 50;
export const MAX_MEMBERS_PER_REQUEST = 10;
const MAX_TAKE = 100;
const DEFAULT_PAGE = 50;
/** Offset paging stops at 1,000 records. */
const MAX_OFFSET_RECORDS = 1_000;
/** A checkpoint's `next` is valid for 24 hours. */
const CHECKPOINT_TTL_MS = 24 * 60 * 60 * 1000;

export interface Role {
  id: string;
  name: string;
  description: string;
}

export interface Organization {
  id: string;
  name: string;
  display_name: string;
}

/** How a member came to be one: added through the API, or by logging in through the organization. */
export type Membership = 'api' | 'login';

interface Member {
  via: Membership;
  /** Role ids. */
  roles: Set<string>;
}

/** Someone the tenant knows besides the database users (a social user, say), as seeded by a test. */
export interface OtherUser {
  user_id: string;
  email?: string;
  name?: string;
}

/** The roles, organizations and their members; users are looked up in the tenant's connections. */
export class AccessStore {
  readonly roles = new Map<string, Role>();
  readonly organizations = new Map<string, Organization>();
  /** Role id -> user ids, in the order granted. */
  readonly holders = new Map<string, Set<string>>();
  /** Organization id -> user id -> membership. */
  readonly members = new Map<string, Map<string, Member>>();
  readonly #others = new Map<string, OtherUser>();
  /** The job board: reading its users first ends every job due, so an imported user is known. */
  readonly #tenant: { readonly users: TenantUsers };

  constructor(tenant: { readonly users: TenantUsers }) {
    this.#tenant = tenant;
  }

  addRole(name: string, description = ''): Role {
    const role = { id: `rol_${randomAlphanumerics(16)}`, name, description };
    this.roles.set(role.id, role);
    this.holders.set(role.id, new Set());
    return role;
  }

  addOrganization(name: string): Organization {
    const organization = { id: `org_${randomAlphanumerics(16)}`, name, display_name: name };
    this.organizations.set(organization.id, organization);
    this.members.set(organization.id, new Map());
    return organization;
  }

  addOtherUser(user: OtherUser): void {
    this.#others.set(user.user_id, user);
  }

  /** `{user_id, email, name, picture}` of a user the tenant knows, or undefined. */
  profile(userId: string): { user_id: string; email?: string; name?: string; picture?: string } | undefined {
    const found = this.#tenant.users.find(userId);
    if (found) {
      const { user_id, email, name, picture } = found.user;
      return { user_id, email, name, picture };
    }
    return this.#others.get(userId);
  }

  /** A seeded social user as the Users API answers it, or undefined. */
  otherUser(userId: string): Record<string, unknown> | undefined {
    const other = this.#others.get(userId);
    if (!other) return undefined;
    const [provider = '', ...rest] = userId.split('|');
    return {
      ...other,
      identities: [{ provider, user_id: rest.join('|'), connection: provider, isSocial: true }],
    };
  }

  rolesOf(userId: string): Role[] {
    return [...this.roles.values()].filter((role) => this.holders.get(role.id)?.has(userId));
  }

  roleByName(name: string): Role {
    const role = [...this.roles.values()].find((candidate) => candidate.name === name);
    if (!role) throw new Error(`No role ${name}`);
    return role;
  }

  organizationByName(name: string): Organization {
    const found = [...this.organizations.values()].find((candidate) => candidate.name === name);
    if (!found) throw new Error(`No organization ${name}`);
    return found;
  }
}

/** A page of `items` by checkpoint (`from`/`take`) or by offset (`page`/`per_page`), as Auth0 answers it. */
function paged<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  listName: string,
  query: URLSearchParams,
  now: number,
): Reply {
  const from = query.get('from');
  const take = query.get('take');
  if (from !== null || take !== null) {
    const size = take === null ? DEFAULT_PAGE : Number(take);
    if (!Number.isInteger(size) || size < 1 || size > MAX_TAKE) {
      return apiError(
        400,
        `Query validation error: 'take' must be from 1 to ${MAX_TAKE}`,
        'invalid_query_string',
      );
    }
    let start = 0;
    if (from !== null) {
      const checkpoint = readCheckpoint(from);
      if (!checkpoint || now - checkpoint.issuedAt > CHECKPOINT_TTL_MS) {
        return apiError(400, 'The checkpoint is invalid or expired.', 'invalid_paging');
      }
      // Forward only: the page starts after the last key the checkpoint saw.
      const after = items.findIndex((item) => keyOf(item) > checkpoint.after);
      start = after === -1 ? items.length : after;
    }
    const page = items.slice(start, start + size);
    const last = page.at(-1);
    const more = start + size < items.length && last !== undefined;
    return {
      status: 200,
      json: { [listName]: page, ...(more ? { next: writeCheckpoint(keyOf(last), now) } : {}) },
    };
  }
  const perPage = query.get('per_page') === null ? DEFAULT_PAGE : Number(query.get('per_page'));
  const pageNumber = Number(query.get('page') ?? 0);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_TAKE || !Number.isInteger(pageNumber)) {
    return apiError(400, 'Query validation error: invalid page or per_page', 'invalid_query_string');
  }
  if ((pageNumber + 1) * perPage > MAX_OFFSET_RECORDS) {
    return apiError(
      400,
      `You can only page through the first ${MAX_OFFSET_RECORDS} records. Use checkpoint pagination (from, take) to read further.`,
      'invalid_paging',
    );
  }
  const page = items.slice(pageNumber * perPage, (pageNumber + 1) * perPage);
  if (query.get('include_totals') === 'true') {
    return {
      status: 200,
      json: { start: pageNumber * perPage, limit: perPage, total: items.length, [listName]: page },
    };
  }
  return { status: 200, json: page };
}

function writeCheckpoint(after: string, issuedAt: number): string {
  return Buffer.from(JSON.stringify({ after, issuedAt })).toString('base64url');
}

function readCheckpoint(from: string): { after: string; issuedAt: number } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(from, 'base64url').toString('utf8'));
    if (isObject(value) && typeof value['after'] === 'string' && typeof value['issuedAt'] === 'number')
      return { after: value['after'], issuedAt: value['issuedAt'] };
  } catch {
    // fall through: not one of ours
  }
  return undefined;
}

/** A `{<property>: [string…]}` body, or the 400 Auth0 answers. */
function idList(body: Buffer, property: string, max?: number): { ids: string[] } | { reply: Reply } {
  const parsed = parseJsonBody(body);
  if ('reply' in parsed) return parsed;
  const value = parsed.value;
  if (!isObject(value)) return { reply: invalidBody('Expected type object') };
  const ids = value[property];
  if (ids === undefined) return { reply: invalidBody(`Missing required property: ${property}`) };
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
    return { reply: invalidBody('Expected type array of strings', property) };
  if (ids.length === 0) return { reply: invalidBody('Array is too short (0), minimum 1', property) };
  if (max !== undefined && ids.length > max)
    return { reply: invalidBody(`Array is too long (${ids.length}), maximum ${max}`, property) };
  return { ids: ids as string[] };
}

const byUserId = (member: { user_id: string }) => member.user_id;

/** The role and organization routes of `/api/v2/`. */
export class AccessApi {
  readonly #store: AccessStore;
  readonly #clock: Clock;

  constructor(store: AccessStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** `GET /roles?name_filter=`: a case-insensitive filter (a part of the name matches), offset paging. */
  listRoles(query: URLSearchParams): Reply {
    const filter = query.get('name_filter')?.toLowerCase();
    const roles = [...this.#store.roles.values()]
      .filter((role) => filter === undefined || role.name.toLowerCase().includes(filter))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return paged(roles, (role) => role.id, 'roles', query, this.#clock.now());
  }

  /** `GET /roles/{id}/users`. */
  roleUsers(roleId: string, query: URLSearchParams): Reply {
    const holders = this.#store.holders.get(roleId);
    if (!holders) return roleNotFound();
    const users = [...holders].sort().flatMap((userId) => {
      const profile = this.#store.profile(userId);
      return profile ? [profile] : [];
    });
    return paged(users, byUserId, 'users', query, this.#clock.now());
  }

  /** `POST /roles/{id}/users {users}`: many users at once; 200. */
  assignRoleUsers(roleId: string, body: Buffer): Reply {
    const list = idList(body, 'users');
    if ('reply' in list) return list.reply;
    const holders = this.#store.holders.get(roleId);
    if (!holders) return roleNotFound();
    for (const userId of list.ids) {
      if (!this.#store.profile(userId)) return userNotFound();
      if (!holders.has(userId) && this.#store.rolesOf(userId).length >= MAX_ROLES_PER_USER)
        return tooManyUserRoles();
    }
    for (const userId of list.ids) holders.add(userId);
    return { status: 200 };
  }

  /** `GET /users/{id}/roles`. */
  userRoles(userId: string, query: URLSearchParams): Reply {
    if (!this.#store.profile(userId)) return userNotFound();
    return paged(this.#store.rolesOf(userId), (role) => role.id, 'roles', query, this.#clock.now());
  }

  /** `POST|DELETE /users/{id}/roles {roles}`: 204. */
  changeUserRoles(userId: string, body: Buffer, change: 'add' | 'remove'): Reply {
    const list = idList(body, 'roles');
    if ('reply' in list) return list.reply;
    if (!this.#store.profile(userId)) return userNotFound();
    const unknown = list.ids.find((id) => !this.#store.roles.has(id));
    if (unknown !== undefined) return unknown.startsWith('rol_') ? roleNotFound() : invalidPayload();
    if (change === 'add') {
      const after = new Set([...this.#store.rolesOf(userId).map((role) => role.id), ...list.ids]);
      if (after.size > MAX_ROLES_PER_USER) return tooManyUserRoles();
    }
    for (const id of list.ids) {
      const holders = this.#store.holders.get(id)!;
      if (change === 'add') holders.add(userId);
      else holders.delete(userId);
    }
    return { status: 204 };
  }

  /** `GET /organizations`: every organization, by checkpoint or offset. */
  listOrganizations(query: URLSearchParams): Reply {
    const organizations = [...this.#store.organizations.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return paged(organizations, (organization) => organization.id, 'organizations', query, this.#clock.now());
  }

  /** `GET /organizations/name/{name}`. */
  organizationByName(name: string): Reply {
    const found = [...this.#store.organizations.values()].find((organization) => organization.name === name);
    return found
      ? { status: 200, json: found }
      : apiError(404, 'The organization does not exist.', 'inexistent_organization');
  }

  /** `GET /organizations/{id}/members?fields=&from=&take=`. */
  listMembers(organizationId: string, query: URLSearchParams): Reply {
    const members = this.#store.members.get(organizationId);
    if (!members) return organizationNotFound();
    const fields = query.get('fields')?.split(',');
    const withRoles = fields?.includes('roles') ?? false;
    const list = [...members.keys()].sort().map((userId) => {
      const profile = this.#store.profile(userId) ?? { user_id: userId };
      const roles = [...members.get(userId)!.roles].map((id) => {
        const role = this.#store.roles.get(id)!;
        return { id: role.id, name: role.name };
      });
      const full: Record<string, unknown> = { ...profile, ...(withRoles ? { roles } : {}) };
      return fields ? Object.fromEntries(Object.entries(full).filter(([key]) => fields.includes(key))) : full;
    });
    return paged(list, (member) => String(member['user_id']), 'members', query, this.#clock.now());
  }

  /** `POST|DELETE /organizations/{id}/members {members}`: at most 10 a request; 204. */
  changeMembers(organizationId: string, body: Buffer, change: 'add' | 'remove'): Reply {
    const list = idList(body, 'members', MAX_MEMBERS_PER_REQUEST);
    if ('reply' in list) return list.reply;
    const members = this.#store.members.get(organizationId);
    if (!members) return organizationNotFound();
    if (change === 'remove') {
      for (const userId of list.ids) members.delete(userId);
      return { status: 204 };
    }
    if (list.ids.some((userId) => !this.#store.profile(userId))) {
      return apiError(400, 'One or more of the users do not exist.', 'invalid_body');
    }
    for (const userId of list.ids)
      if (!members.has(userId)) members.set(userId, { via: 'api', roles: new Set() });
    return { status: 204 };
  }

  /** `GET /organizations/{id}/members/{user_id}/roles`. */
  memberRoles(organizationId: string, userId: string, query: URLSearchParams): Reply {
    const member = this.#member(organizationId, userId);
    if ('reply' in member) return member.reply;
    const roles = [...member.roles].map((id) => this.#store.roles.get(id)!);
    return paged(roles, (role) => role.id, 'roles', query, this.#clock.now());
  }

  /** `POST|DELETE /organizations/{id}/members/{user_id}/roles {roles}`: 204; 409 past 50 roles. */
  changeMemberRoles(organizationId: string, userId: string, body: Buffer, change: 'add' | 'remove'): Reply {
    const list = idList(body, 'roles');
    if ('reply' in list) return list.reply;
    const member = this.#member(organizationId, userId);
    if ('reply' in member) return member.reply;
    const unknown = list.ids.find((id) => !this.#store.roles.has(id));
    if (unknown !== undefined) return unknown.startsWith('rol_') ? roleNotFound() : invalidPayload();
    if (change === 'add' && new Set([...member.roles, ...list.ids]).size > MAX_MEMBER_ROLES) {
      return apiError(409, 'No more roles can be assigned to this organization member.');
    }
    for (const id of list.ids) {
      if (change === 'add') member.roles.add(id);
      else member.roles.delete(id);
    }
    return { status: 204 };
  }

  #member(organizationId: string, userId: string): Member | { reply: Reply } {
    const members = this.#store.members.get(organizationId);
    if (!members) return { reply: organizationNotFound() };
    const member = members.get(userId);
    if (!member) return { reply: apiError(404, 'The user is not a member of the organization.') };
    return member;
  }
}

function roleNotFound(): Reply {
  return apiError(404, 'Role not found.', 'inexistent_role');
}

function userNotFound(): Reply {
  return apiError(404, 'The user does not exist.', 'inexistent_user');
}

function organizationNotFound(): Reply {
  return apiError(404, 'The organization does not exist.', 'inexistent_organization');
}

/** A role name where an id belongs. */
function invalidPayload(): Reply {
  return apiError(400, 'Invalid request payload input', 'invalid_body');
}

/** Not in the facts doc's words (it gives only the limit): a guess, see the README. */
function tooManyUserRoles(): Reply {
  return apiError(400, `A user cannot have more than ${MAX_ROLES_PER_USER} roles.`, 'too_many_roles');
}
