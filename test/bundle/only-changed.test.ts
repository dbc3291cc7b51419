/** only-changed: a push sends just the users the plan finds added or modified since the commit before it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { runAction } from '../support/action.js';
import { eventFile, gitRepository } from '../support/git-repo.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { expectNoSecrets, maskedValues } from '../support/secrets.js';
import { tenantInputs } from '../support/tenant-inputs.js';

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

/** The users file before and after one commit. */
async function repository(before: string | undefined, after: string) {
  const { workspace, shas } = await gitRepository([
    before === undefined ? {} : { 'users.json': before },
    { 'users.json': after },
  ]);
  return { workspace, beforeSha: shas[0]!, afterSha: shas[1]! };
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
  before: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
) {
  return runAction({
    workspace,
    env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: await eventFile(workspace, { before }), ...env },
    inputs: {
      'users-file': 'users.json',
      ...tenantInputs(emulator),
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
  it('imports only the users a push added or modified, and reports the rest', async () => {
    const { workspace, beforeSha, afterSha } = await repository(pretty(BEFORE), pretty(AFTER));
    const run = await importChanged(
      workspace,
      beforeSha,
      { 'on-unapplied-change': 'warn' },
      { GITHUB_SHA: afterSha },
    );
    expect(run.code).toBe(0);
    // The email rename is not imported: import cannot rename, and would refuse the new email.
    expect(sentEmails()).toEqual(['alan@example.com', 'katherine@example.com']);
    expect(run.outputs).toMatchObject({
      total: '4',
      added: '1',
      modified: '1',
      renamed: '1',
      removed: '1',
      skipped: '1',
      unapplied: '1',
      chunks: '1',
    });
    expect(run.stdout).toContain(
      `::warning::1 user removed from the users files since the commit before the push (${beforeSha.slice(0, 7)}) is still in Auth0 (bulk import cannot delete; on-removed: block or delete would): grace@example.com`,
    );
    expect(run.summary).toContain(
      '✅ Outcome: **1 added · 1 changed · 1 left in Auth0 · 1 not sent** · 1 unchanged',
    );
    expect(run.summary).toContain(
      '`edsger@example.com` users.json:17: renamed from old.edsger@example.com — import cannot rename → not sent',
    );
    await expectNoSecrets(run, { credentials: [emulator.clientSecret, ...maskedValues(run)] });
  });

  it('refuses modified users without upsert before sending anything, naming their lines', async () => {
    const { workspace, beforeSha } = await repository(pretty(BEFORE), pretty(AFTER));
    const run = await importChanged(workspace, beforeSha, { upsert: 'false' });
    expect(run.code).toBe(1);
    expect(run.errors[1]).toMatch(
      /^::error file=users\.json,line=6,col=3::\[1\]: alan@example\.com changed since the commit before the push/,
    );
    expect(emulator.state.requests).toEqual([]);
  });

  it('imports every user on the first push of a branch', async () => {
    const { workspace } = await repository(pretty(BEFORE), pretty(AFTER));
    const run = await importChanged(workspace, '0'.repeat(40));
    expect(run.code).toBe(0);
    expect(sentEmails()).toHaveLength(4);
    expect(run.outputs).toMatchObject({ added: '4', skipped: '0' });
  });

  it('treats every user as new when the file did not exist before', async () => {
    const { workspace, beforeSha } = await repository(undefined, pretty(AFTER));
    const run = await importChanged(workspace, beforeSha);
    expect(run.code).toBe(0);
    expect(run.outputs.added).toBe('4');
  });

  it('sends nothing at all when no user changed', async () => {
    const { workspace, beforeSha } = await repository(pretty(AFTER), `${JSON.stringify(AFTER)}\n`);
    const run = await importChanged(workspace, beforeSha);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ skipped: '4', chunks: '0', 'job-ids': '[]' });
    expect(emulator.state.requests).toEqual([]);
  });

  it('compares numbers beyond 2^53 exactly', async () => {
    const before = '[{"email":"ada@example.com","app_metadata":{"n":12345678901234567890}}]\n';
    const after = '[{"email":"ada@example.com","app_metadata":{"n":12345678901234567891}}]\n';
    const { workspace, beforeSha } = await repository(before, after);
    const run = await importChanged(workspace, beforeSha);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ modified: '1', skipped: '0' });
    expect(sentEmails()).toEqual(['ada@example.com']);
  });

  describe('without the previous commit in the checkout', () => {
    let api: GitHubApi;
    const base = 'f'.repeat(40);

    beforeEach(async () => {
      api = await startGitHubApi({
        tokens: { ghs_test_token_value: 'read-only' },
        files: { [base]: { 'users.json': pretty(BEFORE), 'README.md': 'users\n' } },
      });
    });

    afterEach(async () => {
      await api.close();
    });

    it('reads the users files at the base through the GitHub API with the token', async () => {
      const { workspace } = await repository(pretty(BEFORE), pretty(AFTER));
      const run = await importChanged(
        workspace,
        base,
        { 'github-token': 'ghs_test_token_value', 'on-unapplied-change': 'warn' },
        { GITHUB_API_URL: api.url },
      );
      expect(run.code).toBe(0);
      const reads = api.requests.filter((request) => /\/(git|contents)\//.test(request.path));
      expect(reads.map((request) => `${request.method} ${request.path} ${request.token}`)).toEqual([
        `GET /repos/acme/identity/git/trees/${base}?recursive=true ghs_test_token_value`,
        `GET /repos/acme/identity/contents/users.json?ref=${base} ghs_test_token_value`,
      ]);
      expect(run.stdout).toContain(
        'is not in the local history; reading the users files at it through the GitHub API',
      );
      expect(run.outputs).toMatchObject({ added: '1', modified: '1', renamed: '1', skipped: '1' });
      await expectNoSecrets(run, { credentials: ['ghs_test_token_value'] });
    });
  });
});
