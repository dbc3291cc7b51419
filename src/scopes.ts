/** Which Management API scopes a run needs, each named with the input that needs it. */
import type { ImportSettings, Settings } from './inputs.js';

export function requiredScopes(settings: Settings, target: ImportSettings): Map<string, string> {
  const scopes = new Map([['create:users', 'importing users']]);
  if ('name' in target.connection) scopes.set('read:connections', 'connection-name');
  const reconciling = settings.reconcile || settings.onRemoved !== 'report';
  if (reconciling) {
    const why = settings.reconcile ? 'reconcile' : `on-removed: ${settings.onRemoved}`;
    scopes.set('read:users', `${why}, to find each user`);
    // A rename or attribute change of a user, and finding users by email in the right connection.
    if ('id' in target.connection)
      scopes.set('read:connections', `${why} with connection-id, to know the connection's name`);
  }
  if (settings.reconcile || settings.onRemoved === 'block') {
    scopes.set('update:users', settings.reconcile ? 'reconcile' : 'on-removed: block');
  }
  if (settings.onRemoved === 'delete') scopes.set('delete:users', 'on-removed: delete');
  return scopes;
}
