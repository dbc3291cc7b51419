/**
 * Runs a chunk plan as Auth0 jobs: keeps up to N of ours active, submits the next chunk as soon as a
 * slot frees, polls politely, says how far it got and how long the rest will take, and never loses
 * track of a job id once Auth0 has given it.
 */
import { splitChunk, type Chunk } from '../users/chunks.js';
import {
  CancelledError,
  DeadlineError,
  isPermanentRefusal,
  spareRequests,
  UncertainError,
  type ApiClient,
} from './http.js';
import type { ImportFields } from './import-form.js';
import type { FailedUser } from './job-errors.js';
import { createJob, FINAL_STATUSES, getJob, getJobErrors, type JobSummary } from './jobs.js';
import { backoffMs, type Clock, type TimingPolicy } from './timing.js';

/**
 * What became of one chunk. `status` is Auth0's last word for its job, or ours: `not-sent` (no
 * request for it left), `unknown` (sent, answer lost: the job may exist), `refused` (Auth0 answered
 * the create with an error and created nothing).
 */
export interface ChunkResult {
  chunk: Chunk;
  status: string;
  jobId?: string;
  percentageDone?: number;
  summary?: JobSummary;
  /** Auth0's words about a failed job, reduced. */
  statusDetails?: string;
  failedUsers: FailedUser[];
  submittedAt?: number;
  finishedAt?: number;
  /** Why it ended as it did, when the status alone does not say. */
  note?: string;
}

export function isFinal(result: ChunkResult): boolean {
  return FINAL_STATUSES.has(result.status);
}

export interface ScheduleOptions {
  fields: Omit<ImportFields, 'externalId'>;
  maxConcurrentJobs: number;
  /** With false, returns once every chunk is submitted (still waiting for slots as needed). */
  wait: boolean;
  clock: Clock;
  timing: TimingPolicy;
  log: (message: string) => void;
  /** A warning the run should show (e.g. the rest cannot finish in time). */
  warn: (message: string) => void;
  /** Called whenever a chunk changes, so a cancelled run can still report the latest state. */
  onChange?: (results: readonly ChunkResult[]) => void;
}

/** Why the schedule ended before every chunk was final. */
export interface ScheduleStop {
  kind: 'deadline' | 'cancelled' | 'refused';
  message: string;
}

export interface ScheduleResult {
  results: ChunkResult[];
  stop?: ScheduleStop;
  /** Users per minute through completed jobs, measured from the first submission. */
  usersPerMinute?: number;
}

interface Poll {
  at: number;
  interval: number;
  failures: number;
  /** When Auth0's time_left_seconds says the job is done by (see nextPoll). */
  endsBy?: number;
}

/** When to look at a job again, and what the answers so far say of its end. */
export interface NextPoll {
  delay: number;
  /** Clock time by which Auth0's estimate says the job is done; undefined without an estimate. */
  endsBy?: number;
}

/**
 * When to look at a job next: Auth0's own estimate when it gives one, else exponential backoff.
 * Auth0 rounds time_left_seconds up to the whole second, so the job is done by that second (the
 * earliest one any answer gave) and usually a little before: look pollEarlyMs before it, and when
 * the job is still running then, right at it, not a whole second later. The early look is a
 * request more; `lookEarly: false` (the rate limit leaves no spare request) goes to the second.
 */
export function nextPoll(
  last: { interval: number; endsBy?: number },
  timeLeftSeconds: number | undefined,
  now: number,
  timing: TimingPolicy,
  lookEarly = true,
): NextPoll {
  if (timeLeftSeconds === undefined || timeLeftSeconds <= 0) {
    return { delay: Math.min(last.interval * timing.pollFactor, timing.pollMaxMs) };
  }
  const said = now + timeLeftSeconds * 1000;
  // An earlier answer's second can be the tighter one: each rounds up from its own moment.
  const endsBy = last.endsBy !== undefined && last.endsBy > now && last.endsBy < said ? last.endsBy : said;
  const early = endsBy - timing.pollEarlyMs;
  return { delay: Math.min((lookEarly && early > now ? early : endsBy) - now, timing.pollMaxMs), endsBy };
}

/** Auth0 runs at most this many import jobs per tenant; past it a create is refused and nothing created. */
const AUTH0_ACTIVE_JOBS = 2;

/** How long the read of an ended job waits when the bucket holds a request only for the next create. */
const READ_ENDED_LATER_MS = 500;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function scheduleJobs(
  api: ApiClient,
  chunks: readonly Chunk[],
  options: ScheduleOptions,
): Promise<ScheduleResult> {
  const { clock, timing, log } = options;
  const { deadline, signal } = api.context;
  const results: ChunkResult[] = chunks.map((chunk) => ({ chunk, status: 'not-sent', failedUsers: [] }));
  const queue = [...results];
  const active = new Map<ChunkResult, Poll>();
  const changed = () => options.onChange?.(results);
  const progress = progressReporter(results, options, deadline);
  let jobLimitAttempts = 0;
  let submitAfter = 0;
  /** A final answer to a create: no further chunk is submitted, the jobs already running are awaited. */
  let refusedCreate: string | undefined;
  /** The end of waiting, for every job. */
  let stop: ScheduleStop | undefined;

  const markUnknown = (result: ChunkResult, why: string) => {
    const { chunk } = result;
    result.status = 'unknown';
    result.submittedAt = clock.now();
    result.note = `${why}. Not sent again${
      options.fields.upsert ? '' : ', as a second job would fail every user as DUPLICATED_USER'
    }: check the tenant's logs for external_id ${chunk.externalId}${
      options.fields.upsert ? '' : ', or run again with upsert: true'
    }.`;
    log(`Chunk ${chunk.label}: ${result.note}`);
    changed();
  };

  /**
   * A job Auth0's own estimate says has ended holds no slot when Auth0's limit guards the slots
   * (max-concurrent-jobs at that limit): the next chunk goes first and the ended job is read after,
   * so that a rate-limit bucket with room for only some requests does not hold the next job back.
   * Were the job still running, Auth0 refuses the create (job-limit 429, nothing created) and it is
   * sent again when one of ours finishes.
   */
  const presumeEnds = options.maxConcurrentJobs >= AUTH0_ACTIVE_JOBS;
  const presumedEnded = (state: Poll): boolean =>
    presumeEnds && state.endsBy !== undefined && state.endsBy <= clock.now();
  const busySlots = (): number => {
    let busy = 0;
    for (const state of active.values()) if (!presumedEnded(state)) busy++;
    return busy;
  };

  const submitWhileSlotsFree = async (): Promise<void> => {
    while (
      queue.length > 0 &&
      !stop &&
      refusedCreate === undefined &&
      busySlots() < options.maxConcurrentJobs &&
      clock.now() >= submitAfter
    ) {
      const result = queue[0]!;
      const { chunk } = result;
      let outcome;
      try {
        outcome = await createJob(api, chunk, options.fields);
      } catch (error) {
        if ((error instanceof CancelledError || error instanceof DeadlineError) && !error.inFlight)
          throw error;
        if (
          error instanceof CancelledError ||
          error instanceof DeadlineError ||
          error instanceof UncertainError
        ) {
          queue.shift();
          markUnknown(
            result,
            error instanceof UncertainError
              ? error.message
              : `${error instanceof CancelledError ? 'Cancelled' : 'wait-timeout-seconds ran out'} while the request was out: Auth0 may have created the job`,
          );
          if (error instanceof CancelledError || error instanceof DeadlineError) throw error;
          continue;
        }
        queue.shift();
        result.status = 'refused';
        result.note = `${message(error)}. Nothing of this chunk was imported.`;
        refusedCreate = message(error);
        log(`Chunk ${chunk.label}: ${message(error)}. No further chunks are submitted.`);
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
          `Chunk ${chunk.label}: Auth0 already runs 2 import jobs in this tenant; trying again ${
            active.size > 0 ? 'once one of ours finishes, or ' : ''
          }in ${(waitMs / 1000).toFixed(1)} s`,
        );
        return;
      }
      if (outcome.kind === 'too-large') {
        const halves = splitChunk(chunk);
        queue.shift();
        if (!halves) {
          result.status = 'refused';
          result.note = `Auth0 refused it as too large (413) though it holds one user: shrink that user's metadata.`;
          changed();
          continue;
        }
        // A 413 means nothing was created: sending the halves cannot duplicate anyone.
        const split = halves.map((half): ChunkResult => ({
          chunk: half,
          status: 'not-sent',
          failedUsers: [],
          note: `Half of chunk ${chunk.label}, which Auth0 refused as too large (413, nothing created).`,
        }));
        results.splice(results.indexOf(result), 1, ...split);
        queue.unshift(...split);
        log(
          `Chunk ${chunk.label}: Auth0 refused it as too large (413, nothing created); sending it as ${halves[0].label} and ${halves[1].label}`,
        );
        changed();
        continue;
      }
      queue.shift();
      jobLimitAttempts = 0;
      result.jobId = outcome.job.id;
      result.status = outcome.job.status === 'unknown' ? 'pending' : outcome.job.status;
      result.submittedAt = clock.now();
      active.set(result, {
        at: clock.now() + timing.pollInitialMs,
        interval: timing.pollInitialMs,
        failures: 0,
      });
      log(
        `Chunk ${chunk.label}: submitted ${chunk.users.length} users as job ${outcome.job.id} (external_id ${chunk.externalId})`,
      );
      changed();
    }
  };

  const finish = async (result: ChunkResult, id: string): Promise<void> => {
    result.finishedAt = clock.now();
    active.delete(result);
    submitAfter = Math.min(submitAfter, clock.now());
    if ((result.summary?.failed ?? 0) > 0 || result.status === 'failed') {
      try {
        const errors = await getJobErrors(api, id, result.chunk);
        result.failedUsers = errors.failedUsers;
        if (errors.statusDetails && !result.statusDetails) result.statusDetails = errors.statusDetails;
      } catch (error) {
        if (error instanceof CancelledError || error instanceof DeadlineError) throw error;
        result.note = `Could not read the job's errors: ${message(error)}`;
      }
    }
    if (result.status === 'failed' && !result.statusDetails) result.note ??= 'Failed; Auth0 gave no reason.';
    progress.finished(result);
    changed();
  };

  const poll = async (result: ChunkResult, state: Poll): Promise<void> => {
    const id = result.jobId!;
    let status;
    try {
      status = await getJob(api, id, result.chunk);
    } catch (error) {
      if (error instanceof CancelledError || error instanceof DeadlineError) throw error;
      if (isPermanentRefusal(error)) {
        stop = {
          kind: 'refused',
          message: `${error.message}. Waiting stopped: asking again cannot help. The jobs keep running in Auth0`,
        };
        return;
      }
      state.failures++;
      state.at =
        clock.now() + backoffMs(state.failures, timing.retryInitialMs, timing.pollMaxMs, clock.random());
      log(`Job ${id}: could not read its status (${message(error)}); trying again`);
      return;
    }
    state.failures = 0;
    if (status === 'gone') {
      result.status = 'expired';
      result.note = `Auth0 no longer knows job ${id} (404): jobs are deleted 24 hours after creation. Check the tenant's logs for external_id ${result.chunk.externalId}.`;
      await finish(result, id);
      return;
    }
    const before = `${result.status} ${result.percentageDone ?? ''}`;
    result.status = status.status;
    // A percentage belongs to a running job only: a finished one shows none.
    if (status.percentageDone !== undefined && !FINAL_STATUSES.has(status.status))
      result.percentageDone = status.percentageDone;
    else delete result.percentageDone;
    if (status.summary) result.summary = status.summary;
    if (status.statusDetails) result.statusDetails = status.statusDetails;
    if (`${result.status} ${result.percentageDone ?? ''}` !== before) {
      log(
        `Job ${id} (chunk ${result.chunk.label}): ${result.status}${result.percentageDone !== undefined ? `, ${result.percentageDone}%` : ''}`,
      );
    }
    if (!isFinal(result)) {
      // Spare requests for an early look at every job and the creates that follow them.
      const spare = spareRequests(api.quota, clock.now());
      const next = nextPoll(
        state,
        status.timeLeftSeconds,
        clock.now(),
        timing,
        spare > 2 * options.maxConcurrentJobs,
      );
      state.interval = next.delay;
      state.endsBy = next.endsBy;
      state.at = clock.now() + next.delay;
      changed();
      return;
    }
    await finish(result, id);
  };

  try {
    for (;;) {
      await submitWhileSlotsFree();
      if (stop) break;
      const submittedAll = queue.length === 0 || refusedCreate !== undefined;
      if (submittedAll && (active.size === 0 || !options.wait)) break;
      if (clock.now() >= deadline) throw new DeadlineError('while waiting for the jobs');
      const due = [...active.values()].map((state) => state.at);
      if (!submittedAll && busySlots() < options.maxConcurrentJobs) due.push(submitAfter);
      else if (!submittedAll && presumeEnds) {
        // The next estimated end, when a slot frees for the next chunk.
        for (const state of active.values()) {
          if (state.endsBy !== undefined && state.endsBy > clock.now()) due.push(state.endsBy);
        }
      }
      if (options.wait) due.push(progress.nextAt());
      const next = Math.min(deadline, ...due);
      await clock.sleep(next - clock.now(), signal);
      if (signal.aborted) throw new CancelledError();
      // A slot a job's estimated end freed is used before the jobs are read.
      await submitWhileSlotsFree();
      for (const [result, state] of [...active]) {
        if (state.at > clock.now() || stop) continue;
        // Reading a job that has ended can wait for the bucket; sending the next chunk cannot.
        if (presumedEnded(state) && queue.length > 0 && spareRequests(api.quota, clock.now()) < 2) {
          state.at = clock.now() + READ_ENDED_LATER_MS;
          continue;
        }
        await poll(result, state);
      }
      progress.maybeReport(queue.length, active.size);
    }
  } catch (error) {
    if (error instanceof CancelledError) {
      stop = { kind: 'cancelled', message: 'The run was cancelled' };
    } else if (error instanceof DeadlineError) {
      stop = { kind: 'deadline', message: error.message };
    } else throw error;
  }
  if (!stop && refusedCreate !== undefined) stop = { kind: 'refused', message: refusedCreate };
  for (const result of queue) {
    result.note ??=
      refusedCreate !== undefined
        ? 'Not sent: an earlier chunk was refused.'
        : stop?.kind === 'cancelled'
          ? 'Not sent: the run was cancelled first.'
          : stop?.kind === 'refused'
            ? 'Not sent: Auth0 refused the credentials.'
            : 'Not sent: wait-timeout-seconds ran out first.';
  }
  if (stop) {
    log(`Chunks when the run stopped (${stop.kind}):`);
    for (const result of results) {
      log(
        `  chunk ${result.chunk.label}: ${result.jobId ?? `external_id ${result.chunk.externalId}`} — ${result.status}`,
      );
    }
  }
  const rate = progress.usersPerMinute();
  return { results, ...(stop ? { stop } : {}), ...(rate !== undefined ? { usersPerMinute: rate } : {}) };
}

/** Minutes and seconds, as a person reads a duration: "4m 05s", "1h 02m", "12s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * Progress while waiting: a line at least every progressEveryMs with chunks done / in flight / left,
 * users imported, elapsed time and an ETA from the jobs finished so far; and, once the measured rate
 * says the rest cannot finish before the deadline, one warning saying what to do.
 */
function progressReporter(results: readonly ChunkResult[], options: ScheduleOptions, deadline: number) {
  const { clock, timing, log, warn } = options;
  const started = clock.now();
  let lastReport = started;
  let warned = false;
  let usersDone = 0;
  let lastFinish: number | undefined;
  // Jobs run side by side: a job's own pace times the slots is what the tenant gets through.
  let jobUsers = 0;
  let jobMs = 0;

  const totalUsers = () => results.reduce((sum, result) => sum + result.chunk.users.length, 0);
  const usersPerMinute = (): number | undefined => {
    if (usersDone === 0 || lastFinish === undefined || lastFinish <= started) return undefined;
    return (usersDone / (lastFinish - started)) * 60_000;
  };
  const pacePerMinute = (): number | undefined =>
    jobMs > 0 ? (jobUsers / jobMs) * 60_000 * options.maxConcurrentJobs : undefined;
  const remainingMs = (): number | undefined => {
    const pace = pacePerMinute();
    return pace === undefined ? undefined : ((totalUsers() - usersDone) / pace) * 60_000;
  };

  return {
    usersPerMinute,
    nextAt: () => lastReport + timing.progressEveryMs,
    finished(result: ChunkResult) {
      if (result.status !== 'completed') return;
      usersDone += result.chunk.users.length;
      lastFinish = clock.now();
      if (result.submittedAt !== undefined && clock.now() > result.submittedAt) {
        jobUsers += result.chunk.users.length;
        jobMs += clock.now() - result.submittedAt;
      }
      const left = remainingMs();
      if (warned || left === undefined || usersDone === totalUsers()) return;
      const available = deadline - clock.now();
      if (left <= available) return;
      warned = true;
      warn(
        `At the measured ${Math.round(pacePerMinute()!)} users/min the remaining ${totalUsers() - usersDone} users need about ${formatDuration(left)}, but wait-timeout-seconds leaves ${formatDuration(available)}: split the users file across runs, set wait: false, or raise wait-timeout-seconds (a GitHub-hosted job stops at 6 hours).`,
      );
    },
    maybeReport(left: number, inFlight: number) {
      if (clock.now() < lastReport + timing.progressEveryMs) return;
      lastReport = clock.now();
      const done = results.filter(isFinal).length;
      const eta = remainingMs();
      log(
        `Progress: ${done} of ${results.length} chunks done, ${inFlight} in flight, ${left} left; ${usersDone} of ${totalUsers()} users imported; ${formatDuration(clock.now() - started)} elapsed${
          eta === undefined
            ? ''
            : `; about ${formatDuration(eta)} left at ${Math.round(pacePerMinute()!)} users/min`
        }`,
      );
    },
  };
}
