/** How a run's validation, plan and chunks read in the summary and the log. */
import type { RunPlan } from '../plan/index.js';
import { countActions } from '../plan/plan.js';
import type { Problem } from '../users/problem.js';
import { cappedTable, cell, plural } from './markdown.js';
import { renderPlan, type Fates } from './plan.js';

export const SUMMARY_PROBLEM_ROWS = 50;
/** A glob can match thousands of files; GitHub refuses a summary over 1 MiB. */
export const SUMMARY_FILE_ROWS = 100;
export const SUMMARY_CHUNK_ROWS = 100;

/** One line per problem, as the log and editors read it: `users.json:12:5 [3].email: message (hint)`. */
export function problemLine(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path ? ` ${problem.path}` : '';
  return `${where}${path}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`;
}

export function totalUsers(report: RunPlan): number {
  return report.files.reduce((sum, file) => sum + file.users, 0);
}

function chunkUsers(report: RunPlan): number {
  return report.chunks.reduce((sum, chunk) => sum + chunk.users.length, 0);
}

export function validationVerdict(report: RunPlan, dryRun: boolean): string {
  const files = plural(report.files.length, 'file');
  if (report.problems.length > 0) {
    return `❌ ${plural(report.problems.length, 'problem')} in ${files}: nothing was sent. Fix them and run again.`;
  }
  const users = plural(totalUsers(report), 'user');
  const counts = countActions(report.plan);
  const what = report.plan.baseline
    ? `; ${counts.add} added and ${counts.update} modified (${counts.unchanged} unchanged)`
    : '';
  if (report.chunks.length === 0) return `✅ ${users} in ${files} are valid${what}: nothing to import.`;
  const sent = `${plural(chunkUsers(report), 'user')}`;
  const planned = plural(report.chunks.length, 'chunk');
  return dryRun
    ? `✅ ${users} in ${files} are valid${what}: ${sent} would be sent in ${planned}, one job each (dry run, nothing was sent).`
    : `✅ ${users} in ${files} are valid${what}: ${sent} planned in ${planned}.`;
}

export function renderProblems(problems: readonly Problem[], title = 'Problems'): string {
  return [
    `### ${title} (${problems.length})`,
    cappedTable(
      ['Where', 'Path', 'Problem', 'What to do'],
      problems,
      (problem) => [
        `${problem.file}:${problem.line}:${problem.column}`,
        problem.path,
        problem.message,
        problem.hint ?? '',
      ],
      SUMMARY_PROBLEM_ROWS,
    ),
  ].join('\n\n');
}

/** The validation part of the summary: the plan, files, then the problems or (unless the jobs table shows them) the chunks. */
export function renderValidation(
  report: RunPlan,
  options: { withChunkPlan?: boolean; fates?: Fates } = {},
): string {
  const parts: string[] = [];
  if (report.plan.baseline) parts.push(renderPlan(report.plan, report.reconcile, options.fates));
  if (report.baselineNote) parts.push(`> [!NOTE]\n> ${cell(report.baselineNote)}`);
  parts.push(
    '### Users files',
    cappedTable(['File', 'Users'], report.files, (file) => [file.file, file.users], SUMMARY_FILE_ROWS),
  );
  if (report.problems.length > 0) parts.push(renderProblems(report.problems));
  if (report.warnings.length > 0) parts.push(renderProblems(report.warnings, 'Warnings'));
  if (report.problems.length === 0 && (options.withChunkPlan ?? true) && report.chunks.length > 0) {
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
