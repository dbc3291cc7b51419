/** Time, handed in at the edge so scheduling and retry decisions can be tested without waiting. */

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** In [0, 1): jitter, so parallel runners do not retry in lockstep. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    }),
  random: () => Math.random(),
};

/** How patiently the client waits; the defaults suit the real service, tests and benches scale them. */
export interface TimingPolicy {
  /** First status poll after a job is created, and the factor and cap of later ones. */
  pollInitialMs: number;
  pollFactor: number;
  pollMaxMs: number;
  /** Backoff for 502/503/504, lost connections and the job-limit 429 when none of our jobs is running. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** Attempts of one request before its failure is final (rate-limit waits are bounded separately). */
  maxAttempts: number;
  /** Rate-limit 429s tolerated for one request before giving up. */
  maxRateLimitWaits: number;
  /** A single request's limit, from sending to the end of its response. */
  requestTimeoutMs: number;
  /** How much earlier than Auth0's whole-second time_left_seconds to look at a job again. */
  pollEarlyMs: number;
  /** At least this often a progress line while waiting. */
  progressEveryMs: number;
}

export const DEFAULT_TIMING: TimingPolicy = {
  pollInitialMs: 1_000,
  pollFactor: 2,
  pollMaxMs: 15_000,
  retryInitialMs: 500,
  retryMaxMs: 30_000,
  maxAttempts: 5,
  maxRateLimitWaits: 20,
  requestTimeoutMs: 60_000,
  pollEarlyMs: 250,
  progressEveryMs: 30_000,
};

/** Exponential backoff with "equal jitter": half fixed, half random, so waits never collapse to zero. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
