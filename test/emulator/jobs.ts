import type { Clock } from './clock.js';
import { randomAlphanumerics } from './ids.js';
import type { Connection } from './options.js';
import { parseUsersFile } from './user-record.js';
import { importUsers, UserStore, type ImportSummary, type JobUserError } from './user-store.js';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** An import job as the emulator keeps it, with the users part exactly as it was received. */
export interface ImportJob {
  readonly id: string;
  readonly connection: Connection;
  /** Clock milliseconds. */
  readonly createdAt: number;
  readonly upsert: boolean;
  readonly sendCompletionEmail: boolean;
  readonly externalId: string | undefined;
  /** The `users` part, byte for byte. */
  readonly usersBytes: Buffer;
  status: JobStatus;
  /** When it turns `processing`, then ends (clock milliseconds). */
  processingAt: number;
  endsAt: number;
  /** A fault: never ends. */
  stuck: boolean;
  /** A fault: ends `failed` with these `status_details` instead of importing. */
  failure: string | undefined;
  /** Gone (404) for good: too old, or a fault. */
  expired: boolean;
  statusDetails: string | undefined;
  summary: ImportSummary | undefined;
  errors: JobUserError[];
}

export interface NewJob {
  connection: Connection;
  upsert: boolean;
  sendCompletionEmail: boolean;
  externalId: string | undefined;
  usersBytes: Buffer;
}

export interface JobTiming {
  pendingMs: number;
  processingMs: number;
  expiryMs: number;
}

/**
 * Every import job of the tenant and the user store they write to.
 *
 * Jobs move on the clock lazily: whatever reads a job first brings all jobs up to the clock's time,
 * ending them in the order they were due, so a job's users reach the store exactly once, when it ends.
 */
export class JobBoard {
  readonly #clock: Clock;
  readonly #timing: JobTiming;
  readonly #jobs: ImportJob[] = [];
  readonly #stores = new Map<string, UserStore>();
  #maxActive = 0;

  constructor(clock: Clock, timing: JobTiming) {
    this.#clock = clock;
    this.#timing = timing;
  }

  create(job: NewJob): ImportJob {
    this.advance();
    const createdAt = this.#clock.now();
    const processingAt = createdAt + this.#timing.pendingMs;
    const created: ImportJob = {
      ...job,
      id: `job_${randomAlphanumerics(16)}`,
      createdAt,
      status: 'pending',
      processingAt,
      endsAt: processingAt + this.#timing.processingMs,
      stuck: false,
      failure: undefined,
      expired: false,
      statusDetails: undefined,
      summary: undefined,
      errors: [],
    };
    this.#jobs.push(created);
    this.#maxActive = Math.max(this.#maxActive, this.activeCount());
    return created;
  }

  /** A job that still exists (not expired), brought up to date. */
  get(id: string): ImportJob | undefined {
    this.advance();
    return this.#jobs.find((job) => job.id === id && !job.expired);
  }

  /** Every job ever created, expired ones included, brought up to date. */
  all(): readonly ImportJob[] {
    this.advance();
    return this.#jobs;
  }

  /** Jobs pending or processing: what Auth0's limit of active jobs counts. */
  activeCount(): number {
    this.advance();
    return this.#jobs.filter((job) => !job.expired && !isFinal(job.status)).length;
  }

  /** The most jobs that were ever pending or processing at once. */
  get maxActive(): number {
    return this.#maxActive;
  }

  /** The users of a connection; jobs that are due have written to it first. */
  store(connection: Connection): UserStore {
    this.advance();
    return this.#storeOf(connection);
  }

  /** Keeps a job from ever ending; it turns `processing` on time and stays so. */
  keepProcessing(job: ImportJob): void {
    this.#refuseEnded(job);
    job.stuck = true;
  }

  /** Ends a job `failed` instead of importing: `now`, or when it would have ended. */
  fail(job: ImportJob, statusDetails: string, when: 'now' | 'when-due'): void {
    this.#refuseEnded(job);
    job.failure = statusDetails;
    if (when === 'now') {
      job.stuck = false;
      job.endsAt = Math.min(job.endsAt, this.#clock.now());
      this.advance();
    }
  }

  /** Deletes a job before its time: 404 from now on, and it no longer counts as active. */
  expire(job: ImportJob): void {
    job.expired = true;
  }

  /** Brings every job up to the clock's time. */
  advance(): void {
    const now = this.#clock.now();
    const due = this.#jobs
      .filter((job) => !job.expired && !isFinal(job.status) && !job.stuck && job.endsAt <= now)
      .sort((a, b) => a.endsAt - b.endsAt);
    for (const job of due) this.#end(job);
    for (const job of this.#jobs) {
      if (job.status === 'pending' && job.processingAt <= now) job.status = 'processing';
      if (job.createdAt + this.#timing.expiryMs <= now) job.expired = true;
    }
  }

  #refuseEnded(job: ImportJob): void {
    this.advance();
    if (job.expired || isFinal(job.status)) {
      throw new Error(`Job ${job.id} has already ${job.expired ? 'expired' : `ended ${job.status}`}`);
    }
  }

  #end(job: ImportJob): void {
    if (job.failure !== undefined) {
      job.status = 'failed';
      job.statusDetails = job.failure;
      return;
    }
    const file = parseUsersFile(job.usersBytes);
    if ('failure' in file) {
      job.status = 'failed';
      job.statusDetails = file.failure;
      return;
    }
    const outcome = importUsers(
      this.#storeOf(job.connection),
      file.users,
      job.upsert,
      new Date(job.endsAt).toISOString(),
    );
    job.status = 'completed';
    job.summary = outcome.summary;
    job.errors = outcome.errors;
  }

  #storeOf(connection: Connection): UserStore {
    let store = this.#stores.get(connection.id);
    if (!store) {
      store = new UserStore();
      this.#stores.set(connection.id, store);
    }
    return store;
  }
}

export function isFinal(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed';
}

/** The job as `GET /jobs/{id}` shows it. */
export function describeJob(job: ImportJob, now: number): Record<string, unknown> {
  const described: Record<string, unknown> = {
    type: 'users_import',
    status: job.status,
    connection_id: job.connection.id,
    connection: job.connection.name,
    created_at: new Date(job.createdAt).toISOString(),
    id: job.id,
  };
  if (job.externalId !== undefined) described['external_id'] = job.externalId;
  if (job.status === 'processing') {
    const duration = job.endsAt - job.processingAt;
    const elapsed = now - job.processingAt;
    described['percentage_done'] = duration > 0 ? Math.min(99, Math.floor((elapsed / duration) * 100)) : 99;
    described['time_left_seconds'] = Math.max(0, Math.ceil((job.endsAt - now) / 1000));
  }
  if (job.summary) described['summary'] = job.summary;
  if (job.statusDetails !== undefined) described['status_details'] = job.statusDetails;
  return described;
}
