/**
 * The plan a merge was reviewed with: the pull request that brought the pushed commit (GET
 * /repos/{owner}/{repo}/commits/{sha}/pulls), and the plan comment on it. Octokit loads only here.
 */
import type { Settings } from '../inputs.js';
import { compareDigests, readDigestBlock, type PlanDigest } from '../plan/digest.js';
import { commentMarker } from './pr-comment.js';

export interface ReviewLog {
  info: (message: string) => void;
  notice: (message: string) => void;
  warning: (message: string) => void;
}

export interface ReviewedPlanQuery {
  token: string;
  /** owner/name */
  repository: string;
  /** The pushed commit. */
  sha: string;
  /** The plan comment's key (the users files). */
  key: string;
  signal: AbortSignal;
}

export type ReviewedPlanComment =
  | { kind: 'found'; pullRequest: number; body: string }
  /** No merged pull request brought the commit, or it has no plan comment: `reason` says which. */
  | { kind: 'none'; reason: string };

export async function findReviewedPlan(query: ReviewedPlanQuery): Promise<ReviewedPlanComment> {
  const [owner, repo] = query.repository.split('/');
  if (!owner || !repo) return { kind: 'none', reason: `repository "${query.repository}" is not owner/name` };
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(query.token);
  octokit.hook.before('request', (options) => {
    options.request = { ...options.request, signal: query.signal };
  });
  let pulls;
  try {
    pulls = (
      await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        owner,
        repo,
        commit_sha: query.sha,
        per_page: 100,
      })
    ).data;
  } catch (error) {
    const status = (error as { status?: number }).status;
    return {
      kind: 'none',
      reason: `the pull request of ${query.sha.slice(0, 7)} could not be looked up (GitHub answered ${status ?? 'nothing'}: ${(error as Error).message}; the job needs \`permissions: pull-requests: read\`)`,
    };
  }
  const merged =
    pulls.find((pull) => pull.merged_at && pull.merge_commit_sha === query.sha) ??
    pulls.find((pull) => pull.merged_at);
  if (!merged)
    return {
      kind: 'none',
      reason: `no merged pull request brought ${query.sha.slice(0, 7)} (a direct push)`,
    };
  const marker = commentMarker(query.key);
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: merged.number,
      per_page: 100,
    })) {
      const ours = page.data.find((comment) => comment.body?.startsWith(marker));
      if (ours?.body) return { kind: 'found', pullRequest: merged.number, body: ours.body };
    }
  } catch (error) {
    const status = (error as { status?: number }).status;
    return {
      kind: 'none',
      reason: `the comments of pull request #${merged.number} could not be read (GitHub answered ${status ?? 'nothing'})`,
    };
  }
  return {
    kind: 'none',
    reason: `pull request #${merged.number} has no plan comment (comment-on-pr: never, or its plan never ran)`,
  };
}

export interface ReviewCheck {
  refused: boolean;
  verdict: string;
  pullRequest?: number;
  differences: string[];
}

/**
 * On a push, the plan the merged pull request was reviewed with, compared with this one before any
 * request to Auth0: on-plan-changed: fail stops a changed plan; a push with no reviewed plan goes
 * on with a notice unless require-reviewed-plan.
 */
export async function compareWithReview(
  settings: Settings,
  repository: string | undefined,
  sha: string | undefined,
  eventName: string,
  digestOf: () => PlanDigest,
  signal: AbortSignal,
  log: ReviewLog,
): Promise<ReviewCheck> {
  if (eventName !== 'push') return { refused: false, verdict: '', differences: [] };
  const missing = (reason: string): ReviewCheck => {
    const verdict = `no reviewed plan: ${reason}`;
    if (settings.requireReviewedPlan)
      return { refused: true, verdict: `${verdict} (require-reviewed-plan)`, differences: [] };
    log.notice(`Applying without a reviewed plan: ${reason}.`);
    return { refused: false, verdict, differences: [] };
  };
  if (!settings.githubToken || !repository || !sha)
    return missing('no github-token to find the merged pull request');
  const found = await findReviewedPlan({
    token: settings.githubToken,
    repository,
    sha,
    key: settings.usersFiles.join(', '),
    signal,
  });
  if (found.kind === 'none') return missing(found.reason);
  const reviewed = readDigestBlock(found.body);
  if (!reviewed)
    return missing(`the plan comment on pull request #${found.pullRequest} carries no plan digest`);
  const differences = compareDigests(reviewed, digestOf());
  if (differences.length === 0) {
    log.info(`The plan is the one reviewed in pull request #${found.pullRequest}.`);
    return { refused: false, verdict: '', pullRequest: found.pullRequest, differences };
  }
  const verdict = `the plan changed since it was reviewed in pull request #${found.pullRequest}`;
  if (settings.onPlanChanged === 'warn') {
    log.warning(
      `Applying although ${verdict} (on-plan-changed: warn): ${differences.slice(0, 10).join('; ')}`,
    );
    return { refused: false, verdict, pullRequest: found.pullRequest, differences };
  }
  return { refused: true, verdict, pullRequest: found.pullRequest, differences };
}
