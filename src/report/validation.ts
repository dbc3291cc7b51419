/** How a run's validation, plan and chunks read in the summary and the log. */
import type { RunPlan } from '../plan/index.js';
import type { Problem } from '../users/problem.js';
import { cappedTable, code, details, list, prose, text } from './markdown.js';
import type { RunOutcomes } from './people.js';
import { OPEN_ROWS, renderPlan } from './plan.js';
import { peoplePolicy } from './people.js';
import { agree, plural, sentence } from './words.js';

export const SUMMARY_PROBLEM_ROWS = 50;
/** A glob can match thousands of files; GitHub refuses a summary over 1 MiB. */
export const SUMMARY_FILE_ROWS = 100;
export const SUMMARY_CHUNK_ROWS = 100;

/** One line per problem, as the log and editors read it: `users.json:12:5 [3].email: message (what to do)`. */
export function problemLine(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path ? ` ${problem.path}` : '';
  return `${where}${path}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`;
}

/** A problem as an annotation says it: the message, then on its own line what to do. */
export function annotationText(problem: Problem): string {
  const message = `${problem.path ? `${problem.path}: ` : ''}${sentence(problem.message)}`;
  return problem.hint ? `${message}\nWhat to do: ${sentence(problem.hint)}` : message;
}

export function totalUsers(report: RunPlan): number {
  return report.files.reduce((sum, file) => sum + file.users, 0);
}

function chunkUsers(report: RunPlan): number {
  return report.chunks.reduce((sum, chunk) => sum + chunk.users.length, 0);
}

/** "users/staff.json" when every problem is in one file, else "3 files". */
function problemFiles(problems: readonly Problem[]): string {
  const files = new Set(problems.map((problem) => problem.file));
  return files.size === 1 ? [...files][0]! : plural(files.size, 'file');
}

/** The run's outcome in one sentence, for the log and the first annotation. */
export function validationVerdict(report: RunPlan, dryRun: boolean): string {
  if (report.problems.length > 0) {
    return `❌ ${plural(report.problems.length, 'problem')} in ${problemFiles(report.problems)}: nothing was sent. Fix ${agree(report.problems.length, 'it', 'them')} and run again.`;
  }
  const valid = `${plural(totalUsers(report), 'user')} in ${plural(report.files.length, 'file')} ${agree(totalUsers(report), 'is', 'are')} valid`;
  if (report.chunks.length === 0) return `✅ ${valid}: nothing to import.`;
  const sent = plural(chunkUsers(report), 'user');
  const jobs = plural(report.chunks.length, 'job');
  return dryRun
    ? `✅ ${valid}: ${sent} would be sent in ${jobs} (dry run: nothing was sent).`
    : `✅ ${valid}: ${sent} planned in ${jobs}.`;
}

/** Problems as a list (a table of long sentences overflows GitHub's 896 px column): place, message, what to do. */
export function renderProblems(problems: readonly Problem[], title = 'Problems'): string {
  const items = problems.slice(0, SUMMARY_PROBLEM_ROWS).map((problem) => {
    const where = `**${text(`${problem.file}:${problem.line}:${problem.column}`)}**${problem.path ? ` ${code(problem.path)}` : ''}`;
    return `${where}: ${prose(sentence(problem.message))}${problem.hint ? `<br>What to do: ${prose(sentence(problem.hint))}` : ''}`;
  });
  const rest = problems.length - items.length;
  if (rest > 0) items.push(`…and ${rest} more (all are listed in the step log).`);
  const shown = items.slice(0, OPEN_ROWS * 2);
  const folded = items.slice(OPEN_ROWS * 2);
  return [
    `### ${title} (${problems.length})`,
    list(shown),
    ...(folded.length > 0 ? [details(`${folded.length} more`, list(folded))] : []),
  ].join('\n\n');
}

/**
 * The validation part of the summary, in the order of the one layout: who needs attention, the
 * problems, then the rest folded (added and changed people, files, chunks).
 */
export function renderValidation(
  report: RunPlan,
  options: { withChunkPlan?: boolean; outcomes?: RunOutcomes } = {},
): string {
  const parts: string[] = [];
  if (report.plan.baseline)
    parts.push(renderPlan(report.plan, peoplePolicy(report.reconcile), options.outcomes));
  if (report.baselineNote) parts.push(`> [!NOTE]\n> ${text(report.baselineNote)}`);
  if (report.problems.length > 0) parts.push(renderProblems(report.problems));
  if (report.warnings.length > 0) parts.push(renderProblems(report.warnings, 'Warnings'));
  parts.push(
    details(
      `Users files (${report.files.length})`,
      cappedTable(['File', 'Users'], report.files, (file) => [file.file, file.users], SUMMARY_FILE_ROWS),
      report.files.length <= OPEN_ROWS && !report.plan.baseline,
    ),
  );
  if (report.problems.length === 0 && (options.withChunkPlan ?? true) && report.chunks.length > 0) {
    parts.push(
      details(
        `Chunks (${report.chunks.length})`,
        cappedTable(
          ['Chunk', 'Users', 'Bytes', 'Lines'],
          report.chunks,
          (chunk) => [chunk.label, chunk.users.length, chunk.bytes, chunk.source],
          SUMMARY_CHUNK_ROWS,
        ),
      ),
    );
  }
  return parts.filter(Boolean).join('\n\n');
}
