import type { Clock } from './clock.js';

/** Auth0's Management API limit: one token bucket per tenant. Free tenants: rate 2, burst 2. */
export interface RateLimitOptions {
  /** Tokens added per second. */
  rate: number;
  /** Bucket size: requests allowed at once from a full bucket (`x-ratelimit-limit`). */
  burst: number;
  /**
   * Add `Retry-After` (seconds) to the 429. Auth0 does not document it; Auth0's own Go SDK reads it
   * first and falls back to `x-ratelimit-reset`, so clients should handle both.
   */
  retryAfter?: boolean;
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class TokenBucket {
  readonly #options: RateLimitOptions;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;

  constructor(options: RateLimitOptions, clock: Clock) {
    this.#options = options;
    this.#clock = clock;
    this.#tokens = options.burst;
    this.#updatedAt = clock.now();
  }

  /** Spends one token when there is one; the headers describe the bucket after that. */
  take(): RateLimitDecision {
    const now = this.#clock.now();
    const { rate, burst } = this.#options;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#updatedAt) / 1000) * rate);
    this.#updatedAt = now;
    const allowed = this.#tokens >= 1;
    if (allowed) this.#tokens -= 1;
    const msUntilFull = ((burst - this.#tokens) / rate) * 1000;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(burst),
      'x-ratelimit-remaining': String(Math.floor(this.#tokens)),
      'x-ratelimit-reset': String(Math.ceil((now + msUntilFull) / 1000)),
    };
    if (!allowed && this.#options.retryAfter) {
      const msUntilNextToken = ((1 - this.#tokens) / rate) * 1000;
      headers['retry-after'] = String(Math.max(1, Math.ceil(msUntilNextToken / 1000)));
    }
    return { allowed, headers };
  }
}
