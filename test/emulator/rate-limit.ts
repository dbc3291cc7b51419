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
  /**
   * Headers for the answer: `x-ratelimit-*` when it will be a 2xx (recorded real traffic carries them on
   * every 2xx and on no 4xx), `Retry-After` on the 429 when asked for.
   */
  headersFor(status: number): Record<string, string>;
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
    const tokens = this.#tokens;
    const msUntilFull = ((burst - tokens) / rate) * 1000;
    const retryAfter = !allowed && this.#options.retryAfter;
    const headersFor = (status: number): Record<string, string> => {
      if (status >= 200 && status < 300) {
        return {
          'x-ratelimit-limit': String(burst),
          'x-ratelimit-remaining': String(Math.floor(tokens)),
          'x-ratelimit-reset': String(Math.ceil((now + msUntilFull) / 1000)),
        };
      }
      if (!retryAfter) return {};
      const msUntilNextToken = ((1 - tokens) / rate) * 1000;
      return { 'retry-after': String(Math.max(1, Math.ceil(msUntilNextToken / 1000))) };
    };
    return { allowed, headersFor };
  }
}
