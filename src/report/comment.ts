/**
 * The pull request's plan comment, in the one layout: the settings, the verdict counting people,
 * who needs attention by name, the problems, then the rest folded; within GitHub's 65,536 characters.
 */
import { COMMENT_LIMIT } from '../github/pr-comment.js';
import type { RunPlan } from '../plan/index.js';
import type { Problem } from '../users/problem.js';
import { code, details, list, prose, text } from './markdown.js';
import { peoplePolicy } from './people.js';
import { digestBlock, type PlanDigest } from '../plan/digest.js';
import type { CommentRequest } from './publish.js';
import { OPEN_ROWS, renderPeople } from './plan.js';
import { sentence } from './words.js';

/** Room left for the hidden marker and the cut note the comment module may add. */
const MARKER_ROOM = 400;

export interface CommentContent {
  /** Which users files (and, for an import, which tenant): several uses of the action keep apart. */
  title: string;
  /** The settings line (see settingsLine). */
  settings: string;
  /** What the merge does to people, when there is a baseline (see peopleVerdict). */
  headline?: string;
  verdict: string;
  report: RunPlan;
  /** Plans of other kinds (access), after the users'. */
  sections?: readonly string[];
  runUrl?: string;
  /** What the merge compares its own plan with; carried hidden at the top, where no cut reaches. */
  digest?: PlanDigest;
}

/**
 * The comment, as detailed as fits: each try shows fewer users per list and fewer problems, and
 * counts what it leaves to the job summary.
 */
export function renderComment(content: CommentContent): string {
  for (const [items, problems] of [
    [500, 100],
    [100, 50],
    [30, 20],
    [10, 10],
    [0, 0],
  ] as const) {
    const body = commentBody(content, items, problems);
    if (body.length <= COMMENT_LIMIT - MARKER_ROOM) return body;
  }
  return commentBody(content, 0, 0).slice(0, COMMENT_LIMIT - MARKER_ROOM);
}

/** A problem in the comment: its place and short message, then what to do. */
function problemItem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}${problem.path ? ` ${problem.path}` : ''}`;
  return `${code(where)} ${prose(sentence(problem.message))}${problem.hint ? `<br>What to do: ${prose(sentence(problem.hint))}` : ''}`;
}

function commentBody(
  { title, settings, headline, verdict, report, sections, runUrl, digest }: CommentContent,
  items: number,
  problems: number,
): string {
  const parts = [...(digest ? [digestBlock(digest)] : []), `### Auth0 user import: ${text(title)}`, settings];
  parts.push(headline ? `${headline}<br>${text(verdict.replace(/^[✅❌] /, ''))}` : text(verdict));
  let rest = '';
  if (report.plan.baseline) {
    const people = renderPeople(report.plan, {
      itemsPerSection: items,
      restIn: 'see the job summary',
      policy: peoplePolicy(report.reconcile),
    });
    if (people.attention) parts.push(people.attention);
    rest = people.rest;
  } else if (report.baselineNote) {
    parts.push(`> [!NOTE]\n> ${text(report.baselineNote)}`);
  }
  parts.push(...(sections ?? []));
  for (const [found, name] of [
    [report.problems, 'Problems'],
    [report.warnings, 'Warnings'],
  ] as const) {
    if (found.length === 0) continue;
    const shown = found.slice(0, problems).map(problemItem);
    if (found.length > shown.length)
      shown.push(`…and ${found.length - shown.length} more in the job summary`);
    parts.push(
      found.length <= OPEN_ROWS * 2
        ? `**${name} (${found.length})**\n\n${list(shown)}`
        : details(`${name} (${found.length})`, list(shown)),
    );
  }
  if (rest) parts.push(rest);
  // What the plan was compared with is in the settings line.
  if (runUrl) parts.push(`[Workflow run](${runUrl})`);
  return parts.join('\n\n');
}

/** The plan comment for this run, when it is on a pull request and may comment there. */
export function planComment(
  report: RunPlan,
  verdict: { headline?: string; verdict: string },
  context: {
    usersFiles: readonly string[];
    settings: string;
    token?: string;
    repository?: string;
    pullRequest?: number;
    runUrl?: string;
    sections?: readonly string[];
    digest?: PlanDigest;
    signal: AbortSignal;
  },
): CommentRequest | undefined {
  const { token, repository, pullRequest } = context;
  if (pullRequest === undefined || !token || !repository) return undefined;
  const title = context.usersFiles.join(', ');
  return {
    token,
    repository,
    pullRequest,
    key: title,
    body: renderComment({
      title,
      settings: context.settings,
      ...verdict,
      report,
      ...(context.sections ? { sections: context.sections } : {}),
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
      ...(context.digest ? { digest: context.digest } : {}),
    }),
    signal: context.signal,
  };
}
