import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMENT_LIMIT,
  fitComment,
  postStickyComment,
  type StickyComment,
} from '../../src/github/pr-comment.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';

const MARKER = '<!-- auth0-user-import:users.json -->';
const NOTE = '\n\n(cut: the rest is in the job summary)';

let api: GitHubApi;

beforeAll(async () => {
  api = await startGitHubApi({
    tokens: { ghs_write: 'write', ghs_read: 'read-only', ghs_elsewhere: 'no-access' },
  });
  // @actions/github reads it once, on first import: one stand-in serves the whole file.
  process.env.GITHUB_API_URL = api.url;
});

afterEach(() => api.reset());

afterAll(async () => {
  await api.close();
});

function post(change: Partial<StickyComment> = {}) {
  return postStickyComment({
    token: 'ghs_write',
    repository: 'acme/identity',
    pullRequest: 7,
    key: 'users.json',
    body: 'Plan',
    ...change,
  });
}

function requestLines(): string[] {
  return api.requests.map((request) => `${request.method} ${request.path}`);
}

describe('postStickyComment', () => {
  it('creates the comment, behind its marker, when the pull request has none', async () => {
    const result = await post();
    const [comment] = api.comments(7);
    expect(result).toEqual({
      status: 'created',
      url: `https://github.com/acme/identity/pull/7#issuecomment-${comment!.id}`,
    });
    expect(comment!.body).toBe(`${MARKER}\nPlan`);
    expect(api.requests.map((request) => request.token)).toEqual(['ghs_write', 'ghs_write']);
  });

  it('updates its comment in place on the next run', async () => {
    const first = await post({ body: 'Plan 1' });
    api.requests.length = 0;
    const second = await post({ body: 'Plan 2' });
    expect(first.status).toBe('created');
    expect(second).toEqual({ ...first, status: 'updated' });
    expect(api.comments(7).map((comment) => comment.body)).toEqual([`${MARKER}\nPlan 2`]);
    expect(requestLines()).toEqual([
      'GET /repos/acme/identity/issues/7/comments?per_page=100',
      `PATCH /repos/acme/identity/issues/comments/${api.comments(7)[0]!.id}`,
    ]);
  });

  it('finds its comment among 250 over three pages', async () => {
    for (let i = 0; i < 210; i++) api.seedComment(7, 'octocat', `comment ${i}`);
    const ours = api.seedComment(7, 'github-actions[bot]', `${MARKER}\nold plan`);
    for (let i = 0; i < 39; i++) api.seedComment(7, 'octocat', `comment ${i}`);
    const result = await post();
    expect(result.status).toBe('updated');
    expect(requestLines()).toEqual([
      'GET /repos/acme/identity/issues/7/comments?per_page=100',
      'GET /repos/acme/identity/issues/7/comments?per_page=100&page=2',
      'GET /repos/acme/identity/issues/7/comments?per_page=100&page=3',
      `PATCH /repos/acme/identity/issues/comments/${ours.id}`,
    ]);
    expect(api.comments(7)).toHaveLength(250);
  });

  it("leaves another tool's comment and the comment of another key alone", async () => {
    const others = [
      api.seedComment(7, 'github-actions[bot]', '<!-- terraform plan -->\nPlan'),
      api.seedComment(7, 'github-actions[bot]', '<!-- auth0-user-import:staff.json -->\nPlan'),
    ];
    const result = await post();
    expect(result.status).toBe('created');
    expect(api.comments(7)).toEqual([...others, expect.objectContaining({ body: `${MARKER}\nPlan` })]);
  });

  it('does not take over a comment that only quotes the marker', async () => {
    api.seedComment(7, 'octocat', `Why does the bot write ${MARKER}?`);
    expect((await post()).status).toBe('created');
  });

  it('escapes a key that would end the marker early', async () => {
    await post({ key: 'users.json --> x' });
    expect(api.comments(7)[0]!.body).toBe('<!-- auth0-user-import:users.json%20--%3E%20x -->\nPlan');
  });

  it('cuts a 70,000-character body below the limit and says where the rest is', async () => {
    const body = Array.from({ length: 7_000 }, (_, i) => `user ${String(i).padStart(4, '0')}`).join('\n');
    expect(body.length).toBeGreaterThan(69_990);
    const result = await post({ body });
    const [comment] = api.comments(7);
    expect(result.status).toBe('created');
    expect(comment!.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment!.body.startsWith(`${MARKER}\nuser 0000\n`)).toBe(true);
    expect(comment!.body.endsWith(`\nuser 6545${NOTE}`)).toBe(true);
  });

  it('reports a read-only token as no permission, without throwing', async () => {
    const result = await post({ token: 'ghs_read' });
    expect(result).toEqual({
      status: 'skipped-no-permission',
      reason:
        "GitHub answered 403 Resource not accessible by integration when commenting on pull request #7 in acme/identity: the token may not write pull-request comments there (a fork's pull request gets a read-only token; otherwise add `permissions: pull-requests: write` to the job)",
    });
    expect(api.comments(7)).toEqual([]);
  });

  it('reports a read-only token as no permission when updating too', async () => {
    const ours = api.seedComment(7, 'github-actions[bot]', `${MARKER}\nold plan`);
    expect(await post({ token: 'ghs_read' })).toEqual({
      status: 'skipped-no-permission',
      reason: expect.stringMatching(
        new RegExp(
          `^GitHub answered 403 Resource not accessible by integration when updating comment ${ours.id} `,
        ),
      ),
    });
    expect(api.comments(7)[0]!.body).toBe(`${MARKER}\nold plan`);
  });

  it('reports a repository the token cannot see as no permission', async () => {
    expect(await post({ token: 'ghs_elsewhere' })).toEqual({
      status: 'skipped-no-permission',
      reason: expect.stringMatching(
        /^GitHub answered 404 Not Found when listing the comments of pull request #7 in acme\/identity: /,
      ),
    });
  });

  it('reports a token GitHub does not accept as no permission', async () => {
    expect(await post({ token: 'ghs_revoked' })).toEqual({
      status: 'skipped-no-permission',
      reason:
        'GitHub answered 401 Bad credentials when listing the comments of pull request #7 in acme/identity: the token is not valid (expired or revoked)',
    });
  });

  it('reports a rate limit as a failure, not as missing permission', async () => {
    api.failNext(403, { method: 'POST', message: 'API rate limit exceeded for installation ID 1.' });
    expect(await post()).toEqual({
      status: 'failed',
      reason:
        'GitHub answered 403 API rate limit exceeded for installation ID 1. when commenting on pull request #7 in acme/identity',
    });
  });

  it('reports a server error as a failure', async () => {
    api.failNext(500);
    expect(await post()).toEqual({
      status: 'failed',
      reason:
        'GitHub answered 500 Internal Server Error when listing the comments of pull request #7 in acme/identity',
    });
  });

  it('reports a lost connection as a failure', async () => {
    api.failNext('disconnect');
    expect(await post()).toEqual({
      status: 'failed',
      reason: expect.stringMatching(
        /^could not reach GitHub \(.+\) when listing the comments of pull request #7 in acme\/identity$/,
      ),
    });
  });

  it('stops waiting for GitHub when the signal aborts', async () => {
    api.failNext('stall', { method: 'POST' });
    const result = await post({ signal: AbortSignal.timeout(100) });
    expect(result).toEqual({
      status: 'failed',
      reason:
        'stopped commenting on pull request #7 in acme/identity: the run was cancelled or ran out of time',
    });
  });
});

describe('fitComment', () => {
  const TAIL = `\n${'more '.repeat(20)}`;

  it('leaves a body within the limit as it is', () => {
    expect(fitComment('Plan', 4)).toBe('Plan');
  });

  it('cuts at the last line end that fits', () => {
    expect(fitComment(`one\ntwo\nthree${TAIL}`, NOTE.length + 10)).toBe(`one\ntwo${NOTE}`);
  });

  it('never splits a character outside the basic plane', () => {
    expect(fitComment('😀'.repeat(40), NOTE.length + 5)).toBe(`😀😀${NOTE}`);
  });

  it('cuts before an HTML comment it would otherwise split', () => {
    expect(fitComment(`Plan <!-- hidden -->${TAIL}`, NOTE.length + 12)).toBe(`Plan ${NOTE}`);
  });

  it('closes a code fence the cut leaves open', () => {
    expect(fitComment(`\`\`\`\na\nb\nc\n\`\`\`${TAIL}`, NOTE.length + 12)).toBe(
      `\`\`\`\na\nb\n\`\`\`${NOTE}`,
    );
  });

  it('closes a <details> block the cut leaves open', () => {
    expect(fitComment(`<details>\na\nb\nc\n</details>${TAIL}`, NOTE.length + 24)).toBe(
      `<details>\na\nb\n</details>${NOTE}`,
    );
  });
});
