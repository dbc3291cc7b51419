/** Management API tokens: from the client-credentials grant, or given as they are. */
import { Auth0Error, describeBody, type ApiClient, type ApiResponse, type TokenProvider } from './http.js';

export type TokenCredentials =
  | { kind: 'client'; clientId: string; clientSecret: string; audience: string }
  | { kind: 'token'; token: string };

const WRONG_CREDENTIALS =
  'Auth0 refused client-id / client-secret: copy both from Auth0 dashboard > Applications > (your application) > Settings into the repository secrets.';

/**
 * What a token error means in the Auth0 dashboard. Decided on the status and the description, not
 * on `error` alone: a wrong secret comes back as 401 `invalid_client` or as 401 `access_denied`
 * "Unauthorized", while 403 `access_denied` means the application has no grant.
 */
export function tokenErrorAdvice(response: ApiResponse): string {
  const { code, message } = describeBody(response.body);
  if (response.status === 401) return WRONG_CREDENTIALS;
  if (response.status === 429) return 'The token endpoint is rate limited: wait a minute and run again.';
  if (code === 'unauthorized_client')
    return 'The application may not use the client-credentials grant: enable "Client Credentials" in Auth0 dashboard > Applications > (your application) > Advanced Settings > Grant Types.';
  if (response.status === 403 && /service not found|audience/i.test(message))
    return "Auth0 does not know that audience: leave audience empty, or set it to https://<canonical domain>/api/v2/ (the tenant's own domain, not a custom domain).";
  if (response.status === 403)
    return 'The application may not call the Management API: in Auth0 dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications, authorise it and grant create:users (and the other scopes your inputs need).';
  if (code === 'invalid_client') return WRONG_CREDENTIALS;
  return 'Check domain, client-id and client-secret.';
}

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
  #token: Promise<string> | undefined;
  #current: string | undefined;
  #renewed = false;
  readonly #api: ApiClient;
  readonly #credentials: TokenCredentials;
  readonly #setSecret: (value: string) => void;

  constructor(api: ApiClient, credentials: TokenCredentials, setSecret: (value: string) => void) {
    this.#api = api;
    this.#credentials = credentials;
    this.#setSecret = setSecret;
    if (credentials.kind === 'token') {
      this.#current = credentials.token;
      this.#token = Promise.resolve(credentials.token);
      this.scopes = scopesOfJwt(credentials.token);
    }
  }

  token(): Promise<string> {
    // Concurrent requests share one grant request.
    this.#token ??= this.#fetch().then(
      (token) => (this.#current = token),
      (error: unknown) => {
        this.#token = undefined;
        throw error;
      },
    );
    return this.#token;
  }

  renewAfterRefusal(refused: string): boolean {
    if (this.#current !== refused) return true;
    // A token given as it is cannot be renewed; one renewal a run covers a token that expired or
    // was rotated (tokens last 24 h, a run at most 6): a second refusal is for good.
    if (this.#credentials.kind === 'token' || this.#renewed) return false;
    this.#renewed = true;
    this.#token = undefined;
    this.#current = undefined;
    return true;
  }

  async #fetch(): Promise<string> {
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
    });
    const body = response.body as { access_token?: unknown; scope?: unknown } | undefined;
    if (response.status >= 200 && response.status < 300 && typeof body?.access_token === 'string') {
      this.#setSecret(body.access_token);
      this.scopes = scopesOf(body.scope);
      return body.access_token;
    }
    throw new TokenError(
      `${new Auth0Error(response.status, response.body, 'Getting a Management API token').message}. ${tokenErrorAdvice(response)}`,
    );
  }
}
