/** Which Management API scopes a run needs, each named with the input that needs it. */
import type { ImportSettings, Settings } from './inputs.js';

export function requiredScopes(settings: Settings, target: ImportSettings): Map<string, string> {
  const scopes = new Map<string, string>();
  if (!settings.dryRun) scopes.set('create:users', 'importing users');
  if ('name' in target.connection) scopes.set('read:connections', 'connection-name');
  if (settings.baseline === 'tenant') scopes.set('read:users', 'baseline: tenant, to export the users');
  if (settings.access) {
    const access = settings.access;
    const why = `access-file (${access.file})`;
    scopes.set('read:roles', `${why}, to read its roles and their holders`);
    scopes.set('read:role_members', `${why}, to read who holds its roles`);
    scopes.set('read:organizations', `${why}, to find its organizations`);
    scopes.set('read:organization_members', `${why}, to read their members`);
    scopes.set('read:organization_member_roles', `${why}, to read members' organization roles`);
    if (!scopes.has('read:users')) scopes.set('read:users', `${why}, to find the users it names`);
    if (!settings.dryRun && !access.writeAccessFile) {
      scopes.set('create:role_members', `${why}, to grant roles`);
      scopes.set('delete:role_members', `${why}, to revoke roles`);
      scopes.set('create:organization_members', `${why}, to add organization members`);
      scopes.set('delete:organization_members', `${why}, to remove organization members`);
      scopes.set('create:organization_member_roles', `${why}, to grant organization roles`);
      scopes.set('delete:organization_member_roles', `${why}, to revoke organization roles`);
    }
  }
  if (settings.dryRun) return scopes;
  const reconciling = settings.reconcile || settings.onRemoved !== 'report';
  if (reconciling) {
    const why = settings.reconcile ? 'reconcile' : `on-removed: ${settings.onRemoved}`;
    if (!scopes.has('read:users')) scopes.set('read:users', `${why}, to find each user`);
    if ('id' in target.connection)
      scopes.set('read:connections', `${why} with connection-id, to know the connection's name`);
  }
  if (settings.reconcile || settings.onRemoved === 'block') {
    scopes.set('update:users', settings.reconcile ? 'reconcile' : 'on-removed: block');
  }
  if (settings.onRemoved === 'delete') scopes.set('delete:users', 'on-removed: delete');
  return scopes;
}
