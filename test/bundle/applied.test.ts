/**
 * baseline: applied — every applying run records a GitHub deployment of the commit it applied, and
 * the next plan compares the files with what was applied, not with the previous commit. Driven
 * through the bundle, a real git repository, the Auth0 emulator and the GitHub stand-in.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { runAction } from '../support/action.js';
import { eventFile, git, gitRepository } from '../support/git-repo.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { databaseOf, tenantInputs } from '../support/tenant-inputs.js';

const TOKEN = 'ghs_applied_token';
/** A job that forgot `deployments:` in its permissions. */
const NO_DEPLOYMENTS = 'ghs_no_deployments';
/** A job that forgot `contents: read`. */
const NO_CONTENTS = 'ghs_no_contents';
const ZERO = '0'.repeat(40);

const ALL_SCOPES = ['create:users', 'read:connections', 'read:users', 'update:users', 'delete:users'];

function file(users: unknown[]): string {
  return `${JSON.stringify(users, null, 2)}\n`;
}

const ADA = { email: 'ada@example.com', name: 'Ada', email_verified: true };
const ALAN = { email: 'alan@example.com', name: 'Alan', email_verified: true };
const GRACE = { email: 'grace@example.com', name: 'Grace', email_verified: true };

let github: GitHubApi;
let emulator: Emulator;

beforeAll(async () => {
  github = await startGitHubApi({
    tokens: {
      [TOKEN]: { contents: 'read', deployments: 'write', pullRequests: 'write' },
      [NO_DEPLOYMENTS]: { contents: 'read', pullRequests: 'write' },
      [NO_CONTENTS]: { deployments: 'write', pullRequests: 'write' },
    },
  });
});

afterAll(async () => {
  await github.close();
});

beforeEach(async () => {
  github.reset();
  emulator = await startEmulator({ clients: [{ scopes: ALL_SCOPES }] });
  return () => emulator.close();
});

function environment(): string {
  return `auth0/${new URL(emulator.url).host}/${databaseOf(emulator).id}`;
}

/** A push of commit `shas[i]`, whose previous commit is `shas[i - 1]` (none for the first). */
async function push(
  workspace: string,
  shas: readonly string[],
  i: number,
  inputs: Record<string, string> = {},
  token = TOKEN,
) {
  // The checkout of the pushed commit, as actions/checkout leaves it.
  git(workspace, 'checkout', '-q', shas[i]!);
  return runAction({
    workspace,
    env: {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: await eventFile(workspace, { before: i === 0 ? ZERO : shas[i - 1] }),
      GITHUB_SHA: shas[i]!,
      GITHUB_API_URL: github.url,
    },
    inputs: {
      'users-file': 'users.json',
      ...tenantInputs(emulator),
      'github-token': token,
      ...inputs,
    },
  });
}

/** The emails each import job carried, job by job, from job `from` on. */
function sentEmails(from = 0): string[] {
  return emulator.state.jobs
    .slice(from)
    .flatMap((job) =>
      (JSON.parse(job.usersBytes.toString()) as { email: string }[]).map((user) => user.email),
    );
}

function deployment(sha: string, base: string | null, states: string[], more: Record<string, unknown> = {}) {
  return github.seedDeployment({
    sha,
    environment: environment(),
    payload: { sha, base, notApplied: [], unknown: [], notRemoved: [], ...more },
    states,
  });
}

describe('baseline: applied', () => {
  it('records a deployment of the commit each applying run applied, with its run and what it did not apply', async () => {
    const { workspace, shas } = await gitRepository([{ 'users.json': file([ADA, ALAN]) }]);
    const run = await push(workspace, shas, 0);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^::notice::No deployment to auth0\/127\.0\.0\.1:\d+\/con_\w+ yet: this first run/m,
    );
    const [recorded] = github.deployments();
    expect(recorded).toMatchObject({
      sha: shas[0],
      ref: shas[0],
      task: 'deploy',
      environment: environment(),
      payload: { sha: shas[0], base: null, notApplied: [], unknown: [], notRemoved: [] },
    });
    expect(recorded!.statuses.map((status) => status.state)).toEqual(['in_progress', 'success']);
    expect(recorded!.statuses[1]!.log_url).toBe('https://github.com/acme/identity/actions/runs/4242');
    const create = github.requests.find(
      (request) => request.method === 'POST' && request.path.endsWith('/deployments'),
    );
    expect(create?.body).toMatchObject({ auto_merge: false, required_contexts: [] });
  });

  it('sends both merges’ users after a merge refused before sending and its fix', async () => {
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA]) },
      // A bad hash: refused before anything is sent.
      { 'users.json': file([ADA, ALAN, { ...GRACE, password_hash: 'not-a-hash' }]) },
      { 'users.json': file([ADA, ALAN, GRACE]) },
    ]);
    expect((await push(workspace, shas, 0)).code).toBe(0);
    const refused = await push(workspace, shas, 1);
    expect(refused.code).toBe(1);
    expect(sentEmails()).toEqual(['ada@example.com']);
    const fixed = await push(workspace, shas, 2);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(`Planning against the last applied commit (${shas[0]!.slice(0, 7)}`);
    expect(sentEmails(1)).toEqual(['alan@example.com', 'grace@example.com']);
    expect(
      github
        .deployments()
        .map((recorded) => [recorded.sha, recorded.statuses.at(-1)?.state, recorded.payload]),
    ).toEqual([
      [shas[0], 'inactive', expect.objectContaining({ base: null })],
      [shas[1], 'failure', expect.objectContaining({ base: shas[0] })],
      [shas[2], 'success', expect.objectContaining({ base: shas[0], notApplied: [] })],
    ]);
  });

  it('sends only the user Auth0 rejected once it is fixed, and no one twice', async () => {
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, ALAN, { ...GRACE, name: 'Rejected' }]) },
      { 'users.json': file([ADA, ALAN, GRACE]) },
    ]);
    expect((await push(workspace, shas, 0)).code).toBe(0);
    emulator.faults.refuseUsers((user) =>
      user.name === 'Rejected'
        ? { code: 'INVALID_FORMAT', message: 'Object didn’t pass validation' }
        : undefined,
    );
    const rejected = await push(workspace, shas, 1);
    expect(rejected.code).toBe(1);
    expect(github.deployments()[1]).toMatchObject({
      payload: { sha: shas[1], base: shas[0], notApplied: ['grace@example.com'] },
    });
    expect(github.deployments()[1]!.statuses.at(-1)!.state).toBe('success');
    expect(rejected.summary).toMatch(
      /Recorded as deployment \d+ to auth0\/\S+ \(success\)\. The next run sends again: grace@example\.com\./,
    );
    emulator.faults.clear();
    emulator.faults.refuseUsers(() => undefined);
    const jobs = emulator.state.jobs.length;
    const fixed = await push(workspace, shas, 2);
    expect(fixed.code).toBe(0);
    expect(sentEmails(jobs)).toEqual(['grace@example.com']);
    expect(fixed.stdout).not.toContain('DUPLICATED_USER');
  });

  it('plans a user Auth0 rejected again on the next run, though the files leave it as it was', async () => {
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA, GRACE]) },
      { 'users.json': file([ADA, GRACE, ALAN]) },
    ]);
    emulator.faults.refuseUsers((user) =>
      user.email === GRACE.email ? { code: 'INVALID_FORMAT', message: 'Refused for now' } : undefined,
    );
    expect((await push(workspace, shas, 0)).code).toBe(1);
    emulator.faults.refuseUsers(() => undefined);
    const jobs = emulator.state.jobs.length;
    const next = await push(workspace, shas, 1);
    expect(next.code).toBe(0);
    expect(sentEmails(jobs)).toEqual(['grace@example.com', 'alan@example.com']);
  });

  it('counts a DUPLICATED_USER for a user whose earlier outcome was unknown as already imported', async () => {
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, ALAN]) },
    ]);
    emulator.state.seedUsers(databaseOf(emulator).id, [ALAN]);
    deployment(shas[0]!, null, ['in_progress', 'success']);
    deployment(shas[1]!, shas[0]!, ['in_progress', 'success'], { unknown: ['alan@example.com'] });
    const run = await push(workspace, shas, 1);
    expect(sentEmails()).toEqual(['alan@example.com']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('count as already imported');
  });

  it('plans against the base of the earliest failed deployment when none succeeded', async () => {
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, ALAN]) },
      { 'users.json': file([ADA, ALAN, GRACE]) },
    ]);
    deployment(shas[1]!, shas[0]!, ['in_progress', 'failure']);
    const run = await push(workspace, shas, 2);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Planning against the base of the first failed deployment (${shas[0]!.slice(0, 7)}`,
    );
    expect(sentEmails()).toEqual(['alan@example.com', 'grace@example.com']);
  });

  it('warns naming deployments: read when the deployments cannot be listed, and plans against the event base', async () => {
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, ALAN]) },
    ]);
    const run = await push(workspace, shas, 1, { 'only-changed': 'true' }, NO_DEPLOYMENTS);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^::warning::The deployments to .* cannot be listed \(GitHub answered 403.*permissions: deployments: read/m,
    );
    expect(sentEmails()).toEqual(['alan@example.com']);
  });

  describe('a shallow checkout whose baseline commit is missing, with reconcile', () => {
    const missing = 'e'.repeat(40);

    it('fails before sending, naming fetch-depth and contents: read, when the applied commit cannot be read', async () => {
      const { workspace, shas } = await gitRepository([{ 'users.json': file([ADA]) }]);
      deployment(missing, null, ['in_progress', 'success']);
      const run = await push(workspace, shas, 0, { reconcile: 'true', upsert: 'true' }, NO_CONTENTS);
      expect(run.code).toBe(1);
      expect(run.errors[0]).toMatch(/the users files at the last applied commit \(eeeeeee.*fetch-depth/);
      expect(run.errors[0]).toContain('contents: read');
      expect(emulator.state.requests).toEqual([]);
    });

    it('fails before sending, naming fetch-depth and the token, when the event base cannot be read', async () => {
      const { workspace, shas } = await gitRepository([{ 'users.json': file([ADA]) }]);
      const run = await runAction({
        workspace,
        env: {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: await eventFile(workspace, { before: missing }),
          GITHUB_SHA: shas[0]!,
        },
        inputs: { 'users-file': 'users.json', ...tenantInputs(emulator), reconcile: 'true', upsert: 'true' },
      });
      expect(run.code).toBe(1);
      expect(run.errors[0]).toMatch(
        /reconcile needs the users files at the commit before the push.*github-token.*fetch-depth/,
      );
      expect(emulator.state.requests).toEqual([]);
    });
  });
});

describe('baseline: tenant with the applied files', () => {
  const H1 = '$2b$10$nOUIs5kJ7naTuTFkBy1veuK0kSxUFXfuaOKdOKf9xYT0KKIGSJwFa';
  const H2 = '$2b$10$nOUIs5kJ7naTuTFkBy1veuK0kSxUFXfuaOKdOKf9xYT0KKIGSJwFb';

  it('compares a password hash the export cannot show with the last applied files', async () => {
    emulator.state.seedUsers(databaseOf(emulator).id, [ADA, { ...GRACE, password_hash: H1 }]);
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA, { ...GRACE, password_hash: H1 }]) },
      { 'users.json': file([ADA, { ...GRACE, password_hash: H2 }]) },
    ]);
    deployment(shas[0]!, null, ['in_progress', 'success']);
    const run = await push(workspace, shas, 1, { baseline: 'tenant', upsert: 'true' });
    expect(run.code).toBe(1);
    expect(run.errors).toContainEqual(
      expect.stringMatching(
        /^::error file=users\.json,line=\d+,col=\d+::\[1\]\.password_hash: password_hash changed for an existing user: import cannot apply this/,
      ),
    );
    expect(emulator.state.jobs).toEqual([]);
  });

  it('still cannot tell the hash of a user the applied files never held', async () => {
    emulator.state.seedUsers(databaseOf(emulator).id, [ADA, { ...GRACE, password_hash: H1 }]);
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA]) },
      { 'users.json': file([ADA, { ...GRACE, password_hash: H2 }]) },
    ]);
    deployment(shas[0]!, null, ['in_progress', 'success']);
    const run = await push(workspace, shas, 1, { baseline: 'tenant', upsert: 'true' });
    expect(run.code).toBe(0);
    const plan = JSON.parse(await readFile(run.outputs['plan-file']!, 'utf8')) as { users: unknown[] };
    expect(plan.users).toContainEqual(
      expect.objectContaining({
        action: 'unchanged',
        email: 'grace@example.com',
        cannotTell: ['password_hash'],
      }),
    );
    expect(emulator.state.jobs).toEqual([]);
  });
});

describe('removals', () => {
  const SELF_SIGN_UP = { email: 'signed-up@example.com', name: 'Sam', email_verified: true };

  function blocked(): string[] {
    return emulator.state
      .users(databaseOf(emulator).id)
      .filter((user) => user.blocked === true)
      .map((user) => user.email ?? '');
  }

  it('with baseline: tenant and on-removed: block, blocks only users the applied files held', async () => {
    emulator.state.seedUsers(databaseOf(emulator).id, [ADA, ALAN, SELF_SIGN_UP]);
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA, ALAN]) },
      { 'users.json': file([ADA]) },
    ]);
    deployment(shas[0]!, null, ['in_progress', 'success']);
    const run = await push(workspace, shas, 1, { baseline: 'tenant', 'on-removed': 'block' });
    expect(run.code).toBe(0);
    expect(blocked()).toEqual(['alan@example.com']);
  });

  it('never blocks a protected user: the plan is an error and nothing is sent', async () => {
    emulator.state.seedUsers(databaseOf(emulator).id, [ADA, ALAN]);
    const { workspace, shas } = await gitRepository([
      { 'users.json': file([ADA, ALAN]) },
      { 'users.json': file([ADA]) },
    ]);
    deployment(shas[0]!, null, ['in_progress', 'success']);
    const run = await push(workspace, shas, 1, {
      'on-removed': 'block',
      'protected-users': 'root@example.com\nalan@*',
    });
    expect(run.code).toBe(1);
    expect(run.errors).toContainEqual(
      expect.stringMatching(
        /alan@example\.com is a protected user \(protected-users: alan@\*\): the plan would block them/,
      ),
    );
    expect(blocked()).toEqual([]);
    expect(emulator.state.requests).toEqual([]);
    expect(github.deployments().at(-1)!.statuses.at(-1)!.state).toBe('failure');
  });

  it('stops a removal larger than max-removals: 5% before any request', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      email: `user${i}@example.com`,
      email_verified: true,
    }));
    const { workspace, shas } = await gitRepository([
      { 'users.json': file(many) },
      { 'users.json': file(many.slice(3)) },
    ]);
    deployment(shas[0]!, null, ['in_progress', 'success']);
    const run = await push(workspace, shas, 1, { 'on-removed': 'block', 'max-removals': '5%' });
    expect(run.code).toBe(1);
    expect(run.errors).toContainEqual(
      expect.stringMatching(
        /3 users would be blocked \(on-removed: block\), more than max-removals \(5(%|%25) of the 40 users in the applied files: 2\)/,
      ),
    );
    expect(emulator.state.requests).toEqual([]);
  });
});
