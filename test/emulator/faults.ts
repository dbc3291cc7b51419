import type { GatewayStatus } from './gateway.js';
import type { Job, JobBoard } from './jobs.js';
import { ROUTE_NAMES, type RouteName } from './routes.js';
import type { TokenIssuer } from './tokens.js';
import type { UserRefusal } from './user-store.js';

/** Which request a fault hits: `'next'` (same as 1) or the Nth matching request from the moment it is armed. */
export type Nth = number | 'next';

/**
 * What becomes of the create request hit:
 * - `gateway-error`: a Cloudflare 5xx page (503 unless told), and no job is created; `unavailable` is
 *   the same with 503;
 * - `gateway-error-after-create`: the request is handled (the job is created when it is valid), then
 *   answered with a Cloudflare 5xx page (503 unless told);
 * - `error-after-create`: the request is handled, then answered 500;
 * - `reset-after-create`: the request is handled, then the socket is reset with no answer.
 */
export type CreateFault =
  | 'unavailable'
  | 'gateway-error'
  | 'gateway-error-after-create'
  | 'error-after-create'
  | 'reset-after-create';

/** What becomes of the status request hit: `error` answers 500, `reset` resets the socket with no answer. */
export type StatusFault = 'error' | 'reset';

/**
 * What becomes of a request to any `/api/v2/` route: `gateway-error` a Cloudflare 5xx before Auth0 sees
 * it (nothing done); `gateway-error-after`, `error-after` (500) and `reset-after` once it has been handled
 * (an update or delete has happened).
 */
export type RequestFault = 'gateway-error' | 'gateway-error-after' | 'error-after' | 'reset-after';

/** The routes request faults can hit: those behind the token check. */
export type FaultableRoute = Exclude<RouteName, 'token' | 'unknown' | 'export-download'>;

/** A job id, `'next'` (the next job created) or `'all'` (every job not ended yet, and every job created from now). */
export type JobSelector = string | 'next' | 'all';

/** Routes a delay can target; `any` is every route. */
export type DelayTarget = RouteName | 'any';

/** How the server must answer one request, as the armed faults decide. */
export interface RequestEffects {
  /** A Cloudflare 5xx before doing anything. */
  gatewayBefore: GatewayStatus | undefined;
  /** The job-limit 429 though slots are free (creates only). */
  jobLimit: boolean;
  /** Handle the request, then answer with a Cloudflare 5xx instead. */
  gatewayAfter: GatewayStatus | undefined;
  /** Handle the request, then answer 500 instead. */
  error: boolean;
  /** Handle the request, then reset the socket. */
  reset: boolean;
}

type RequestEffect =
  | { kind: 'gatewayBefore' | 'gatewayAfter'; status: GatewayStatus }
  | { kind: 'jobLimit' | 'error' | 'reset' };

interface RequestRule {
  route: FaultableRoute;
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

type JobEffect = { kind: 'stuck' } | { kind: 'fail'; statusDetails: string | undefined } | { kind: 'expire' };

interface JobRule {
  scope: 'next' | 'all';
  effect: JobEffect;
}

/**
 * Faults a test arms on a running emulator. Every method arms one more fault; faults compose (a delay
 * and an error can hit the same request) and each applies to requests that reach the route's handler,
 * that is after the rate limit and the token check. `clear()` disarms what has not fired yet.
 */
export class Faults {
  readonly #jobs: JobBoard;
  readonly #tokens: TokenIssuer;
  readonly #seen = Object.fromEntries(ROUTE_NAMES.map((route) => [route, 0])) as Record<RouteName, number>;
  #requestRules: RequestRule[] = [];
  #delayRules: DelayRule[] = [];
  #jobRules: JobRule[] = [];

  constructor(jobs: JobBoard, tokens: TokenIssuer) {
    this.#jobs = jobs;
    this.#tokens = tokens;
  }

  /**
   * Makes the Nth create request from now fail; `status` is the Cloudflare answer of the gateway kinds.
   * @example faults.failCreate('next', 'reset-after-create') // the job exists, the client never hears of it
   * @example faults.failCreate(2, 'gateway-error-after-create', 504) // the job exists, the client sees a 504 page
   */
  failCreate(nth: Nth, kind: CreateFault, status: GatewayStatus = 503): void {
    const fault = (
      {
        unavailable: 'gateway-error',
        'gateway-error': 'gateway-error',
        'gateway-error-after-create': 'gateway-error-after',
        'error-after-create': 'error-after',
        'reset-after-create': 'reset-after',
      } as const
    )[kind];
    this.failRequest('create-job', nth, fault, kind === 'unavailable' ? 503 : status);
  }

  /** Answers the next `count` create requests with the job-limit 429, as if another importer held the slots. */
  rejectCreatesWithJobLimit(count = 1, nth: Nth = 'next'): void {
    this.#armRequest('create-job', nth, count, { kind: 'jobLimit' });
  }

  /** Makes the Nth `GET /api/v2/jobs/{id}` request from now fail, whatever the job. */
  failStatus(nth: Nth, kind: StatusFault): void {
    this.failRequest('job-status', nth, kind === 'error' ? 'error-after' : 'reset-after');
  }

  /**
   * Makes the Nth request to `route` from now fail; `status` is the Cloudflare answer of the gateway kinds.
   * @example faults.failRequest('update-user', 'next', 'gateway-error-after', 502) // updated, yet a 502
   */
  failRequest(route: FaultableRoute, nth: Nth, fault: RequestFault, status: GatewayStatus = 503): void {
    const effect: RequestEffect = (
      {
        'gateway-error': { kind: 'gatewayBefore', status },
        'gateway-error-after': { kind: 'gatewayAfter', status },
        'error-after': { kind: 'error' },
        'reset-after': { kind: 'reset' },
      } as const
    )[fault];
    this.#armRequest(route, nth, 1, effect);
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
   * Ends jobs `failed` with no summary, importing (or exporting) nothing; with `status_details` when
   * given. An existing job fails now; a job created later fails when it would have completed.
   */
  failJob(job: JobSelector, statusDetails?: string): void {
    this.#armJob(job, { kind: 'fail', statusDetails });
  }

  /**
   * Makes imports write users without their MFA factors and report them `MFA_FACTORS_FAILED`: every user
   * with `mfa_factors`, or only those with these emails (any case). Applies to jobs that end while armed.
   */
  failMfaFactors(emails: 'all' | readonly string[] = 'all'): void {
    const wanted = emails === 'all' ? undefined : new Set(emails.map((email) => email.toLowerCase()));
    this.#jobs.failFactors((email) => wanted === undefined || wanted.has(email.toLowerCase()));
  }

  /**
   * Makes imports refuse the users `refusal` gives an error for, with that error: a way to have Auth0
   * answer what the client's own validation would never let through (a message quoting a value, an
   * unknown code). Applies to jobs that end while armed.
   */
  refuseUsers(refusal: UserRefusal): void {
    this.#jobs.refuseUsers(refusal);
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
    this.#jobs.failFactors(undefined);
    this.#jobs.refuseUsers(undefined);
  }

  /** @internal Counts a request that reached its handler and says which faults hit it. */
  effectsFor(route: RouteName): RequestEffects {
    const effects: RequestEffects = {
      gatewayBefore: undefined,
      jobLimit: false,
      gatewayAfter: undefined,
      error: false,
      reset: false,
    };
    const number = ++this.#seen[route];
    for (const rule of this.#requestRules) {
      if (rule.route !== route || number < rule.first || number > rule.last) continue;
      const { effect } = rule;
      if (effect.kind === 'gatewayBefore' || effect.kind === 'gatewayAfter')
        effects[effect.kind] = effect.status;
      else effects[effect.kind] = true;
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
  jobCreated(job: Job): void {
    for (const rule of this.#jobRules) this.#apply(job, rule.effect, 'when-due');
    this.#jobRules = this.#jobRules.filter((rule) => rule.scope === 'all');
  }

  #armRequest(route: FaultableRoute, nth: Nth, count: number, effect: RequestEffect): void {
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
  #apply(job: Job, effect: JobEffect, failWhen: 'now' | 'when-due'): void {
    if (effect.kind === 'stuck') this.#jobs.keepProcessing(job);
    else if (effect.kind === 'fail') this.#jobs.fail(job, effect.statusDetails, failWhen);
    else this.#jobs.expire(job);
  }
}
