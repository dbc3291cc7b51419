/** How a run's validation and chunk plan read in the summary and the log. */
import type { ChunkSpan } from '../users/chunks.js';
import type { UserChanges } from '../users/diff.js';
import { renderChanges } from './changes.js';
import type { Problem } from '../users/problem.js';
import type { RunUser } from '../users/validate.js';
import { cappedTable, plural, table } from './markdown.js';

export const SUMMARY_PROBLEM_ROWS = 50;
/** A glob can match thousands of files; GitHub refuses a summary over 1 MiB. */
export const SUMMARY_FILE_ROWS = 100;

export interface ValidationReport {
  files: readonly { file: string; users: number }[];
  /** The users to send: all valid users, or with only-changed the added and modified ones. */
  users: readonly RunUser[];
  chunks: readonly ChunkSpan[];
  problems: readonly Problem[];
  changes?: { changes: UserChanges; reason: string; commit: string };
}

/** One line per problem, as the log and editors read it: `users.json:12:5 [3].email: message (hint)`. */
export function problemLine(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path ? ` ${problem.path}` : '';
  return `${where}${path}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`;
}

export function chunkLines(report: ValidationReport): string[] {
  return report.chunks.map((chunk, i) => {
    const first = report.users[chunk.first];
    const last = report.users[chunk.first + chunk.count - 1];
    return `chunk ${i + 1}: ${plural(chunk.count, 'user')}, ${chunk.bytes} bytes, ${first?.file}:${first?.line} to ${last?.file}:${last?.line}`;
  });
}

export function totalUsers(report: ValidationReport): number {
  return report.files.reduce((sum, file) => sum + file.users, 0);
}

export function validationVerdict(report: ValidationReport, dryRun: boolean): string {
  const files = plural(report.files.length, 'file');
  if (report.problems.length > 0) {
    return `❌ ${plural(report.problems.length, 'problem')} in ${files}: nothing was sent. Fix them and run again.`;
  }
  const users = plural(totalUsers(report), 'user');
  if (report.changes) {
    const { added, modified, unchanged } = report.changes.changes;
    const what = `${added.length} added and ${modified.length} modified (${unchanged.length} unchanged, skipped)`;
    return dryRun
      ? `✅ ${users} in ${files} are valid; ${what}: ${plural(report.chunks.length, 'job')} would be submitted (dry run, nothing was sent).`
      : `✅ ${users} in ${files} are valid; ${what}: planned as ${plural(report.chunks.length, 'job')}.`;
  }
  return dryRun
    ? `✅ ${users} in ${files} are valid: ${plural(report.chunks.length, 'job')} would be submitted (dry run, nothing was sent).`
    : `✅ ${users} in ${files} are valid, planned as ${plural(report.chunks.length, 'job')}.`;
}

/** The validation part of the summary: files, chunk plan and problems. */
export function renderValidation(report: ValidationReport): string {
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
  } else {
    parts.push(
      '### Chunk plan',
      table(
        ['Chunk', 'Users', 'Bytes', 'First', 'Last'],
        report.chunks.map((chunk, i) => {
          const first = report.users[chunk.first];
          const last = report.users[chunk.first + chunk.count - 1];
          return [
            i + 1,
            chunk.count,
            chunk.bytes,
            `${first?.file}:${first?.line}`,
            `${last?.file}:${last?.line}`,
          ];
        }),
      ),
    );
  }
  return parts.join('\n\n');
}
