/**
 * The reports of a set of realistic runs, made by the built action (`node dist/index.js`) against the
 * Auth0 emulator, a real git repository and the GitHub REST stand-in: a pull request (two users
 * added, one changed and blocked, one removed, a file renamed, one bad hash), its merge, the same
 * merge run again, a refused file (an Auth0 export) and a timeout. `npm run preview` and the browser
 * test both render these.
 */
import { startEmulator, type Emulator } from '../emulator/index.js';
import { runAction, type ActionRun } from '../support/action.js';
import { eventFile, git, gitRepository, type CommitFiles } from '../support/git-repo.js';
import { startGitHubApi } from '../support/github-api.js';
import { databaseOf, tenantInputs } from '../support/tenant-inputs.js';

export interface ReportPage {
  /** A file name: `pr-comment`, `merge-summary`, … */
  name: string;
  /** What a person is looking at, for the page's heading. */
  title: string;
  markdown: string;
}

const PR = 24;
const TOKEN = 'ghs_report_preview_token';
const ALL_SCOPES = ['create:users', 'read:connections', 'read:users', 'update:users', 'delete:users'];

function file(users: unknown[]): string {
  return `${JSON.stringify(users, null, 2)}\n`;
}

const ADA = { email: 'ada@example.com', user_id: 'ada', name: 'Ada Lovelace', email_verified: true };
const ALAN = { email: 'alan@example.com', user_id: 'alan', name: 'Alan Turing', email_verified: true };
const GRACE = { email: 'grace@example.com', user_id: 'grace', name: 'Grace Hopper', email_verified: true };
const BARBARA = { email: 'barbara@example.com', user_id: 'bl', name: 'Barbara Liskov', email_verified: true };
const KATHERINE = {
  email: 'katherine+ops@example.com',
  user_id: 'kj',
  name: 'Katherine Johnson',
  email_verified: true,
};
const LINUS = { email: 'linus@example.com', user_id: 'lt', name: 'Linus', email_verified: true };
const BCRYPT = '$2b$10$C6UzMDM.H6dfI/f/IKxGhuZ6hRbZ8Vn8G6Ah2Ye1nB3vYbW9qUc2C';
const MARGARET = {
  email: 'margaret@example.com',
  user_id: 'mh',
  name: 'Margaret Hamilton',
  email_verified: true,
  custom_password_hash: { algorithm: 'bcrypt', hash: { value: BCRYPT } },
};
const MARGARET_BAD_HASH = {
  ...MARGARET,
  custom_password_hash: { algorithm: 'bcrypt', hash: { value: 'not-a-bcrypt-hash' } },
};

/** main before the pull request. */
const BASE: CommitFiles = {
  'users/staff.json': file([ADA, ALAN, GRACE]),
  'users/contractors.json': file([BARBARA]),
};
/** The pull request's head: Katherine and Linus added, Margaret added with a bad hash, Alan changed and blocked, Grace removed, contractors.json renamed. */
const HEAD: CommitFiles = {
  'users/staff.json': file([
    ADA,
    { ...ALAN, name: 'Alan M. Turing', blocked: true },
    KATHERINE,
    LINUS,
    MARGARET_BAD_HASH,
  ]),
  'users/contractors.json': null,
  'users/partners.json': file([BARBARA]),
};
/** The head once review fixed the hash: what is merged. */
const MERGED: CommitFiles = {
  ...HEAD,
  'users/staff.json': file([
    ADA,
    { ...ALAN, name: 'Alan M. Turing', blocked: true },
    KATHERINE,
    LINUS,
    MARGARET,
  ]),
};

const SETTINGS = { 'users-file': 'users/*.json', upsert: 'true', reconcile: 'true' };

async function withEmulator<T>(work: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ clients: [{ scopes: ALL_SCOPES }] });
  try {
    return await work(emulator);
  } finally {
    await emulator.close();
  }
}

function page(name: string, title: string, markdown: string): ReportPage {
  return { name, title, markdown };
}

function summaryOf(run: ActionRun, name: string, title: string): ReportPage {
  if (!run.summary.trim())
    throw new Error(`${name}: the run wrote no summary (exit ${run.code}): ${run.stdout}`);
  return page(name, title, run.summary);
}

/** Every report of the realistic runs, in the order a person meets them. */
export async function realisticReports(): Promise<ReportPage[]> {
  const pages: ReportPage[] = [];
  const github = await startGitHubApi({
    tokens: { [TOKEN]: { contents: 'read', deployments: 'write', pullRequests: 'write' } },
  });
  try {
    await withEmulator(async (emulator) => {
      emulator.state.seedUsers(databaseOf(emulator).id, [ADA, ALAN, GRACE, BARBARA]);
      const { workspace, shas } = await gitRepository([BASE, HEAD, MERGED]);
      // main before the pull request was applied by an earlier run: its deployment is the baseline.
      github.seedDeployment({
        sha: shas[0]!,
        environment: `auth0/${new URL(emulator.url).host}/${databaseOf(emulator).id}`,
        payload: { sha: shas[0]!, base: null, notApplied: [], unknown: [], notRemoved: [] },
        states: ['in_progress', 'success'],
      });
      // One workflow, the same inputs for the pull request and the merge (dry-run: auto).
      const inputs = { ...SETTINGS, ...tenantInputs(emulator), 'github-token': TOKEN };
      const check = async (head: string) => {
        git(workspace, 'checkout', '-q', head);
        return runAction({
          workspace,
          env: {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: await eventFile(workspace, {
              number: PR,
              pull_request: { number: PR, base: { sha: shas[0] } },
            }),
            GITHUB_API_URL: github.url,
            GITHUB_SHA: head,
          },
          inputs,
        });
      };

      const pr = await check(shas[1]!);
      const [comment] = github.comments(PR);
      if (!comment) throw new Error(`the pull request run left no comment: ${pr.stdout}`);
      pages.push(page('pr-comment', 'Plan comment on the pull request', comment.body));
      pages.push(summaryOf(pr, 'pr-summary', 'Job summary of the pull request run'));
      // Review fixed the hash; the check ran again and the comment now holds the plan that is merged.
      await check(shas[2]!);

      // The merge: a push of the merged commit, which the pull request brought.
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
      git(workspace, 'checkout', '-q', 'main');
      const push = {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_SHA: shas[2]!,
        GITHUB_API_URL: github.url,
        GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[0] }),
      };
      const merge = await runAction({ workspace, env: push, inputs });
      pages.push(summaryOf(merge, 'merge-summary', 'Job summary of the merge'));

      // The same push run again (a re-run): against what the merge applied, nothing is left to do.
      const again = await runAction({ workspace, env: push, inputs });
      pages.push(summaryOf(again, 'second-run-summary', 'Job summary of the same run again'));
    });

    await withEmulator(async (emulator) => {
      // An Auth0 export committed as it came: refused, with the filter that converts it.
      const exported = [ADA, KATHERINE].map((user) =>
        JSON.stringify({ ...user, user_id: `auth0|${user.user_id}` }),
      );
      const { workspace } = await gitRepository([{ 'users/export.ndjson': `${exported.join('\n')}\n` }]);
      const refused = await runAction({
        workspace,
        inputs: { 'users-file': 'users/export.ndjson', ...tenantInputs(emulator) },
      });
      pages.push(summaryOf(refused, 'refused-file-summary', 'Job summary of a refused file'));
    });

    await withEmulator(async (emulator) => {
      // Jobs that never finish within wait-timeout-seconds.
      emulator.faults.keepProcessing('all');
      const { workspace } = await gitRepository([{ 'users/staff.json': file([ADA, ALAN, GRACE]) }]);
      const timeout = await runAction({
        workspace,
        inputs: { 'users-file': 'users/*.json', ...tenantInputs(emulator), 'wait-timeout-seconds': '2' },
      });
      pages.push(summaryOf(timeout, 'timeout-summary', 'Job summary of a run that timed out'));
    });
  } finally {
    await github.close();
  }
  return pages;
}
