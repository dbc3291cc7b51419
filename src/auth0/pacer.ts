/**
 * The tenant's rate-limit bucket as Auth0 describes it (x-ratelimit-limit / -remaining / -reset on
 * its 2xx answers): how many requests it holds now, and when the next request may leave, whether
 * because the bucket ran dry or because a 429 said so.
 */
import { backoffMs, type Clock, type TimingPolicy } from './timing.js';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What Auth0 last said of the tenant's rate-limit bucket (its 2xx answers carry it). */
export interface Quota {
  limit: number;
  remaining: number;
  /** Unix seconds when the bucket is full again. */
  reset: number;
  /** Clock milliseconds of the answer that said so; undefined when not known. */
  at?: number;
}

/**
 * Requests the bucket holds now, as far as the last answer tells: `remaining` then, refilled evenly
 * until `reset`, when it is full. Reset is rounded up to the second, so this errs low. Infinity
 * when Auth0 has not said (nothing to go by, nothing to hold back for).
 */
export function spareRequests(quota: Quota | undefined, now: number): number {
  if (!quota) return Infinity;
  const full = quota.reset * 1000;
  const at = quota.at ?? now;
  if (now >= full || full <= at) return quota.limit;
  const refilled = Math.floor(((quota.limit - quota.remaining) * Math.max(0, now - at)) / (full - at));
  return Math.min(quota.limit, quota.remaining + refilled);
}

/** Auth0's waits are capped here: a minute is the longest any bucket takes to fill. */
const LONGEST_WAIT_MS = 60_000;

export class RateLimitPacer {
  #quota: Quota | undefined;
  /** No request leaves before this time: Auth0 said the bucket is empty until then. */
  #quietUntil = 0;
  readonly #clock: Clock;
  readonly #timing: TimingPolicy;

  constructor(clock: Clock, timing: TimingPolicy) {
    this.#clock = clock;
    this.#timing = timing;
  }

  /** The bucket as Auth0 last described it; undefined until an answer carried the headers. */
  get quota(): Quota | undefined {
    return this.#quota;
  }

  /** Clock time before which the next request waits for the rate limit (0: none). */
  get quietUntil(): number {
    return this.#quietUntil;
  }

  spare(now: number): number {
    return spareRequests(this.#quota, now);
  }

  /**
   * Stays under the limit instead of running into it. x-ratelimit-reset is when the bucket is full
   * again (in whole seconds, rounded up), not when one more request is allowed: a token bucket
   * refills evenly, so with none left the next comes within that time over the bucket's size
   * (x-ratelimit-limit), and no later. Auth0 sends these headers on 2xx answers only, so their
   * absence means nothing. The jitter, a fraction of the wait, keeps runners sharing a tenant out
   * of step without adding a fixed pause to every short wait. Returns the pause it set, if any.
   */
  noteAnswer(headers: ResponseHeaders): number | undefined {
    const clock = this.#clock;
    const remaining = headerValue(headers, 'x-ratelimit-remaining');
    const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
    const size = Number(headerValue(headers, 'x-ratelimit-limit'));
    if (remaining !== undefined && Number.isFinite(reset) && Number.isFinite(size))
      this.#quota = { limit: size, remaining: Number(remaining), reset, at: clock.now() };
    if (remaining === undefined || Number(remaining) > 0 || !Number.isFinite(reset)) return undefined;
    const limit = Math.max(1, Number(headerValue(headers, 'x-ratelimit-limit')) || 1);
    const untilFull = Math.min(Math.max(reset * 1000 - clock.now(), 0), LONGEST_WAIT_MS);
    const pauseMs = (untilFull / limit) * (1 + 0.1 * clock.random());
    this.#quietUntil = Math.max(this.#quietUntil, clock.now() + pauseMs);
    return pauseMs;
  }

  /**
   * After a rate-limit 429 (the `count`th of the client): no request leaves for as long as Auth0
   * asks. Returns that wait.
   */
  rateLimited(headers: ResponseHeaders, count: number): number {
    const waitMs = this.#rateLimitWait(headers, count);
    this.#quietUntil = Math.max(this.#quietUntil, this.#clock.now() + waitMs);
    return waitMs;
  }

  /** Retry-After first, then x-ratelimit-reset (as Auth0's own SDK does), each with jitter. */
  #rateLimitWait(headers: ResponseHeaders, count: number): number {
    const clock = this.#clock;
    const jitter = 100 + 400 * clock.random();
    const retryAfter = headerValue(headers, 'retry-after');
    if (retryAfter !== undefined) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - clock.now();
      if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), LONGEST_WAIT_MS) + jitter;
    }
    const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset))
      return Math.min(Math.max(reset * 1000 - clock.now(), 0), LONGEST_WAIT_MS) + jitter;
    return backoffMs(count, this.#timing.retryInitialMs, this.#timing.retryMaxMs, clock.random());
  }
}
