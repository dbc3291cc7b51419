/** The pull request's plan comment: the verdict, the plan line, collapsible lists and the problems, within GitHub's 65,536 characters. */
import { COMMENT_LIMIT } from '../github/pr-comment.js';
import type { RunPlan } from '../plan/index.js';
import { cell } from './markdown.js';
import type { CommentRequest } from './publish.js';
import { describeReconcile } from '../plan/reconcile.js';
import { digestBlock, type PlanDigest } from '../plan/digest.js';
import { planLine, reconciledEmails, renderPlanDetails } from './plan.js';
import { problemLine } from './validation.js';

/** Room left for the hidden marker and the cut note the comment module may add. */
const MARKER_ROOM = 400;

export interface CommentContent {
  /** Which users files (and, for an import, which tenant): several uses of the action keep apart. */
  title: string;
  verdict: string;
  report: RunPlan;
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

/** "The merge will apply: tenant … · upsert true · … · baseline …": what a reviewer approves. */
function settingsLine(digest: PlanDigest, report: RunPlan): string {
  const named = Object.entries(digest.settings).map(([name, value]) => `${name} ${value}`);
  const baseline = report.plan.baseline?.description ?? 'none (every user is new)';
  return `**The merge will apply:** ${cell([...named, `baseline ${baseline}`].join(' · '))}`;
}

function commentBody(
  { title, verdict, report, runUrl, digest }: CommentContent,
  items: number,
  problems: number,
): string {
  const parts = [
    ...(digest ? [digestBlock(digest)] : []),
    `### Auth0 user import: ${cell(title)}`,
    verdict,
    ...(digest ? [settingsLine(digest, report)] : []),
  ];
  if (report.plan.baseline) {
    parts.push(`**Plan against ${cell(report.plan.baseline.description)}: ${planLine(report.plan)}**`);
    const reconcileLine = describeReconcile(report.reconcile);
    if (reconcileLine) parts.push(`${reconcileLine}.`);
    const details = renderPlanDetails(report.plan, {
      itemsPerSection: items,
      restIn: 'see the job summary',
      reconciled: reconciledEmails(report.reconcile),
    });
    if (details) parts.push(details);
  } else if (report.baselineNote) {
    parts.push(`> [!NOTE]\n> ${cell(report.baselineNote)}`);
  }
  for (const [list, name] of [
    [report.problems, 'Problems'],
    [report.warnings, 'Warnings'],
  ] as const) {
    if (list.length === 0) continue;
    const shown = list
      .slice(0, problems)
      .map((problem) => `- \`${cell(problemLine(problem)).replace(/`/g, "'")}\``);
    if (list.length > shown.length)
      shown.push(`- …and ${list.length - shown.length} more in the job summary`);
    parts.push(
      `<details open><summary>${name} (${list.length})</summary>\n\n${shown.join('\n')}\n\n</details>`,
    );
  }
  if (runUrl) parts.push(`[Workflow run](${runUrl})`);
  return parts.join('\n\n');
}

/** The plan comment for this run, when it is on a pull request and may comment there. */
export function planComment(
  report: RunPlan,
  verdict: string,
  context: {
    usersFiles: readonly string[];
    token?: string;
    repository?: string;
    pullRequest?: number;
    runUrl?: string;
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
      verdict,
      report,
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
      ...(context.digest ? { digest: context.digest } : {}),
    }),
    signal: context.signal,
  };
}
