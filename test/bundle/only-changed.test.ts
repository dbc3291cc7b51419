import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { makeWorkspace, runAction } from '../support/action.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { expectNoSecrets, maskedValues } from '../support/secrets.js';

const BEFORE = [
  { email: 'ada@example.com', name: 'Ada' },
  { email: 'alan@example.com', name: 'Alan', app_metadata: { plan: 'free' } },
  { email: 'grace@example.com', name: 'Grace' },
  { email: 'old.edsger@example.com', user_id: 'ewd', name: 'Edsger' },
];
const AFTER = [
  // Same user, keys reordered: unchanged.
  { name: 'Ada', email: 'ada@example.com' },
  { email: 'alan@example.com', name: 'Alan', app_metadata: { plan: 'pro' } },
  { email: 'katherine@example.com', name: 'Katherine' },
  { email: 'edsger@example.com', user_id: 'ewd', name: 'Edsger' },
];

function pretty(users: unknown[]): string {
  return `${JSON.stringify(users, null, 2)}\n`;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** A repository with the users file before and after one commit, and a push event between them. */
async function repository(before: string | undefined, after: string) {
  const workspace = await makeWorkspace({ 'README.md': 'users\n' });
  git(workspace, 'init', '-q', '-b', 'main');
  if (before !== undefined) await writeFile(path.join(workspace, 'users.json'), before);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'before');
  const beforeSha = git(workspace, 'rev-parse', 'HEAD');
  await writeFile(path.join(workspace, 'users.json'), after);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'after');
  const afterSha = git(workspace, 'rev-parse', 'HEAD');
  return { workspace, beforeSha, afterSha };
}

async function pushEvent(workspace: string, before: string): Promise<string> {
  const eventPath = path.join(workspace, '..', `${path.basename(workspace)}-event.json`);
  await writeFile(eventPath, JSON.stringify({ before, after: 'HEAD' }));
  return eventPath;
}

let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  await emulator.close();
});

async function importChanged(
  workspace: string,
  env: Record<string, string>,
  inputs: Record<string, string> = {},
) {
  const database = emulator.connections.find((connection) => connection.strategy === 'auth0')!;
  return runAction({
    workspace,
    env,
    inputs: {
      'users-file': 'users.json',
      domain: emulator.url,
      'client-id': emulator.clientId,
      'client-secret': emulator.clientSecret,
      'connection-id': database.id,
      'only-changed': 'true',
      upsert: 'true',
      ...inputs,
    },
  });
}

function sentEmails(): string[] {
  return emulator.state.jobs.flatMap((job) =>
    (JSON.parse(job.usersBytes.toString()) as { email: string }[]).map((user) => user.email),
  );
}

describe('only-changed', () => {
  it('imports only the users a push added or modified and reports the rest', async () => {
    const { workspace, beforeSha, afterSha } = await repository(pretty(BEFORE), pretty(AFTER));
    const run = await importChanged(workspace, {
      GITHUB_EVENT_PATH: await pushEvent(workspace, beforeSha),
      GITHUB_SHA: afterSha,
    });
    expect(run.code).toBe(0);
    expect(sentEmails()).toEqual(['alan@example.com', 'katherine@example.com', 'edsger@example.com']);
    expect(run.outputs).toMatchObject({
      total: '4',
      added: '2',
      modified: '1',
      removed: '2',
      skipped: '1',
      chunks: '1',
    });
    expect(run.stdout).toContain(
      `::warning::2 users removed from the users files in ${afterSha.slice(0, 7)} are still in Auth0 (bulk import cannot delete): grace@example.com, old.edsger@example.com`,
    );
    expect(run.summary).toContain('| 2 | 1 | 1 | 2 |');
    expect(run.summary).toContain('old.edsger@example.com → edsger@example.com');
    expect(run.summary).toContain('an email change imports as a new user; the old one is not renamed');
    await expectNoSecrets(run, { credentials: [emulator.clientSecret, ...maskedValues(run)] });
  });

  it('refuses modified users without upsert before sending anything, naming their lines', async () => {
    const { workspace, beforeSha } = await repository(pretty(BEFORE), pretty(AFTER));
    const run = await importChanged(
      workspace,
      { GITHUB_EVENT_PATH: await pushEvent(workspace, beforeSha) },
      { upsert: 'false' },
    );
    expect(run.code).toBe(1);
    expect(run.errors[1]).toMatch(
      /^::error file=users\.json,line=6,col=3::\[1\]: alan@example\.com changed since the commit before the push/,
    );
    expect(emulator.state.requests).toEqual([]);
  });

  it('imports every user on the first push of a branch', async () => {
    const { workspace } = await repository(pretty(BEFORE), pretty(AFTER));
    const run = await importChanged(workspace, {
      GITHUB_EVENT_PATH: await pushEvent(workspace, '0'.repeat(40)),
    });
    expect(run.code).toBe(0);
    expect(sentEmails()).toHaveLength(4);
    expect(run.outputs).toMatchObject({ added: '4', skipped: '0' });
  });

  it('treats every user as new when the file did not exist before', async () => {
    const { workspace, beforeSha } = await repository(undefined, pretty(AFTER));
    const run = await importChanged(workspace, { GITHUB_EVENT_PATH: await pushEvent(workspace, beforeSha) });
    expect(run.code).toBe(0);
    expect(run.outputs.added).toBe('4');
  });

  it('sends nothing at all when no user changed', async () => {
    const { workspace, beforeSha } = await repository(pretty(AFTER), `${JSON.stringify(AFTER)}\n`);
    const run = await importChanged(workspace, { GITHUB_EVENT_PATH: await pushEvent(workspace, beforeSha) });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ skipped: '4', chunks: '0', 'job-ids': '[]' });
    expect(emulator.state.requests).toEqual([]);
  });

  it('checks a pull request against its base in a dry run', async () => {
    const { workspace, beforeSha } = await repository(pretty(BEFORE), pretty(AFTER));
    const eventPath = path.join(workspace, '..', `${path.basename(workspace)}-pr.json`);
    await writeFile(eventPath, JSON.stringify({ pull_request: { base: { sha: beforeSha } } }));
    const run = await runAction({
      workspace,
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath },
      inputs: { 'users-file': 'users.json', 'dry-run': 'true', 'only-changed': 'true', upsert: 'true' },
    });
    expect(run.code).toBe(0);
    expect(run.summary).toContain("### Changes since the pull request's base");
    expect(run.summary).toContain(
      '2 added and 1 modified (1 unchanged, skipped): 3 users would be sent in 1 chunk',
    );
  });

  describe('without the previous commit in the checkout', () => {
    let api: GitHubApi;

    beforeEach(async () => {
      api = await startGitHubApi({
        tokens: { ghs_test_token_value: 'read-only' },
        files: { ['f'.repeat(40)]: { 'users.json': pretty(BEFORE) } },
      });
    });

    afterEach(async () => {
      await api.close();
    });

    it('reads the previous version through the GitHub API with the token', async () => {
      const { workspace } = await repository(pretty(BEFORE), pretty(AFTER));
      const run = await importChanged(
        workspace,
        {
          GITHUB_EVENT_PATH: await pushEvent(workspace, 'f'.repeat(40)),
          GITHUB_API_URL: api.url,
        },
        { 'github-token': 'ghs_test_token_value' },
      );
      expect(run.code).toBe(0);
      expect(api.requests.map((request) => `${request.method} ${request.path} ${request.token}`)).toEqual([
        `GET /repos/acme/identity/contents/users.json?ref=${'f'.repeat(40)} ghs_test_token_value`,
      ]);
      expect(run.stdout).toContain(
        'is not in the local history; reading users.json at it through the GitHub API',
      );
      expect(run.outputs).toMatchObject({ added: '2', modified: '1', skipped: '1' });
      await expectNoSecrets(run, { credentials: ['ghs_test_token_value'] });
    });
  });
});
