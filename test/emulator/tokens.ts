import type { Clock } from './clock.js';
import { randomToken } from './ids.js';
import type { Client } from './options.js';
import { oauthError, type Reply } from './reply.js';

/** What a bearer token on an `/api/v2/` request turned out to be. */
export type TokenCheck = { valid: true; scopes: readonly string[] } | { valid: false; message: string };

/** The `error` of the 401 to a wrong client id or secret: Auth0 has been seen answering either. */
export type BadCredentialsError = 'access_denied' | 'invalid_client';

interface IssuedToken {
  scopes: readonly string[];
  expiresAt: number;
}

/** `/oauth/token` (client credentials) and the bearer-token check of every `/api/v2/` route. */
export class TokenIssuer {
  readonly #clients: readonly Client[];
  readonly #audience: string;
  readonly #expiresIn: number;
  readonly #clock: Clock;
  readonly #badCredentials: BadCredentialsError;
  readonly #tokens = new Map<string, IssuedToken>();

  constructor(
    clients: readonly Client[],
    audience: string,
    expiresInSeconds: number,
    clock: Clock,
    badCredentials: BadCredentialsError,
  ) {
    this.#clients = clients;
    this.#audience = audience;
    this.#expiresIn = expiresInSeconds;
    this.#clock = clock;
    this.#badCredentials = badCredentials;
  }

  /** Answers a token request; the checks run in the order Auth0's error answers suggest. */
  issue(contentType: string | undefined, body: Buffer): Reply {
    const params = readTokenParams(contentType, body);
    if (!params) {
      return oauthError(
        400,
        'invalid_request',
        'The body must be JSON or application/x-www-form-urlencoded.',
      );
    }
    const grantType = params.get('grant_type');
    if (!grantType) return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
    if (grantType !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    }
    const client = this.#clients.find((c) => c.id === params.get('client_id'));
    if (!client || client.secret !== params.get('client_secret')) {
      return oauthError(401, this.#badCredentials, 'Unauthorized');
    }
    if (!client.clientCredentials) {
      return oauthError(
        403,
        'unauthorized_client',
        "Grant type 'client_credentials' not allowed for the client.",
      );
    }
    const audience = params.get('audience');
    if (!audience) {
      return oauthError(
        403,
        'access_denied',
        'No audience parameter was provided, and no default audience has been configured',
      );
    }
    if (audience !== this.#audience)
      return oauthError(403, 'access_denied', `Service not found: ${audience}`);
    if (!client.grant) {
      return oauthError(
        403,
        'access_denied',
        `Client is not authorized to access "${this.#audience}". You need to create a "client-grant" associated to this API. ` +
          'See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants',
      );
    }
    const accessToken = randomToken();
    this.#tokens.set(accessToken, {
      scopes: client.scopes,
      expiresAt: this.#clock.now() + this.#expiresIn * 1000,
    });
    const json = {
      access_token: accessToken,
      expires_in: this.#expiresIn,
      scope: client.scopes.join(' '),
      token_type: 'Bearer',
    };
    return { status: 200, json };
  }

  /** Checks an `Authorization` header. */
  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return { valid: false, message: 'Missing authentication' };
    const token = this.#tokens.get(match[1]);
    if (!token) return { valid: false, message: 'Invalid token' };
    if (this.#clock.now() >= token.expiresAt) {
      return { valid: false, message: 'Expired token received for JSON Web Token validation' };
    }
    return { valid: true, scopes: token.scopes };
  }

  /** Forgets every token issued so far: they answer 401 "Invalid token" from now on. */
  revokeAll(): void {
    this.#tokens.clear();
  }
}

function readTokenParams(contentType: string | undefined, body: Buffer): Map<string, string> | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') {
    return new Map(new URLSearchParams(body.toString('utf8')));
  }
  if (mediaType !== 'application/json') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const params = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') params.set(key, value);
  return params;
}
