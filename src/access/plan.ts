/**
 * What the access file will change, against what the tenant has: per person, roles granted and revoked,
 * organizations joined and left, organization roles. Only what the file names is managed (its roles and
 * organizations), and only for the managed people (the users files' users and the user_ids the file
 * names); everyone and everything else is left as it is. Pure: the tenant is read in tenant.ts.
 */
import type { Problem } from '../users/problem.js';
import { keyOf, type AccessFile, type Named, type PersonName, type Place } from './file.js';
import type { CountOrShare } from '../inputs.js';
import { isProtected, limitOf } from '../plan/removals.js';

/** Someone whose access the run manages. */
export interface Person {
  /** What the report calls them: their email, else their user_id. */
  label: string;
  /** Lower-cased. */
  email?: string;
  /** Auth0's full user_id (`auth0|…`), when known before the import. */
  userId?: string;
  /** Where the access file first names someone outside the users files. */
  named?: Place;
  /** A users-file user: their place, and their ordinal among the run's valid users (to follow their import). */
  user?: { ordinal: number; file: string; line: number; column: number };
}

export type AccessAction =
  | { kind: 'revoke-role'; person: Person; role: string }
  | { kind: 'leave'; person: Person; organization: string }
  | { kind: 'revoke-member-role'; person: Person; organization: string; role: string }
  | { kind: 'grant-role'; person: Person; role: string }
  | { kind: 'join'; person: Person; organization: string }
  | { kind: 'grant-member-role'; person: Person; organization: string; role: string };

/** Revocations and departures first, in the plan, the report and the order they are sent. */
const ORDER: AccessAction['kind'][] = [
  'revoke-role',
  'leave',
  'revoke-member-role',
  'grant-role',
  'join',
  'grant-member-role',
];

export function isRevocation(action: AccessAction): boolean {
  return action.kind === 'revoke-role' || action.kind === 'leave' || action.kind === 'revoke-member-role';
}

/** What the tenant has for the names the file gives; undefined where no role or organization has the name. */
export interface TenantAccess {
  roles: Map<string, { id: string; holders: { user_id: string; email?: string }[] } | undefined>;
  organizations: Map<
    string,
    | { id: string; members: { user_id: string; email?: string; roles?: { id: string; name?: string }[] }[] }
    | undefined
  >;
  /** Ids of the roles named as organization roles (and not under roles:). */
  memberRoles: Map<string, string | undefined>;
}

export interface AccessPolicy {
  /** A number, or a share of the managed assignments the tenant has now. */
  maxRevocations: CountOrShare;
  /** `protected-users`: never lose a role or an organization. */
  isProtected: (email: string | undefined) => boolean;
}

export interface AccessPlan {
  file: string;
  actions: AccessAction[];
  /** Revocations left out because the person is in protected-users. */
  kept: AccessAction[];
  /** Assignments of managed roles and organizations the managed people hold now (the base of a share). */
  current: number;
  /** Every role the actions name (tenant and organization roles), by name. */
  roleIds: Map<string, string>;
  organizationIds: Map<string, string>;
  problems: Problem[];
}

/** The users files' users, as the access file can name them. */
export interface UsersFileUser {
  ordinal: number;
  email: string | undefined;
  /** As given in the file, without `auth0|`. */
  userId: string | undefined;
  file: string;
  line: number;
  column: number;
}

/** The managed people: each users-file user, and each user_id the file names that is not one of them. */
class People {
  readonly all: Person[] = [];
  readonly #byEmail = new Map<string, Person>();
  readonly #byId = new Map<string, Person>();

  constructor(users: Iterable<UsersFileUser>) {
    for (const user of users) {
      const email = user.email?.toLowerCase();
      const userId = user.userId === undefined ? undefined : `auth0|${user.userId}`;
      const person: Person = {
        label: email ?? userId ?? `user ${user.ordinal}`,
        ...(email ? { email } : {}),
        ...(userId ? { userId } : {}),
        user: { ordinal: user.ordinal, file: user.file, line: user.line, column: user.column },
      };
      this.all.push(person);
      if (email) this.#byEmail.set(email, person);
      if (userId) this.#byId.set(userId, person);
    }
  }

  /** The person a file name means, adding one for a user_id outside the users files. */
  named(name: PersonName): Person | undefined {
    if (name.kind === 'email') return this.#byEmail.get(keyOf(name));
    const known = this.#byId.get(name.value);
    if (known) return known;
    const person: Person = { label: name.value, userId: name.value, named: name.at };
    this.all.push(person);
    this.#byId.set(name.value, person);
    return person;
  }

  /**
   * The managed person a holder or member is, or undefined (they are left alone). By user_id; a
   * users-file user without one is matched by email among database users, and their id learnt.
   */
  holder(entry: { user_id: string; email?: string }): Person | undefined {
    const byId = this.#byId.get(entry.user_id);
    if (byId) return byId;
    if (!entry.user_id.startsWith('auth0|') || !entry.email) return undefined;
    const byEmail = this.#byEmail.get(entry.email.toLowerCase());
    if (!byEmail || byEmail.userId !== undefined) return undefined;
    byEmail.userId = entry.user_id;
    this.#byId.set(entry.user_id, byEmail);
    return byEmail;
  }
}

function problemAt(file: string, at: Place, path: string, message: string, hint: string): Problem {
  return { file, line: at.line, column: at.column, path, message, hint };
}

/** Compares the file with the tenant: the actions, in sending order, and what stops the run. */
export function planAccess(
  access: AccessFile,
  users: Iterable<UsersFileUser>,
  tenant: TenantAccess,
  policy: AccessPolicy,
): AccessPlan {
  const { file } = access;
  const people = new People(users);
  const problems: Problem[] = [];
  const actions: AccessAction[] = [];
  const roleIds = new Map<string, string>();
  const organizationIds = new Map<string, string>();
  let current = 0;

  const resolve = (name: PersonName, path: string): Person | undefined => {
    const person = people.named(name);
    if (!person)
      problems.push(
        problemAt(
          file,
          name.at,
          path,
          `person not found: ${name.value} is not a user of the users files`,
          'add them to a users file, or name them by user_id (e.g. google-oauth2|123)',
        ),
      );
    return person;
  };
  const known = <T>(found: T | undefined, named: Named, path: string, what: string): found is T => {
    if (found) return true;
    problems.push(
      problemAt(
        file,
        named.at,
        path,
        `unknown ${what}: the tenant has no ${what} named "${named.name}"`,
        `create it in the Auth0 dashboard first, or fix the name (names are exact, case included)`,
      ),
    );
    return false;
  };

  // Declared holders first, so that every user_id the file names is a managed person before holders are matched.
  const wanted = access.roles.map((role) => ({
    role,
    holders: new Set(role.holders.flatMap((name) => resolve(name, `roles.${role.name}`) ?? [])),
  }));
  const wantedMembers = access.organizations.map((organization) => ({
    organization,
    members: new Map(
      organization.members.flatMap((member) => {
        const person = resolve(member.person, `organizations.${organization.name}.members`);
        return person ? [[person, member.roles] as const] : [];
      }),
    ),
  }));

  for (const { role, holders } of wanted) {
    const found = tenant.roles.get(role.name);
    if (!known(found, role, `roles.${role.name}`, 'role')) continue;
    roleIds.set(role.name, found.id);
    const holding = new Set(found.holders.flatMap((holder) => people.holder(holder) ?? []));
    current += holding.size;
    for (const person of people.all) {
      if (holders.has(person) && !holding.has(person))
        actions.push({ kind: 'grant-role', person, role: role.name });
      if (!holders.has(person) && holding.has(person))
        actions.push({ kind: 'revoke-role', person, role: role.name });
    }
  }

  for (const { organization, members } of wantedMembers) {
    const found = tenant.organizations.get(organization.name);
    if (!known(found, organization, `organizations.${organization.name}`, 'organization')) continue;
    organizationIds.set(organization.name, found.id);
    const memberRoleId = (role: Named) =>
      tenant.roles.get(role.name)?.id ?? tenant.memberRoles.get(role.name);
    const now = new Map(
      found.members.flatMap((member) => {
        const person = people.holder(member);
        return person ? [[person, new Set((member.roles ?? []).map((role) => role.id))] as const] : [];
      }),
    );
    for (const roles of now.values()) current += 1 + roles.size;
    for (const person of people.all) {
      const declared = members.has(person);
      const held = now.get(person);
      const name = organization.name;
      if (!declared) {
        if (held) actions.push({ kind: 'leave', person, organization: name });
        continue;
      }
      if (!held) actions.push({ kind: 'join', person, organization: name });
      const roles = members.get(person);
      if (!roles) continue;
      const wantedIds = new Map<string, string>();
      for (const role of roles) {
        const id = memberRoleId(role);
        if (!known(id, role, `organizations.${name}.members`, 'role')) continue;
        wantedIds.set(id, role.name);
        roleIds.set(role.name, id);
      }
      for (const [id, role] of wantedIds)
        if (!held?.has(id)) actions.push({ kind: 'grant-member-role', person, organization: name, role });
      for (const id of held ?? []) {
        if (wantedIds.has(id)) continue;
        const role = found.members
          .find((member) => people.holder(member) === person)
          ?.roles?.find((r) => r.id === id);
        const roleName = role?.name ?? id;
        roleIds.set(roleName, id);
        actions.push({ kind: 'revoke-member-role', person, organization: name, role: roleName });
      }
    }
  }

  const kept = actions.filter((action) => isRevocation(action) && policy.isProtected(action.person.email));
  const planned = actions
    .filter((action) => !kept.includes(action))
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const revocations = planned.filter(isRevocation).length;
  const limit = limitOf(policy.maxRevocations, current);
  if (revocations > limit) {
    const as =
      'count' in policy.maxRevocations
        ? `${limit}`
        : `${limit} (${policy.maxRevocations.percent}% of ${current})`;
    problems.push(
      problemAt(
        file,
        { line: 1, column: 1 },
        '',
        `the access file would revoke ${revocations} roles or memberships, more than max-revocations allows: ${as}; nothing was sent`,
        'check the file and the users files (a truncated file revokes everyone it lost), then raise max-revocations for this run if it is meant',
      ),
    );
  }
  return { file, actions: planned, kept, current, roleIds, organizationIds, problems };
}

/** Whether a protected-users pattern list (emails, `*` any run of characters) holds an email: the removals' rule. */
export function protectedMatcher(patterns: readonly string[]): (email: string | undefined) => boolean {
  return (email) => email !== undefined && isProtected(email, patterns) !== undefined;
}
