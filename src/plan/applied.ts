/**
 * What was applied, as the next run needs it: the baseline made from the files at the applied
 * commit less the users that run did not apply, and what a finished run records for the next.
 * Pure: no GitHub, no HTTP.
 */
import type { ImportResult } from '../auth0/import.js';
import type { AppliedPayload } from '../github/deployments.js';
import type { Baseline, BaselineUser } from './plan.js';

/** Emails are matched as Auth0 matches them: ignoring case. */
const key = (email: string) => email.toLowerCase();

/**
 * The files at the applied commit, less the users that run did not apply (they are planned again),
 * plus the users whose removal did not happen (they are removed again).
 */
export function appliedBaseline(files: Baseline, payload: AppliedPayload, place: string): Baseline {
  const again = new Set([...payload.notApplied, ...payload.unknown].map(key));
  const users: BaselineUser[] = files.users.filter((user) => !again.has(key(user.email)));
  const held = new Set(users.map((user) => key(user.email)));
  for (const email of payload.notRemoved) {
    if (!held.has(key(email))) users.push({ email, place, record: () => ({ email }) });
  }
  return { ...files, users };
}

/** GitHub keeps a deployment's payload small: past this the lists are not recorded, and the status says so. */
export const PAYLOAD_LIMIT = 60_000;

export interface RunRecord {
  payload: AppliedPayload;
  /** False when the lists did not fit: the next run plans against the last complete record. */
  complete: boolean;
  /** In words, for the status and the summary. */
  description: string;
}

/**
 * What a run that sent something records: every user a chunk carried is applied unless Auth0
 * rejected it (not applied), the chunk was never sent (not applied), or its outcome is unknown.
 */
export function runRecord(sha: string, base: string | null, result: ImportResult): RunRecord {
  const notApplied = new Set<string>();
  const unknown = new Set<string>();
  const notRemoved = new Set<string>();
  for (const chunk of result.results) {
    const rejected = new Set(chunk.failedUsers.flatMap((user) => (user.email ? [key(user.email)] : [])));
    const status = chunk.status;
    for (const user of chunk.chunk.users) {
      const email = user.email;
      if (!email) continue;
      if (status === 'completed') {
        if (rejected.has(key(email))) notApplied.add(email);
      } else if (!chunk.jobId && status !== 'unknown') notApplied.add(email);
      // Sent, and then: lost, failed, expired or still running: some may be in the tenant.
      else unknown.add(email);
    }
  }
  for (const { action, outcome } of result.reconcile?.results ?? []) {
    if (outcome !== 'failed' && outcome !== 'not-done') continue;
    if (action.kind === 'block' || action.kind === 'delete') notRemoved.add(action.email);
    else notApplied.add(action.email);
  }
  const payload: AppliedPayload = {
    sha,
    base,
    notApplied: [...notApplied],
    unknown: [...unknown],
    notRemoved: [...notRemoved],
  };
  const complete = JSON.stringify(payload).length <= PAYLOAD_LIMIT;
  const counts = [
    notApplied.size > 0 ? `${notApplied.size} not applied` : '',
    unknown.size > 0 ? `${unknown.size} unknown` : '',
    notRemoved.size > 0 ? `${notRemoved.size} not removed` : '',
  ].filter(Boolean);
  return {
    payload: complete ? payload : { sha, base, notApplied: [], unknown: [], notRemoved: [] },
    complete,
    description: complete
      ? `Applied ${sha.slice(0, 7)}${counts.length > 0 ? `; the next run sends again: ${counts.join(', ')}` : ''}`
      : `Applied ${sha.slice(0, 7)} in part: too many users not applied to record (${counts.join(', ')}); the next run plans against the last complete deployment`,
  };
}

/**
 * A DUPLICATED_USER for a user whose earlier outcome was unknown means that earlier import worked:
 * it counts as already imported, not as a failure.
 */
export function forgiveDuplicates(result: ImportResult, unknown: readonly string[]): number {
  if (unknown.length === 0) return 0;
  const earlier = new Set(unknown.map(key));
  let forgiven = 0;
  for (const chunk of result.results) {
    const kept = chunk.failedUsers.filter(
      (user) =>
        !(
          user.email &&
          earlier.has(key(user.email)) &&
          user.codes.every((code) => code === 'DUPLICATED_USER')
        ),
    );
    const dropped = chunk.failedUsers.length - kept.length;
    if (dropped === 0) continue;
    forgiven += dropped;
    chunk.failedUsers = kept;
    if (chunk.summary) chunk.summary = { ...chunk.summary, failed: chunk.summary.failed - dropped };
  }
  return forgiven;
}
