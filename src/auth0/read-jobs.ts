/**
 * Reading the jobs the poller says are due: their status, and when they end, their errors. Looks
 * that can wait for the rate-limit bucket (reading a job that has ended while a chunk waits to be
 * sent, a look that only narrows an end) give way to those that cannot.
 */
import { CancelledError, DeadlineError, isPermanentRefusal, messageOf } from './errors.js';
import { FINAL_STATUSES, getJob, getJobErrors } from './jobs.js';
import {
  dueNarrowingLook,
  mayLookEarly,
  mayNarrow,
  nextPoll,
  watchAfterFailure,
  watchNext,
  type JobWatch,
} from './poller.js';
import type { ChunkResult, ScheduleState } from './schedule.js';

/** How long the read of an ended job waits when the bucket holds a request only for the next create. */
const READ_ENDED_LATER_MS = 500;

export async function lookAtDueJobs(state: ScheduleState): Promise<void> {
  const { api, options, slots } = state;
  const { clock, timing } = options;
  for (const [result, watch] of slots.entries()) {
    if (watch.at > clock.now() || state.stop) continue;
    const now = clock.now();
    const spare = api.pacer.spare(now);
    // Reading a job that has ended can wait for the bucket; sending the next chunk cannot.
    if (slots.presumedEnded(watch, now) && state.queue.length > 0 && spare < 2) {
      watch.at = now + READ_ENDED_LATER_MS;
      state.debug(
        `Job ${result.jobId}: ended by its estimate; read in ${READ_ENDED_LATER_MS} ms, the rate limit's ${spare} spare request(s) kept for the next create`,
      );
      continue;
    }
    if (watch.narrows && watch.endsBy !== undefined && watch.endsAfter !== undefined) {
      const next = dueNarrowingLook(
        { endsBy: watch.endsBy, endsAfter: watch.endsAfter },
        now,
        timing,
        { sendsAt: Math.max(now, api.pacer.quietUntil), lookEarly: mayLookEarly(spare, slots.max) },
        () => mayNarrow(watch, slots.watches(), now, spare, (other) => slots.presumedEnded(other, now)),
      );
      if (next !== 'now') {
        watchNext(watch, next, now);
        state.debug(`Job ${result.jobId}: a look to narrow its end moved; next look ${lookLine(watch, now)}`);
        continue;
      }
    }
    await readJob(state, result, watch);
  }
}

/** When a watch looks next, and what is known of the job's end, relative to now. */
function lookLine(watch: JobWatch, now: number): string {
  const end =
    watch.endsBy !== undefined && watch.endsAfter !== undefined
      ? `; it ends in (${Math.round(watch.endsAfter - now)}, ${Math.round(watch.endsBy - now)}] ms`
      : '';
  return `in ${Math.round(watch.at - now)} ms${watch.narrows ? ' (narrows its end)' : ''}${end}`;
}

async function readJob(state: ScheduleState, result: ChunkResult, watch: JobWatch): Promise<void> {
  const { api, options } = state;
  const { clock, timing, log } = options;
  const id = result.jobId!;
  let status;
  try {
    status = await getJob(api, id, result.chunk);
  } catch (error) {
    if (error instanceof CancelledError || error instanceof DeadlineError) throw error;
    if (isPermanentRefusal(error)) {
      state.stop = {
        kind: 'refused',
        message: `${error.message}. Waiting stopped: asking again cannot help. The jobs keep running in Auth0`,
      };
      return;
    }
    watchAfterFailure(watch, clock.now(), timing, clock.random());
    log(`Job ${id}: could not read its status (${messageOf(error)}); trying again`);
    return;
  }
  watch.failures = 0;
  if (status === 'gone') {
    result.status = 'expired';
    result.note = `Auth0 no longer knows job ${id} (404): jobs are deleted 24 hours after creation. Check the tenant's logs for external_id ${result.chunk.externalId}.`;
    await finish(state, result, id);
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
  if (FINAL_STATUSES.has(result.status)) {
    await finish(state, result, id);
    return;
  }
  const lookEarly = mayLookEarly(api.pacer.spare(clock.now()), state.slots.max);
  const next = nextPoll(watch, status.timeLeftSeconds, clock.now(), timing, {
    ...(status.sentAt !== undefined ? { sentAt: status.sentAt } : {}),
    lookEarly,
    narrow: true,
  });
  watchNext(watch, next, clock.now());
  state.debug(
    `Job ${id}: next look ${lookLine(watch, clock.now())}${lookEarly ? '' : ' (no early look: the rate limit leaves no spare request)'}`,
  );
  state.changed();
}

async function finish(state: ScheduleState, result: ChunkResult, id: string): Promise<void> {
  const { api, options, slots } = state;
  const { clock } = options;
  result.finishedAt = clock.now();
  slots.release(result, clock.now());
  state.debug(`Job ${id}: ${result.status}; slot freed (${slots.busy(clock.now())} of ${slots.max} busy)`);
  if ((result.summary?.failed ?? 0) > 0 || result.status === 'failed') {
    try {
      const errors = await getJobErrors(api, id, result.chunk);
      result.failedUsers = errors.failedUsers;
      if (errors.statusDetails && !result.statusDetails) result.statusDetails = errors.statusDetails;
    } catch (error) {
      if (error instanceof CancelledError || error instanceof DeadlineError) throw error;
      result.note = `Could not read the job's errors: ${messageOf(error)}`;
    }
  }
  if (result.status === 'failed' && !result.statusDetails) result.note ??= 'Failed; Auth0 gave no reason.';
  state.progress.finished(result);
  state.changed();
}
