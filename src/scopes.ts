/** Which Management API scopes a run needs, each named with the input that needs it. */
import type { ImportSettings } from './inputs.js';

export function requiredScopes(settings: ImportSettings): Map<string, string> {
  const scopes = new Map([['create:users', 'importing users']]);
  if ('name' in settings.connection) scopes.set('read:connections', 'connection-name');
  return scopes;
}
