/** Management API tokens: from the client-credentials grant, or given as they are. */
import { Auth0Error, describeBody, type ApiClient, type TokenProvider } from './http.js';

export type TokenCredentials =
  | { kind: 'client'; clientId: string; clientSecret: string; audience: string }
  | { kind: 'token'; token: string };

/** What each token error means in the Auth0 dashboard. */
const TOKEN_ERROR_ADVICE: Record<string, string> = {
  invalid_client:
    'Auth0 refused client-id / client-secret: copy both from Auth0 dashboard > Applications > (your application) > Settings into the repository secrets.',
  access_denied:
    'The application may not call the Management API: in Auth0 dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications, authorise it and grant create:users (and read:connections for connection-name). Also check that audience is https://<canonical domain>/api/v2/.',
  unauthorized_client:
    'The application may not use the client-credentials grant: enable "Client Credentials" in Auth0 dashboard > Applications > (your application) > Advanced Settings > Grant Types.',
  too_many_requests: 'The token endpoint is rate limited: wait a minute and run again.',
};

export class TokenError extends Error {}

/** Scopes granted to a token, when knowable: from the grant's answer or a JWT's payload. */
export function scopesOf(scope: unknown): string[] | undefined {
  return typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : undefined;
}

export function scopesOfJwt(token: string): string[] | undefined {
  const payload = token.split('.')[1];
  if (!payload || token.split('.').length !== 3) return undefined;
  try {
    return scopesOf(
      (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scope?: unknown }).scope,
    );
  } catch {
    return undefined;
  }
}

export class ManagementTokens implements TokenProvider {
  /** Scopes of the current token, undefined when Auth0 did not say. */
  scopes: string[] | undefined;
  #token: string | undefined;
  readonly #api: ApiClient;
  readonly #credentials: TokenCredentials;
  readonly #setSecret: (value: string) => void;

  constructor(api: ApiClient, credentials: TokenCredentials, setSecret: (value: string) => void) {
    this.#api = api;
    this.#credentials = credentials;
    this.#setSecret = setSecret;
    if (credentials.kind === 'token') {
      this.#token = credentials.token;
      this.scopes = scopesOfJwt(credentials.token);
    }
  }

  async token(signal?: AbortSignal): Promise<string> {
    this.#token ??= await this.#fetch(signal);
    return this.#token;
  }

  invalidate(): boolean {
    if (this.#credentials.kind === 'token') return false;
    this.#token = undefined;
    return true;
  }

  async #fetch(signal?: AbortSignal): Promise<string> {
    if (this.#credentials.kind === 'token') return this.#credentials.token;
    const { clientId, clientSecret, audience } = this.#credentials;
    const response = await this.#api.send({
      method: 'POST',
      path: '/oauth/token',
      anonymous: true,
      repeatable: true,
      body: {
        contentType: 'application/json',
        data: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          audience,
        }),
      },
      ...(signal ? { signal } : {}),
    });
    const body = response.body as { access_token?: unknown; scope?: unknown } | undefined;
    if (response.status >= 200 && response.status < 300 && typeof body?.access_token === 'string') {
      this.#setSecret(body.access_token);
      this.scopes = scopesOf(body.scope);
      return body.access_token;
    }
    const { code } = describeBody(response.body);
    // Own keys only: a code such as "constructor" must not reach Object.prototype.
    const advice =
      (code && Object.hasOwn(TOKEN_ERROR_ADVICE, code) && TOKEN_ERROR_ADVICE[code]) ||
      'Check domain, client-id and client-secret.';
    throw new TokenError(
      `${new Auth0Error(response.status, response.body, 'Getting a Management API token').message}. ${advice}`,
    );
  }
}
