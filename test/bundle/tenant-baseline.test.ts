/**
 * baseline: tenant — the plan against what Auth0 actually holds, read through a users export, so an
 * interrupted import resumes and a first import into a populated tenant sends only what is missing.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { makeWorkspace, runAction, shownText, type ActionOptions } from '../support/action.js';
import { tenantInputs } from '../support/tenant-inputs.js';

const SCOPES = ['create:users', 'read:connections', 'read:users'];

function users(
  count: number,
): { email: string; user_id: string; name: string; user_metadata: { n: number } }[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `user${i}@example.com`,
    user_id: `u${i}`,
    name: `User ${i}`,
    user_metadata: { n: i },
  }));
}

function text(list: unknown[]): string {
  return `[\n${list.map((user) => `  ${JSON.stringify(user)}`).join(',\n')}\n]\n`;
}

function database(emulator: Emulator) {
  return emulator.connections.find((connection) => connection.strategy === 'auth0')!;
}

async function runAgainst(
  emulator: Emulator,
  workspace: string,
  inputs: Record<string, string> = {},
  extra: Partial<ActionOptions> = {},
) {
  return runAction({
    workspace,
    inputs: {
      'users-file': 'users.json',
      ...tenantInputs(emulator),
      baseline: 'tenant',
      'max-chunk-bytes': '2500',
      ...inputs,
    },
    ...extra,
  });
}

function sentEmails(emulator: Emulator, fromJob = 0): string[] {
  return emulator.state.jobs
    .slice(fromJob)
    .flatMap((job) =>
      (JSON.parse(job.usersBytes.toString()) as { email: string }[]).map((user) => user.email),
    );
}

async function withTenant(work: (emulator: Emulator) => Promise<void>) {
  const emulator = await startEmulator({
    clients: [{ scopes: SCOPES }],
    jobTiming: { pendingMs: 50, processingMs: 300 },
  });
  try {
    await work(emulator);
  } finally {
    await emulator.close();
  }
}

describe('baseline: tenant', () => {
  it('sends only the other half on a first import into a tenant that holds half the users', async () => {
    await withTenant(async (emulator) => {
      const all = users(40);
      emulator.state.seedUsers(database(emulator).id, all.slice(0, 20));
      const run = await runAgainst(emulator, await makeWorkspace({ 'users.json': text(all) }));
      expect(run.code).toBe(0);
      expect(sentEmails(emulator).sort()).toEqual(
        all
          .slice(20)
          .map((user) => user.email)
          .sort(),
      );
      expect(run.outputs).toMatchObject({ added: '20', skipped: '20', modified: '0' });
      expect(shownText(run.summary)).toMatch(
        /Compared with the tenant \(connection con_\w+, export job_\w+, 20 users\)/,
      );
      expect(run.summary).toContain('✅ Outcome: **20 added** · 20 unchanged');
      expect(emulator.state.users(database(emulator).id)).toHaveLength(40);
    });
  });

  it('resumes an import cancelled after some chunks completed, ending with the tenant equal to the file', async () => {
    await withTenant(async (emulator) => {
      const all = users(60);
      const workspace = await makeWorkspace({ 'users.json': text(all) });
      const first = await runAgainst(
        emulator,
        workspace,
        { 'max-concurrent-jobs': '1' },
        { onOutput: { text: '(chunk 1): completed', then: (child) => child.kill('SIGTERM') } },
      );
      expect(first.code).toBe(1);
      // Advice to run again only when none of its jobs is still running (a re-run would send them again).
      expect(first.summary).toMatch(
        first.summary.includes('still running in Auth0')
          ? /Do not run again yet: 1 job of this run is still importing/
          : /Run again to continue: \d+ users not yet imported; baseline: tenant sends only what/,
      );
      // Jobs the first run created go on in Auth0 and land; the chunks it never sent are what is missing.
      const firstSent = new Set(sentEmails(emulator));
      expect(firstSent.size).toBeGreaterThan(0);
      expect(firstSent.size).toBeLessThan(60);

      const jobsBefore = emulator.state.jobs.length;
      const second = await runAgainst(emulator, workspace);
      expect(second.code).toBe(0);
      const resent = sentEmails(emulator, jobsBefore);
      expect(resent.filter((email) => firstSent.has(email))).toEqual([]);
      expect(resent.length + firstSent.size).toBe(60);
      expect(second.outputs).toMatchObject({ added: String(resent.length), skipped: String(firstSent.size) });
      const stored = emulator.state
        .users(database(emulator).id)
        .map((user) => user.email)
        .sort();
      expect(stored).toEqual(all.map((user) => user.email).sort());
    });
  });

  it('plans a metadata change made in the dashboard as an update, and sends it back with upsert', async () => {
    await withTenant(async (emulator) => {
      const all = users(3);
      emulator.state.seedUsers(database(emulator).id, all);
      emulator.state.editUser('auth0|u1', { user_metadata: { n: 999 } });
      const workspace = await makeWorkspace({ 'users.json': text(all) });
      const plan = await runAgainst(emulator, workspace, {
        'dry-run': 'true',
        'client-secret': emulator.clientSecret,
      });
      expect(plan.code).toBe(0);
      expect(plan.outputs).toMatchObject({ modified: '1', skipped: '2' });
      expect(plan.summary).toContain('- `user1@example.com` users.json:3: user\\_metadata changed');
      expect(emulator.state.jobs).toHaveLength(0);

      const run = await runAgainst(emulator, workspace, { upsert: 'true' });
      expect(run.code).toBe(0);
      expect(sentEmails(emulator)).toEqual(['user1@example.com']);
      const stored = emulator.state
        .users(database(emulator).id)
        .find((user) => user.email === 'user1@example.com');
      expect(stored?.user_metadata).toEqual({ n: 1 });
    });
  });

  it('cannot tell a password hash apart, so an existing user with a hash is not sent again', async () => {
    await withTenant(async (emulator) => {
      const hashed = { email: 'ada@example.com', password_hash: `$2b$10$${'A'.repeat(53)}` };
      emulator.state.seedUsers(database(emulator).id, [hashed]);
      const run = await runAgainst(emulator, await makeWorkspace({ 'users.json': text([hashed]) }), {
        'dry-run': 'true',
      });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ skipped: '1', modified: '0' });
    });
  });

  it('needs read:users, and says so before anything is sent', async () => {
    const emulator = await startEmulator({ clients: [{ scopes: ['create:users', 'read:connections'] }] });
    try {
      const run = await runAgainst(emulator, await makeWorkspace({ 'users.json': text(users(2)) }));
      expect(run.code).toBe(1);
      expect(run.summary).toContain('lacks read:users (for baseline: tenant, to export the users)');
      expect(emulator.state.jobs).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
