/**
 * The one door to Auth0: every request passes here, so auth, headers, the run's deadline and
 * cancellation are applied in one place, with the rate-limit bucket (pacer.ts) and the retry policy
 * (retry-policy.ts) consulted on every attempt, and callers only say what they want.
 */
import type { Readable } from 'node:stream';
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { pathOf, routeOf, sendAttempt } from './attempt.js';
import { CancelledError, DeadlineError } from './errors.js';
import { RateLimitPacer, type Quota, type ResponseHeaders } from './pacer.js';
import { errorCode, RequestRetries } from './retry-policy.js';
import { backoffMs, type Clock, type TimingPolicy } from './timing.js';

// What `send` and `download` throw, and the bucket `quota` describes, are the client's words too.
export * from './errors.js';
export type { Quota } from './pacer.js';

export interface RequestBody {
  contentType: string;
  data: string | Buffer;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v2/jobs/job_abc`. */
  path: string;
  body?: RequestBody;
  /**
   * Whether sending it twice is harmless. When false (creating a job without upsert), a request
   * that may have reached Auth0 is never sent again: a lost answer or any 5xx ends in an
   * UncertainError. Only a refusal before sending (connection refused) or a rate-limit 429, which
   * Auth0 answers without acting, is sent again.
   */
  repeatable: boolean;
  /** Only the token request itself goes without a bearer token. */
  anonymous?: boolean;
}

/** A download's answer with its body left unread: the caller streams it, and must consume or destroy it. */
export interface DownloadResponse {
  status: number;
  headers: ResponseHeaders;
  body: Readable;
}

export interface ApiResponse {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON when the answer says it is JSON, else the raw text; undefined when empty. */
  body: unknown;
  /** Clock time the request this answers went out (after any wait for the rate limit). */
  sentAt?: number;
}

/**
 * What every request of a run shares, like a Go context: cancellation, and the moment
 * (`wait-timeout-seconds` after the start) after which nothing more is waited for.
 */
export interface RequestContext {
  signal: AbortSignal;
  /** Clock time in ms; Infinity for none. */
  deadline: number;
}

export interface TokenProvider {
  /** A bearer token, fetched as needed (through this client, so within its context). */
  token(): Promise<string>;
  /**
   * Called after Auth0 refused `refused` with a 401. True when sending again may help: a newer
   * token already replaced it, or it may be renewed (once a run). False for a token given as it is,
   * or one that was already renewed.
   */
  renewAfterRefusal(refused: string): boolean;
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
  /** Each request's method, path, status and timing, and each wait: never a header or a body. */
  debug?: (message: string) => void;
  /** Every request's cancellation and deadline. Default: never cancelled, no deadline. */
  context?: RequestContext;
  dispatcher?: Dispatcher;
}

const NEVER: RequestContext = { signal: new AbortController().signal, deadline: Infinity };

type Attempt =
  { kind: 'response'; response: ApiResponse } | { kind: 'error'; error: unknown; cappedByDeadline: boolean };

export class ApiClient {
  readonly stats: ApiStats = { requests: {}, rateLimited: 0, retried: 0 };
  readonly context: RequestContext;
  readonly pacer: RateLimitPacer;
  #tokens: TokenProvider | undefined;
  readonly #options: ApiClientOptions;
  readonly #debug: (message: string) => void;
  readonly #dispatcher: Dispatcher;

  constructor(options: ApiClientOptions) {
    this.#options = options;
    this.#debug = options.debug ?? (() => {});
    this.context = options.context ?? NEVER;
    this.pacer = new RateLimitPacer(options.clock, options.timing);
    // Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY; honour them only then.
    const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(
      (name) => process.env[name],
    );
    this.#dispatcher = options.dispatcher ?? (proxied ? new EnvHttpProxyAgent() : new Agent());
  }

  get origin(): string {
    return this.#options.origin;
  }

  /** The bucket as Auth0 last described it; undefined until an answer carried the headers. */
  get quota(): Quota | undefined {
    return this.pacer.quota;
  }

  useTokens(tokens: TokenProvider): void {
    this.#tokens = tokens;
  }

  async close(): Promise<void> {
    if (!this.#options.dispatcher) await this.#dispatcher.close();
  }

  /**
   * Sends a request, waiting out rate limits and retrying what is safe to retry, never past the
   * deadline. Returns the final response, success or not (the job-limit 429, a 404 or a 413 only the
   * caller can judge); throws UncertainError, UnreachableError, TlsError, CancelledError or
   * DeadlineError.
   */
  async send(api: ApiRequest): Promise<ApiResponse> {
    const { origin, timing, log } = this.#options;
    const route = routeOf(api.method, api.path);
    const retries = new RequestRetries({ origin, route, repeatable: api.repeatable }, timing);
    for (;;) {
      await this.#sleepUntil(this.pacer.quietUntil, `waiting for the rate limit before ${route}`);
      const token = api.anonymous ? undefined : await this.#token();
      const outcome = await this.#sendOnce(api, route, token);
      if (outcome.kind === 'error') {
        const step = retries.afterError(outcome.error, outcome.cappedByDeadline);
        if (step.kind === 'throw') throw step.error;
        await this.#retryAfter(route, step.why, step.attempt);
        continue;
      }
      const { response } = outcome;
      const step = retries.afterResponse(response, token !== undefined);
      if (step.kind === 'throw') throw step.error;
      if (step.kind === 'retry') {
        await this.#retryAfter(route, step.why, step.attempt);
        continue;
      }
      if (step.kind === 'rate-limited') {
        this.stats.rateLimited++;
        if (!step.giveUp) {
          const waitMs = this.pacer.rateLimited(response.headers, this.stats.rateLimited);
          log(`${route}: rate limit reached; waiting ${(waitMs / 1000).toFixed(1)} s as Auth0 asks`);
          continue;
        }
      }
      if (step.kind === 'renew-token' && token !== undefined && this.#tokens?.renewAfterRefusal(token)) {
        log(`${route}: the token was refused; sending again with a new one`);
        continue;
      }
      return response;
    }
  }

  /**
   * A GET of an absolute URL on another host, such as an export's pre-signed `location`: without the
   * bearer token (it would go to that host), without rate-limit bookkeeping or retries (that host is not
   * the Management API; the caller knows what a refusal means), with the body left as a stream.
   * Cancellation and the deadline apply as to every request; throws CancelledError or DeadlineError for
   * them, and undici's error when no answer came. `label` names it in stats and errors ("export file");
   * the URL itself, signed in its query, is never logged.
   */
  async download(url: string, label: string): Promise<DownloadResponse> {
    const { clock, timing } = this.#options;
    const { signal } = this.context;
    if (signal.aborted) throw new CancelledError();
    // Between two pieces of the body, not for the whole of it: a large file may take longer.
    const timeout = this.#timeout(`before downloading the ${label}`);
    const route = `GET ${label}`;
    this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
    const sentAt = clock.now();
    try {
      const answer = await request(url, {
        method: 'GET',
        headers: { 'user-agent': 'auth0-user-import' },
        dispatcher: this.#dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal,
      });
      this.#debug(`${route}: ${answer.statusCode} after ${clock.now() - sentAt} ms (headers; body streamed)`);
      return { status: answer.statusCode, headers: answer.headers, body: answer.body };
    } catch (error) {
      this.#debug(`${route}: no answer after ${clock.now() - sentAt} ms (${errorCode(error) ?? 'error'})`);
      if (signal.aborted) throw new CancelledError();
      if (timeout < timing.requestTimeoutMs && /TIMEOUT/.test(errorCode(error) ?? ''))
        throw new DeadlineError(`while downloading the ${label}`);
      throw error;
    }
  }

  /**
   * Waits, as every wait of the client does: cut short by cancellation, refused when it would pass
   * the deadline. For callers that pace themselves (reconcile leaves room for the tenant's traffic).
   */
  async waitUntil(time: number, what: string): Promise<void> {
    await this.#sleepUntil(time, what);
  }

  async #token(): Promise<string> {
    if (!this.#tokens) throw new Error('No credentials to call the Management API with');
    // A cancelled token request is not this request: this one has not left yet.
    return this.#tokens.token().catch((error: unknown) => {
      if (error instanceof CancelledError) throw new CancelledError();
      if (error instanceof DeadlineError) throw new DeadlineError('while getting a token');
      throw error;
    });
  }

  /** One attempt, counted, timed and noted in the bucket; an answer or the error that came instead. */
  async #sendOnce(api: ApiRequest, route: string, token: string | undefined): Promise<Attempt> {
    const { origin, timing, clock } = this.#options;
    const { signal } = this.context;
    const timeout = this.#timeout(`before ${route}`);
    this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
    const sentAt = clock.now();
    try {
      const answer = await sendAttempt({ origin, dispatcher: this.#dispatcher, signal }, api, token, timeout);
      this.#debug(`${pathOf(api)}: ${answer.status} after ${clock.now() - sentAt} ms`);
      const pauseMs = this.pacer.noteAnswer(answer.headers);
      if (pauseMs !== undefined)
        this.#debug(`rate-limit bucket empty: the next request waits ${Math.round(pauseMs)} ms`);
      return { kind: 'response', response: { ...answer, sentAt } };
    } catch (error) {
      this.#debug(
        `${pathOf(api)}: no answer after ${clock.now() - sentAt} ms (${errorCode(error) ?? 'error'})`,
      );
      if (signal.aborted) throw new CancelledError(true);
      return { kind: 'error', error, cappedByDeadline: timeout < timing.requestTimeoutMs };
    }
  }

  /** A request's timeout: its own limit, or less when the deadline comes first; none past the deadline. */
  #timeout(what: string): number {
    const { clock, timing } = this.#options;
    const left = this.context.deadline - clock.now();
    if (left <= 0) throw new DeadlineError(what);
    return Math.min(timing.requestTimeoutMs, left);
  }

  async #retryAfter(route: string, why: string, attempt: number): Promise<void> {
    const { clock, timing, log } = this.#options;
    const waitMs = backoffMs(attempt - 1, timing.retryInitialMs, timing.retryMaxMs, clock.random());
    this.stats.retried++;
    log(
      `${route}: ${why}; retrying in ${(waitMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${timing.maxAttempts})`,
    );
    await this.#sleepUntil(clock.now() + waitMs, `before retrying ${route}`);
  }

  /** The one sleep of the client: cut short by cancellation, refused when it would pass the deadline. */
  async #sleepUntil(time: number, what: string): Promise<void> {
    const { clock } = this.#options;
    const { signal, deadline } = this.context;
    if (signal.aborted) throw new CancelledError();
    const waitMs = time - clock.now();
    if (waitMs <= 0) return;
    if (time > deadline) throw new DeadlineError(what);
    this.#debug(`Sleeping ${Math.round(waitMs)} ms (${what})`);
    await clock.sleep(waitMs, signal);
    if (signal.aborted) throw new CancelledError();
  }
}
