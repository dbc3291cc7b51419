/**
 * Which failures of a request are permanent, which transient, and which of unknown effect, and so
 * whether it is sent again. One request's attempts and rate-limit waits are counted here; the client
 * carries out what this decides (waits, renews the token, throws).
 */
import {
  describeBody,
  DeadlineError,
  isJobLimit,
  TlsError,
  UncertainError,
  UnreachableError,
} from './errors.js';
import type { TimingPolicy } from './timing.js';

/** The request failed for good. */
type Fail = { kind: 'throw'; error: Error };
/** Back off (the `attempt`th time) and send again. */
type Retry = { kind: 'retry'; why: string; attempt: number };

/** What the client does after one attempt of a request. */
export type NextStep =
  /** The answer is final, success or not (the job-limit 429, a 404 or a 413 only the caller can judge). */
  | { kind: 'return' }
  | Fail
  | Retry
  /** A rate-limit 429: wait as Auth0 asks and send again, or, past the limit of such waits, give up. */
  | { kind: 'rate-limited'; giveUp: boolean }
  /** A 401 for the token sent: send again if the token provider can offer a newer one. */
  | { kind: 'renew-token' };

/** Connection failures that happen before any byte of the request can have reached Auth0. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The TLS handshake failed: nothing was sent, and trying again gives the same answer. */
function isTlsFailure(code: string | undefined, message: string): boolean {
  return (
    (code !== undefined &&
      (/^ERR_SSL_|^ERR_TLS_|^CERT_|^UNABLE_TO_|SELF_SIGNED|^DEPTH_ZERO|^HOSTNAME_MISMATCH/.test(code) ||
        code === 'EPROTO')) ||
    /SSL routines|wrong version number|certificate/i.test(message)
  );
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
}

function describeError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}

function tlsAdvice(origin: string, route: string, why: string): string {
  const { hostname, protocol, host } = new URL(origin);
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname);
  const hint =
    loopback && protocol === 'https:'
      ? ` A server on ${hostname} usually speaks plain HTTP: set domain to http://${host}.`
      : " Check that domain is the tenant's own domain (e.g. my-tenant.us.auth0.com) and that no proxy intercepts TLS.";
  return `${route}: the TLS handshake with ${hostname} failed (${why}).${hint}`;
}

export interface RetriedRequest {
  origin: string;
  /** Method and route, as logs and errors name it. */
  route: string;
  /**
   * Whether sending it twice is harmless. When false, a request that may have reached Auth0 is never
   * sent again: a lost answer or any 5xx ends in an UncertainError.
   */
  repeatable: boolean;
}

/** The retry policy of one request, from its first attempt to its final answer. */
export class RequestRetries {
  #attempt = 0;
  #rateLimitWaits = 0;
  readonly #request: RetriedRequest;
  readonly #timing: TimingPolicy;

  constructor(request: RetriedRequest, timing: TimingPolicy) {
    this.#request = request;
    this.#timing = timing;
  }

  /** No answer came: `cappedByDeadline` when the request's timeout was cut short by the deadline. */
  afterError(error: unknown, cappedByDeadline: boolean): Fail | Retry {
    const { origin, route, repeatable } = this.#request;
    const code = errorCode(error);
    const why = describeError(error);
    if (isTlsFailure(code, why)) return { kind: 'throw', error: new TlsError(tlsAdvice(origin, route, why)) };
    const notSent = NOT_SENT_CODES.has(code ?? '');
    if (!notSent && !repeatable) {
      return {
        kind: 'throw',
        error: new UncertainError(`${route}: the answer was lost (${why}); Auth0 may have carried it out`),
      };
    }
    if (cappedByDeadline && /TIMEOUT/.test(code ?? ''))
      return { kind: 'throw', error: new DeadlineError(`during ${route}`) };
    if (++this.#attempt >= this.#timing.maxAttempts) {
      return {
        kind: 'throw',
        error: new UnreachableError(
          `${route}: no answer from Auth0 after ${this.#attempt} attempts (${why})`,
        ),
      };
    }
    return { kind: 'retry', why, attempt: this.#attempt };
  }

  /** Auth0 answered; `tokenSent` when the request carried a bearer token. */
  afterResponse(response: { status: number; body: unknown }, tokenSent: boolean): NextStep {
    const { route, repeatable } = this.#request;
    if (response.status === 429 && !isJobLimit(response)) {
      // Auth0 refused without acting: safe to send again, even a create without upsert.
      return { kind: 'rate-limited', giveUp: ++this.#rateLimitWaits > this.#timing.maxRateLimitWaits };
    }
    // Auth0 checks the token before doing anything, so a 401 is safe to send again.
    if (response.status === 401 && tokenSent) return { kind: 'renew-token' };
    if (response.status >= 500) {
      if (!repeatable) {
        return {
          kind: 'throw',
          error: new UncertainError(
            `${route}: Auth0 answered ${response.status} (${describeBody(response.body).message}); it may have carried the request out`,
          ),
        };
      }
      if (++this.#attempt >= this.#timing.maxAttempts) return { kind: 'return' };
      return { kind: 'retry', why: `Auth0 answered ${response.status}`, attempt: this.#attempt };
    }
    return { kind: 'return' };
  }
}
