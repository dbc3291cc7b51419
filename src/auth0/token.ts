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

/** How long before a token's expiry it is renewed: a minute, or a third of its life when that is shorter. */
export function renewalMarginMs(expiresInSeconds: number): number {
  return Math.min(60_000, (expiresInSeconds * 1000) / 3);
}

/** One token from the grant, and when to renew it. */
interface GrantedToken {
  value: string;
  /** Clock ms from which it is renewed before use; Infinity when Auth0 gave no lifetime. */
  renewAt: number;
  /** It replaced a token Auth0 refused: refused too, the credentials themselves are at fault. */
  afterRefusal: boolean;
}

export class ManagementTokens implements TokenProvider {
  /** Scopes of the current token, undefined when Auth0 did not say. */
  scopes: string[] | undefined;
  #token: Promise<GrantedToken> | undefined;
  #current: GrantedToken | undefined;
  readonly #api: ApiClient;
  readonly #credentials: TokenCredentials;
  readonly #setSecret: (value: string) => void;
  readonly #now: () => number;

  constructor(
    api: ApiClient,
    credentials: TokenCredentials,
    setSecret: (value: string) => void,
    now: () => number = Date.now,
  ) {
    this.#api = api;
    this.#credentials = credentials;
    this.#setSecret = setSecret;
    this.#now = now;
    if (credentials.kind === 'token') {
      this.#current = { value: credentials.token, renewAt: Infinity, afterRefusal: false };
      this.#token = Promise.resolve(this.#current);
      this.scopes = scopesOfJwt(credentials.token);
    }
  }

  async token(): Promise<string> {
    // Renewed ahead of its expiry: a tenant may give Management API tokens a lifetime of seconds.
    if (this.#current && this.#now() >= this.#current.renewAt) this.#renew(false);
    // Concurrent requests share one grant request.
    this.#token ??= this.#fetch().then(
      (token) => (this.#current = token),
      (error: unknown) => {
        this.#token = undefined;
        throw error;
      },
    );
    return (await this.#token).value;
  }

  renewAfterRefusal(refused: string): boolean {
    const current = this.#current;
    if (current?.value !== refused) return true;
    // A token given as it is cannot be renewed. A token from the grant (or renewed ahead of its expiry)
    // that Auth0 refuses has expired early or was revoked: renew it once. A refusal of the token that
    // replaced it means the credentials themselves are refused: that is for good.
    if (this.#credentials.kind === 'token' || current.afterRefusal) return false;
    this.#renew(true);
    return true;
  }

  #renew(afterRefusal: boolean): void {
    this.#current = undefined;
    this.#token = this.#fetch(afterRefusal).then(
      (token) => (this.#current = token),
      (error: unknown) => {
        this.#token = undefined;
        throw error;
      },
    );
    // A renewal nobody waits for must not become an unhandled rejection; the next token() sees it.
    this.#token.catch(() => undefined);
  }

  async #fetch(afterRefusal = false): Promise<GrantedToken> {
    if (this.#credentials.kind === 'token')
      return { value: this.#credentials.token, renewAt: Infinity, afterRefusal };
    const { clientId, clientSecret, audience } = this.#credentials;
    const askedAt = this.#now();
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
    const body = response.body as
      { access_token?: unknown; scope?: unknown; expires_in?: unknown } | undefined;
    if (response.status >= 200 && response.status < 300 && typeof body?.access_token === 'string') {
      this.#setSecret(body.access_token);
      this.scopes = scopesOf(body.scope);
      const lifetime =
        typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
      // Counted from when it was asked for: Auth0 started the lifetime somewhere before the answer.
      const renewAt = lifetime ? askedAt + lifetime * 1000 - renewalMarginMs(lifetime) : Infinity;
      return { value: body.access_token, renewAt, afterRefusal };
    }
    throw new TokenError(
      `${new Auth0Error(response.status, response.body, 'Getting a Management API token').message}. ${tokenErrorAdvice(response)}`,
    );
  }
}
