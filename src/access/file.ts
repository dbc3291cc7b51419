/**
 * The access file: tenant roles and who holds them, organizations and their members with each member's
 * organization roles, by name. JSON or YAML (JSON is YAML 1.2), parsed with every value's place so each
 * problem is shown at file:line:col. No HTTP here: what the tenant has is compared in plan.ts.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { Problem } from '../users/problem.js';

/** Auth0's limits: 50 roles per user, 50 roles per organization member. */
export const MAX_USER_ROLES = 50;
export const MAX_MEMBER_ROLES = 50;

export interface Place {
  line: number;
  column: number;
}

/** Someone the file names: by the email of a users-file user, or by user_id (anyone else). */
export interface PersonName {
  kind: 'email' | 'user_id';
  /** As written; emails are compared lower-cased. */
  value: string;
  at: Place;
}

export interface Named {
  name: string;
  at: Place;
}

export interface RoleDeclaration extends Named {
  holders: PersonName[];
}

export interface MemberDeclaration {
  person: PersonName;
  /** Undefined: this member's organization roles are not managed (a key left out is never "none"). */
  roles?: Named[];
}

export interface OrganizationDeclaration extends Named {
  members: MemberDeclaration[];
}

export interface AccessFile {
  /** Relative to the workspace, as annotations want it. */
  file: string;
  roles: RoleDeclaration[];
  organizations: OrganizationDeclaration[];
}

const TOP_KEYS = ['$schema', 'roles', 'organizations'];

/** A person is a user_id when it has Auth0's `provider|id` shape, else an email. */
export function personName(value: string, at: Place): PersonName {
  return { kind: value.includes('|') ? 'user_id' : 'email', value, at };
}

/** Reads the access file's text; a file with problems gives no AccessFile. */
export function parseAccessFile(text: string, file: string): { access?: AccessFile; problems: Problem[] } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: Problem[] = [];
  const placeOf = (node: Node | null | undefined): Place => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  };
  const report = (at: Place, path: string, message: string, hint?: string) =>
    problems.push({ file, ...at, path, message, ...(hint ? { hint } : {}) });

  for (const error of document.errors) {
    const { line, col } = lines.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    report(
      { line, column: col },
      '',
      duplicate
        ? 'a duplicate key: each role, organization and person is named once'
        : error.message.split('\n')[0]!,
      duplicate ? 'merge the two entries into one' : 'fix the syntax (JSON or YAML)',
    );
  }
  if (problems.length > 0) return { problems };

  const root = document.contents;
  const access: AccessFile = { file, roles: [], organizations: [] };
  if (root === null) return { access, problems };
  if (!isMap(root)) {
    report(placeOf(root), '', 'the access file must be an object with roles and/or organizations');
    return { problems };
  }
  for (const pair of root.items as Pair<Node, Node | null>[]) {
    const key = scalarText(pair.key);
    if (key === undefined || !TOP_KEYS.includes(key)) {
      report(placeOf(pair.key), String(key ?? ''), `unknown key; expected ${TOP_KEYS.slice(1).join(' or ')}`);
      continue;
    }
    if (key === 'roles') access.roles = readRoles(pair.value);
    if (key === 'organizations') access.organizations = readOrganizations(pair.value);
  }
  checkLimits(access, report);
  return problems.length > 0 ? { problems } : { access, problems };

  function named(node: Node | null, path: string, what: string): Named | undefined {
    const name = scalarText(node);
    if (name === undefined || name === '') {
      report(placeOf(node), path, `${what} must be a non-empty name`);
      return undefined;
    }
    return { name, at: placeOf(node) };
  }

  function person(node: Node | null, path: string): PersonName | undefined {
    const value = scalarText(node);
    const at = placeOf(node);
    if (value === undefined || value.trim() === '') {
      report(at, path, 'a person must be an email or a user_id such as google-oauth2|123');
      return undefined;
    }
    if (!value.includes('|') && !value.includes('@')) {
      report(
        at,
        path,
        `"${value}" is neither an email nor a user_id`,
        'name a users-file user by email, anyone else by user_id (provider|id)',
      );
      return undefined;
    }
    return personName(value, at);
  }

  function list(node: Node | null, path: string, what: string): (Node | null)[] {
    if (!isSeq(node)) {
      report(
        placeOf(node),
        path,
        `${what} must be a list`,
        'use [] for "nobody"; leave the key out for "not managed"',
      );
      return [];
    }
    return node.items as (Node | null)[];
  }

  function readRoles(node: Node | null): RoleDeclaration[] {
    if (!isMap(node)) {
      report(placeOf(node), 'roles', 'roles must map each role name to the list of its holders');
      return [];
    }
    return (node.items as Pair<Node, Node | null>[]).flatMap((pair) => {
      const role = named(pair.key, 'roles', 'a role');
      if (!role) return [];
      const path = `roles.${role.name}`;
      const holders = list(pair.value, path, `role ${role.name}`).flatMap(
        (item, i) => person(item, `${path}[${i}]`) ?? [],
      );
      unique(
        holders.map((holder) => ({ key: keyOf(holder), at: holder.at, label: holder.value })),
        path,
        `role ${role.name}`,
      );
      return [{ ...role, holders }];
    });
  }

  function readOrganizations(node: Node | null): OrganizationDeclaration[] {
    if (!isMap(node)) {
      report(placeOf(node), 'organizations', 'organizations must map each organization name to its members');
      return [];
    }
    return (node.items as Pair<Node, Node | null>[]).flatMap((pair) => {
      const organization = named(pair.key, 'organizations', 'an organization');
      if (!organization) return [];
      const path = `organizations.${organization.name}`;
      if (
        !isMap(pair.value) ||
        pair.value.items.length !== 1 ||
        scalarText(pair.value.items[0]!.key as Node) !== 'members'
      ) {
        report(
          placeOf(pair.value ?? pair.key),
          path,
          `organization ${organization.name} must have members (and nothing else)`,
        );
        return [];
      }
      const members = list(pair.value.items[0]!.value as Node | null, `${path}.members`, 'members').flatMap(
        (item, i) => member(item, `${path}.members[${i}]`) ?? [],
      );
      unique(
        members.map(({ person: p }) => ({ key: keyOf(p), at: p.at, label: p.value })),
        path,
        `organization ${organization.name}`,
      );
      return [{ ...organization, members }];
    });
  }

  function member(node: Node | null, path: string): MemberDeclaration | undefined {
    if (!isMap(node)) {
      const who = person(node, path);
      return who && { person: who };
    }
    let who: PersonName | undefined;
    let roles: Named[] | undefined;
    for (const pair of node.items as Pair<Node, Node | null>[]) {
      const key = scalarText(pair.key);
      if (key === 'user') who = person(pair.value, `${path}.user`);
      else if (key === 'roles') {
        roles = list(pair.value, `${path}.roles`, 'roles').flatMap(
          (item, i) => named(item, `${path}.roles[${i}]`, 'a role') ?? [],
        );
        unique(
          roles.map((role) => ({ key: role.name, at: role.at, label: role.name })),
          `${path}.roles`,
          'this member',
        );
      } else report(placeOf(pair.key), path, `unknown key ${String(key)}; a member has user and roles`);
    }
    if (!who) {
      if (!node.items.some((pair) => scalarText(pair.key as Node) === 'user'))
        report(placeOf(node), path, 'a member needs user (an email or a user_id)');
      return undefined;
    }
    return roles ? { person: who, roles } : { person: who };
  }

  function unique(entries: { key: string; at: Place; label: string }[], path: string, where: string): void {
    const seen = new Set<string>();
    for (const entry of entries) {
      if (seen.has(entry.key))
        report(entry.at, path, `${entry.label} is named twice in ${where}`, 'name each person once');
      seen.add(entry.key);
    }
  }
}

/** How two names of a person compare: emails in any case, user_ids exactly. */
export function keyOf(person: PersonName): string {
  return person.kind === 'email' ? person.value.toLowerCase() : person.value;
}

function checkLimits(
  access: AccessFile,
  report: (at: Place, path: string, message: string, hint?: string) => void,
): void {
  const rolesOf = new Map<string, { person: PersonName; count: number }>();
  for (const role of access.roles) {
    for (const holder of role.holders) {
      const entry = rolesOf.get(keyOf(holder)) ?? { person: holder, count: 0 };
      entry.count++;
      rolesOf.set(keyOf(holder), entry);
    }
  }
  for (const { person, count } of rolesOf.values()) {
    if (count > MAX_USER_ROLES)
      report(
        person.at,
        'roles',
        `${person.value} would hold ${count} roles; Auth0 allows ${MAX_USER_ROLES} per user`,
        'grant fewer roles',
      );
  }
  for (const organization of access.organizations) {
    for (const member of organization.members) {
      if ((member.roles?.length ?? 0) > MAX_MEMBER_ROLES)
        report(
          member.person.at,
          `organizations.${organization.name}.members`,
          `${member.person.value} would hold ${member.roles!.length} roles in ${organization.name}; Auth0 allows ${MAX_MEMBER_ROLES} per organization member`,
          'grant fewer organization roles',
        );
    }
  }
}

function scalarText(node: Node | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
}
