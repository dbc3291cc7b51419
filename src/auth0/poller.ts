/**
 * The poller: when to look at a job next. Auth0's estimate (time_left_seconds, rounded up to the
 * whole second) says when a job ends; looks are placed to learn that end closely without asking
 * more often than the poll cap makes anyway, and each job's watch keeps what its answers said.
 */
import { backoffMs, type TimingPolicy } from './timing.js';

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

/** What the scheduler knows of one job it waits for: when to look next, what its end is known to be. */
export interface JobWatch extends JobEnd {
  /** Clock time of the next look. */
  at: number;
  interval: number;
  /** Looks in a row that got no answer. */
  failures: number;
  /** The look at `at` only narrows the job's end: it may be skipped (see mayNarrow). */
  narrows?: boolean;
}

/** A job just created: first looked at after pollInitialMs. */
export function firstWatch(now: number, timing: TimingPolicy): JobWatch {
  return { at: now + timing.pollInitialMs, interval: timing.pollInitialMs, failures: 0 };
}

export function watchNext(watch: JobWatch, next: NextPoll, now: number): void {
  watch.interval = next.delay;
  watch.at = now + next.delay;
  watch.endsBy = next.endsBy;
  watch.endsAfter = next.endsAfter;
  watch.narrows = next.narrows;
}

/** A look got no answer: the next comes after a backoff that grows with each such look. */
export function watchAfterFailure(watch: JobWatch, now: number, timing: TimingPolicy, random: number): void {
  watch.failures++;
  watch.at = now + backoffMs(watch.failures, timing.retryInitialMs, timing.pollMaxMs, random);
}

/** How long the answers so far leave a job's end open. */
function openMs(watch: JobWatch): number {
  return watch.endsBy !== undefined && watch.endsAfter !== undefined
    ? watch.endsBy - watch.endsAfter
    : Infinity;
}

/** An early look at a job is a request more: only while the bucket holds one for every slot's look and create. */
export function mayLookEarly(spare: number, maxConcurrentJobs: number): boolean {
  return spare > 2 * maxConcurrentJobs;
}

/** A look that narrows a job's end is skipped this close to any job's end (see mayNarrow). */
const NARROWING_CLEARS_MS = 750;

/**
 * A look that only narrows a job's end goes out when it holds back nothing that matters: no job
 * that has ended waits to be read, and either the bucket holds a request more than it, or no job
 * is due to end within NARROWING_CLEARS_MS (whose create or read would wait for the request it
 * took, or for the pause an emptied bucket brings) and no other job's end is known less closely
 * (the last end noticed is what the run waits for).
 */
export function mayNarrow(
  watch: JobWatch,
  watches: readonly JobWatch[],
  now: number,
  spare: number,
  presumedEnded: (watch: JobWatch) => boolean,
): boolean {
  if (watches.some(presumedEnded)) return false;
  if (spare >= 2) return true;
  for (const other of watches) {
    if (other.narrows && openMs(other) > openMs(watch)) return false;
    if (other.endsBy !== undefined && other.endsBy > now && other.endsBy - now < NARROWING_CLEARS_MS)
      return false;
  }
  return true;
}

/**
 * A look that narrows is due: it goes out now ('now') only if now still narrows (an earlier request
 * or the client's pause for the rate limit, until `sendsAt`, may have held it back) and `mayNarrow`
 * allows it; else a little later while that still narrows, else the end is looked at as usual.
 */
export function dueNarrowingLook(
  end: Required<JobEnd>,
  now: number,
  timing: TimingPolicy,
  pacing: { sendsAt: number; lookEarly: boolean },
  mayNarrowNow: () => boolean,
): NextPoll | 'now' {
  const plan = (narrowFrom: number): NextPoll => ({
    ...lookAt(end, now, timing, { narrow: true, lookEarly: pacing.lookEarly, narrowFrom }),
    ...end,
  });
  const next = plan(pacing.sendsAt);
  if (!next.narrows || next.delay !== 0) return next;
  if (mayNarrowNow()) return 'now';
  return plan(now + NARROW_GAP_MS);
}
