/**
 * The slot keeper: which of our jobs hold one of max-concurrent-jobs slots, and when the next create
 * may go. Auth0 itself runs at most AUTH0_ACTIVE_JOBS import jobs per tenant and refuses a create past
 * that (the job-limit 429, nothing created): creates then back off until one of ours ends.
 */
import type { JobWatch } from './poller.js';
import { backoffMs, type TimingPolicy } from './timing.js';

/** Auth0 runs at most this many import jobs per tenant; past it a create is refused and nothing created. */
export const AUTH0_ACTIVE_JOBS = 2;

export class JobSlots<Job> {
  readonly max: number;
  /**
   * A job Auth0's own estimate says has ended holds no slot when Auth0's limit guards the slots
   * (max-concurrent-jobs at that limit): the next chunk goes first and the ended job is read after,
   * so that a rate-limit bucket with room for only some requests does not hold the next job back.
   * Were the job still running, Auth0 refuses the create (job-limit 429, nothing created) and it is
   * sent again when one of ours finishes.
   */
  readonly presumeEnds: boolean;
  readonly #jobs = new Map<Job, JobWatch>();
  /** No create before this clock time: Auth0 said its job limit was reached. */
  #createsAfter = 0;
  #jobLimitRefusals = 0;

  constructor(maxConcurrentJobs: number) {
    this.max = maxConcurrentJobs;
    this.presumeEnds = maxConcurrentJobs >= AUTH0_ACTIVE_JOBS;
  }

  /** Jobs of ours not yet seen to end. */
  get size(): number {
    return this.#jobs.size;
  }

  /** The jobs and their watches as they are now (a copy: jobs may end while it is walked). */
  entries(): [Job, JobWatch][] {
    return [...this.#jobs];
  }

  watches(): JobWatch[] {
    return [...this.#jobs.values()];
  }

  presumedEnded(watch: JobWatch, now: number): boolean {
    return this.presumeEnds && watch.endsBy !== undefined && watch.endsBy <= now;
  }

  busy(now: number): number {
    let busy = 0;
    for (const watch of this.#jobs.values()) if (!this.presumedEnded(watch, now)) busy++;
    return busy;
  }

  mayCreate(now: number): boolean {
    return this.busy(now) < this.max && now >= this.#createsAfter;
  }

  /**
   * When a create may go next, as far as is known now: after the job-limit backoff when a slot is
   * free, else at the next estimated end of a job (when ends are presumed), else when a job is seen
   * to end (undefined).
   */
  nextCreateAt(now: number): number | undefined {
    if (this.busy(now) < this.max) return this.#createsAfter;
    if (!this.presumeEnds) return undefined;
    const ends = this.watches()
      .map((watch) => watch.endsBy)
      .filter((endsBy): endsBy is number => endsBy !== undefined && endsBy > now);
    return ends.length > 0 ? Math.min(...ends) : undefined;
  }

  /** Auth0 created the job. */
  occupy(job: Job, watch: JobWatch): void {
    this.#jobLimitRefusals = 0;
    this.#jobs.set(job, watch);
  }

  /** The job was seen to end: its slot is free, and a create waiting out the job limit may go at once. */
  release(job: Job, now: number): void {
    this.#jobs.delete(job);
    this.#createsAfter = Math.min(this.#createsAfter, now);
  }

  /**
   * Auth0 refused a create with the job-limit 429: another importer (or a job of ours whose create
   * answer was lost) holds the tenant's slots. Returns how long creates back off.
   */
  jobLimitReached(now: number, timing: TimingPolicy, random: number): number {
    const waitMs = backoffMs(this.#jobLimitRefusals++, timing.retryInitialMs * 4, timing.retryMaxMs, random);
    this.#createsAfter = now + waitMs;
    return waitMs;
  }
}
