/** How a run's validation and chunk plan read in the summary and the log. */
import type { Chunk } from '../users/chunks.js';
import type { UserChanges } from '../users/diff.js';
import type { Problem } from '../users/problem.js';
import { renderChanges } from './changes.js';
import { cappedTable, plural } from './markdown.js';

export const SUMMARY_PROBLEM_ROWS = 50;
/** A glob can match thousands of files; GitHub refuses a summary over 1 MiB. */
export const SUMMARY_FILE_ROWS = 100;
export const SUMMARY_CHUNK_ROWS = 100;

export interface ValidationReport {
  files: readonly { file: string; users: number }[];
  /** The chunks to send: all valid users, or with only-changed the added and modified ones. */
  chunks: readonly Chunk[];
  problems: readonly Problem[];
  changes?: { changes: UserChanges; reason: string; commit: string };
}

/** One line per problem, as the log and editors read it: `users.json:12:5 [3].email: message (hint)`. */
export function problemLine(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path ? ` ${problem.path}` : '';
  return `${where}${path}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`;
}

export function totalUsers(report: ValidationReport): number {
  return report.files.reduce((sum, file) => sum + file.users, 0);
}

function chunkUsers(report: ValidationReport): number {
  return report.chunks.reduce((sum, chunk) => sum + chunk.users.length, 0);
}

export function validationVerdict(report: ValidationReport, dryRun: boolean): string {
  const files = plural(report.files.length, 'file');
  if (report.problems.length > 0) {
    return `❌ ${plural(report.problems.length, 'problem')} in ${files}: nothing was sent. Fix them and run again.`;
  }
  const users = plural(totalUsers(report), 'user');
  const planned = plural(report.chunks.length, 'chunk');
  const what = report.changes
    ? `; ${report.changes.changes.added.length} added and ${report.changes.changes.modified.length} modified (${report.changes.changes.unchanged.length} unchanged, skipped)`
    : '';
  if (report.chunks.length === 0) return `✅ ${users} in ${files} are valid${what}: nothing to import.`;
  return dryRun
    ? `✅ ${users} in ${files} are valid${what}: ${plural(chunkUsers(report), 'user')} would be sent in ${planned}, one job each (dry run, nothing was sent).`
    : `✅ ${users} in ${files} are valid${what}: ${plural(chunkUsers(report), 'user')} planned in ${planned}.`;
}

/** The validation part of the summary: changes, files, then the problems or (unless the jobs table shows them) the chunks. */
export function renderValidation(report: ValidationReport, withChunkPlan = true): string {
  const parts = [
    ...(report.changes
      ? [renderChanges(report.changes.changes, report.changes.reason, report.changes.commit)]
      : []),
    '### Users files',
    cappedTable(['File', 'Users'], report.files, (file) => [file.file, file.users], SUMMARY_FILE_ROWS),
  ];
  if (report.problems.length > 0) {
    parts.push(
      `### Problems (${report.problems.length})`,
      cappedTable(
        ['Where', 'Path', 'Problem', 'What to do'],
        report.problems,
        (problem) => [
          `${problem.file}:${problem.line}:${problem.column}`,
          problem.path,
          problem.message,
          problem.hint ?? '',
        ],
        SUMMARY_PROBLEM_ROWS,
      ),
    );
  } else if (withChunkPlan && report.chunks.length > 0) {
    parts.push(
      '### Chunk plan',
      cappedTable(
        ['Chunk', 'Users', 'Users part (bytes)', 'Lines'],
        report.chunks,
        (chunk) => [chunk.label, chunk.users.length, chunk.bytes, chunk.source],
        SUMMARY_CHUNK_ROWS,
      ),
    );
  }
  return parts.join('\n\n');
}
