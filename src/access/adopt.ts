/**
 * Adopting what exists: the access file written from what the tenant has now, for the managed people
 * (the users files' users), so a team starts from the tenant rather than from an empty file. Only roles
 * and organizations that one of them holds are written: naming another would make it managed for nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ApiClient } from '../auth0/http.js';
import { listOrganizations, organizationMembers } from '../auth0/organizations.js';
import { listRoles, roleHolders } from '../auth0/roles.js';
import type { Publication } from '../report/publish.js';
import { plural } from '../report/markdown.js';
import type { UsersFileUser } from './plan.js';

export interface Adopted {
  roles: Record<string, string[]>;
  organizations: Record<string, { members: (string | { user: string; roles: string[] })[] }>;
}

/** The users-file user a holder is (by user_id, else by email among database users), by email. */
function managedEmails(
  users: Iterable<UsersFileUser>,
): (holder: { user_id: string; email?: string }) => string | undefined {
  const byId = new Map<string, string>();
  const byEmail = new Set<string>();
  for (const user of users) {
    if (!user.email) continue;
    const email = user.email.toLowerCase();
    if (user.userId !== undefined) byId.set(`auth0|${user.userId}`, email);
    else byEmail.add(email);
  }
  return (holder) => {
    const known = byId.get(holder.user_id);
    if (known) return known;
    const email = holder.email?.toLowerCase();
    return holder.user_id.startsWith('auth0|') && email && byEmail.has(email) ? email : undefined;
  };
}

export async function readAdopted(api: ApiClient, users: Iterable<UsersFileUser>): Promise<Adopted> {
  const managed = managedEmails(users);
  const adopted: Adopted = { roles: {}, organizations: {} };
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
  for (const role of (await listRoles(api)).sort(byName)) {
    const holders = (await roleHolders(api, role.id, role.name)).flatMap((holder) => managed(holder) ?? []);
    if (holders.length > 0) adopted.roles[role.name] = holders.sort();
  }
  for (const organization of (await listOrganizations(api)).sort(byName)) {
    const members = (await organizationMembers(api, organization.id, organization.name)).flatMap((member) => {
      const email = managed(member);
      if (!email) return [];
      const roles = (member.roles ?? []).flatMap((role) => role.name ?? []);
      return [roles.length > 0 ? { user: email, roles: roles.sort() } : email];
    });
    if (members.length > 0) adopted.organizations[organization.name] = { members };
  }
  return adopted;
}

/** Writes the adopted access file (YAML, with the schema named for editors) and says what it holds. */
export async function writeAdopted(workspace: string, file: string, adopted: Adopted): Promise<Publication> {
  const full = path.resolve(workspace, file);
  const header =
    '# Written by auth0-user-import (write-access-file) from what the tenant has.\n# Only the roles and organizations named here are managed; see docs/access-as-code.md of the action.\n';
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, header + stringify(adopted), { flag: 'wx' });
  const roles = Object.keys(adopted.roles).length;
  const organizations = Object.keys(adopted.organizations).length;
  const line = `Wrote ${file} from the tenant: ${plural(roles, 'role')} and ${plural(organizations, 'organization')} the users files' users hold. Nothing else was sent; commit it in a pull request to manage them.`;
  return {
    outcome: { ok: true, verdict: `✅ ${line}`, failures: [], nextSteps: [] },
    sections: [],
    outputs: { 'access-file-written': file },
  };
}
