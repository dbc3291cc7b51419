/**
 * One workflow for review and merge: on a pull request the run only plans (dry-run: auto) and its
 * comment carries the plan's digest and the settings the merge will apply; on the push of the merge
 * the run finds the pull request, plans again and compares before any request to Auth0.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { runAction, shownText } from '../support/action.js';
import { eventFile, git, gitRepository, type CommitFiles } from '../support/git-repo.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { databaseOf, tenantInputs } from '../support/tenant-inputs.js';

const TOKEN = 'ghs_review_token';
const PR = 12;

function file(users: unknown[]): string {
  return `${JSON.stringify(users, null, 2)}\n`;
}

const ADA = { email: 'ada@example.com', name: 'Ada', email_verified: true };
const ALAN = { email: 'alan@example.com', name: 'Alan', email_verified: true };
const GRACE = { email: 'grace@example.com', name: 'Grace', email_verified: true };
const HASHED = {
  ...GRACE,
  name: 'Grace Hopper',
  password_hash: '$2b$10$nOUIs5kJ7naTuTFkBy1veuK0kSxUFXfuaOKdOKf9xYT0KKIGSJwFa',
};

let github: GitHubApi;
let emulator: Emulator;

beforeAll(async () => {
  github = await startGitHubApi({
    tokens: { [TOKEN]: { contents: 'read', deployments: 'write', pullRequests: 'write' } },
  });
});

afterAll(async () => {
  await github.close();
});

beforeEach(async () => {
  github.reset();
  emulator = await startEmulator();
  return () => emulator.close();
});

function applied(sha: string) {
  github.seedDeployment({
    sha,
    environment: `auth0/${new URL(emulator.url).host}/${databaseOf(emulator).id}`,
    payload: { sha, base: null, notApplied: [], unknown: [], notRemoved: [] },
    states: ['in_progress', 'success'],
  });
}

/** The same inputs for both events, as one workflow gives them. */
function inputs(more: Record<string, string> = {}): Record<string, string> {
  return { 'users-file': 'users.json', ...tenantInputs(emulator), 'github-token': TOKEN, ...more };
}

/** The pull request's check, run on `head` (its merge commit with the base) with no dry-run input. */
async function review(workspace: string, base: string, head: string, more: Record<string, string> = {}) {
  git(workspace, 'checkout', '-q', head);
  return runAction({
    workspace,
    env: {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: await eventFile(workspace, {
        number: PR,
        pull_request: { number: PR, base: { sha: base } },
      }),
      GITHUB_SHA: head,
      GITHUB_API_URL: github.url,
    },
    inputs: inputs(more),
  });
}

/** The push of the pull request's merge commit `sha`. */
async function merge(workspace: string, before: string, sha: string, more: Record<string, string> = {}) {
  github.seedCommit(sha, [
    {
      number: PR,
      state: 'closed',
      merged_at: '2026-01-02T00:00:00Z',
      merge_commit_sha: sha,
      head: 'feature',
      base: 'main',
    },
  ]);
  git(workspace, 'checkout', '-q', sha);
  return runAction({
    workspace,
    env: {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: await eventFile(workspace, { before }),
      GITHUB_SHA: sha,
      GITHUB_API_URL: github.url,
    },
    inputs: inputs(more),
  });
}

function sentEmails(): string[] {
  return emulator.state.jobs.flatMap((job) =>
    (JSON.parse(job.usersBytes.toString()) as { email: string }[]).map((user) => user.email),
  );
}

async function history(...commits: CommitFiles[]) {
  return gitRepository(commits);
}

describe('the reviewed plan', () => {
  it('plans without sending on a pull request given credentials and no dry-run, and names what the merge applies', async () => {
    const { workspace, shas } = await history(
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, HASHED]) },
    );
    applied(shas[0]!);
    const run = await review(workspace, shas[0]!, shas[1]!);
    expect(run.code).toBe(0);
    expect(emulator.state.requests).toEqual([]);
    expect(github.deployments()).toHaveLength(1);
    const [comment] = github.comments(PR);
    expect(shownText(comment!.body)).toContain(
      `users.json · target: ${new URL(emulator.url).host} · connection ${databaseOf(emulator).id} · upsert: false · reconcile: false · on-removed: report · protected-users: none · only-changed: false · baseline: the last applied commit (${shas[0]!.slice(0, 7)}`,
    );
    expect(comment!.body).toMatch(
      /^<!-- auth0-user-import:users\.json -->\n<!-- auth0-user-import-plan v1 [\w-]+ -->/,
    );
    // The hash is digested, never shown: not in the comment, not inside its hidden block.
    const hidden = Buffer.from(/plan v1 ([\w-]+)/.exec(comment!.body)![1]!, 'base64url').toString();
    expect(`${comment!.body}${hidden}`).not.toContain(HASHED.password_hash);
    expect(`${comment!.body}${hidden}`).not.toContain('nOUIs5kJ7naTuTFkBy1veu');
  });

  it('applies the merge of a reviewed pull request: the plans match', async () => {
    const { workspace, shas } = await history(
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, HASHED]) },
    );
    applied(shas[0]!);
    expect((await review(workspace, shas[0]!, shas[1]!)).code).toBe(0);
    const run = await merge(workspace, shas[0]!, shas[1]!);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`The plan is the one reviewed in pull request #${PR}.`);
    expect(sentEmails()).toEqual(['grace@example.com']);
    expect(github.deployments().at(-1)).toMatchObject({ sha: shas[1] });
  });

  it('refuses, before any request to Auth0, a merge that re-adds a user another merge removed after review', async () => {
    const { workspace, shas } = await history(
      { 'users.json': file([ADA, ALAN, GRACE]) },
      // The pull request: Grace's name changes.
      { 'users.json': file([ADA, ALAN, { ...GRACE, name: 'Grace Hopper' }]) },
      // Another merge removes Grace, and is applied.
      { 'users.json': file([ADA, ALAN]) },
      // The pull request's merge brings Grace back.
      { 'users.json': file([ADA, ALAN, { ...GRACE, name: 'Grace Hopper' }]) },
    );
    applied(shas[0]!);
    expect((await review(workspace, shas[0]!, shas[1]!)).code).toBe(0);
    applied(shas[2]!);
    const run = await merge(workspace, shas[2]!, shas[3]!);
    expect(run.code).toBe(1);
    expect(emulator.state.requests).toEqual([]);
    expect(run.errors[0]).toBe(
      `::error::❌ Nothing was sent: the plan changed since it was reviewed in pull request #${PR}.`,
    );
    expect(run.summary).toContain('### What differs from the reviewed plan');
    expect(run.summary).toContain('- grace@example.com: reviewed update (name), now add (record)');
    expect(run.summary).toContain('on-plan-changed: warn');
    expect(github.deployments().at(-1)).toMatchObject({ sha: shas[3], payload: { base: shas[2] } });
    expect(github.deployments().at(-1)!.statuses.at(-1)!.state).toBe('failure');
  });

  it('refuses a merge whose settings changed after review, and applies it with on-plan-changed: warn', async () => {
    const { workspace, shas } = await history(
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, ALAN]) },
    );
    applied(shas[0]!);
    expect((await review(workspace, shas[0]!, shas[1]!)).code).toBe(0);
    const refused = await merge(workspace, shas[0]!, shas[1]!, { upsert: 'true' });
    expect(refused.code).toBe(1);
    expect(refused.summary).toContain('- setting upsert: reviewed false, now true');
    expect(emulator.state.requests).toEqual([]);

    const warned = await merge(workspace, shas[0]!, shas[1]!, { upsert: 'true', 'on-plan-changed': 'warn' });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(
      /^::warning::Applying although the plan changed since it was reviewed .*setting upsert/m,
    );
    expect(sentEmails()).toEqual(['alan@example.com']);
  });

  it('goes on with a notice after a direct push, unless require-reviewed-plan', async () => {
    const { workspace, shas } = await history(
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, ALAN]) },
    );
    applied(shas[0]!);
    github.seedCommit(shas[1]!);
    git(workspace, 'checkout', '-q', shas[1]!);
    const push = async (more: Record<string, string>) =>
      runAction({
        workspace,
        env: {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[0] }),
          GITHUB_SHA: shas[1]!,
          GITHUB_API_URL: github.url,
        },
        inputs: inputs(more),
      });
    const strict = await push({ 'require-reviewed-plan': 'true' });
    expect(strict.code).toBe(1);
    expect(strict.errors[0]).toContain('no reviewed plan: no merged pull request brought');
    expect(emulator.state.requests).toEqual([]);
    const lenient = await push({});
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(
      /^::notice::Applying without a reviewed plan: no merged pull request brought/m,
    );
  });
});
