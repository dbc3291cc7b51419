/**
 * The run's outcome, decided here and only here: whether it succeeded, the one-line verdict, each
 * reason it failed and what to do next. Pure: it reads what happened and decides nothing else.
 */
import type { ChunkResult, ScheduleStop } from '../auth0/schedule.js';
import type { ReconcileResult } from '../auth0/reconcile.js';
import { plural, sentence } from './words.js';

/** Counts over an import, each with one meaning. */
export interface ImportCounts {
  /** Users in chunks Auth0 gave a job id. */
  sentUsers: number;
  jobs: number;
  /** From completed jobs' summaries. */
  inserted: number;
  updated: number;
  failed: number;
  /** Users in chunks sent whose answer was lost: they may or may not be in the tenant. */
  unknownUsers: number;
  unknownChunks: number;
  /** Users in chunks never sent, or refused by Auth0 on create: none of them reached the tenant. */
  unsentUsers: number;
  unsentChunks: number;
  /** Users in jobs still pending or processing when the run stopped waiting. */
  runningUsers: number;
  runningJobs: string[];
}

export function countImport(results: readonly ChunkResult[]): ImportCounts {
  const counts: ImportCounts = {
    sentUsers: 0,
    jobs: 0,
    inserted: 0,
    updated: 0,
    failed: 0,
    unknownUsers: 0,
    unknownChunks: 0,
    unsentUsers: 0,
    unsentChunks: 0,
    runningUsers: 0,
    runningJobs: [],
  };
  for (const result of results) {
    const users = result.chunk.users.length;
    if (result.jobId) {
      counts.jobs++;
      counts.sentUsers += users;
      if (result.status === 'completed') {
        counts.inserted += result.summary?.inserted ?? 0;
        counts.updated += result.summary?.updated ?? 0;
        counts.failed += result.summary?.failed ?? 0;
      } else if (!['failed', 'expired'].includes(result.status)) {
        counts.runningUsers += users;
        counts.runningJobs.push(result.jobId);
      }
    } else if (result.status === 'unknown') {
      counts.unknownChunks++;
      counts.unknownUsers += users;
    } else {
      counts.unsentChunks++;
      counts.unsentUsers += users;
    }
  }
  return counts;
}

export interface ImportFacts {
  results: readonly ChunkResult[];
  /** What reconciling did, when it ran. */
  reconcile?: readonly ReconcileResult[];
  stop?: ScheduleStop;
  /** The run could not start importing (token, scopes, connection); nothing was sent. */
  fatal?: string;
  waited: boolean;
  waitTimeoutSeconds: number;
  upsert: boolean;
  failOnUserErrors: boolean;
  /** What the plan compared with: a re-run against the tenant sends only what is still missing. */
  baseline: 'git' | 'tenant';
}

export interface Outcome {
  ok: boolean;
  /** One line: ✅ or ❌ and what happened. */
  verdict: string;
  /** Why it failed, one sentence each; empty when it succeeded. */
  failures: string[];
  /** What to do about it. */
  nextSteps: string[];
}

function jobsLine(counts: ImportCounts): string {
  return `${counts.inserted} inserted, ${counts.updated} updated, ${counts.failed} failed`;
}

/** What a person needs to know about an import that ran (or tried to). */
export function importOutcome(facts: ImportFacts): Outcome {
  const counts = countImport(facts.results);
  const failures: string[] = [];
  const nextSteps: string[] = [];
  if (facts.fatal) {
    return {
      ok: false,
      verdict: `❌ Import did not start: ${sentence(facts.fatal)} Nothing was sent.`,
      failures: [facts.fatal],
      nextSteps: [],
    };
  }
  const { stop } = facts;
  if (stop?.kind === 'cancelled') failures.push('The run was cancelled.');
  if (stop?.kind === 'deadline')
    failures.push(
      `wait-timeout-seconds (${facts.waitTimeoutSeconds}) ran out (${stop.message.replace(/^wait-timeout-seconds ran out /, '')}).`,
    );
  if (stop?.kind === 'refused') failures.push(`${stop.message.replace(/\.$/, '')}.`);
  const byStatus = (status: string) => facts.results.filter((result) => result.status === status);
  const failedJobs = byStatus('failed');
  const expiredJobs = byStatus('expired');
  if (failedJobs.length > 0)
    failures.push(
      `${plural(failedJobs.length, 'job')} failed: ${failedJobs.map((result) => result.jobId).join(', ')}.`,
    );
  if (expiredJobs.length > 0)
    failures.push(
      `${plural(expiredJobs.length, 'job')} expired or vanished: ${expiredJobs.map((result) => result.jobId).join(', ')}.`,
    );
  // With wait: false, jobs still running is the point; otherwise the run stopped waiting for them.
  if (counts.runningJobs.length > 0 && facts.waited)
    failures.push(
      `${plural(counts.runningJobs.length, 'job')} still running in Auth0 with ${plural(counts.runningUsers, 'user')}: ${counts.runningJobs.join(', ')}.`,
    );
  if (counts.unknownChunks > 0)
    failures.push(
      `${plural(counts.unknownChunks, 'chunk')} with ${plural(counts.unknownUsers, 'user')} may or may not have been imported (sent, answer lost).`,
    );
  if (counts.unsentChunks > 0)
    failures.push(
      `${plural(counts.unsentUsers, 'user')} in ${plural(counts.unsentChunks, 'chunk')} were not sent.`,
    );
  if (counts.failed > 0 && facts.failOnUserErrors)
    failures.push(`Auth0 rejected ${plural(counts.failed, 'user')} (fail-on-user-errors).`);
  const reconcileFailed = (facts.reconcile ?? []).filter((result) => result.outcome === 'failed').length;
  const reconcileNotDone = (facts.reconcile ?? []).filter((result) => result.outcome === 'not-done').length;
  const heldBack = (facts.reconcile ?? []).filter((result) => result.outcome === 'held-back').length;
  if (reconcileFailed > 0)
    failures.push(`${plural(reconcileFailed, 'reconcile action')} failed (see Reconcile).`);
  if (reconcileNotDone > 0) failures.push(`${plural(reconcileNotDone, 'reconcile action')} not done.`);
  if (heldBack > 0)
    failures.push(
      `${plural(heldBack, 'reconcile action')} held back: not applied because the import of the user did not succeed (see Reconcile).`,
    );

  // While this run's jobs still run, a re-run would send their users again (the tenant does not hold
  // them yet): the only true advice is to wait for them.
  const stillRunning = counts.runningJobs.length > 0 && facts.waited;
  if (stillRunning)
    nextSteps.push(
      `Do not run again yet: ${plural(counts.runningJobs.length, 'job')} of this run ${counts.runningJobs.length === 1 ? 'is' : 'are'} still importing ${plural(counts.runningUsers, 'user')} in Auth0 (${counts.runningJobs.join(', ')}; also in the job-ids output). Wait until ${counts.runningJobs.length === 1 ? 'it ends' : 'they end'} (GET /api/v2/jobs/{id} says completed or failed, or the tenant's logs show it), then run again${facts.baseline === 'tenant' ? '' : ' with baseline: tenant'} to send only what the tenant still lacks or holds differently.`,
    );
  if (counts.unknownChunks > 0)
    nextSteps.push(
      `Check the tenant's logs for the external_id of each chunk marked unknown before running again${facts.upsert ? '' : ', or run again with upsert: true'}.`,
    );
  const notImported = facts.results
    .filter((result) => result.status !== 'completed')
    .reduce((sum, result) => sum + result.chunk.users.length, 0);
  if (
    notImported > 0 &&
    !stillRunning &&
    (counts.unsentUsers > 0 || counts.unknownUsers > 0 || failedJobs.length > 0 || expiredJobs.length > 0)
  )
    nextSteps.push(
      facts.baseline === 'tenant'
        ? `Run again to continue: ${plural(notImported, 'user')} not yet imported; baseline: tenant sends only what the tenant still lacks or holds differently.`
        : `Re-run with baseline: tenant to continue: ${plural(notImported, 'user')} not yet imported; it reads the tenant and sends only what it still lacks or holds differently${facts.upsert ? '' : ' (or run again with upsert: true, which updates users already imported instead of failing them as DUPLICATED_USER)'}.`,
    );
  if (counts.failed > 0)
    nextSteps.push('Fix the users listed in failed-users-file (each with its line) and run again.');
  if (reconcileFailed + reconcileNotDone + heldBack > 0 && !stillRunning)
    nextSteps.push(
      `${reconcileFailed > 0 ? 'Do what each failed Reconcile line says, then run again' : 'Run again'}${heldBack > 0 ? ' once the import of the held-back users succeeds' : ''}: reconciling compares before it changes anything, so what is done stays done.`,
    );

  const sent = `${plural(counts.sentUsers, 'user')} sent in ${plural(counts.jobs, 'job')}`;
  if (failures.length > 0) {
    const unsent = counts.unsentUsers > 0 ? `; ${plural(counts.unsentUsers, 'user')} not sent` : '';
    return {
      ok: false,
      verdict: `❌ Import did not complete cleanly (${sent}: ${jobsLine(counts)}${unsent}): ${failures.join(' ')}`,
      failures,
      nextSteps,
    };
  }
  if (!facts.waited) {
    return {
      ok: true,
      verdict: `✅ Submitted ${plural(counts.sentUsers, 'user')} in ${plural(counts.jobs, 'job')} without waiting for them (wait: false); their ids are in the job-ids output.`,
      failures,
      nextSteps,
    };
  }
  const reconciled = facts.reconcile
    ? ` Reconcile: ${facts.reconcile.filter((result) => result.outcome === 'done').length} done, ${
        facts.reconcile.filter((result) => result.outcome === 'skipped').length
      } already so.`
    : '';
  return {
    ok: true,
    verdict:
      counts.jobs === 0 && facts.reconcile
        ? `✅ Nothing to import.${reconciled}`
        : `✅ Imported ${plural(counts.sentUsers, 'user')} in ${plural(counts.jobs, 'job')}: ${jobsLine(counts)}.${reconciled}`,
    failures,
    nextSteps: counts.failed > 0 ? nextSteps : [],
  };
}
