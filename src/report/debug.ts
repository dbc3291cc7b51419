/**
 * What a run re-run with debug logging adds to its log: the settings it read and what it decided.
 * Settings are described from an allow-list of their fields; a credential only by its kind.
 */
import type { Settings } from '../inputs.js';
import type { RunPlan } from '../plan/index.js';

export function settingsDebugLine(settings: Settings): string {
  const target = settings.import;
  const described = {
    usersFiles: settings.usersFiles,
    dryRun: settings.dryRun,
    baseline: settings.baseline,
    since: settings.since,
    onlyChanged: settings.onlyChanged,
    upsert: settings.upsert,
    reconcile: settings.reconcile,
    onRemoved: settings.onRemoved,
    maxRemovals: settings.maxRemovals,
    maxChunkBytes: settings.maxChunkBytes,
    onUnappliedChange: settings.onUnappliedChange,
    commentOnPr: settings.commentOnPr,
    githubToken: settings.githubToken === undefined ? 'not given' : 'given',
    import: target && {
      domain: target.domain,
      credentials: target.credentials.kind === 'token' ? 'management-api-token' : 'client credentials',
      connection: target.connection,
      wait: target.wait,
      waitTimeoutSeconds: target.waitTimeoutSeconds,
      maxConcurrentJobs: target.maxConcurrentJobs,
      sendCompletionEmail: target.sendCompletionEmail,
      failOnUserErrors: target.failOnUserErrors,
    },
  };
  return `Settings: ${JSON.stringify(described)}`;
}

/** The plan's chunks, each with its users and bytes, and why nothing is sent when nothing is. */
export function planDebugLines(report: RunPlan, settings: Settings): string[] {
  const lines = report.chunks.map(
    (chunk) =>
      `Chunk ${chunk.label}: ${chunk.users.length} user(s), ${chunk.bytes} bytes of users, ${chunk.source}, external_id ${chunk.externalId}`,
  );
  const reason = !settings.import
    ? 'no tenant to import into (dry run without credentials)'
    : settings.dryRun
      ? 'dry-run is true'
      : report.problems.length > 0
        ? `${report.problems.length} problem(s) in the users files`
        : report.chunks.length === 0 && report.reconcile.length === 0
          ? 'nothing to import or apply'
          : undefined;
  lines.push(
    reason
      ? `No import: ${reason}.`
      : `To send: ${report.chunks.length} chunk(s), then ${report.reconcile.length} Users API change(s).`,
  );
  return lines;
}
