/**
 * What the tenant has for the roles and organizations the access file names: each read once, its
 * members by checkpoint, not per user.
 */
import type { ApiClient } from '../auth0/http.js';
import { findOrganization, organizationMembers } from '../auth0/organizations.js';
import { findRole, roleHolders } from '../auth0/roles.js';
import type { AccessFile } from './file.js';
import type { TenantAccess } from './plan.js';

export async function readTenantAccess(api: ApiClient, access: AccessFile): Promise<TenantAccess> {
  const tenant: TenantAccess = { roles: new Map(), organizations: new Map(), memberRoles: new Map() };
  for (const role of access.roles) {
    const id = await findRole(api, role.name);
    tenant.roles.set(
      role.name,
      id === undefined ? undefined : { id, holders: await roleHolders(api, id, role.name) },
    );
  }
  for (const organization of access.organizations) {
    const id = await findOrganization(api, organization.name);
    tenant.organizations.set(
      organization.name,
      id === undefined ? undefined : { id, members: await organizationMembers(api, id, organization.name) },
    );
    for (const member of organization.members) {
      for (const role of member.roles ?? []) {
        if (tenant.roles.has(role.name) || tenant.memberRoles.has(role.name)) continue;
        tenant.memberRoles.set(role.name, await findRole(api, role.name));
      }
    }
  }
  return tenant;
}
