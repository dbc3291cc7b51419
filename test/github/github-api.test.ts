/** The GitHub stand-in's files at a commit, read through octokit as the action reads them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

const COMMIT = 'f'.repeat(40);

let api: GitHubApi;
let github: Octokit;

beforeAll(async () => {
  api = await startGitHubApi({
    tokens: { ghs_read: 'read-only' },
    files: { [COMMIT]: { 'users.json': '[]\n', 'teams/staff.json': '[{}]\n' } },
  });
  // @actions/github reads it once, on first import.
  process.env.GITHUB_API_URL = api.url;
  github = (await import('@actions/github')).getOctokit('ghs_read');
});

afterAll(async () => {
  await api.close();
});

describe('GitHub stand-in', () => {
  it('serves a file at a commit as raw text', async () => {
    const { data } = await github.rest.repos.getContent({
      owner: 'acme',
      repo: 'identity',
      path: 'teams/staff.json',
      ref: COMMIT,
      mediaType: { format: 'raw' },
    });
    expect(data).toBe('[{}]\n');
  });

  it('serves a file as base64 JSON without the raw media type', async () => {
    const { data } = await github.rest.repos.getContent({
      owner: 'acme',
      repo: 'identity',
      path: 'users.json',
      ref: COMMIT,
    });
    expect(data).toMatchObject({
      type: 'file',
      path: 'users.json',
      encoding: 'base64',
      content: Buffer.from('[]\n').toString('base64'),
      // What `git hash-object` gives "[]\n".
      sha: 'fe51488c7066f6687ef680d6bfaa4f7768ef205c',
    });
  });

  it('answers 404 for a file that did not exist at the commit', async () => {
    const reading = github.rest.repos.getContent({
      owner: 'acme',
      repo: 'identity',
      path: 'users.json',
      ref: 'e'.repeat(40),
    });
    await expect(reading).rejects.toMatchObject({ status: 404 });
  });

  it('lists every file and folder at a commit with recursive=1', async () => {
    const { data } = await github.rest.git.getTree({
      owner: 'acme',
      repo: 'identity',
      tree_sha: COMMIT,
      recursive: '1',
    });
    expect(data.tree.map((entry) => `${entry.type} ${entry.path}`)).toEqual([
      'tree teams',
      'blob teams/staff.json',
      'blob users.json',
    ]);
    expect(data.truncated).toBe(false);
  });

  it('lists only the top level without recursive', async () => {
    const { data } = await github.rest.git.getTree({ owner: 'acme', repo: 'identity', tree_sha: COMMIT });
    expect(data.tree.map((entry) => entry.path)).toEqual(['teams', 'users.json']);
  });
});
