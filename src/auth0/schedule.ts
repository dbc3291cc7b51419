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

interface Poll extends JobEnd {
  at: number;
  interval: number;
  failures: number;
  /** The look at `at` only narrows the job's end: it may be skipped (see mayNarrow). */
  narrows?: boolean;
}

/** What the answers so far say of a job's end: after `endsAfter`, by `endsBy` (clock ms). */
export interface JobEnd {
  endsBy?: number;
  endsAfter?: number;
}

/** When to look at a job again, and what the answers so far say of its end. */
export interface NextPoll extends JobEnd {
  delay: number;
  /** The look only narrows the end and may be skipped; the end is then looked at as usual. */
  narrows?: boolean;
}

export interface PollOptions {
  /** Clock time the status request went out (default: now); Auth0 answered between it and now. */
  sentAt?: number;
  /** An early look is a request more: false when the rate limit leaves no spare request. */
  lookEarly?: boolean;
  /** Add looks that only narrow the end (each a request more). */
  narrow?: boolean;
  /** No look that narrows before this clock time (default: NARROW_GAP_MS from now). */
  narrowFrom?: number;
}

/** The end is narrowed until it is known this closely. */
const END_KNOWN_WITHIN_MS = 125;
/** A look that narrows the end comes at least this long after the one before. */
const NARROW_GAP_MS = 200;

/**
 * When to look at a job next: Auth0's own estimate when it gives one, else exponential backoff.
 *
 * Auth0 rounds time_left_seconds up to the whole second, so an answer says the job ends after
 * `left - 1` and by `left` seconds from the moment it was given; the answers so far together say
 * more than the latest alone. A look a whole number of seconds before the middle of what they
 * leave open halves it: Auth0's rounding then tells which half the end is in. Looks the poll cap
 * makes anyway are moved to such a moment, at no cost; with `narrow`, looks are added for it while
 * the end is known less closely than END_KNOWN_WITHIN_MS. The job is done by `endsBy` and usually a
 * little before: look pollEarlyMs before it, and when the job is still running then, right at it.
 */
export function nextPoll(
  last: { interval: number } & JobEnd,
  timeLeftSeconds: number | undefined,
  now: number,
  timing: TimingPolicy,
  options: PollOptions = {},
): NextPoll {
  if (timeLeftSeconds === undefined || timeLeftSeconds <= 0) {
    return { delay: Math.min(last.interval * timing.pollFactor, timing.pollMaxMs) };
  }
  const sentAt = Math.min(options.sentAt ?? now, now);
  // Running when Auth0 answered, which was after sentAt.
  let end = {
    endsAfter: Math.max(sentAt, sentAt + (timeLeftSeconds - 1) * 1000),
    endsBy: now + timeLeftSeconds * 1000,
  };
  if (last.endsBy !== undefined && last.endsBy > now) {
    const together = {
      endsAfter: Math.max(end.endsAfter, last.endsAfter ?? -Infinity),
      endsBy: Math.min(end.endsBy, last.endsBy),
    };
    // Answers that cannot both hold mean Auth0's estimate moved: the latest wins.
    if (together.endsAfter < together.endsBy) end = together;
  }
  return { ...lookAt(end, now, timing, options), ...end };
}

/** When to look at a job whose end is known to lie in (endsAfter, endsBy]. */
export function lookAt(
  end: Required<JobEnd>,
  now: number,
  timing: TimingPolicy,
  options: PollOptions = {},
): NextPoll {
  const { endsAfter, endsBy } = end;
  const middle = (endsAfter + endsBy) / 2;
  const cap = now + timing.pollMaxMs;
  if (endsBy - endsAfter > END_KNOWN_WITHIN_MS) {
    if (endsBy > cap) {
      // The latest moment within the cap that halves what is open.
      const at = middle - Math.max(0, Math.ceil((middle - cap) / 1000)) * 1000;
      if (at > now) return { delay: at - now };
    } else if (options.narrow) {
      // The first moment a whole number of seconds (at least one) before the middle half of what
      // is open: at its middle when that is still ahead.
      const margin = (endsBy - endsAfter) / 4;
      const earliest = Math.max(now, options.narrowFrom ?? now + NARROW_GAP_MS);
      const seconds = Math.floor((endsBy - margin - earliest) / 1000);
      if (seconds >= 1) return { delay: Math.max(earliest, middle - seconds * 1000) - now, narrows: true };
    }
  }
  const early = endsBy - timing.pollEarlyMs;
  const lookEarly = (options.lookEarly ?? true) && early > now && early > endsAfter;
  return { delay: Math.min((lookEarly ? early : endsBy) - now, timing.pollMaxMs) };
}

/** Auth0 runs at most this many import jobs per tenant; past it a create is refused and nothing created. */
const AUTH0_ACTIVE_JOBS = 2;

/** A look that narrows a job's end is skipped this close to any job's end (see mayNarrow). */
const NARROWING_CLEARS_MS = 750;

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

  /** Spare requests for an early look at every job and the creates that follow them. */
  const mayLookEarly = (): boolean => spareRequests(api.quota, clock.now()) > 2 * options.maxConcurrentJobs;

  const setNextLook = (state: Poll, next: NextPoll): void => {
    state.interval = next.delay;
    state.at = clock.now() + next.delay;
    state.endsBy = next.endsBy;
    state.endsAfter = next.endsAfter;
    state.narrows = next.narrows;
  };

  /** How long the answers so far leave a job's end open. */
  const openMs = (state: Poll): number =>
    state.endsBy !== undefined && state.endsAfter !== undefined ? state.endsBy - state.endsAfter : Infinity;

  /**
   * A look that only narrows a job's end goes out when it holds back nothing that matters: no job
   * that has ended waits to be read, and either the bucket holds a request more than it, or no job
   * is due to end within NARROWING_CLEARS_MS (whose create or read would wait for the request it
   * took, or for the pause an emptied bucket brings) and no other job's end is known less closely
   * (the last end noticed is what the run waits for).
   */
  const mayNarrow = (state: Poll): boolean => {
    const now = clock.now();
    for (const other of active.values()) if (presumedEnded(other)) return false;
    if (spareRequests(api.quota, now) >= 2) return true;
    for (const other of active.values()) {
      if (other.narrows && openMs(other) > openMs(state)) return false;
      if (other.endsBy !== undefined && other.endsBy > now && other.endsBy - now < NARROWING_CLEARS_MS)
        return false;
    }
    return true;
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
      const next = nextPoll(state, status.timeLeftSeconds, clock.now(), timing, {
        ...(status.sentAt !== undefined ? { sentAt: status.sentAt } : {}),
        lookEarly: mayLookEarly(),
        narrow: true,
      });
      setNextLook(state, next);
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
        if (state.narrows && state.endsBy !== undefined && state.endsAfter !== undefined) {
          // A look that narrows goes out now only if now still narrows (an earlier request or the
          // client's pause for the rate limit may have held it back) and it holds back nothing.
          const end = { endsBy: state.endsBy, endsAfter: state.endsAfter };
          const now = clock.now();
          const sendsAt = Math.max(now, api.quietUntil);
          const plan = (narrowFrom: number): NextPoll => ({
            ...lookAt(end, now, timing, { narrow: true, lookEarly: mayLookEarly(), narrowFrom }),
            ...end,
          });
          let next = plan(sendsAt);
          if (next.narrows && next.delay === 0) {
            if (mayNarrow(state)) {
              await poll(result, state);
              continue;
            }
            // A little later, while that still narrows; else the end is looked at as usual.
            next = plan(now + NARROW_GAP_MS);
          }
          setNextLook(state, next);
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
