/**
 * Runs a chunk plan as Auth0 jobs: keeps up to N of ours active, submits the next chunk as soon as a
 * slot frees, polls politely, and never loses track of a job id once Auth0 has given it.
 */
import { CancelledError, UncertainError, type ApiClient } from './http.js';
import {
  createJob,
  FINAL_STATUSES,
  getJob,
  getJobErrors,
  type EchoedFailure,
  type JobSummary,
} from './jobs.js';
import { backoffMs, type Clock, type TimingPolicy } from './timing.js';

export interface ChunkToSend {
  /** 1-based, as the summary shows it. */
  chunk: number;
  usersPart: Buffer;
  userCount: number;
  externalId: string;
}

/**
 * What became of one chunk. `status` is Auth0's last word for a submitted job, or ours:
 * `not-submitted` (never sent), `unknown` (sent, answer lost: it may exist).
 */
export interface JobRecord {
  chunk: number;
  externalId: string;
  userCount: number;
  id?: string;
  status: string;
  percentageDone?: number;
  summary?: JobSummary;
  statusDetails?: string;
  failures?: EchoedFailure[];
  submittedAt?: number;
  finishedAt?: number;
  /** Why it ended as it did, when the status alone does not say. */
  note?: string;
}

export interface ScheduleOptions {
  connectionId: string;
  upsert: boolean;
  sendCompletionEmail: boolean;
  maxConcurrentJobs: number;
  /** With false, returns once every chunk is submitted (still waiting for slots as needed). */
  wait: boolean;
  /** Clock time after which no more waiting happens. */
  deadline: number;
  signal: AbortSignal;
  clock: Clock;
  timing: TimingPolicy;
  log: (message: string) => void;
  /** Called whenever a job changes, so a cancelled run can still report the latest state. */
  onChange?: (jobs: readonly JobRecord[]) => void;
}

export interface ScheduleResult {
  jobs: JobRecord[];
  timedOut: boolean;
  cancelled: boolean;
  /** A failure that stopped further submissions (bad credentials, connection, a 4xx on create). */
  stoppedBy?: string;
}

interface Poll {
  at: number;
  interval: number;
  failures: number;
}

export function isFinal(record: JobRecord): boolean {
  return FINAL_STATUSES.has(record.status);
}

/** When to look at a job next: Auth0's own estimate when it gives one, else exponential backoff. */
export function nextPollDelay(
  interval: number,
  timeLeftSeconds: number | undefined,
  timing: TimingPolicy,
): number {
  if (timeLeftSeconds !== undefined && timeLeftSeconds > 0) {
    return Math.min(Math.max(timeLeftSeconds * 1000, timing.pollInitialMs), timing.pollMaxMs);
  }
  return Math.min(interval * timing.pollFactor, timing.pollMaxMs);
}

export async function scheduleJobs(
  api: ApiClient,
  chunks: readonly ChunkToSend[],
  options: ScheduleOptions,
): Promise<ScheduleResult> {
  const { clock, timing, log, signal } = options;
  const jobs: JobRecord[] = chunks.map((chunk) => ({
    chunk: chunk.chunk,
    externalId: chunk.externalId,
    userCount: chunk.userCount,
    status: 'not-submitted',
  }));
  const queue = chunks.map((chunk, i) => ({ chunk, record: jobs[i]! }));
  const active = new Map<JobRecord, Poll>();
  const changed = () => options.onChange?.(jobs);
  let jobLimitAttempts = 0;
  let submitAfter = 0;
  let stoppedBy: string | undefined;
  let timedOut = false;

  const submitWhileSlotsFree = async (): Promise<void> => {
    while (
      queue.length > 0 &&
      !stoppedBy &&
      active.size < options.maxConcurrentJobs &&
      clock.now() >= submitAfter
    ) {
      const { chunk, record } = queue[0]!;
      let outcome;
      try {
        outcome = await createJob(
          api,
          {
            connectionId: options.connectionId,
            usersPart: chunk.usersPart,
            upsert: options.upsert,
            externalId: chunk.externalId,
            sendCompletionEmail: options.sendCompletionEmail,
          },
          signal,
        );
      } catch (error) {
        if (error instanceof CancelledError && !error.inFlight) throw error;
        if (error instanceof CancelledError || error instanceof UncertainError) {
          queue.shift();
          record.status = 'unknown';
          record.submittedAt = clock.now();
          record.note =
            error instanceof CancelledError
              ? `Cancelled while the request was out: Auth0 may have created the job. Check the tenant's logs for external_id ${chunk.externalId} before running again (or rerun with upsert: true).`
              : `${error.message}. Not sent again, as a second job would fail every user as DUPLICATED_USER: check the tenant's logs for external_id ${chunk.externalId}, or rerun with upsert: true.`;
          log(`Chunk ${chunk.chunk}: ${record.note}`);
          changed();
          if (error instanceof CancelledError) throw error;
          continue;
        }
        stoppedBy = error instanceof Error ? error.message : String(error);
        record.note = stoppedBy;
        log(`Chunk ${chunk.chunk}: ${stoppedBy}. No further chunks are submitted.`);
        changed();
        return;
      }
      if (outcome.kind === 'job-limit') {
        // Another importer (or a job of ours whose create answer was lost) holds the tenant's slots:
        // back off, and try again at once when one of ours finishes (poll resets submitAfter).
        const waitMs = backoffMs(
          jobLimitAttempts++,
          timing.retryInitialMs * 4,
          timing.retryMaxMs,
          clock.random(),
        );
        submitAfter = clock.now() + waitMs;
        log(
          `Chunk ${chunk.chunk}: Auth0 already runs 2 import jobs in this tenant; trying again ${
            active.size > 0 ? 'once one of ours finishes, or ' : ''
          }in ${(waitMs / 1000).toFixed(1)} s`,
        );
        return;
      }
      queue.shift();
      jobLimitAttempts = 0;
      Object.assign(record, {
        id: outcome.job.id,
        status: outcome.job.status || 'pending',
        submittedAt: clock.now(),
      });
      active.set(record, {
        at: clock.now() + timing.pollInitialMs,
        interval: timing.pollInitialMs,
        failures: 0,
      });
      log(
        `Chunk ${chunk.chunk}: submitted ${chunk.userCount} users as job ${outcome.job.id} (external_id ${chunk.externalId})`,
      );
      changed();
    }
  };

  const poll = async (record: JobRecord, state: Poll): Promise<void> => {
    const id = record.id!;
    let status;
    try {
      status = await getJob(api, id, signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      state.failures++;
      state.at =
        clock.now() + backoffMs(state.failures, timing.retryInitialMs, timing.pollMaxMs, clock.random());
      log(
        `Job ${id}: could not read its status (${error instanceof Error ? error.message : String(error)}); trying again`,
      );
      return;
    }
    state.failures = 0;
    if (status === 'gone') {
      record.status = 'expired';
      record.note = `Auth0 no longer knows job ${id} (404): jobs are deleted 24 hours after creation. Check the tenant's logs for external_id ${record.externalId}.`;
    } else {
      const before = `${record.status} ${record.percentageDone ?? ''}`;
      record.status = status.status;
      if (status.percentageDone !== undefined) record.percentageDone = status.percentageDone;
      if (status.summary) record.summary = status.summary;
      if (status.statusDetails) record.statusDetails = status.statusDetails;
      if (`${record.status} ${record.percentageDone ?? ''}` !== before) {
        log(
          `Job ${id} (chunk ${record.chunk}): ${record.status}${record.percentageDone !== undefined ? `, ${record.percentageDone}%` : ''}`,
        );
      }
      if (!isFinal(record)) {
        state.interval = nextPollDelay(state.interval, status.timeLeftSeconds, timing);
        state.at = clock.now() + state.interval;
        changed();
        return;
      }
    }
    record.finishedAt = clock.now();
    active.delete(record);
    submitAfter = Math.min(submitAfter, clock.now());
    if ((record.summary?.failed ?? 0) > 0 || record.status === 'failed') {
      try {
        const errors = await getJobErrors(api, id, signal);
        record.failures = errors.failures;
        if (errors.statusDetails && !record.statusDetails) record.statusDetails = errors.statusDetails;
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        record.note = `Could not read the job's errors: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    changed();
  };

  try {
    for (;;) {
      await submitWhileSlotsFree();
      const submittedAll = queue.length === 0 || stoppedBy !== undefined;
      if (submittedAll && (active.size === 0 || !options.wait)) break;
      if (clock.now() >= options.deadline) {
        timedOut = true;
        break;
      }
      const due = [...active.values()].map((state) => state.at);
      if (queue.length > 0 && !stoppedBy && active.size < options.maxConcurrentJobs) due.push(submitAfter);
      const next = Math.min(options.deadline, ...due);
      await clock.sleep(next - clock.now(), signal);
      if (signal.aborted) throw new CancelledError();
      for (const [record, state] of [...active]) {
        if (state.at <= clock.now()) await poll(record, state);
      }
    }
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    return { jobs, timedOut, cancelled: true, ...(stoppedBy ? { stoppedBy } : {}) };
  }
  for (const { record } of queue) {
    if (!record.note)
      record.note = stoppedBy
        ? 'Not submitted: an earlier request failed.'
        : 'Not submitted: the wait timed out first.';
  }
  return { jobs, timedOut, cancelled: false, ...(stoppedBy ? { stoppedBy } : {}) };
}
