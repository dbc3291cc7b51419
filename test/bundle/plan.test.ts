/**
 * The plan on the pull request: what a merge will do to each user, what import will silently not
 * do, and the sticky comment that says so. Each test drives the bundle with a real pull_request
 * payload, a real git repository and a loopback GitHub REST stand-in.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.js';
import { runAction, type ActionRun } from '../support/action.js';
import { eventFile, gitRepository, type CommitFiles } from '../support/git-repo.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { tenantInputs } from '../support/tenant-inputs.js';

const PR = 7;
const WRITE_TOKEN = 'ghs_write_token_value';
const READ_ONLY_TOKEN = 'ghs_fork_token_value';

let github: GitHubApi;

beforeAll(async () => {
  github = await startGitHubApi({ tokens: { [WRITE_TOKEN]: 'write', [READ_ONLY_TOKEN]: 'read-only' } });
});

afterAll(async () => {
  await github.close();
});

beforeEach(() => {
  github.reset();
});

function file(users: unknown[]): string {
  return `${JSON.stringify(users, null, 2)}\n`;
}

const ADA = { email: 'ada@example.com', name: 'Ada', email_verified: true };
const ALAN = {
  email: 'alan@example.com',
  name: 'Alan',
  email_verified: true,
  app_metadata: { plan: 'free' },
};
const GRACE = { email: 'grace@example.com', name: 'Grace', email_verified: true };

/** A dry run on a pull request whose base holds `base` and whose head holds `head`. */
async function planOn(base: CommitFiles, head: CommitFiles, inputs: Record<string, string> = {}) {
  const { workspace, shas } = await gitRepository([base, head]);
  const run = await runAction({
    workspace,
    env: {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: await eventFile(workspace, {
        number: PR,
        pull_request: { number: PR, base: { sha: shas[0] } },
      }),
      GITHUB_API_URL: github.url,
      GITHUB_SHA: shas[1]!,
    },
    inputs: {
      'users-file': 'users/*.json',
      'dry-run': 'true',
      upsert: 'true',
      'github-token': WRITE_TOKEN,
      ...inputs,
    },
  });
  return { run, workspace, shas };
}

async function planFile(
  run: ActionRun,
): Promise<{ users: Record<string, unknown>[]; counts: Record<string, number> }> {
  return JSON.parse(await readFile(run.outputs['plan-file']!, 'utf8')) as {
    users: Record<string, unknown>[];
    counts: Record<string, number>;
  };
}

describe('the plan of a pull request', () => {
  it('lists who is added, what changes and who is removed, in the summary, the plan file and one comment', async () => {
    const { run } = await planOn(
      { 'users/all.json': file([ADA, ALAN, GRACE]) },
      {
        'users/all.json': file([
          ADA,
          { ...ALAN, name: 'Alan Turing' },
          { email: 'katherine@example.com', name: 'Katherine', email_verified: true },
        ]),
      },
    );
    expect(run.code).toBe(0);
    expect(run.summary).toContain('✅ Plan: **1 added · 1 changed · 1 left in Auth0** · 1 unchanged');
    expect(run.summary).toContain('- `katherine@example.com` users/all.json:');
    expect(run.summary).toContain('- `alan@example.com` users/all.json:7: name: "Alan" → "Alan Turing"');
    expect(run.summary).toContain('- `grace@example.com`: was in users/all.json at');
    expect(run.outputs).toMatchObject({
      added: '1',
      modified: '1',
      removed: '1',
      skipped: '1',
      unapplied: '0',
    });
    const plan = await planFile(run);
    expect(plan.counts).toMatchObject({ added: 1, modified: 1, removed: 1, unchanged: 1 });
    expect(plan.users).toContainEqual({
      action: 'update',
      email: 'alan@example.com',
      file: 'users/all.json',
      line: 7,
      attributes: ['name'],
    });

    const comments = github.comments(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- auth0-user-import:users\/\*\.json -->\n/);
    // The settings line names what the plan was compared with.
    expect(comments[0]!.body).toContain("· baseline: the pull request's base (");
    expect(comments[0]!.body).toContain('✅ Plan: **1 added · 1 changed · 1 left in Auth0** · 1 unchanged');
    expect(comments[0]!.body).toContain('<summary>Added (1)</summary>');
    expect(comments[0]!.body).toContain('[Workflow run](https://github.com/acme/identity/actions/runs/4242)');
    expect(run.stdout).toMatch(/Plan comment created: /);
  });

  it('updates its comment in place on the next push instead of adding another', async () => {
    const base = { 'users/all.json': file([ADA]) };
    await planOn(base, { 'users/all.json': file([ADA, GRACE]) });
    const second = await planOn(base, { 'users/all.json': file([ADA, GRACE, ALAN]) });
    expect(second.run.stdout).toMatch(/Plan comment updated: /);
    const comments = github.comments(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<summary>Added (2)</summary>');
    expect(github.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(github.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  });

  it('fails on the line of each change import cannot apply: blocked and username', async () => {
    const { run } = await planOn(
      { 'users/all.json': file([ADA, { ...ALAN, username: 'alan' }]) },
      { 'users/all.json': file([ADA, { ...ALAN, username: 'turing', blocked: true }]) },
    );
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(/^::error::❌ 2 problems in users\/all\.json: nothing was sent/);
    expect(run.errors).toContainEqual(
      expect.stringMatching(
        /^::error file=users\/all\.json,line=14,col=5::\[1\]\.username: username changed from "alan" to "turing" for an existing user: import cannot apply this\.%0AWhat to do: Auth0's upsert never updates username, though the job counts the user as updated: /,
      ),
    );
    expect(run.errors).toContainEqual(
      expect.stringMatching(
        /^::error file=users\/all\.json,line=15,col=5::\[1\]\.blocked: blocked set to true for an existing user: import cannot apply this\.%0AWhat to do: .*set it in the Auth0 dashboard or through the Users API/,
      ),
    );
    // Each problem's message is short (the annotation's first line); what to do follows on its own.
    for (const line of run.errors.filter((error) => error.startsWith('::error file='))) {
      const [message] = line.slice(line.indexOf('::', 2) + 2).split('%0A');
      expect(message!.replace(/^\S+: /, '').length, line).toBeLessThanOrEqual(120);
    }
    expect(run.summary).toContain('blocked set to true — import cannot apply this');
    expect(run.summary).toContain('❌ Plan: **1 blocked** · 1 unchanged');
    expect(run.outputs.unapplied).toBe('1');
  });

  it('only warns of such a change with on-unapplied-change: warn', async () => {
    const { run } = await planOn(
      { 'users/all.json': file([ADA, ALAN]) },
      { 'users/all.json': file([ADA, { ...ALAN, blocked: true }]) },
      { 'on-unapplied-change': 'warn' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^::warning file=users\/all\.json,line=\d+,col=5::\[1\]\.blocked: blocked set to true/m,
    );
  });

  it('fails an email rename on its line, naming the old email', async () => {
    const { run } = await planOn(
      { 'users/all.json': file([{ ...ADA, user_id: 'ada-1' }]) },
      { 'users/all.json': file([{ ...ADA, email: 'countess@example.com', user_id: 'ada-1' }]) },
    );
    expect(run.code).toBe(1);
    expect(run.errors).toContainEqual(
      expect.stringMatching(
        /^::error file=users\/all\.json,line=2,col=3::\[0\]\.email: email renamed from ada@example\.com \(same user_id ada-1\): import cannot rename a user/,
      ),
    );
    expect(run.outputs).toMatchObject({ renamed: '1', removed: '0', added: '0' });
  });

  it('warns of metadata keys a merge will drop and an email_verified it will reset', async () => {
    const { run } = await planOn(
      { 'users/all.json': file([{ ...ALAN, app_metadata: { plan: 'free', tier: 2, region: 'eu' } }]) },
      {
        'users/all.json': file([{ email: 'alan@example.com', name: 'Alan', app_metadata: { plan: 'free' } }]),
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'alan@example.com: app_metadata is replaced whole: the import drops its keys "tier", "region"',
    );
    expect(run.stdout).toContain(
      'alan@example.com: email_verified is not in the file: the import resets it to false (it was true)',
    );
    expect(run.summary).toContain('### Warnings (2)');
  });

  it('counts the users of a deleted users file as removed', async () => {
    const { run } = await planOn(
      { 'users/a.json': file([ADA]), 'users/b.json': file([ALAN, GRACE]) },
      { 'users/b.json': null },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ removed: '2', skipped: '1', added: '0' });
    expect(run.summary).toContain('- `alan@example.com`: was in users/b.json at');
  });

  it('keeps the users of a renamed users file unchanged, not added again', async () => {
    const { run } = await planOn(
      { 'users/a.json': file([ADA, ALAN]) },
      { 'users/a.json': null, 'users/renamed.json': file([ADA, ALAN]) },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ added: '0', removed: '0', skipped: '2' });
  });

  it('reports a user made invalid as invalid, never as removed', async () => {
    const { run } = await planOn(
      { 'users/all.json': file([ADA, ALAN]) },
      { 'users/all.json': file([ADA, { ...ALAN, blocked: 'yes' }]) },
    );
    expect(run.code).toBe(1);
    expect(run.summary).toContain('**Invalid (not sent) (1)**\n\n- `alan@example.com` users/all.json:');
    expect(run.summary).not.toContain('Removed from the files');
    const plan = await planFile(run);
    expect(plan.counts).toMatchObject({ invalid: 1, removed: 0 });
    expect(plan.users).toContainEqual({
      action: 'invalid',
      email: 'alan@example.com',
      file: 'users/all.json',
      line: expect.any(Number) as number,
    });
  });

  it('fits a 70,000-character plan in one comment and leaves the rest to the summary', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => ({
      email: `a-rather-long-address-for-user-number-${i}@example.com`,
      email_verified: true,
    }));
    const { run } = await planOn(
      { 'users/all.json': file([ADA]) },
      { 'users/all.json': file([ADA, ...many]) },
    );
    expect(run.code).toBe(0);
    const [comment] = github.comments(PR);
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body).toMatch(/- …and \d+ more \(see the job summary\)/);
    expect(run.summary).toContain('- …and 1500 more (the plan-file output lists every user)');
    expect((await planFile(run)).users).toHaveLength(2_001);
  });

  it("says in a notice when a fork's read-only token cannot comment, and keeps the summary", async () => {
    const { run } = await planOn(
      { 'users/all.json': file([ADA]) },
      { 'users/all.json': file([ADA, GRACE]) },
      { 'github-token': READ_ONLY_TOKEN },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^::notice::No plan comment on the pull request: GitHub answered 403/m);
    expect(run.stdout).toContain('pull-requests: write');
    expect(github.comments(PR)).toHaveLength(0);
    expect(run.summary).toContain('✅ Plan: **1 added** · 1 unchanged');
  });

  it('does not comment with comment-on-pr: never', async () => {
    const { run } = await planOn(
      { 'users/all.json': file([ADA]) },
      { 'users/all.json': file([ADA, GRACE]) },
      { 'comment-on-pr': 'never' },
    );
    expect(run.code).toBe(0);
    expect(github.requests).toEqual([]);
  });
});

describe('the plan as applied by the merge', () => {
  it('shows each user of the plan with its outcome', async () => {
    const emulator = await startEmulator();
    try {
      const database = emulator.connections.find((connection) => connection.strategy === 'auth0')!;
      emulator.state.seedUsers(database.id, [ADA, ALAN]);
      const { workspace, shas } = await gitRepository([
        { 'users/all.json': file([ADA, ALAN]) },
        { 'users/all.json': file([ADA, { ...ALAN, name: 'Alan Turing' }, GRACE]) },
      ]);
      const run = await runAction({
        workspace,
        env: {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[0] }),
        },
        inputs: {
          'users-file': 'users/*.json',
          ...tenantInputs(emulator),
          'only-changed': 'true',
          upsert: 'true',
        },
      });
      expect(run.code).toBe(0);
      expect(run.summary).toContain('✅ Outcome: **1 added · 1 changed** · 1 unchanged');
      expect(run.summary).toMatch(/- `grace@example\.com` users\/all\.json:\d+ → ✓ done/);
      expect(run.summary).toMatch(
        /- `alan@example\.com` users\/all\.json:\d+: name: "Alan" → "Alan Turing" → ✓ done/,
      );
    } finally {
      await emulator.close();
    }
  });
});
