/**
 * Reconcile: the merge makes the tenant match the file, including what bulk import cannot set —
 * blocked, an email rename, removed users — opt-in and guarded. Driven through the bundle against
 * the emulator, with a real git repository and push event.
 */
import { describe, expect, it } from 'vitest';
import { headroomWaitMs } from '../../src/auth0/reconcile.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { runAction, shownText } from '../support/action.js';
import { eventFile, gitRepository, type CommitFiles } from '../support/git-repo.js';
import { tenantInputs } from '../support/tenant-inputs.js';

const ALL_SCOPES = ['create:users', 'read:connections', 'read:users', 'update:users', 'delete:users'];

function file(users: unknown[]): string {
  return `${JSON.stringify(users, null, 2)}\n`;
}

const ADA = { email: 'ada@example.com', user_id: 'ada', name: 'Ada', email_verified: true };
const ALAN = { email: 'alan@example.com', user_id: 'alan', name: 'Alan', email_verified: true };
const GRACE = { email: 'grace@example.com', user_id: 'grace', name: 'Grace', email_verified: true };
const EDSGER = { email: 'edsger@example.com', user_id: 'ewd', name: 'Edsger', email_verified: true };
const KATHERINE = { email: 'katherine@example.com', user_id: 'kj', name: 'Katherine', email_verified: true };

const BASE = [ADA, ALAN, GRACE, EDSGER];
/** Alan blocked, Ada renamed, Grace and Edsger removed, Katherine added. */
const HEAD = [{ ...ADA, email: 'countess@example.com' }, { ...ALAN, blocked: true }, KATHERINE];

async function withTenant<T>(options: EmulatorOptions, work: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ clients: [{ scopes: ALL_SCOPES }], ...options });
  try {
    return await work(emulator);
  } finally {
    await emulator.close();
  }
}

function database(emulator: Emulator) {
  return emulator.connections.find((connection) => connection.strategy === 'auth0')!;
}

/** A push from `base` to `head`, run against a tenant that already holds the base's users. */
async function merge(
  emulator: Emulator,
  base: CommitFiles,
  head: CommitFiles,
  inputs: Record<string, string>,
) {
  const { workspace, shas } = await gitRepository([base, head]);
  return runAction({
    workspace,
    env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[0] }) },
    inputs: {
      'users-file': 'users.json',
      ...tenantInputs(emulator),
      'only-changed': 'true',
      upsert: 'true',
      reconcile: 'true',
      ...inputs,
    },
  });
}

function routes(emulator: Emulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of emulator.state.requests) counts[request.route] = (counts[request.route] ?? 0) + 1;
  return counts;
}

describe('reconcile', () => {
  it('blocks, renames and blocks removed users so the tenant matches the file; a second run changes nothing', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(database(emulator).id, BASE);
      const run = await merge(
        emulator,
        { 'users.json': file(BASE) },
        { 'users.json': file(HEAD) },
        { 'on-removed': 'block' },
      );
      expect(run.code).toBe(0);
      const users = new Map(emulator.state.users(database(emulator).id).map((user) => [user.email, user]));
      expect(users.get('alan@example.com')?.blocked).toBe(true);
      expect(users.get('countess@example.com')?.user_id).toBe('auth0|ada');
      expect(users.has('ada@example.com')).toBe(false);
      expect(users.get('grace@example.com')?.blocked).toBe(true);
      expect(users.get('edsger@example.com')?.blocked).toBe(true);
      expect(users.get('katherine@example.com')).toBeDefined();
      expect(run.outputs).toMatchObject({ reconciled: '4', 'removed-applied': '2' });
      expect(run.summary).toContain('<summary>Reconcile (4)</summary>');
      expect(run.summary).toContain('✅ Outcome: **1 added · 1 changed · 3 blocked**');
      expect(run.summary).not.toMatch(/\bwill\b/);
      // The rename was left out of the import: only Katherine (new) and Alan (changed) were sent.
      const sent = emulator.state.jobs.flatMap((job) =>
        (JSON.parse(job.usersBytes.toString()) as { email: string }[]).map((user) => user.email),
      );
      expect(sent).toEqual(['alan@example.com', 'katherine@example.com']);
      const first = routes(emulator);
      console.info(`a realistic reconcile run, requests per route: ${JSON.stringify(first)}`);

      const again = await merge(
        emulator,
        { 'users.json': file(BASE) },
        { 'users.json': file(HEAD) },
        { 'on-removed': 'block' },
      );
      expect(again.code).toBe(0);
      const second = routes(emulator);
      expect(second['update-user'] ?? 0).toBe(first['update-user'] ?? 0);
      expect(second['delete-user'] ?? 0).toBe(first['delete-user'] ?? 0);
      expect(again.outputs).toMatchObject({ reconciled: '0' });
      // Katherine, added again by the same plan, is now already there: checked, and already so.
      expect(again.summary).toContain('Reconcile: 0 done, 5 already so.');
      // Nothing was done to anyone: an already blocked user is not blocked again on every run.
      expect(again.summary).toContain('✅ Outcome: **no changes** · 5 unchanged');
    });
  });

  it('deletes removed users with on-removed: delete and allow-delete', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(database(emulator).id, BASE);
      const run = await merge(
        emulator,
        { 'users.json': file(BASE) },
        { 'users.json': file(HEAD) },
        {
          'on-removed': 'delete',
          'allow-delete': 'true',
        },
      );
      expect(run.code).toBe(0);
      const emails = emulator.state
        .users(database(emulator).id)
        .map((user) => user.email)
        .sort();
      expect(emails).toEqual(['alan@example.com', 'countess@example.com', 'katherine@example.com']);
      expect(run.outputs['removed-applied']).toBe('2');
    });
  });

  it('refuses on-removed: delete without allow-delete before anything else', async () => {
    await withTenant({}, async (emulator) => {
      const run = await merge(
        emulator,
        { 'users.json': file(BASE) },
        { 'users.json': file(HEAD) },
        { 'on-removed': 'delete' },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('on-removed: delete also needs allow-delete: true');
      expect(emulator.state.requests).toEqual([]);
    });
  });

  it('stops a run that would remove more than max-removals before any request that changes anything', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(database(emulator).id, BASE);
      const run = await merge(
        emulator,
        { 'users.json': file(BASE) },
        { 'users.json': file([ADA]) },
        {
          'on-removed': 'delete',
          'allow-delete': 'true',
          'max-removals': '2',
        },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        '3 users would be deleted (on-removed: delete), more than max-removals (2)',
      );
      expect(emulator.state.requests).toEqual([]);
      expect(emulator.state.users(database(emulator).id)).toHaveLength(4);
    });
  });

  it('names the missing scopes and fails before any job is created', async () => {
    await withTenant({ clients: [{ scopes: ['create:users', 'read:connections'] }] }, async (emulator) => {
      emulator.state.seedUsers(database(emulator).id, BASE);
      const run = await merge(
        emulator,
        { 'users.json': file(BASE) },
        { 'users.json': file(HEAD) },
        { 'on-removed': 'block' },
      );
      expect(run.code).toBe(1);
      expect(run.summary).toContain(
        'The Management API token lacks read:users (for reconcile, to find each user), update:users (for reconcile)',
      );
      expect(routes(emulator)['create-job']).toBeUndefined();
    });
  });

  it('reports a user it cannot find on its line and goes on with the others', async () => {
    await withTenant({}, async (emulator) => {
      // Alan was never imported and Auth0 refuses him now: the plan says he changes, the tenant lacks him.
      emulator.state.seedUsers(database(emulator).id, [ADA]);
      emulator.faults.refuseUsers((user) =>
        user.email === 'alan@example.com'
          ? { code: 'PROFILE_SIZE_EXCEEDED', message: 'Too large' }
          : undefined,
      );
      const run = await merge(
        emulator,
        { 'users.json': file([ADA, ALAN]) },
        {
          'users.json': file([
            { ...ADA, blocked: true },
            { ...ALAN, blocked: true },
          ]),
        },
        { upsert: 'true' },
      );
      expect(run.code).toBe(1);
      const users = new Map(emulator.state.users(database(emulator).id).map((user) => [user.email, user]));
      expect(users.get('ada@example.com')?.blocked).toBe(true);
      // Alan's own row of the folded Reconcile table, as a reader sees it.
      expect(shownText(run.summary)).toMatch(
        /<summary>Reconcile \(2\)<\/summary>[^]*^\| alan@example\.com \| users\.json:\d+ \| set blocked = true \| held-back \| not applied: the import of this user failed \(Auth0 rejected it \(PROFILE_SIZE_EXCEEDED\) in job job_\w+\) \|$/m,
      );
    });
  });

  it('sends none of its requests in a dry run, and shows what it would do', async () => {
    const { workspace, shas } = await gitRepository([
      { 'users.json': file(BASE) },
      { 'users.json': file(HEAD) },
    ]);
    const run = await runAction({
      workspace,
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[0] }) },
      inputs: {
        'users-file': 'users.json',
        'dry-run': 'true',
        upsert: 'true',
        reconcile: 'true',
        'on-removed': 'block',
      },
    });
    expect(run.code).toBe(0);
    expect(run.summary).toContain('✅ Plan: **1 added · 1 changed · 3 blocked**');
    expect(run.summary).toContain('blocked set to true (reconcile sets it after the import)');
  });
});

describe('headroom for the tenant', () => {
  it('waits only when x-ratelimit-remaining falls to a fifth of the bucket, until it is above it again', () => {
    const now = 1_000_000;
    expect(headroomWaitMs({ limit: 10, remaining: 5, reset: (now + 10_000) / 1000 }, now)).toBe(0);
    // 2 of 10 left, full in 8 s: one more token every second; 1 more is needed to be above the reserve of 2.
    expect(headroomWaitMs({ limit: 10, remaining: 2, reset: (now + 8_000) / 1000 }, now)).toBe(1_000);
    expect(headroomWaitMs(undefined, now)).toBe(0);
  });
});
