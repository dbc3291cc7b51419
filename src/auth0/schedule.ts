/**
 * Runs a chunk plan as Auth0 jobs: keeps up to N of ours active, submits the next chunk as soon as a
 * slot frees, polls politely, says how far it got and how long the rest will take, and never loses
 * track of a job id once Auth0 has given it. A short loop over named parts: the slot keeper
 * (slots.ts), the poller (poller.ts), the rate-limit pacer (pacer.ts, through the client), creates
 * (submit.ts), reads (read-jobs.ts) and progress (progress.ts).
 */
import type { Chunk } from '../users/chunks.js';
import { CancelledError, DeadlineError } from './errors.js';
import type { ApiClient } from './http.js';
import type { ImportFields } from './import-form.js';
import type { FailedUser } from './job-errors.js';
import { FINAL_STATUSES, type JobSummary } from './jobs.js';
import { progressReporter } from './progress.js';
import { lookAtDueJobs } from './read-jobs.js';
import { JobSlots } from './slots.js';
import { submitWhileSlotsFree } from './submit.js';
import type { Clock, TimingPolicy } from './timing.js';

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
  /** Scheduling decisions (why it waits, slots, looks, pacing) for a run with debug logging. */
  debug?: (message: string) => void;
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

/** What the parts of a schedule share while it runs. */
export interface ScheduleState {
  readonly api: ApiClient;
  readonly options: ScheduleOptions;
  /** Every chunk's result, in plan order (a chunk split in halves is replaced by its halves). */
  readonly results: ChunkResult[];
  /** Chunks not sent yet, the next first. */
  readonly queue: ChunkResult[];
  readonly slots: JobSlots<ChunkResult>;
  readonly progress: ReturnType<typeof progressReporter>;
  /** A final answer to a create: no further chunk is submitted, the jobs already running are awaited. */
  refusedCreate?: string;
  /** The end of waiting, for every job. */
  stop?: ScheduleStop;
  changed(): void;
  debug(message: string): void;
}

export async function scheduleJobs(
  api: ApiClient,
  chunks: readonly Chunk[],
  options: ScheduleOptions,
): Promise<ScheduleResult> {
  const results: ChunkResult[] = chunks.map((chunk) => ({ chunk, status: 'not-sent', failedUsers: [] }));
  const state: ScheduleState = {
    api,
    options,
    results,
    queue: [...results],
    slots: new JobSlots(options.maxConcurrentJobs),
    progress: progressReporter(results, options, api.context.deadline),
    changed: () => options.onChange?.(results),
    debug: options.debug ?? (() => {}),
  };
  try {
    for (;;) {
      await submitWhileSlotsFree(state);
      if (state.stop) break;
      if (submittedAll(state) && (state.slots.size === 0 || !options.wait)) break;
      if (options.clock.now() >= api.context.deadline) throw new DeadlineError('while waiting for the jobs');
      await sleepUntilDue(state);
      // A slot a job's estimated end freed is used before the jobs are read.
      await submitWhileSlotsFree(state);
      await lookAtDueJobs(state);
      state.progress.maybeReport(state.queue.length, state.slots.size);
    }
  } catch (error) {
    if (error instanceof CancelledError) state.stop = { kind: 'cancelled', message: 'The run was cancelled' };
    else if (error instanceof DeadlineError) state.stop = { kind: 'deadline', message: error.message };
    else throw error;
  }
  return wrapUp(state);
}

function submittedAll(state: ScheduleState): boolean {
  return state.queue.length === 0 || state.refusedCreate !== undefined;
}

/** Sleeps until the first thing due: a look at a job, a create, a progress line, or the deadline. */
async function sleepUntilDue(state: ScheduleState): Promise<void> {
  const { api, options, slots } = state;
  const { clock } = options;
  const { deadline, signal } = api.context;
  const now = clock.now();
  const due: { at: number; what: string }[] = [{ at: deadline, what: 'wait-timeout-seconds' }];
  for (const [result, watch] of slots.entries())
    due.push({ at: watch.at, what: `a look at job ${result.jobId}` });
  const createAt = submittedAll(state) ? undefined : slots.nextCreateAt(now);
  if (createAt !== undefined)
    due.push({ at: createAt, what: `a slot for chunk ${state.queue[0]!.chunk.label}` });
  if (options.wait) due.push({ at: state.progress.nextAt(), what: 'the next progress line' });
  const next = due.reduce((first, item) => (item.at < first.at ? item : first));
  if (next.at > now) state.debug(`Waiting ${Math.round(next.at - now)} ms for ${next.what}`);
  await clock.sleep(next.at - now, signal);
  if (signal.aborted) throw new CancelledError();
}

/** Notes on the chunks never sent, and, when the run stopped early, where every chunk stands. */
function wrapUp(state: ScheduleState): ScheduleResult {
  const { results, queue, refusedCreate, options } = state;
  if (!state.stop && refusedCreate !== undefined) state.stop = { kind: 'refused', message: refusedCreate };
  const { stop } = state;
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
    options.log(`Chunks when the run stopped (${stop.kind}):`);
    for (const result of results) {
      options.log(
        `  chunk ${result.chunk.label}: ${result.jobId ?? `external_id ${result.chunk.externalId}`} — ${result.status}`,
      );
    }
  }
  const rate = state.progress.usersPerMinute();
  return { results, ...(stop ? { stop } : {}), ...(rate !== undefined ? { usersPerMinute: rate } : {}) };
}
