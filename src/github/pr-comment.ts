/**
 * The plan as one sticky pull-request comment: found again on every run by a hidden marker and
 * updated in place. The comment is a courtesy, never the reason a run fails: every problem comes
 * back as a value. Octokit loads only here.
 */

/**
 * GitHub refuses a longer body ("Body is too long (maximum is 65536 characters)"). We count UTF-16
 * code units, never fewer than characters, and at most 3 UTF-8 bytes each: within the limit
 * whether GitHub counts characters or bytes (measured by some at 262,144).
 */
export const COMMENT_LIMIT = 65_536;

const CUT_NOTE = '\n\n(cut: the rest is in the job summary)';

export interface StickyComment {
  token: string;
  /** owner/name */
  repository: string;
  pullRequest: number;
  /** Keeps apart the comments of two uses of the action in one repository (another users file or tenant). */
  key: string;
  /** Markdown; cut to fit COMMENT_LIMIT if the caller did not. */
  body: string;
  /** Ends the requests when aborted: the run was cancelled or its deadline passed. */
  signal?: AbortSignal;
}

export type StickyCommentResult =
  | { status: 'created' | 'updated'; url: string }
  /** The token may not write (a fork's pull request, a read-only GITHUB_TOKEN) or cannot see the repository. */
  | { status: 'skipped-no-permission'; reason: string }
  | { status: 'failed'; reason: string };

/** Creates the pull request's comment for `key`, or updates it in place when an earlier run wrote one. */
export async function postStickyComment(comment: StickyComment): Promise<StickyCommentResult> {
  const [owner, repo, ...rest] = comment.repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    return { status: 'failed', reason: `repository "${comment.repository}" is not owner/name` };
  }
  const where = `pull request #${comment.pullRequest} in ${comment.repository}`;
  const marker = commentMarker(comment.key);
  const body = fitComment(`${marker}\n${comment.body}`, COMMENT_LIMIT);
  let step = `listing the comments of ${where}`;
  try {
    const { getOctokit } = await import('@actions/github');
    const octokit = getOctokit(comment.token);
    // Set on every request here: the paginator passes on no per-call options to later pages.
    const { signal } = comment;
    if (signal) {
      octokit.hook.before('request', (options) => {
        options.request = { ...options.request, signal };
      });
    }
    const existing = await findComment(
      octokit.paginate.iterator(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: comment.pullRequest,
        per_page: 100,
      }),
      marker,
    );
    if (existing !== undefined) {
      step = `updating comment ${existing} on ${where}`;
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing,
        body,
      });
      return { status: 'updated', url: data.html_url };
    }
    step = `commenting on ${where}`;
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: comment.pullRequest,
      body,
    });
    return { status: 'created', url: data.html_url };
  } catch (error) {
    if (comment.signal?.aborted) {
      return { status: 'failed', reason: `stopped ${step}: the run was cancelled or ran out of time` };
    }
    return refusal(error, step);
  }
}

/**
 * Hidden in the rendered comment. The key is percent-encoded where it could end the HTML comment or
 * be confused with another key, so any key is safe and two keys never share a marker.
 */
export function commentMarker(key: string): string {
  const safeKey = key.toWellFormed().replace(/[^\w.~:/@+-]/gu, (char) => encodeURIComponent(char));
  return `<!-- auth0-user-import:${safeKey} -->`;
}

/**
 * The first comment (the oldest, so it keeps its place in the conversation) that opens with our
 * marker. Any author counts: GITHUB_TOKEN cannot learn its own login through REST, and
 * someone quoting or mentioning the marker in their own comment does not open with it.
 */
async function findComment(
  pages: AsyncIterable<{ data: { id: number; body?: string | undefined }[] }>,
  marker: string,
): Promise<number | undefined> {
  for await (const page of pages) {
    const ours = page.data.find((comment) => comment.body?.startsWith(marker));
    if (ours) return ours.id;
  }
  return undefined;
}

function refusal(error: unknown, step: string): StickyCommentResult {
  const { status, message, rateLimited } = describeError(error);
  if (status === undefined)
    return { status: 'failed', reason: `could not reach GitHub (${message}) when ${step}` };
  const answer = `GitHub answered ${status} ${message} when ${step}`;
  if (status === 401) {
    return {
      status: 'skipped-no-permission',
      reason: `${answer}: the token is not valid (expired or revoked)`,
    };
  }
  if (status === 404 || (status === 403 && !rateLimited)) {
    return {
      status: 'skipped-no-permission',
      reason: `${answer}: the token may not write pull-request comments there (a fork's pull request gets a read-only token; otherwise add \`permissions: pull-requests: write\` to the job)`,
    };
  }
  return { status: 'failed', reason: answer };
}

function describeError(error: unknown): { status?: number; message: string; rateLimited: boolean } {
  if (!(error instanceof Error)) return { message: String(error), rateLimited: false };
  const { status, response } = error as {
    status?: number;
    response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
  };
  // Octokit turns a lost connection into a 500 without a response.
  if (response === undefined) return { message: error.message, rateLimited: false };
  const data = response.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : error.message;
  // GitHub's rate limits also answer 403; waiting, not a permission, fixes them.
  const rateLimited =
    String(response.headers?.['x-ratelimit-remaining']) === '0' || /rate limit/i.test(message);
  return { ...(status === undefined ? {} : { status }), message, rateLimited };
}

/**
 * `markdown` cut to at most `limit` characters, with a note saying where the rest is. The cut falls
 * at a line end when one is near, never inside a surrogate pair or an HTML comment (the rest of the
 * comment would vanish into it), and closes a code fence or <details> it leaves open so the note
 * shows.
 */
export function fitComment(markdown: string, limit: number): string {
  if (markdown.length <= limit) return markdown;
  for (let budget = limit - CUT_NOTE.length; budget > 0;) {
    const kept = cutBefore(markdown, budget);
    const fitted = `${kept}${closers(kept)}${CUT_NOTE}`;
    if (fitted.length <= limit) return fitted;
    budget -= fitted.length - limit;
  }
  return CUT_NOTE.trim().slice(0, limit);
}

function cutBefore(text: string, budget: number): string {
  let end = budget;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  const lineEnd = text.lastIndexOf('\n', end);
  if (lineEnd > end / 2) end = lineEnd;
  const kept = text.slice(0, end);
  const open = kept.lastIndexOf('<!--');
  return open >= 0 && !kept.includes('-->', open + 4) ? kept.slice(0, open) : kept;
}

/** What closes the fence and the <details> blocks `kept` leaves open, innermost first. */
function closers(kept: string): string {
  let fence: string | undefined;
  for (const line of kept.split('\n')) {
    const mark = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!mark) continue;
    const [, run = '', rest = ''] = mark;
    if (fence === undefined) fence = run;
    else if (run[0] === fence[0] && run.length >= fence.length && rest.trim() === '') fence = undefined;
  }
  const unclosed = (kept.match(/<details[\s>]/gi)?.length ?? 0) - (kept.match(/<\/details>/gi)?.length ?? 0);
  return `${fence === undefined ? '' : `\n${fence}`}${'\n</details>'.repeat(Math.max(0, unclosed))}`;
}
