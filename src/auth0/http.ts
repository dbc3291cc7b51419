/**
 * The one door to Auth0: every request passes here, so auth, rate limits, retries and timeouts are
 * decided in one place and callers only say what they want.
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { backoffMs, type Clock, type TimingPolicy } from './timing.js';

export interface RequestBody {
  contentType: string;
  data: string | Buffer;
}

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/api/v2/jobs/job_abc`. */
  path: string;
  body?: RequestBody;
  /**
   * Whether sending it twice is harmless. When false (creating a job without upsert), a request
   * whose fate is unknown is never sent again: it ends in an UncertainError.
   */
  repeatable: boolean;
  /** Only the token request itself goes without a bearer token. */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
}

/** Auth0 answered, finally, with something other than success. */
export class Auth0Error extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, body: unknown, context: string) {
    const { message, code } = describeBody(body);
    super(`${context}: Auth0 answered ${status}${code ? ` ${code}` : ''}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

/** A request that Auth0 may or may not have carried out: its answer was lost. */
export class UncertainError extends Error {}

/** The run was cancelled while waiting for, or during, a request. */
export class CancelledError extends Error {
  /** The request was on its way: Auth0 may have carried it out. */
  readonly inFlight: boolean;
  constructor(inFlight = false) {
    super('Cancelled');
    this.inFlight = inFlight;
  }
}

export function describeBody(body: unknown): { message: string; code: string | undefined } {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const message = record.message ?? record.error_description ?? record.error ?? JSON.stringify(body);
    const code = record.errorCode ?? record.error;
    return { message: String(message), code: typeof code === 'string' ? code : undefined };
  }
  return { message: typeof body === 'string' && body ? body.slice(0, 300) : '(no body)', code: undefined };
}

/** Auth0's job-limit 429 shares its status with the rate-limit 429 but means something else entirely. */
export function isJobLimit(response: ApiResponse): boolean {
  return response.status === 429 && /active import users jobs/i.test(describeBody(response.body).message);
}

/** Connection failures that happen before any byte of the request can have reached Auth0. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
}

export interface TokenProvider {
  /** A bearer token, fetched or refreshed as needed. */
  token(signal?: AbortSignal): Promise<string>;
  /** Called after a 401: drop the token. Returns false when there is no way to get another one. */
  invalidate(): boolean;
}

export interface ApiStats {
  requests: Record<string, number>;
  rateLimited: number;
  retried: number;
}

export interface ApiClientOptions {
  origin: string;
  clock: Clock;
  timing: TimingPolicy;
  log: (message: string) => void;
  dispatcher?: Dispatcher;
}

/** Route names for stats and logs: ids collapsed so counts add up by kind of request. */
export function routeOf(method: string, path: string): string {
  return `${method} ${path.replace(/\?.*$/, '').replace(/\/job_[^/]+/, '/{id}')}`;
}

function headerValue(headers: ApiResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class ApiClient {
  readonly stats: ApiStats = { requests: {}, rateLimited: 0, retried: 0 };
  #tokens: TokenProvider | undefined;
  /** No request leaves before this time: Auth0 said the bucket is empty until then. */
  #quietUntil = 0;
  readonly #options: ApiClientOptions;
  readonly #dispatcher: Dispatcher;

  constructor(options: ApiClientOptions) {
    this.#options = options;
    // Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY; honour them only then.
    const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(
      (name) => process.env[name],
    );
    this.#dispatcher = options.dispatcher ?? (proxied ? new EnvHttpProxyAgent() : new Agent());
  }

  useTokens(tokens: TokenProvider): void {
    this.#tokens = tokens;
  }

  async close(): Promise<void> {
    if (!this.#options.dispatcher) await this.#dispatcher.close();
  }

  /**
   * Sends a request, waiting out rate limits and retrying what is safe to retry. Returns the final
   * response (success or not, including the job-limit 429, which only the caller can judge).
   */
  async send(api: ApiRequest): Promise<ApiResponse> {
    const { clock, timing, log } = this.#options;
    const route = routeOf(api.method, api.path);
    let attempt = 0;
    let rateLimitWaits = 0;
    let refreshed = false;
    for (;;) {
      await this.#waitForQuota(api.signal);
      const outcome = await this.#sendOnce(api, route);
      if (outcome.kind === 'error') {
        const notSent = NOT_SENT_CODES.has(errorCode(outcome.error) ?? '');
        if (!notSent && !api.repeatable) {
          throw new UncertainError(
            `${route}: the answer was lost (${describeError(outcome.error)}); Auth0 may have carried it out`,
          );
        }
        if (++attempt >= timing.maxAttempts) {
          throw new Error(
            `${route}: no answer from Auth0 after ${attempt} attempts (${describeError(outcome.error)})`,
          );
        }
        await this.#retryAfter(route, describeError(outcome.error), attempt, api.signal);
        continue;
      }
      const response = outcome.response;
      if (response.status === 429 && !isJobLimit(response)) {
        this.stats.rateLimited++;
        if (++rateLimitWaits > timing.maxRateLimitWaits) return response;
        const waitMs = this.#rateLimitWait(response);
        log(`${route}: rate limit reached; waiting ${(waitMs / 1000).toFixed(1)} s as Auth0 asks`);
        this.#quietUntil = Math.max(this.#quietUntil, clock.now() + waitMs);
        continue;
      }
      if (response.status === 401 && !api.anonymous && !refreshed && this.#tokens?.invalidate()) {
        // Auth0 checks the token before doing anything, so a 401 is safe to send again once.
        refreshed = true;
        log(`${route}: the token was refused; getting a new one`);
        continue;
      }
      const transient =
        response.status === 502 ||
        response.status === 503 ||
        ((response.status === 500 || response.status === 504) && api.repeatable);
      if (!transient) {
        if (response.status >= 500 && !api.repeatable) {
          throw new UncertainError(
            `${route}: Auth0 answered ${response.status}; it may have carried the request out`,
          );
        }
        return response;
      }
      if (++attempt >= timing.maxAttempts) return response;
      await this.#retryAfter(route, `Auth0 answered ${response.status}`, attempt, api.signal);
    }
  }

  async #sendOnce(
    api: ApiRequest,
    route: string,
  ): Promise<{ kind: 'response'; response: ApiResponse } | { kind: 'error'; error: unknown }> {
    const { origin, timing } = this.#options;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'auth0-user-import' };
    if (api.body) headers['content-type'] = api.body.contentType;
    if (!api.anonymous) {
      if (!this.#tokens) throw new Error('No credentials to call the Management API with');
      // A cancelled token request is not this request: this one has not left yet.
      const token = await this.#tokens.token(api.signal).catch((error: unknown) => {
        throw error instanceof CancelledError ? new CancelledError() : error;
      });
      headers.authorization = `Bearer ${token}`;
    }
    this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
    try {
      const answer = await request(`${origin}${api.path}`, {
        method: api.method,
        headers,
        body: api.body?.data ?? null,
        dispatcher: this.#dispatcher,
        headersTimeout: timing.requestTimeoutMs,
        bodyTimeout: timing.requestTimeoutMs,
        signal: api.signal ?? null,
      });
      const text = await answer.body.text();
      const response: ApiResponse = {
        status: answer.statusCode,
        headers: answer.headers,
        body: parseBody(text),
      };
      this.#noteQuota(response);
      return { kind: 'response', response };
    } catch (error) {
      if (api.signal?.aborted) throw new CancelledError(true);
      return { kind: 'error', error };
    }
  }

  /**
   * Stays under the limit instead of running into it. When the bucket is empty, x-ratelimit-reset
   * says when it is full again; a token bucket refills evenly, so one request's worth comes back
   * after that time divided by the bucket's size (x-ratelimit-limit).
   */
  #noteQuota(response: ApiResponse): void {
    const remaining = headerValue(response.headers, 'x-ratelimit-remaining');
    const reset = Number(headerValue(response.headers, 'x-ratelimit-reset'));
    if (remaining === undefined || Number(remaining) > 0 || !Number.isFinite(reset)) return;
    const { clock } = this.#options;
    const limit = Math.max(1, Number(headerValue(response.headers, 'x-ratelimit-limit')) || 1);
    const untilFull = Math.min(Math.max(reset * 1000 - clock.now(), 0), 60_000);
    this.#quietUntil = Math.max(
      this.#quietUntil,
      clock.now() + untilFull / limit + 50 + 200 * clock.random(),
    );
  }

  /** Retry-After first, then x-ratelimit-reset (as Auth0's own SDK does), each with jitter. */
  #rateLimitWait(response: ApiResponse): number {
    const { clock, timing } = this.#options;
    const jitter = 100 + 400 * clock.random();
    const retryAfter = headerValue(response.headers, 'retry-after');
    if (retryAfter !== undefined) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - clock.now();
      if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), 60_000) + jitter;
    }
    const reset = Number(headerValue(response.headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset)) return Math.min(Math.max(reset * 1000 - clock.now(), 0), 60_000) + jitter;
    return backoffMs(this.stats.rateLimited, timing.retryInitialMs, timing.retryMaxMs, clock.random());
  }

  async #retryAfter(route: string, why: string, attempt: number, signal?: AbortSignal): Promise<void> {
    const { clock, timing, log } = this.#options;
    const waitMs = backoffMs(attempt - 1, timing.retryInitialMs, timing.retryMaxMs, clock.random());
    this.stats.retried++;
    log(
      `${route}: ${why}; retrying in ${(waitMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${timing.maxAttempts})`,
    );
    await clock.sleep(waitMs, signal);
    if (signal?.aborted) throw new CancelledError();
  }

  async #waitForQuota(signal?: AbortSignal): Promise<void> {
    const { clock } = this.#options;
    const waitMs = this.#quietUntil - clock.now();
    if (waitMs > 0) await clock.sleep(waitMs, signal);
    if (signal?.aborted) throw new CancelledError();
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}
