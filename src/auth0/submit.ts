/**
 * Submitting chunks as jobs while the slot keeper has room: what each answer to a create means for
 * the chunk (a job to watch, Auth0's job limit, too large, refused, or of unknown effect).
 */
import { splitChunk } from '../users/chunks.js';
import { CancelledError, DeadlineError, messageOf, UncertainError } from './errors.js';
import { createJob } from './jobs.js';
import { firstWatch } from './poller.js';
import type { ChunkResult, ScheduleState } from './schedule.js';

export async function submitWhileSlotsFree(state: ScheduleState): Promise<void> {
  const { clock } = state.options;
  while (
    state.queue.length > 0 &&
    !state.stop &&
    state.refusedCreate === undefined &&
    state.slots.mayCreate(clock.now())
  ) {
    if (!(await submitNext(state))) return;
  }
}

/** Sends the first chunk of the queue; false when no create should follow now. */
async function submitNext(state: ScheduleState): Promise<boolean> {
  const { api, options, queue, slots } = state;
  const { clock, log } = options;
  const result = queue[0]!;
  const { chunk } = result;
  if (slots.size > slots.busy(clock.now()))
    state.debug(`Chunk ${chunk.label}: a job's estimate says it has ended; its slot goes to this chunk`);
  let outcome;
  try {
    outcome = await createJob(api, chunk, options.fields);
  } catch (error) {
    if ((error instanceof CancelledError || error instanceof DeadlineError) && !error.inFlight) throw error;
    queue.shift();
    if (
      error instanceof CancelledError ||
      error instanceof DeadlineError ||
      error instanceof UncertainError
    ) {
      markUnknown(
        state,
        result,
        error instanceof UncertainError
          ? error.message
          : `${error instanceof CancelledError ? 'Cancelled' : 'wait-timeout-seconds ran out'} while the request was out: Auth0 may have created the job`,
      );
      if (error instanceof CancelledError || error instanceof DeadlineError) throw error;
      return true;
    }
    result.status = 'refused';
    result.note = `${messageOf(error)}. Nothing of this chunk was imported.`;
    state.refusedCreate = messageOf(error);
    log(`Chunk ${chunk.label}: ${messageOf(error)}. No further chunks are submitted.`);
    state.changed();
    return false;
  }
  if (outcome.kind === 'job-limit') {
    // Try again at once when one of ours finishes (the slot keeper's release), or after a backoff.
    const waitMs = slots.jobLimitReached(clock.now(), options.timing, clock.random());
    log(
      `Chunk ${chunk.label}: Auth0 already runs 2 import jobs in this tenant; trying again ${
        slots.size > 0 ? 'once one of ours finishes, or ' : ''
      }in ${(waitMs / 1000).toFixed(1)} s`,
    );
    return false;
  }
  queue.shift();
  if (outcome.kind === 'too-large') {
    splitTooLarge(state, result);
    return true;
  }
  result.jobId = outcome.job.id;
  result.status = outcome.job.status === 'unknown' ? 'pending' : outcome.job.status;
  result.submittedAt = clock.now();
  slots.occupy(result, firstWatch(clock.now(), options.timing));
  log(
    `Chunk ${chunk.label}: submitted ${chunk.users.length} users as job ${outcome.job.id} (external_id ${chunk.externalId})`,
  );
  state.debug(`Job ${outcome.job.id} holds a slot (${slots.busy(clock.now())} of ${slots.max} busy)`);
  state.changed();
  return true;
}

/** A 413 means nothing was created: sending the halves cannot duplicate anyone. */
function splitTooLarge(state: ScheduleState, result: ChunkResult): void {
  const { chunk } = result;
  const halves = splitChunk(chunk);
  if (!halves) {
    result.status = 'refused';
    result.note = `Auth0 refused it as too large (413) though it holds one user: shrink that user's metadata.`;
    state.changed();
    return;
  }
  const split = halves.map((half): ChunkResult => ({
    chunk: half,
    status: 'not-sent',
    failedUsers: [],
    note: `Half of chunk ${chunk.label}, which Auth0 refused as too large (413, nothing created).`,
  }));
  state.results.splice(state.results.indexOf(result), 1, ...split);
  state.queue.unshift(...split);
  state.options.log(
    `Chunk ${chunk.label}: Auth0 refused it as too large (413, nothing created); sending it as ${halves[0].label} and ${halves[1].label}`,
  );
  state.changed();
}

/** The create may have made a job: never sent again without upsert, which would fail every user. */
function markUnknown(state: ScheduleState, result: ChunkResult, why: string): void {
  const { chunk } = result;
  const { upsert } = state.options.fields;
  result.status = 'unknown';
  result.submittedAt = state.options.clock.now();
  result.note = `${why}. Not sent again${
    upsert ? '' : ', as a second job would fail every user as DUPLICATED_USER'
  }: check the tenant's logs for external_id ${chunk.externalId}${upsert ? '' : ', or run again with upsert: true'}.`;
  state.options.log(`Chunk ${chunk.label}: ${result.note}`);
  state.changed();
}
