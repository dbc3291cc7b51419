/** How an import reads in the summary and the log: totals, a row per job, every failed user traced to its line. */
import type { JobSummary } from '../auth0/jobs.js';
import type { JobRecord } from '../auth0/schedule.js';
import { cappedTable, plural, table } from './markdown.js';
import type { FailedUser } from './redact.js';

export const SUMMARY_FAILED_ROWS = 50;

export interface ImportReport {
  jobs: readonly JobRecord[];
  /** Where each chunk's users come from, e.g. `users.json:2-1040`. */
  chunkSources: readonly string[];
  failedUsers: readonly FailedUser[];
  totals: JobSummary;
  waited: boolean;
  /** Why the run failed, one sentence each; empty when it succeeded. */
  failures: readonly string[];
  links: { commit?: string; run?: string };
}

/** What to do about the error codes users meet most. */
const CODE_HINTS: Record<string, string> = {
  DUPLICATED_USER: 'The user already exists: set upsert: true, or remove the user from the file.',
  CONFLICT: 'The same user appears twice in one job: keep one.',
  CONFLICT_EMAIL: 'The same email appears twice in one job: keep one.',
  CONFLICT_USERNAME: 'The same username appears twice in one job: keep one.',
  CONNECTION_NOT_FOUND: 'Check connection-id / connection-name.',
  PROFILE_SIZE_EXCEEDED: 'The profile is too large: shrink app_metadata / user_metadata.',
  MFA_FACTORS_FAILED: 'Check mfa_factors: one factor of each kind, valid values.',
};

export function hintFor(codes: readonly string[]): string {
  for (const code of codes) {
    // Own keys only: a code such as "constructor" must not reach Object.prototype.
    const hint = Object.hasOwn(CODE_HINTS, code) ? CODE_HINTS[code] : undefined;
    if (hint) return hint;
  }
  return 'Fix the value the message names; the dry run checks most of these before sending.';
}

export function totalsOf(jobs: readonly JobRecord[]): JobSummary {
  const totals = { total: 0, inserted: 0, updated: 0, failed: 0 };
  for (const job of jobs) {
    totals.total += job.summary?.total ?? 0;
    totals.inserted += job.summary?.inserted ?? 0;
    totals.updated += job.summary?.updated ?? 0;
    totals.failed += job.summary?.failed ?? 0;
  }
  return totals;
}

export function importVerdict(report: ImportReport): string {
  const { inserted, updated, failed } = report.totals;
  const counts = `${inserted} inserted, ${updated} updated, ${failed} failed`;
  const jobs = plural(report.jobs.length, 'job');
  if (report.failures.length > 0)
    return `❌ Import did not complete cleanly (${counts}, ${jobs}): ${report.failures.join(' ')}`;
  if (!report.waited)
    return `✅ Submitted ${jobs} without waiting for them (wait: false); their ids are in the job-ids output.`;
  return `✅ Imported ${plural(report.totals.total, 'user')} in ${jobs}: ${counts}.`;
}

/** `f` = failed user's place; users Auth0's echo could not be matched to show without one. */
export function failedUserPlace(user: FailedUser): string {
  return user.file ? `${user.file}:${user.line}` : `(chunk ${user.chunk})`;
}

function duration(job: JobRecord): string {
  if (job.submittedAt === undefined || job.finishedAt === undefined) return '';
  return `${((job.finishedAt - job.submittedAt) / 1000).toFixed(1)} s`;
}

export function renderImport(report: ImportReport): string {
  const { total, inserted, updated, failed } = report.totals;
  const parts = [
    table(['Total', 'Inserted', 'Updated', 'Failed'], [[total, inserted, updated, failed]]),
    '### Jobs',
    table(
      ['Job', 'Chunk', 'Users', 'Status', 'Inserted', 'Updated', 'Failed', 'Duration'],
      report.jobs.map((job, i) => [
        job.id ?? '—',
        `${job.chunk}: ${report.chunkSources[i] ?? ''}`,
        job.userCount,
        job.status +
          (job.percentageDone !== undefined && job.status === 'processing'
            ? ` (${job.percentageDone}%)`
            : ''),
        job.summary?.inserted ?? '',
        job.summary?.updated ?? '',
        job.summary?.failed ?? '',
        duration(job),
      ]),
    ),
  ];
  const notes = report.jobs.filter((job) => job.note || job.statusDetails);
  if (notes.length > 0) {
    parts.push(
      '### Job notes',
      notes
        .map(
          (job) =>
            `- Chunk ${job.chunk}${job.id ? ` (${job.id})` : ''}: ${[job.statusDetails, job.note].filter(Boolean).join(' — ')}`,
        )
        .join('\n'),
    );
  }
  if (report.failedUsers.length > 0) {
    parts.push(
      `### Failed users (${report.failedUsers.length})`,
      cappedTable(
        ['Where', 'User', 'Code', 'Message', 'What to do'],
        report.failedUsers,
        (user) => [
          failedUserPlace(user),
          user.email ?? user.userId ?? '',
          user.codes.join(', '),
          user.messages.join('; '),
          hintFor(user.codes),
        ],
        SUMMARY_FAILED_ROWS,
      ),
    );
  }
  const links = [
    report.links.commit ? `[commit](${report.links.commit})` : '',
    report.links.run ? `[workflow run](${report.links.run})` : '',
  ].filter(Boolean);
  if (links.length > 0) parts.push(`From ${links.join(' · ')}.`);
  return parts.join('\n\n');
}
