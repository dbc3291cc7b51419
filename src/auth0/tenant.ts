/**
 * A connection to one tenant: the HTTP client, its tokens, the scopes the run needs and the
 * database connection the users go to. What the rest of the run holds to talk to Auth0.
 */
import { ApiClient, type RequestContext } from './http.js';
import { findConnection } from './jobs.js';
import type { Clock, TimingPolicy } from './timing.js';
import { ManagementTokens, type TokenCredentials } from './token.js';

export interface TenantSettings {
  origin: string;
  credentials: TokenCredentials;
  connection: { id: string } | { name: string };
}

export interface TenantEdge {
  clock: Clock;
  timing: TimingPolicy;
  context: RequestContext;
  log: (message: string) => void;
  /** Each request's method, path, status and timing (a run with debug logging). */
  debug?: (message: string) => void;
  setSecret: (value: string) => void;
}

export interface Tenant {
  api: ApiClient;
  connectionId: string;
  /** The connection's name, when it was looked up by name. */
  connectionName?: string;
  /** Scopes of the token, when Auth0 said. */
  scopes?: readonly string[];
  close(): Promise<void>;
}

export class ScopeError extends Error {}

/**
 * Gets a token, checks that it carries every scope the run needs (before any job is created), and
 * resolves the connection. `requiredScopes` maps each scope to the input that needs it.
 */
export async function connectTenant(
  settings: TenantSettings,
  requiredScopes: ReadonlyMap<string, string>,
  edge: TenantEdge,
): Promise<Tenant> {
  const api = new ApiClient({
    origin: settings.origin,
    clock: edge.clock,
    timing: edge.timing,
    log: edge.log,
    ...(edge.debug ? { debug: edge.debug } : {}),
    context: edge.context,
  });
  try {
    const tokens = new ManagementTokens(api, settings.credentials, edge.setSecret, () => edge.clock.now());
    api.useTokens(tokens);
    await tokens.token();
    checkScopes(tokens.scopes, requiredScopes, edge.log);
    if ('id' in settings.connection) {
      return { api, connectionId: settings.connection.id, ...scopesOf(tokens), close: () => api.close() };
    }
    const connection = await findConnection(api, settings.connection.name);
    edge.log(`Connection "${connection.name}" is ${connection.id}.`);
    return {
      api,
      connectionId: connection.id,
      connectionName: connection.name,
      ...scopesOf(tokens),
      close: () => api.close(),
    };
  } catch (error) {
    await api.close();
    throw error;
  }
}

function scopesOf(tokens: ManagementTokens): { scopes?: readonly string[] } {
  return tokens.scopes ? { scopes: tokens.scopes } : {};
}

function checkScopes(
  scopes: readonly string[] | undefined,
  required: ReadonlyMap<string, string>,
  log: (message: string) => void,
): void {
  if (!scopes) {
    log(`Auth0 did not say which scopes the token has; this run needs ${[...required.keys()].join(', ')}.`);
    return;
  }
  const missing = [...required].filter(([scope]) => !scopes.includes(scope));
  if (missing.length === 0) return;
  throw new ScopeError(
    `The Management API token lacks ${missing.map(([scope, why]) => `${scope} (for ${why})`).join(', ')}; it has: ${scopes.join(' ') || 'none'}. Grant them in Auth0 dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications > (your application), then run again.`,
  );
}
