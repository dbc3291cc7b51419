/**
 * Reconcile and removals that cannot hurt the tenant: they follow each user's import, find users
 * exactly, and carry a rename's whole change. Each case is an operator's reproduction, driven through
 * `node dist/index.js` with a real git repository and push event, against the emulator.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { runAction, shownText, type ActionOptions } from '../support/action.js';
import { eventFile, git, gitRepository, type CommitFiles } from '../support/git-repo.js';
import { databaseOf, tenantInputs } from '../support/tenant-inputs.js';

const ALL_SCOPES = ['create:users', 'read:connections', 'read:users', 'update:users', 'delete:users'];

function file(users: unknown[]): string {
  return `${JSON.stringify(users, null, 2)}\n`;
}

const ADA = { email: 'ada@example.com', user_id: 'ada', name: 'Ada', email_verified: true };
const ALAN = { email: 'alan@example.com', user_id: 'alan', name: 'Alan', email_verified: true };
const GRACE = { email: 'grace@example.com', user_id: 'grace', name: 'Grace', email_verified: true };

async function withTenant(
  options: EmulatorOptions,
  work: (emulator: Emulator) => Promise<void>,
): Promise<void> {
  const emulator = await startEmulator({ clients: [{ scopes: ALL_SCOPES }], ...options });
  try {
    await work(emulator);
  } finally {
    await emulator.close();
  }
}

/** A push of the last of `commits` over the one before it (or over `before`), run against the emulator. */
async function push(
  emulator: Emulator,
  commits: readonly CommitFiles[],
  inputs: Record<string, string>,
  extra: Partial<ActionOptions> = {},
) {
  const { workspace, shas } = await gitRepository(commits);
  return runAction({
    workspace,
    env: {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[shas.length - 2] }),
    },
    inputs: {
      'users-file': 'users.json',
      ...tenantInputs(emulator),
      'only-changed': 'true',
      upsert: 'true',
      ...inputs,
    },
    ...extra,
  });
}

function stored(emulator: Emulator) {
  return new Map(emulator.state.users(databaseOf(emulator).id).map((user) => [user.email, user]));
}

function changing(emulator: Emulator): string[] {
  return emulator.state.requests
    .filter((request) => request.route === 'update-user' || request.route === 'delete-user')
    .map((request) => `${request.method} ${decodeURIComponent(request.path)}`);
}

/**
 * The rows of the summary's folded Reconcile table, each cell as a reader sees it: GFM splits a row at
 * each `|` with no backslash before it and drops that backslash before it reads the cell's Markdown.
 */
function reconcileRows(summary: string): string[][] {
  const section = /<details><summary>Reconcile \((\d+)\)<\/summary>\n\n([^]*?)\n\n<\/details>/.exec(summary);
  if (!section) return [];
  const [header, , ...rows] = section[2]!.split('\n');
  expect(header).toBe('| User | Where | Action | Outcome | Detail |');
  expect(rows, 'one row per reconcile action counted').toHaveLength(Number(section[1]));
  return rows.map((row) =>
    row
      .slice(2, -2)
      .split(' | ')
      .map((cell) =>
        shownText(cell.replace(/\\\|/g, '|'))
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      ),
  );
}

describe('destructive and corrective steps follow the import', () => {
  it('keeps the old account when the job that should create it under its new email failed', async () => {
    await withTenant({}, async (emulator) => {
      // No user_id: an email change is a removal and an add; the add's job fails.
      const old = { email: 'ada@example.com', name: 'Ada' };
      emulator.state.seedUsers(databaseOf(emulator).id, [old]);
      emulator.faults.failJob('next');
      const run = await push(
        emulator,
        [
          { 'users.json': file([old]) },
          { 'users.json': file([{ ...old, email: 'ada.lovelace@example.com' }]) },
        ],
        { 'on-removed': 'delete', 'allow-delete': 'true' },
      );
      expect(run.code).toBe(1);
      expect(stored(emulator).has('ada@example.com')).toBe(true);
      expect(changing(emulator)).toEqual([]);
      expect(reconcileRows(run.summary)).toEqual([
        [
          'ada@example.com',
          expect.stringMatching(/^users\.json at [0-9a-f]+$/),
          'delete (gone from the files)',
          'held-back',
          expect.stringMatching(
            /^not applied: the import of a user this run adds failed \(job job_\w+ failed\), and ada@example\.com may be the same person under a new email/,
          ),
        ],
      ]);
      expect(run.summary).toContain(
        '1 reconcile action held back: not applied because the import of the user did not succeed',
      );
      // The verdict counts her as held back, and her line says so: not deleted, not "not sent".
      expect(run.summary).toMatch(/^❌ Outcome: \*\*.*\b1 held back\b.*\*\*/m);
      expect(shownText(run.summary)).toMatch(/`ada@example.com`.*→ held back \(the import failed\)/);
      expect(run.outputs['removed-applied']).toBe('0');
    });
  });

  it('refuses wait: false with reconcile or on-removed before anything is sent, naming both inputs', async () => {
    await withTenant({}, async (emulator) => {
      for (const inputs of [{ reconcile: 'true' }, { 'on-removed': 'block' }] as Record<string, string>[]) {
        const run = await push(emulator, [{ 'users.json': file([ADA]) }, { 'users.json': file([]) }], {
          wait: 'false',
          ...inputs,
        });
        expect(run.code).toBe(1);
        const named = 'reconcile' in inputs ? 'reconcile: true' : 'on-removed: block';
        expect(run.stdout).toContain(`wait: false cannot go with ${named}`);
      }
      expect(emulator.state.requests).toEqual([]);
    });
  });

  it('does not unblock a user whose import Auth0 rejected', async () => {
    await withTenant({}, async (emulator) => {
      const blocked = { ...ALAN, blocked: true, app_metadata: { roles: ['reader'] } };
      emulator.state.seedUsers(databaseOf(emulator).id, [blocked]);
      emulator.faults.refuseUsers((user) =>
        user.email === 'alan@example.com'
          ? { code: 'PROFILE_SIZE_EXCEEDED', message: 'Too large' }
          : undefined,
      );
      const run = await push(
        emulator,
        [
          { 'users.json': file([blocked]) },
          { 'users.json': file([{ ...ALAN, app_metadata: { roles: ['admin'] } }]) },
        ],
        { reconcile: 'true' },
      );
      expect(run.code).toBe(1);
      expect(stored(emulator).get('alan@example.com')).toMatchObject({
        blocked: true,
        app_metadata: { roles: ['reader'] },
      });
      expect(changing(emulator)).toEqual([]);
      expect(reconcileRows(run.summary)).toEqual([
        [
          'alan@example.com',
          'users.json:2',
          'set blocked = false',
          'held-back',
          expect.stringMatching(
            /^not applied: the import of this user failed \(Auth0 rejected it \(PROFILE_SIZE_EXCEEDED\) in job job_\w+\)$/,
          ),
        ],
      ]);
      expect(run.errors.join('\n')).toContain('Reconcile held back update alan@example.com');
    });
  });
});

describe('exact lookups', () => {
  it('never deletes a linked account: the Google user that holds our identity is reported on the line', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(databaseOf(emulator).id, [ADA, GRACE]);
      emulator.state.linkUser('auth0|ada', {
        connection: 'google-oauth2',
        user_id: 'google-oauth2|1234',
        email: 'ada@example.com',
      });
      const run = await push(
        emulator,
        [{ 'users.json': file([ADA, GRACE]) }, { 'users.json': file([GRACE]) }],
        { 'on-removed': 'delete', 'allow-delete': 'true' },
      );
      expect(run.code).toBe(1);
      expect(emulator.state.user('google-oauth2|1234')).toBeDefined();
      expect(changing(emulator)).toEqual([]);
      expect(reconcileRows(run.summary)).toEqual([
        [
          'ada@example.com',
          expect.stringMatching(/^users\.json at [0-9a-f]+$/),
          'delete (gone from the files)',
          'failed',
          'not deleted: ada@example.com is linked into google-oauth2|1234 (primary identity in google-oauth2), ' +
            'and a change would reach that account; unlink it in the Auth0 dashboard ' +
            '(Users > google-oauth2|1234 > Accounts) and run again, or change it there by hand',
        ],
      ]);
    });
  });

  it('finds a user whose file email is in mixed case by the lower-cased email Auth0 keeps', async () => {
    await withTenant({}, async (emulator) => {
      const mixed = { email: 'Alan.Turing@Example.com', name: 'Alan' };
      emulator.state.seedUsers(databaseOf(emulator).id, [mixed]);
      expect(stored(emulator).has('alan.turing@example.com')).toBe(true);
      const run = await push(
        emulator,
        [{ 'users.json': file([mixed]) }, { 'users.json': file([{ ...mixed, blocked: true }]) }],
        { reconcile: 'true' },
      );
      expect(run.code).toBe(0);
      expect(stored(emulator).get('alan.turing@example.com')?.blocked).toBe(true);
      const lookups = emulator.state.requests.filter((request) => request.route === 'users-by-email');
      expect(lookups.map((request) => request.path)).toEqual([
        '/api/v2/users-by-email?email=alan.turing%40example.com',
      ]);
    });
  });

  it('blocks a removed user by its user_id though its email was changed in the dashboard', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(databaseOf(emulator).id, [ADA, GRACE]);
      emulator.state.editUser('auth0|grace', { email: 'grace.hopper@example.com' });
      const run = await push(
        emulator,
        [{ 'users.json': file([ADA, GRACE]) }, { 'users.json': file([ADA]) }],
        { 'on-removed': 'block' },
      );
      expect(run.code).toBe(0);
      expect(emulator.state.user('auth0|grace')?.blocked).toBe(true);
      expect(reconcileRows(run.summary)).toEqual([
        [
          'grace@example.com',
          expect.stringMatching(/^users\.json at [0-9a-f]+$/),
          'block (gone from the files)',
          'done',
          'blocked auth0|grace',
        ],
      ]);
      // Her line under Blocked says why: she is gone from the files.
      expect(shownText(run.summary)).toMatch(
        /`grace@example.com`: was in users.json at [0-9a-f]{7}; gone from the files \(on-removed: block\) → ✓ done/,
      );
    });
  });

  it('reports a removed user it cannot find as an error, never as already gone', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(databaseOf(emulator).id, [ADA]);
      const run = await push(
        emulator,
        [{ 'users.json': file([ADA, GRACE]) }, { 'users.json': file([ADA]) }],
        { 'on-removed': 'delete', 'allow-delete': 'true' },
      );
      expect(run.code).toBe(1);
      expect(reconcileRows(run.summary)).toEqual([
        [
          'grace@example.com',
          expect.stringMatching(/^users\.json at [0-9a-f]+$/),
          'delete (gone from the files)',
          'failed',
          expect.stringMatching(
            /^no user auth0\|grace nor with the email grace@example\.com in Username-Password-Authentication: not deleted\./,
          ),
        ],
      ]);
      expect(shownText(run.summary)).not.toContain('already gone');
    });
  });
});

describe('a rename carries the whole change', () => {
  it('renames ada and, in the same commit, blocks her, renames her and replaces her app_metadata; email_verified stays as the file says', async () => {
    await withTenant({}, async (emulator) => {
      const before = { ...ADA, app_metadata: { team: 'math', roles: ['reader'] } };
      emulator.state.seedUsers(databaseOf(emulator).id, [before, ALAN]);
      const after = {
        ...ADA,
        email: 'countess@example.com',
        blocked: true,
        name: 'Ada Lovelace',
        app_metadata: { roles: ['admin'] },
      };
      const commits = [{ 'users.json': file([before, ALAN]) }, { 'users.json': file([after, ALAN]) }];
      const run = await push(emulator, commits, { reconcile: 'true' });
      expect(run.code).toBe(0);
      const ada = emulator.state.user('auth0|ada');
      expect(ada).toMatchObject({
        email: 'countess@example.com',
        email_verified: true,
        blocked: true,
        name: 'Ada Lovelace',
        app_metadata: { roles: ['admin'] },
      });
      expect(ada?.app_metadata).not.toHaveProperty('team');

      // The next push of the same change finds everything so, and changes nothing.
      const updates = changing(emulator).length;
      const again = await push(emulator, commits, { reconcile: 'true' });
      expect(again.code).toBe(0);
      expect(changing(emulator)).toHaveLength(updates);
    });
  });
});

describe('coming back and already there', () => {
  it('unblocks a user blocked as removed once it is back in the files', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(databaseOf(emulator).id, [ADA, GRACE]);
      const { workspace, shas } = await gitRepository([
        { 'users.json': file([ADA, GRACE]) },
        { 'users.json': file([ADA]) },
        { 'users.json': file([ADA, GRACE]) },
      ]);
      const runPush = async (before: string) =>
        runAction({
          workspace,
          env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: await eventFile(workspace, { before }) },
          inputs: {
            'users-file': 'users.json',
            ...tenantInputs(emulator),
            'only-changed': 'true',
            upsert: 'true',
            'on-removed': 'block',
          },
        });
      git(workspace, 'checkout', '-q', shas[1]!);
      const removed = await runPush(shas[0]!);
      expect(removed.code).toBe(0);
      expect(emulator.state.user('auth0|grace')?.blocked).toBe(true);

      git(workspace, 'checkout', '-q', 'main');
      const restored = await runPush(shas[1]!);
      expect(restored.code).toBe(0);
      expect(emulator.state.user('auth0|grace')?.blocked).toBe(false);
      expect(restored.summary).toMatch(
        /\| grace@example\.com \| users\.json:\d+ \| set blocked = false \(added, but it was already there\) \| done \|/,
      );
    });
  });

  it('gives an added user the job found already there what import does not set (blocked, username)', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(databaseOf(emulator).id, [GRACE]);
      const run = await push(
        emulator,
        [
          { 'users.json': file([ADA]) },
          { 'users.json': file([ADA, { ...GRACE, blocked: true, username: 'grace' }, ALAN]) },
        ],
        { reconcile: 'true' },
      );
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ inserted: '1', updated: '1' });
      expect(emulator.state.user('auth0|grace')).toMatchObject({ blocked: true, username: 'grace' });
      // Only the user who was there is reconciled: Alan, whom the same job created, needs nothing.
      expect(changing(emulator)).toEqual(['PATCH /api/v2/users/auth0|grace']);
      expect(reconcileRows(run.summary)).toEqual([
        [
          'grace@example.com',
          expect.stringMatching(/^users\.json:\d+$/),
          "set blocked = true, username = the file's value (added, but it was already there)",
          'done',
          'set blocked, username on auth0|grace',
        ],
      ]);
    });
  });
});

describe('users API faults half-way', () => {
  it('reconciles every user when Auth0 answers 500 to an update it had already made', async () => {
    await withTenant({}, async (emulator) => {
      emulator.state.seedUsers(databaseOf(emulator).id, [ADA, ALAN, GRACE]);
      emulator.faults.failRequest('update-user', 2, 'error-after');
      const run = await push(
        emulator,
        [{ 'users.json': file([ADA, ALAN, GRACE]) }, { 'users.json': file([ADA]) }],
        { 'on-removed': 'block' },
      );
      expect(run.code).toBe(0);
      expect(emulator.state.user('auth0|alan')?.blocked).toBe(true);
      expect(emulator.state.user('auth0|grace')?.blocked).toBe(true);
      expect(run.outputs['removed-applied']).toBe('2');
    });
  });
});
