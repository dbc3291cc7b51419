/**
 * Deployments and the pull requests of a commit: the GitHub stand-in held to what the facts doc says
 * GitHub does, and the action's client (src/github/deployments.ts) against it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appliedBase,
  listDeployments,
  recordDeployment,
  type DeploymentSite,
  type PastDeployment,
} from '../../src/github/deployments.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const repo = { owner: 'acme', repo: 'identity' };

let api: GitHubApi;
let github: Octokit;

beforeAll(async () => {
  api = await startGitHubApi({
    tokens: {
      ghs_write: 'write',
      ghs_read: { deployments: 'read' },
      ghs_none: { contents: 'read' },
    },
  });
  // @actions/github reads it once, on first import.
  process.env.GITHUB_API_URL = api.url;
  github = (await import('@actions/github')).getOctokit('ghs_write');
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  api.reset();
});

function site(token = 'ghs_write', environment = 'auth0/t/c'): DeploymentSite {
  return { token, repository: 'acme/identity', environment, signal: new AbortController().signal };
}

async function status(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status?: number }).status;
  }
}

describe('GitHub stand-in: deployments', () => {
  it('waits for status checks when required_contexts is left out (409), and skips them with []', async () => {
    expect(await status(github.rest.repos.createDeployment({ ...repo, ref: SHA, auto_merge: false }))).toBe(
      409,
    );
    const created = await github.rest.repos.createDeployment({
      ...repo,
      ref: SHA,
      auto_merge: false,
      required_contexts: [],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ sha: SHA, environment: 'production', task: 'deploy' });
  });

  it('answers 202 and makes no deployment when auto_merge (default true) merges a branch', async () => {
    const answer = await github.rest.repos.createDeployment({
      ...repo,
      ref: 'feature',
      required_contexts: [],
    });
    expect(answer.status).toBe(202);
    expect(api.deployments()).toEqual([]);
  });

  it('refuses an unknown state and a description over 140 characters (422)', async () => {
    const { data } = await github.rest.repos.createDeployment({
      ...repo,
      ref: SHA,
      auto_merge: false,
      required_contexts: [],
    });
    const id = (data as { id: number }).id;
    expect(
      await status(
        github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'done' as 'success' }),
      ),
    ).toBe(422);
    expect(
      await status(
        github.rest.repos.createDeploymentStatus({
          ...repo,
          deployment_id: id,
          state: 'success',
          description: 'x'.repeat(141),
        }),
      ),
    ).toBe(422);
  });

  it('makes an earlier success of the environment inactive (auto_inactive), lists newest first', async () => {
    const first = api.seedDeployment({
      sha: SHA,
      environment: 'auth0/t/c',
      payload: {},
      states: ['success'],
    });
    api.seedDeployment({ sha: OTHER, environment: 'elsewhere', payload: {}, states: ['success'] });
    const { data } = await github.rest.repos.createDeployment({
      ...repo,
      ref: OTHER,
      environment: 'auth0/t/c',
      auto_merge: false,
      required_contexts: [],
    });
    const id = (data as { id: number }).id;
    await github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success' });
    const statuses = await github.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: first.id });
    expect(statuses.data.map((entry) => entry.state)).toEqual(['inactive', 'success']);
    const listed = await github.rest.repos.listDeployments({ ...repo, environment: 'auth0/t/c' });
    expect(listed.data.map((entry) => entry.id)).toEqual([id, first.id]);
  });

  it('answers 403 to a token without deployments permission, and lets a read token list but not create', async () => {
    const none = (await import('@actions/github')).getOctokit('ghs_none');
    expect(await status(none.rest.repos.listDeployments(repo))).toBe(403);
    const read = (await import('@actions/github')).getOctokit('ghs_read');
    expect(await status(read.rest.repos.listDeployments(repo))).toBe(200);
    expect(
      await status(
        read.rest.repos.createDeployment({ ...repo, ref: SHA, auto_merge: false, required_contexts: [] }),
      ),
    ).toBe(403);
  });
});

describe('GitHub stand-in: the pull requests of a commit', () => {
  it('lists the merged pull request of a known commit, and answers 422 for an unknown one', async () => {
    api.seedCommit(SHA, [
      {
        number: 3,
        state: 'closed',
        merged_at: '2026-01-01T00:00:00Z',
        merge_commit_sha: SHA,
        head: 'f',
        base: 'main',
      },
    ]);
    const { data } = await github.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: SHA,
    });
    expect(data).toMatchObject([{ number: 3, merged_at: '2026-01-01T00:00:00Z', merge_commit_sha: SHA }]);
    expect(
      await status(github.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: OTHER })),
    ).toBe(422);
  });
});

describe('the deployments client', () => {
  it('records a deployment never auto-merged and waiting for no check, in progress then success, with the run', async () => {
    const id = await recordDeployment(site(), {
      payload: { sha: SHA, base: null, notApplied: ['a@example.com'], unknown: [], notRemoved: [] },
      state: 'success',
      description: 'd'.repeat(200),
      logUrl: 'https://github.com/acme/identity/actions/runs/1',
    });
    const [recorded] = api.deployments();
    expect(recorded).toMatchObject({
      id,
      sha: SHA,
      environment: 'auth0/t/c',
      payload: { notApplied: ['a@example.com'] },
    });
    expect(
      recorded!.statuses.map((entry) => [entry.state, entry.log_url, [...entry.description].length]),
    ).toEqual([
      ['in_progress', 'https://github.com/acme/identity/actions/runs/1', 140],
      ['success', 'https://github.com/acme/identity/actions/runs/1', 140],
    ]);
  });

  it('finds the last success even once it is inactive, and ignores the failures after it', async () => {
    const applied = api.seedDeployment({
      sha: SHA,
      environment: 'auth0/t/c',
      payload: { sha: SHA, notApplied: [] },
      states: ['in_progress', 'success', 'inactive'],
    });
    api.seedDeployment({
      sha: OTHER,
      environment: 'auth0/t/c',
      payload: { sha: OTHER },
      states: ['failure'],
    });
    api.seedDeployment({
      sha: OTHER,
      environment: 'auth0/t/c',
      payload: { sha: OTHER },
      states: ['in_progress'],
    });
    api.seedDeployment({
      sha: OTHER,
      environment: 'elsewhere',
      payload: { sha: OTHER },
      states: ['success'],
    });
    const found = appliedBase(await listDeployments(site()));
    expect(found).toMatchObject({
      kind: 'applied',
      deployment: { id: applied.id, sha: SHA, state: 'inactive' },
    });
  });

  it('takes the base of the earliest failure when nothing succeeded', () => {
    const failed = (id: number, base: string | null): PastDeployment => ({
      id,
      sha: OTHER,
      createdAt: new Date(id * 1000).toISOString(),
      state: 'failure',
      succeeded: false,
      payload: { sha: OTHER, base, notApplied: [], unknown: [], notRemoved: [] },
    });
    expect(appliedBase([failed(3, OTHER), failed(2, SHA)])).toMatchObject({
      kind: 'never-applied',
      base: SHA,
    });
    expect(appliedBase([])).toEqual({ kind: 'none' });
  });

  it('names the status GitHub answered when it may not list', async () => {
    await expect(listDeployments(site('ghs_none'))).rejects.toThrow(/GitHub answered 403/);
  });
});
