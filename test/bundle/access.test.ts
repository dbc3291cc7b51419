/**
 * Access as code through `node dist/index.js` against the emulator: the pull request's plan, the merge
 * applying exactly it, a second run sending nothing, what is not managed left alone, the guards, scopes
 * checked before any job, and a failed import holding back that user's access.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAccessFile } from '../../src/access/file.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { makeWorkspace, runAction } from '../support/action.js';
import { eventFile, git, gitRepository } from '../support/git-repo.js';
import { startGitHubApi } from '../support/github-api.js';
import { databaseOf, tenantInputs } from '../support/tenant-inputs.js';
import { ACCESS_SCOPES } from '../support/access-scopes.js';

const PR = 12;
const GITHUB_TOKEN = 'ghs_access_test_token';
const USERS_SCOPES = ['create:users', 'read:connections', 'read:users'];

const ADA = { email: 'ada@example.com', user_id: 'ada', email_verified: true };
const ALAN = { email: 'alan@example.com', user_id: 'alan', email_verified: true };
const GRACE = { email: 'grace@example.com', user_id: 'grace', email_verified: true };
/** In the tenant, not in the users files: unmanaged. */
const ZED = { email: 'zed@example.com', user_id: 'zed' };
const SAM = 'google-oauth2|777';

const ACCESS_YAML = `# yaml-language-server: $schema=../docs/access-file.schema.json
roles:
  admin:
    - ada@example.com
    - ${SAM}
  viewer: [ada@example.com, grace@example.com]
organizations:
  acme:
    members:
      - ada@example.com
      - user: grace@example.com
        roles: [billing]
`;

const WRITES = new Set([
  'assign-role-users',
  'assign-user-roles',
  'remove-user-roles',
  'add-organization-members',
  'remove-organization-members',
  'assign-member-roles',
  'remove-member-roles',
]);

/**
 * Admin: Alan (managed, left out of the file: revoked) and Zed (unmanaged: stays). Viewer: Ada. Auditor
 * (not in the file): Ada, kept. Acme: Alan with billing (leaves), Zed who joined through the login (stays).
 */
async function tenant(scopes = [...USERS_SCOPES, ...ACCESS_SCOPES]): Promise<Emulator> {
  const emulator = await startEmulator({ clients: [{ scopes }] });
  emulator.state.seedUsers(databaseOf(emulator).id, [ADA, ALAN, GRACE, ZED]);
  emulator.state.seedOtherUser({ user_id: SAM, email: 'sam@example.com' });
  for (const role of ['admin', 'viewer', 'auditor', 'billing']) emulator.state.seedRole(role);
  emulator.state.seedOrganization('acme');
  emulator.state.grantRole('admin', ['auth0|alan', 'auth0|zed']);
  emulator.state.grantRole('viewer', ['auth0|ada']);
  emulator.state.grantRole('auditor', ['auth0|ada']);
  emulator.state.addMember('acme', 'auth0|alan', { roles: ['billing'] });
  emulator.state.addMember('acme', 'auth0|zed', { via: 'login' });
  return emulator;
}

async function run(emulator: Emulator, inputs: Record<string, string> = {}, users = [ADA, ALAN, GRACE]) {
  const workspace = await makeWorkspace({
    'users/users.json': JSON.stringify(users, null, 2),
    'users/access.yml': ACCESS_YAML,
  });
  return runAction({
    workspace,
    inputs: {
      'users-file': 'users/users.json',
      'access-file': 'users/access.yml',
      upsert: 'true',
      ...tenantInputs(emulator),
      ...inputs,
    },
  });
}

function writes(emulator: Emulator): string[] {
  return emulator.state.requests
    .filter((request) => WRITES.has(request.route))
    .map((request) => `${request.method} ${request.route}`);
}

async function withTenant(work: (emulator: Emulator) => Promise<void>, scopes?: string[]): Promise<void> {
  const emulator = await tenant(scopes);
  try {
    await work(emulator);
  } finally {
    await emulator.close();
  }
}

describe('access as code', () => {
  it("plans a pull request's grants and revocations, revocations first, in the summary and the comment, and sends nothing", async () => {
    const github = await startGitHubApi({ tokens: { [GITHUB_TOKEN]: 'write' } });
    try {
      await withTenant(async (emulator) => {
        const users = JSON.stringify([ADA, ALAN, GRACE], null, 2);
        const { workspace, shas } = await gitRepository([
          { 'users/users.json': users },
          { 'users/access.yml': ACCESS_YAML },
        ]);
        const plan = await runAction({
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
            'users-file': 'users/users.json',
            'access-file': 'users/access.yml',
            'dry-run': 'true',
            'github-token': GITHUB_TOKEN,
            ...tenantInputs(emulator),
          },
        });
        expect(plan.code, plan.stdout).toBe(0);
        const rows = [
          '| alan@example.com | role admin; organization acme | — |',
          '| ada@example.com | — | role admin; organization acme |',
          // A `|` in a cell: escaped for the text, then once more for the table (GFM removes one first).
          `| google-oauth2\\\\|777 | — | role admin |`,
          '| grace@example.com | — | role viewer; organization acme; acme role billing |',
        ];
        const [comment] = github.comments(PR);
        for (const text of [plan.summary, comment?.body ?? '']) {
          expect(text).toContain('Access (users/access.yml): will revoke 2, will grant 6.');
          expect(text.split('\n').filter((line) => /^\| (ada|alan|grace|google)/.test(line))).toEqual(rows);
        }
        expect(writes(emulator)).toEqual([]);
        expect(emulator.state.jobs).toHaveLength(0);
      });
    } finally {
      await github.close();
    }
  });

  it('applies exactly the plan on merge, in bulk, leaving unmanaged roles, people and login members alone; a second run sends nothing', async () => {
    await withTenant(async (emulator) => {
      const merged = await run(emulator);
      expect(merged.code, merged.stdout).toBe(0);
      expect(merged.outputs).toMatchObject({ 'access-granted': '6', 'access-revoked': '2' });
      expect(merged.summary).toContain('Access (users/access.yml): 2 revoked, 6 granted.');
      expect(merged.summary).toContain('| alan@example.com | role admin ✓; organization acme ✓ | — |');
      expect(emulator.state.roleHolders('admin')).toEqual([SAM, 'auth0|ada', 'auth0|zed'].sort());
      expect(emulator.state.roleHolders('viewer')).toEqual(['auth0|ada', 'auth0|grace']);
      expect(emulator.state.roleHolders('auditor')).toEqual(['auth0|ada']);
      expect(emulator.state.organizationMembers('acme')).toEqual([
        { user_id: 'auth0|ada', via: 'api', roles: [] },
        { user_id: 'auth0|grace', via: 'api', roles: ['billing'] },
        { user_id: 'auth0|zed', via: 'login', roles: [] },
      ]);
      // One request per role granted, per organization joined or left (up to 10 members), per user revoked.
      expect(writes(emulator).sort()).toEqual(
        [
          'DELETE remove-user-roles',
          'DELETE remove-organization-members',
          'POST assign-role-users',
          'POST assign-role-users',
          'POST add-organization-members',
          'POST assign-member-roles',
        ].sort(),
      );
      const [firstWrite] = emulator.state.requests.filter((request) => WRITES.has(request.route));
      expect(firstWrite?.method).toBe('DELETE');

      const before = writes(emulator).length;
      const again = await run(emulator);
      expect(again.code).toBe(0);
      expect(writes(emulator)).toHaveLength(before);
      expect(again.outputs).toMatchObject({ 'access-granted': '0', 'access-revoked': '0' });
    });
  });

  it('refuses a merge whose access plan changed after review, before any change to the tenant', async () => {
    await withTenant(async (emulator) => {
      const github = await startGitHubApi({
        tokens: { [GITHUB_TOKEN]: { contents: 'read', deployments: 'write', pullRequests: 'write' } },
      });
      try {
        const users = JSON.stringify([ADA, ALAN, GRACE], null, 2);
        const { workspace, shas } = await gitRepository([
          { 'users/users.json': users },
          // The pull request: the access file as reviewed.
          { 'users/users.json': users, 'users/access.yml': ACCESS_YAML },
          // What is merged: Grace is an admin too, which nobody reviewed.
          {
            'users/users.json': users,
            'users/access.yml': ACCESS_YAML.replace(
              '    - ada@example.com\n',
              '    - ada@example.com\n    - grace@example.com\n',
            ),
          },
        ]);
        const inputs = {
          'users-file': 'users/users.json',
          'access-file': 'users/access.yml',
          upsert: 'true',
          'github-token': GITHUB_TOKEN,
          ...tenantInputs(emulator),
        };
        git(workspace, 'checkout', '-q', shas[1]!);
        const review = await runAction({
          workspace,
          env: {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: await eventFile(workspace, {
              number: PR,
              pull_request: { number: PR, base: { sha: shas[0] } },
            }),
            GITHUB_SHA: shas[1]!,
            GITHUB_API_URL: github.url,
          },
          inputs,
        });
        expect(review.code, review.stdout).toBe(0);
        github.seedCommit(shas[2]!, [
          {
            number: PR,
            state: 'closed',
            merged_at: '2026-01-02T00:00:00Z',
            merge_commit_sha: shas[2]!,
            head: 'feature',
            base: 'main',
          },
        ]);
        git(workspace, 'checkout', '-q', shas[2]!);
        const merge = await runAction({
          workspace,
          env: {
            GITHUB_EVENT_NAME: 'push',
            GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[0] }),
            GITHUB_SHA: shas[2]!,
            GITHUB_API_URL: github.url,
          },
          inputs,
        });
        expect(merge.code).toBe(1);
        expect(merge.errors[0]).toBe(
          `::error::❌ Nothing was sent: the plan changed since it was reviewed in pull request #${PR}.`,
        );
        expect(merge.summary).not.toContain('✅');
        expect(merge.summary).toContain(
          '- grace@example.com: access with other values than reviewed (grant-role)',
        );
        expect(writes(emulator)).toEqual([]);
        expect(emulator.state.jobs).toEqual([]);
      } finally {
        await github.close();
      }
    });
  });

  it('refuses more revocations than max-revocations before any request', async () => {
    await withTenant(async (emulator) => {
      const refused = await run(emulator, { 'max-revocations': '1' });
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toMatch(
        /::error file=users\/access.yml,line=1.*would revoke 2 .*max-revocations/,
      );
      expect(writes(emulator)).toEqual([]);
      expect(emulator.state.jobs).toHaveLength(0);
    });
  });

  it('never takes a role or an organization from protected-users', async () => {
    await withTenant(async (emulator) => {
      const kept = await run(emulator, { 'protected-users': 'nobody@example.com\nalan@*' });
      expect(kept.code).toBe(0);
      expect(kept.outputs['access-revoked']).toBe('0');
      expect(emulator.state.roleHolders('admin')).toContain('auth0|alan');
      expect(emulator.state.organizationMembers('acme').map((member) => member.user_id)).toContain(
        'auth0|alan',
      );
      expect(kept.summary).toContain('Kept (protected-users)');
    });
  });

  async function refusedFor(emulator: Emulator, access: string): Promise<string> {
    const workspace = await makeWorkspace({ 'users.json': JSON.stringify([ADA]), 'access.yml': access });
    const refused = await runAction({
      workspace,
      inputs: { 'users-file': 'users.json', 'access-file': 'access.yml', ...tenantInputs(emulator) },
    });
    expect(refused.code).not.toBe(0);
    expect(writes(emulator)).toEqual([]);
    expect(emulator.state.jobs).toHaveLength(0);
    return refused.errors.join('\n');
  }

  it('annotates a person named twice at file:line:col, in any case, and sends nothing', async () => {
    await withTenant(async (emulator) => {
      const errors = await refusedFor(emulator, 'roles:\n  admin: [ada@example.com, ADA@example.com]\n');
      expect(errors).toContain(
        '::error file=access.yml,line=2,col=28::roles.admin: ADA@example.com is named twice',
      );
    });
  });

  it('annotates an unknown role, an unknown organization and people not found (by email or user_id) at file:line:col', async () => {
    await withTenant(async (emulator) => {
      const errors = await refusedFor(
        emulator,
        'roles:\n  admin: [nobody@example.com]\n  nosuch: []\n  viewer: [google-oauth2|404]\norganizations:\n  globex:\n    members: []\n',
      );
      expect(errors).toMatch(/file=access.yml,line=2,col=11::.*person not found: nobody@example.com/);
      expect(errors).toMatch(
        /file=access.yml,line=3,col=3::.*unknown role: the tenant has no role named "nosuch"/,
      );
      expect(errors).toMatch(
        /file=access.yml,line=4,col=12::person not found: the tenant has no user google-oauth2\|404/,
      );
      expect(errors).toMatch(/file=access.yml,line=6,col=3::.*unknown organization/);
    });
  });

  it('refuses a token without an access scope before any job, naming the input that needs it', async () => {
    await withTenant(
      async (emulator) => {
        const refused = await run(emulator);
        expect(refused.code).not.toBe(0);
        expect(refused.stdout).toContain(
          'delete:role_members (for access-file (users/access.yml), to revoke roles)',
        );
        expect(emulator.state.jobs).toHaveLength(0);
        expect(emulator.state.requests.filter((request) => request.route !== 'token')).toEqual([]);
      },
      [...USERS_SCOPES, ...ACCESS_SCOPES.filter((scope) => scope !== 'delete:role_members')],
    );
  });

  it("holds back the access changes of a user whose import failed, and applies the others'", async () => {
    await withTenant(async (emulator) => {
      // Grace is new to the tenant and the import rejects her.
      emulator.state.deleteUser('auth0|grace');
      emulator.faults.refuseUsers((user) =>
        user['email'] === GRACE.email
          ? { code: 'PROFILE_SIZE_EXCEEDED', message: 'Payload too large' }
          : undefined,
      );
      const held = await run(emulator, { 'fail-on-user-errors': 'false' });
      expect(held.summary).toMatch(
        /grace@example\.com \| — \| role viewer held back \(import rejected the user\)/,
      );
      expect(emulator.state.roleHolders('viewer')).not.toContain('auth0|grace');
      expect(emulator.state.roleHolders('admin')).toContain('auth0|ada');
    });
  });

  it('adopts what the tenant has into a new access file on workflow_dispatch, which then plans nothing', async () => {
    await withTenant(async (emulator) => {
      emulator.state.seedOrganization('unheld');
      const workspace = await makeWorkspace({ 'users/users.json': JSON.stringify([ADA, ALAN, GRACE]) });
      const inputs = {
        'users-file': 'users/users.json',
        'access-file': 'users/access.yml',
        upsert: 'true',
        ...tenantInputs(emulator),
      };
      const adopted = await runAction({ workspace, inputs: { ...inputs, 'write-access-file': 'true' } });
      expect(adopted.code, adopted.stdout).toBe(0);
      expect(adopted.outputs['access-file-written']).toBe('users/access.yml');
      expect(emulator.state.jobs).toHaveLength(0);
      const text = await readFile(path.join(workspace, 'users/access.yml'), 'utf8');
      const { access, problems } = parseAccessFile(text, 'users/access.yml');
      expect(problems).toEqual([]);
      // Zed is not in the users files: not adopted. The organization no managed person is in is left out.
      expect(access?.roles.map((role) => [role.name, role.holders.map((holder) => holder.value)])).toEqual([
        ['admin', ['alan@example.com']],
        ['auditor', ['ada@example.com']],
        ['viewer', ['ada@example.com']],
      ]);
      expect(access?.organizations.map((organization) => organization.name)).toEqual(['acme']);
      expect(access?.organizations[0]?.members[0]?.roles?.map((role) => role.name)).toEqual(['billing']);

      const again = await runAction({ workspace, inputs: { ...inputs, 'dry-run': 'true' } });
      expect(again.code).toBe(0);
      expect(again.summary).toContain('will revoke 0, will grant 0');
    });
  });
});
