import type { ImportJob, JobBoard } from './jobs.js';
import type { RouteName } from './routes.js';
import type { TokenIssuer } from './tokens.js';

/** Which request a fault hits: `'next'` (same as 1) or the Nth matching request from the moment it is armed. */
export type Nth = number | 'next';

/**
 * What becomes of the create request hit:
 * - `unavailable`: 503 with an HTML page (as a gateway would), and no job is created;
 * - `error-after-create`: the request is handled (the job is created when it is valid), then answered 500;
 * - `reset-after-create`: the request is handled, then the socket is reset with no answer.
 */
export type CreateFault = 'unavailable' | 'error-after-create' | 'reset-after-create';

/** What becomes of the status request hit: `error` answers 500, `reset` resets the socket with no answer. */
export type StatusFault = 'error' | 'reset';

/** A job id, `'next'` (the next job created) or `'all'` (every job not ended yet, and every job created from now). */
export type JobSelector = string | 'next' | 'all';

/** Routes a delay can target; `any` is every route. */
export type DelayTarget = RouteName | 'any';

/** How the server must answer one request, as the armed faults decide. */
export interface RequestEffects {
  /** 503 before doing anything (creates only). */
  unavailable: boolean;
  /** The job-limit 429 though slots are free (creates only). */
  jobLimit: boolean;
  /** Handle the request, then answer 500 instead. */
  error: boolean;
  /** Handle the request, then reset the socket. */
  reset: boolean;
}

type CountedRoute = 'create-job' | 'job-status';
type RequestEffect = keyof RequestEffects;

interface RequestRule {
  route: CountedRoute;
  /** 1-based numbers of the requests hit, counted per route since the emulator started. */
  first: number;
  last: number;
  effect: RequestEffect;
}

interface DelayRule {
  route: DelayTarget;
  ms: number;
  remaining: number;
}

type JobEffect = { kind: 'stuck' } | { kind: 'fail'; statusDetails: string } | { kind: 'expire' };

interface JobRule {
  scope: 'next' | 'all';
  effect: JobEffect;
}

const DEFAULT_STATUS_DETAILS = 'An internal error occurred while processing the job.';

/**
 * Faults a test arms on a running emulator. Every method arms one more fault; faults compose (a delay
 * and an error can hit the same request) and each applies to requests that reach the route's handler,
 * that is after the rate limit and the token check. `clear()` disarms what has not fired yet.
 */
export class Faults {
  readonly #jobs: JobBoard;
  readonly #tokens: TokenIssuer;
  readonly #seen: Record<CountedRoute, number> = { 'create-job': 0, 'job-status': 0 };
  #requestRules: RequestRule[] = [];
  #delayRules: DelayRule[] = [];
  #jobRules: JobRule[] = [];

  constructor(jobs: JobBoard, tokens: TokenIssuer) {
    this.#jobs = jobs;
    this.#tokens = tokens;
  }

  /**
   * Makes the Nth create request from now fail.
   * @example faults.failCreate('next', 'reset-after-create') // the job exists, the client never hears of it
   */
  failCreate(nth: Nth, kind: CreateFault): void {
    const effect = (
      { unavailable: 'unavailable', 'error-after-create': 'error', 'reset-after-create': 'reset' } as const
    )[kind];
    this.#armRequest('create-job', nth, 1, effect);
  }

  /** Answers the next `count` create requests with the job-limit 429, as if another importer held the slots. */
  rejectCreatesWithJobLimit(count = 1): void {
    this.#armRequest('create-job', 'next', count, 'jobLimit');
  }

  /** Makes the Nth `GET /api/v2/jobs/{id}` request from now fail, whatever the job. */
  failStatus(nth: Nth, kind: StatusFault): void {
    this.#armRequest('job-status', nth, 1, kind);
  }

  /**
   * Holds the answers of a route back by `ms` after the request was handled (a create has created its
   * job by then), for the next `times` requests (default: all). Delays on the same request add up.
   */
  delay(route: DelayTarget, ms: number, times = Infinity): void {
    this.#delayRules.push({ route, ms, remaining: times });
  }

  /** Keeps jobs from ever ending: they turn `processing` and stay so (not even Auth0's 2-hour timeout). */
  keepProcessing(job: JobSelector): void {
    this.#armJob(job, { kind: 'stuck' });
  }

  /**
   * Ends jobs `failed` with `status_details` and no summary, importing nothing. An existing job fails
   * now; a job created later fails when it would have completed.
   */
  failJob(job: JobSelector, statusDetails = DEFAULT_STATUS_DETAILS): void {
    this.#armJob(job, { kind: 'fail', statusDetails });
  }

  /** Deletes jobs before their time: 404 from then on, errors included; they no longer count as active. */
  expireJob(job: JobSelector): void {
    this.#armJob(job, { kind: 'expire' });
  }

  /** Invalidates every token issued so far: 401 "Invalid token" until the client asks for a new one. */
  revokeTokens(): void {
    this.#tokens.revokeAll();
  }

  /** Disarms every fault that has not fired yet; what has been done to jobs stays. */
  clear(): void {
    this.#requestRules = [];
    this.#delayRules = [];
    this.#jobRules = [];
  }

  /** @internal Counts a request that reached its handler and says which faults hit it. */
  effectsFor(route: RouteName): RequestEffects {
    const effects: RequestEffects = { unavailable: false, jobLimit: false, error: false, reset: false };
    if (route !== 'create-job' && route !== 'job-status') return effects;
    const number = ++this.#seen[route];
    for (const rule of this.#requestRules) {
      if (rule.route === route && rule.first <= number && number <= rule.last) effects[rule.effect] = true;
    }
    this.#requestRules = this.#requestRules.filter((rule) => rule.route !== route || rule.last > number);
    return effects;
  }

  /** @internal How long to hold back the answer to a request of this route. */
  delayFor(route: RouteName): number {
    let total = 0;
    for (const rule of this.#delayRules) {
      if (rule.route !== 'any' && rule.route !== route) continue;
      total += rule.ms;
      rule.remaining--;
    }
    this.#delayRules = this.#delayRules.filter((rule) => rule.remaining > 0);
    return total;
  }

  /** @internal Applies the armed `'next'` and `'all'` job faults to a job just created. */
  jobCreated(job: ImportJob): void {
    for (const rule of this.#jobRules) this.#apply(job, rule.effect, 'when-due');
    this.#jobRules = this.#jobRules.filter((rule) => rule.scope === 'all');
  }

  #armRequest(route: CountedRoute, nth: Nth, count: number, effect: RequestEffect): void {
    const offset = nth === 'next' ? 1 : nth;
    if (!Number.isInteger(offset) || offset < 1)
      throw new Error(`Faults: nth must be 'next' or an integer ≥ 1`);
    const first = this.#seen[route] + offset;
    this.#requestRules.push({ route, first, last: first + count - 1, effect });
  }

  #armJob(selector: JobSelector, effect: JobEffect): void {
    if (selector === 'next' || selector === 'all') {
      this.#jobRules.push({ scope: selector, effect });
      if (selector === 'all') {
        for (const job of this.#jobs.all()) {
          if (!job.expired && (job.status === 'pending' || job.status === 'processing')) {
            this.#apply(job, effect, 'now');
          }
        }
      }
      return;
    }
    const job = this.#jobs.all().find((candidate) => candidate.id === selector);
    if (!job) throw new Error(`Faults: no job ${selector}`);
    this.#apply(job, effect, 'now');
  }

  /** A job that exists already fails now; a new one fails when it would have completed. */
  #apply(job: ImportJob, effect: JobEffect, failWhen: 'now' | 'when-due'): void {
    if (effect.kind === 'stuck') this.#jobs.keepProcessing(job);
    else if (effect.kind === 'fail') this.#jobs.fail(job, effect.statusDetails, failWhen);
    else this.#jobs.expire(job);
  }
}
