/**
 * What must hold after any import, however it went: nothing lost, nothing duplicated, nothing
 * leaked, and a report that tells the truth. One check for every fault and cancellation test, so
 * each test only says how it disturbed the run.
 */
import { shownText } from './action.js';
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { ScheduleResult } from '../../src/auth0/schedule.js';
import { validateRun } from '../../src/users/validate.js';
import type { Emulator } from '../emulator/index.js';
import type { ActionRun } from './action.js';
import { expectNoSecrets, maskedValues, sensitiveUserValues } from './secrets.js';

const DATABASE = 'Username-Password-Authentication';

/** One chunk as the client reports it. */
export interface ChunkClaim {
  /** Its label: "3", or "3.1" for half of a chunk split after a 413. */
  chunk: string;
  status: string;
  jobId?: string;
  /** Lower-cased emails of the chunk's users. */
  emails: string[];
  inserted?: number;
  updated?: number;
  failed?: number;
}

/** What the client says became of an import. */
export interface ImportClaim {
  chunks: ChunkClaim[];
  /** Lower-cased emails of the users it reports rejected. */
  failedEmails: Set<string>;
  /** The external_id the client gives a chunk's job. */
  externalIdOf: (chunk: string) => string;
}

export interface TenantOptions {
  /**
   * The emulators that played the tenant, oldest first (several when it was restarted); their stores
   * and jobs together are the tenant.
   */
  tenants: readonly Emulator[];
  /** With upsert a chunk may be sent twice; without, never. */
  upsert?: boolean;
}

/** What the tenant's own state says happened, for the verdict checks. */
export interface TenantTruth {
  /** Every user of the file is in the tenant exactly once. */
  everythingImported: boolean;
  /** Every chunk completed, as far as the client knows, and no user was rejected. */
  reportedClean: boolean;
}

/**
 * Holds the client's claim against the tenant: every user is in the store at most once; a user who
 * is not there is reported rejected or belongs to a chunk not reported completed; a chunk reported
 * `not-submitted` or `failed` wrote nothing; a job the client does not name belongs to a chunk it
 * reports `unknown`; a job it names is as it says; without upsert, no chunk became two jobs.
 */
export function expectTenantAgrees(claim: ImportClaim, options: TenantOptions): TenantTruth {
  const { tenants } = options;
  const last = tenants.at(-1);
  const stored = new Map<string, number>();
  for (const tenant of tenants) {
    for (const user of tenant.state.users(DATABASE)) {
      const email = user.email.toLowerCase();
      stored.set(email, (stored.get(email) ?? 0) + 1);
    }
  }
  const jobs = tenants.flatMap((tenant) => tenant.state.jobs.map((job) => ({ job, tenant })));

  for (const [email, count] of stored) expect(count, `${email} is stored ${count} times`).toBe(1);

  let everythingImported = true;
  for (const chunk of claim.chunks) {
    for (const email of chunk.emails) {
      const inStore = stored.get(email) ?? 0;
      if (inStore === 0) everythingImported = false;
      if (chunk.status === 'not-sent' || chunk.status === 'refused' || chunk.status === 'failed') {
        expect(inStore, `${email} of chunk ${chunk.chunk} (${chunk.status}) is in the tenant`).toBe(0);
      }
      if (inStore === 0 && chunk.status === 'completed') {
        expect(
          claim.failedEmails.has(email),
          `${email} of completed chunk ${chunk.chunk} is neither stored nor reported failed`,
        ).toBe(true);
      }
      if (inStore === 1) {
        expect(claim.failedEmails.has(email), `${email} is stored yet reported failed`).toBe(false);
      }
    }

    const sent = jobs.filter(({ job }) => job.externalId === claim.externalIdOf(chunk.chunk));
    if (!options.upsert) {
      expect(sent.length, `chunk ${chunk.chunk} was submitted as ${sent.length} jobs`).toBeLessThanOrEqual(1);
    }
    if (chunk.status === 'not-sent' || chunk.status === 'refused') {
      expect(sent, `chunk ${chunk.chunk} is reported ${chunk.status} but has a job`).toEqual([]);
    }
    const lost = sent.filter(({ job }) => job.id !== chunk.jobId);
    if (lost.length > 0 && !options.upsert) {
      expect(chunk.status, `chunk ${chunk.chunk} has a job the client did not report`).toBe('unknown');
    }
    if (!chunk.jobId) continue;
    const named = jobs.find(({ job }) => job.id === chunk.jobId);
    expect(named, `chunk ${chunk.chunk}: job ${chunk.jobId} does not exist in the tenant`).toBeDefined();
    const { job, tenant } = named!;
    if (chunk.status === 'completed' || chunk.status === 'failed') {
      expect(job.status, `job ${job.id}`).toBe(chunk.status);
      expect(job.expired, `job ${job.id} is reported ${chunk.status} but is gone`).toBe(false);
    }
    if (chunk.status === 'completed') {
      expect(
        { inserted: chunk.inserted, updated: chunk.updated, failed: chunk.failed },
        `counts of job ${job.id}`,
      ).toEqual({
        inserted: job.summary?.inserted,
        updated: job.summary?.updated,
        failed: job.summary?.failed,
      });
    }
    if (chunk.status === 'expired') {
      expect(job.expired || tenant !== last, `job ${job.id} is reported expired but still exists`).toBe(true);
    }
  }

  const reportedClean =
    claim.chunks.every((chunk) => chunk.status === 'completed') && claim.failedEmails.size === 0;
  if (reportedClean) expect(everythingImported, 'a clean report, yet users are missing').toBe(true);
  return { everythingImported, reportedClean };
}

/** The claim of an in-process `scheduleJobs` run. */
export function scheduleClaim(result: ScheduleResult): ImportClaim {
  const failedEmails = new Set<string>();
  for (const chunk of result.results) {
    for (const user of chunk.failedUsers) if (user.email) failedEmails.add(user.email.toLowerCase());
  }
  return {
    chunks: result.results.map((chunk) => ({
      chunk: chunk.chunk.label,
      status: chunk.status,
      ...(chunk.jobId ? { jobId: chunk.jobId } : {}),
      emails: chunk.chunk.users.map((user) => (user.email ?? '').toLowerCase()),
      ...(chunk.summary ?? {}),
    })),
    failedEmails,
    externalIdOf: (label) =>
      result.results.find((chunk) => chunk.chunk.label === label)?.chunk.externalId ?? '',
  };
}

/** The rows of the summary's jobs table, each cell as a reader sees it (escapes and code fences gone). */
export function summaryJobRows(summary: string): string[][] {
  const start = summary.indexOf('| Job | Chunk |');
  if (start === -1) return [];
  const lines = summary.slice(start).split('\n');
  const rows: string[][] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => shownText(cell.trim()).replace(/^`(.*)`$/, '$1')),
    );
  }
  return rows;
}

/** The summary's words for the client's own statuses. */
const STATUS_OF_CELL: Record<string, string> = {
  'not sent': 'not-sent',
  'unknown (answer lost)': 'unknown',
  'refused on create': 'refused',
};

/** What a bundle run reports, read back from its summary and its failed-users file. */
async function actionClaim(run: ActionRun, file: string, usersText: string): Promise<ImportClaim> {
  const users = [...validateRun([{ file, text: usersText }]).users];
  const chunks = summaryJobRows(run.summary).map((cells): ChunkClaim => {
    const [job = '', source = '', count = '', status = '', result = ''] = cells;
    const [inserted = '', updated = '', failed = ''] = result ? result.split(' / ') : [];
    const match = /^([\d.]+): (.+):(\d+)-(\d+)$/.exec(source);
    if (!match) throw new Error(`Unexpected chunk cell "${source}"`);
    const [, chunk, sourceFile, first, last] = match;
    const emails = users
      .filter((user) => user.file === sourceFile && user.line >= Number(first) && user.line <= Number(last))
      .map((user) => (user.email ?? '').toLowerCase());
    expect(emails.length, `users of chunk ${chunk}`).toBe(Number(count));
    const number = (cell: string) => (cell === '' ? undefined : Number(cell));
    return {
      chunk: chunk!,
      status: STATUS_OF_CELL[status.replace(/ \(\d+%\)$/, '')] ?? status.replace(/ \(\d+%\)$/, ''),
      ...(job === '—' ? {} : { jobId: job }),
      emails,
      ...(number(inserted) === undefined ? {} : { inserted: number(inserted) }),
      ...(number(updated) === undefined ? {} : { updated: number(updated) }),
      ...(number(failed) === undefined ? {} : { failed: number(failed) }),
    };
  });
  const failedFile = run.outputs['failed-users-file'];
  const failed = failedFile
    ? (JSON.parse(await readFile(failedFile, 'utf8')) as { file?: string; line?: number; email?: string }[])
    : [];
  const failedEmails = new Set<string>();
  for (const entry of failed) {
    const user = users.find((candidate) => candidate.file === entry.file && candidate.line === entry.line);
    expect(
      user,
      `a failed user is reported at ${entry.file}:${entry.line}, where no user starts`,
    ).toBeDefined();
    expect(entry.email?.toLowerCase()).toBe(user?.email?.toLowerCase());
    failedEmails.add((entry.email ?? '').toLowerCase());
  }
  const prefix = `acme/identity@0123456`;
  return { chunks, failedEmails, externalIdOf: (chunk) => `${prefix}#${chunk}` };
}

export interface RunInvariantOptions extends TenantOptions {
  usersText: string;
  /** The users file's name in the workspace. Default `users.json`. */
  file?: string;
  /** The client secret given to the run, and any other credential it was handed. */
  credentials: string[];
  /** Tokens the tenant issued to someone else during the run (another client's traffic). */
  foreignTokens?: number;
}

/**
 * Every invariant of a bundle run (`node dist/index.js`) that was meant to import `usersText`: the
 * tenant agrees with the summary, the exit code and verdict tell the truth, the outputs add up,
 * and no credential or sensitive user value appears anywhere — each credential masked before the
 * first request, each token the tenant issued masked too.
 */
export async function expectRunInvariants(
  run: ActionRun,
  options: RunInvariantOptions,
): Promise<TenantTruth> {
  const file = options.file ?? 'users.json';
  const claim = await actionClaim(run, file, options.usersText);
  const everyUser = validateRun([{ file, text: options.usersText }]).users.length;

  if (run.stdout.includes('::group::Connect to Auth0')) {
    expect(claim.chunks.length, 'the import began, yet the summary lists no chunk').toBeGreaterThan(0);
  }
  if (claim.chunks.length === 0) {
    // Stopped before the import began (during validation): then nothing at all was sent.
    expect(run.code, 'a run that never reported its jobs exited 0').not.toBe(0);
    for (const tenant of options.tenants) {
      expect(tenant.state.requests.filter((request) => request.route === 'create-job')).toEqual([]);
      expect(tenant.state.jobs).toEqual([]);
    }
  } else {
    expect(claim.chunks.flatMap((chunk) => chunk.emails)).toHaveLength(everyUser);
  }
  const truth = expectTenantAgrees(claim, options);

  // The exit code and verdict tell the truth.
  if (claim.chunks.length > 0) {
    expect(run.code === 0, `exit ${run.code}, yet the tenant says ${JSON.stringify(truth)}`).toBe(
      truth.everythingImported && truth.reportedClean,
    );
    if (run.code === 0) expect(run.summary).toContain(`✅ Imported ${everyUser} users in`);
    else expect(run.summary).toContain('❌ Import did not complete cleanly');
    const ids = claim.chunks.flatMap((chunk) => (chunk.jobId ? [chunk.jobId] : []));
    expect(JSON.parse(run.outputs['job-ids'] ?? '[]')).toEqual(ids);
    const sum = (key: 'inserted' | 'updated' | 'failed') =>
      String(
        claim.chunks.reduce(
          (total, chunk) => total + (chunk.status === 'completed' ? (chunk[key] ?? 0) : 0),
          0,
        ),
      );
    expect(run.outputs).toMatchObject({
      inserted: sum('inserted'),
      updated: sum('updated'),
      failed: sum('failed'),
    });
  }

  // Nothing leaked; every credential masked before it could be used.
  const masked = maskedValues(run);
  await expectNoSecrets(run, {
    credentials: [...new Set([...options.credentials, ...masked])],
    userValues: sensitiveUserValues(options.usersText),
  });
  const lines = run.stdout.split('\n');
  const firstRequest = lines.indexOf('::group::Connect to Auth0');
  for (const credential of options.credentials) {
    const maskedAt = lines.indexOf(`::add-mask::${credential}`);
    expect(maskedAt, 'a credential was never masked').toBeGreaterThanOrEqual(0);
    if (firstRequest !== -1)
      expect(maskedAt, 'a credential was masked after requests began').toBeLessThan(firstRequest);
  }
  const issued =
    options.tenants
      .flatMap((tenant) => tenant.state.requests)
      .filter((request) => request.route === 'token' && request.status === 200).length -
    (options.foreignTokens ?? 0);
  const tokensMasked = new Set(masked.filter((value) => !options.credentials.includes(value))).size;
  expect(tokensMasked, 'every token the tenant issued is masked').toBeGreaterThanOrEqual(issued);
  return truth;
}
