/**
 * What a person waiting for the jobs reads: progress lines with an ETA from the jobs finished so
 * far, and one warning once the measured rate says the rest cannot finish in time.
 */
import { FINAL_STATUSES } from './jobs.js';
import type { ChunkResult, ScheduleOptions } from './schedule.js';

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
export function progressReporter(
  results: readonly ChunkResult[],
  options: Pick<ScheduleOptions, 'clock' | 'timing' | 'log' | 'warn' | 'maxConcurrentJobs'>,
  deadline: number,
) {
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
      const done = results.filter((result) => FINAL_STATUSES.has(result.status)).length;
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
