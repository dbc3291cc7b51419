import type { Clock } from './clock.js';
import { randomAlphanumerics } from './ids.js';
import type { Connection } from './options.js';
import type { TenantUsers } from './tenant-users.js';
import { parseUsersFile, type ErrorShapes } from './user-record.js';
import {
  importUsers,
  NO_REFUSAL,
  publicUser,
  type ImportSummary,
  type JobUserError,
  type UserRefusal,
} from './user-store.js';
import { exportFile, type ExportField, type ExportFormat, type ExportRequest } from './users-export.js';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** What import and export jobs share: their life cycle on the clock. */
interface JobLife {
  readonly id: string;
  /** Clock milliseconds. */
  readonly createdAt: number;
  status: JobStatus;
  /** When it turns `processing`, then ends (clock milliseconds). */
  processingAt: number;
  endsAt: number;
  /** A fault: never ends. */
  stuck: boolean;
  /** A fault: ends `failed` instead of doing its work, with these `status_details` (if any). */
  failure: { statusDetails: string | undefined } | undefined;
  /** Gone (404) for good: too old, or a fault. */
  expired: boolean;
  statusDetails: string | undefined;
}

/** An import job as the emulator keeps it, with the users part exactly as it was received. */
export interface ImportJob extends JobLife {
  readonly type: 'users_import';
  readonly connection: Connection;
  readonly upsert: boolean;
  readonly sendCompletionEmail: boolean;
  readonly externalId: string | undefined;
  /** The `users` part, byte for byte. */
  readonly usersBytes: Buffer;
  summary: ImportSummary | undefined;
  errors: JobUserError[];
}

/** A users-export job; its file is written when it ends, from the users as they are then. */
export interface ExportJob extends JobLife {
  readonly type: 'users_export';
  /** Absent: every connection. */
  readonly connection: Connection | undefined;
  readonly format: ExportFormat;
  readonly limit: number | undefined;
  readonly fields: ExportField[] | undefined;
  /** The file to download, once completed (gzip unless the emulator was told otherwise). */
  file: Buffer | undefined;
}

export type Job = ImportJob | ExportJob;

export interface NewImportJob {
  connection: Connection;
  upsert: boolean;
  sendCompletionEmail: boolean;
  externalId: string | undefined;
  usersBytes: Buffer;
}

export interface PhaseTiming {
  pendingMs: number;
  processingMs: number;
}

export interface JobRules {
  imports: PhaseTiming;
  exports: PhaseTiming;
  expiryMs: number;
  errorShapes: ErrorShapes;
  /** Whether a job that fails as a whole says why (`status_details`); recorded real ones may not. */
  failedJobDetails: boolean;
  gzipExports: boolean;
}

const NO_FACTOR_FAILURES = (): boolean => false;

/** The `status_details` of a job failed by a fault that gave none, when failed jobs say why. */
const FAULT_STATUS_DETAILS = 'An internal error occurred while processing the job.';

/**
 * Every job of the tenant and the users they read and write.
 *
 * Jobs move on the clock lazily: whatever reads a job first brings all jobs up to the clock's time,
 * ending them in the order they were due, so a job's users reach the store (or its export file is
 * written) exactly once, when it ends.
 */
export class JobBoard {
  readonly #clock: Clock;
  readonly #rules: JobRules;
  readonly #users: TenantUsers;
  readonly #jobs: Job[] = [];
  #maxActive = 0;
  #factorsFail: (email: string) => boolean = NO_FACTOR_FAILURES;
  #refusal: UserRefusal = NO_REFUSAL;

  constructor(clock: Clock, rules: JobRules, users: TenantUsers) {
    this.#clock = clock;
    this.#rules = rules;
    this.#users = users;
  }

  createImport(job: NewImportJob): ImportJob {
    const created: ImportJob = {
      ...job,
      ...this.#newLife(this.#rules.imports),
      type: 'users_import',
      summary: undefined,
      errors: [],
    };
    this.#jobs.push(created);
    this.#maxActive = Math.max(this.#maxActive, this.activeImports());
    return created;
  }

  createExport(request: ExportRequest, connection: Connection | undefined): ExportJob {
    const created: ExportJob = {
      ...this.#newLife(this.#rules.exports),
      type: 'users_export',
      connection,
      format: request.format,
      limit: request.limit,
      fields: request.fields,
      file: undefined,
    };
    this.#jobs.push(created);
    return created;
  }

  /** A job that still exists (not expired), brought up to date. */
  get(id: string): Job | undefined {
    this.advance();
    return this.#jobs.find((job) => job.id === id && !job.expired);
  }

  /** Every job ever created, expired ones included, brought up to date. */
  all(): readonly Job[] {
    this.advance();
    return this.#jobs;
  }

  /** Import jobs pending or processing: what Auth0's limit of 2 active jobs counts (exports are not counted). */
  activeImports(): number {
    this.advance();
    return this.#jobs.filter((job) => job.type === 'users_import' && !job.expired && !isFinal(job.status))
      .length;
  }

  /** The most import jobs that were ever pending or processing at once. */
  get maxActive(): number {
    return this.#maxActive;
  }

  /** The tenant's users, after every job due has ended. */
  get users(): TenantUsers {
    this.advance();
    return this.#users;
  }

  /** A fault: users with an email this accepts are imported without their MFA factors. */
  failFactors(when: ((email: string) => boolean) | undefined): void {
    this.#factorsFail = when ?? NO_FACTOR_FAILURES;
  }

  /** A fault: users this gives an error for are refused with it. */
  refuseUsers(refusal: UserRefusal | undefined): void {
    this.#refusal = refusal ?? NO_REFUSAL;
  }

  /** Keeps a job from ever ending; it turns `processing` on time and stays so. */
  keepProcessing(job: Job): void {
    this.#refuseEnded(job);
    job.stuck = true;
  }

  /** Ends a job `failed` instead of doing its work: `now`, or when it would have ended. */
  fail(job: Job, statusDetails: string | undefined, when: 'now' | 'when-due'): void {
    this.#refuseEnded(job);
    job.failure = { statusDetails };
    if (when === 'now') {
      job.stuck = false;
      job.endsAt = Math.min(job.endsAt, this.#clock.now());
      this.advance();
    }
  }

  /** Deletes a job before its time: 404 from now on, and it no longer counts as active. */
  expire(job: Job): void {
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
      if (job.createdAt + this.#rules.expiryMs <= now) job.expired = true;
    }
  }

  #newLife(timing: PhaseTiming): JobLife {
    this.advance();
    const createdAt = this.#clock.now();
    const processingAt = createdAt + timing.pendingMs;
    return {
      id: `job_${randomAlphanumerics(16)}`,
      createdAt,
      status: 'pending',
      processingAt,
      endsAt: processingAt + timing.processingMs,
      stuck: false,
      failure: undefined,
      expired: false,
      statusDetails: undefined,
    };
  }

  #refuseEnded(job: Job): void {
    this.advance();
    if (job.expired || isFinal(job.status)) {
      throw new Error(`Job ${job.id} has already ${job.expired ? 'expired' : `ended ${job.status}`}`);
    }
  }

  #end(job: Job): void {
    if (job.failure) {
      const fallback = this.#rules.failedJobDetails ? FAULT_STATUS_DETAILS : undefined;
      this.#endFailed(job, job.failure.statusDetails ?? fallback);
      return;
    }
    if (job.type === 'users_export') {
      const stores = job.connection ? [this.#users.store(job.connection)] : this.#users.all();
      const users = stores.flatMap((store) => [...store.values()].map(publicUser));
      job.file = exportFile(users, job, this.#rules.gzipExports);
      job.status = 'completed';
      return;
    }
    const file = parseUsersFile(job.usersBytes);
    if ('failure' in file) {
      this.#endFailed(job, this.#rules.failedJobDetails ? file.failure : undefined);
      return;
    }
    const outcome = importUsers(this.#users.store(job.connection), file.users, {
      upsert: job.upsert,
      at: new Date(job.endsAt).toISOString(),
      shapes: this.#rules.errorShapes,
      factorsFail: this.#factorsFail,
      refusal: this.#refusal,
    });
    job.status = 'completed';
    job.summary = outcome.summary;
    job.errors = outcome.errors;
  }

  #endFailed(job: Job, statusDetails: string | undefined): void {
    job.status = 'failed';
    job.statusDetails = statusDetails;
  }
}

export function isFinal(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed';
}

export interface JobAnswerOptions {
  /** Only `id`, `type`, `status` and the outcome (`summary`, `status_details`, `location`). */
  minimal: boolean;
  /** A completed export's download URL. */
  location?: string;
}

/** The job as `GET /jobs/{id}` (and a create) shows it. */
export function describeJob(job: Job, now: number, options: JobAnswerOptions): Record<string, unknown> {
  const described: Record<string, unknown> = { type: job.type, status: job.status };
  if (!options.minimal) Object.assign(described, jobDetails(job, now));
  described['id'] = job.id;
  if (job.type === 'users_import' && job.summary) described['summary'] = job.summary;
  if (job.statusDetails !== undefined) described['status_details'] = job.statusDetails;
  if (options.location !== undefined) described['location'] = options.location;
  return described;
}

/** What a job answer carries besides its outcome; every one of these is optional in Auth0's answers. */
function jobDetails(job: Job, now: number): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (job.connection) {
    details['connection_id'] = job.connection.id;
    details['connection'] = job.connection.name;
  }
  if (job.type === 'users_export') {
    details['format'] = job.format;
    if (job.limit !== undefined) details['limit'] = job.limit;
    if (job.fields !== undefined) details['fields'] = job.fields;
  }
  details['created_at'] = new Date(job.createdAt).toISOString();
  if (job.type === 'users_import' && job.externalId !== undefined) details['external_id'] = job.externalId;
  if (job.status === 'processing') {
    const duration = job.endsAt - job.processingAt;
    const elapsed = now - job.processingAt;
    details['percentage_done'] = duration > 0 ? Math.min(99, Math.floor((elapsed / duration) * 100)) : 99;
    details['time_left_seconds'] = Math.max(0, Math.ceil((job.endsAt - now) / 1000));
  }
  return details;
}
