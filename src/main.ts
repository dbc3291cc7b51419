/** The run, as a table of contents: inputs -> users -> chunks -> jobs -> report. */
import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiClient } from './auth0/http.js';
import { findConnection } from './auth0/jobs.js';
import { scheduleJobs, type ChunkToSend, type JobRecord, type ScheduleResult } from './auth0/schedule.js';
import { DEFAULT_TIMING, systemClock, type Clock, type TimingPolicy } from './auth0/timing.js';
import { ManagementTokens } from './auth0/token.js';
import { changedUsers } from './github/changed-users.js';
import { readSettings, type ImportSettings, type Settings } from './inputs.js';
import { removedWarning } from './report/changes.js';
import { plural } from './report/markdown.js';
import { emitFailedUsers, emitProblems, writeSummary } from './report/actions.js';
import { importVerdict, renderImport, totalsOf, type ImportReport } from './report/import.js';
import { reduceFailures, scrub, sensitiveValues, type FailedUser } from './report/redact.js';
import { renderValidation, validationVerdict, type ValidationReport } from './report/validation.js';
import { planChunks } from './users/chunks.js';
import type { Problem } from './users/problem.js';
import { readUsersFile, resolveUsersFiles, type UsersFileText } from './users/read.js';
import { userJson, validateRun } from './users/validate.js';

const TITLE = '## Auth0 user import';

/** What the edge hands in: the clock and timing (scaled by the bench), the workspace. */
export interface RunEnvironment {
  clock: Clock;
  timing: TimingPolicy;
  workspace: string;
}

export async function run(
  environment: RunEnvironment = {
    clock: systemClock,
    timing: DEFAULT_TIMING,
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
  },
): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), core.setSecret);
    const report = await core.group('Validate users files', () => validate(settings, environment.workspace));
    core.setOutput(
      'total',
      report.files.reduce((sum, file) => sum + file.users, 0),
    );
    core.setOutput('chunks', report.chunks.length);
    if (report.changes) {
      const { added, modified, removed, unchanged } = report.changes.changes;
      core.setOutput('added', added.length);
      core.setOutput('modified', modified.length);
      core.setOutput('removed', removed.length);
      core.setOutput('skipped', unchanged.length);
    }
    emitProblems(report.problems);

    const verdict = validationVerdict(report, settings.dryRun);
    core.info(verdict);
    if (report.problems.length > 0 || !settings.import) {
      await writeSummary([TITLE, verdict, renderValidation(report)]);
      if (report.problems.length > 0) core.setFailed(verdict);
      return;
    }
    if (report.chunks.length === 0) {
      // only-changed and nothing changed: no request at all.
      core.setOutput('job-ids', '[]');
      await writeSummary([TITLE, `${verdict} Nothing to import.`, renderValidation(report)]);
      return;
    }
    await importUsers(settings.import, report, environment);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(message);
    await writeSummary([TITLE, `❌ ${message}`]).catch(() => undefined);
  }
}

/** Reads, locates, validates and plans: everything that can be known before a request is sent. */
async function validate(settings: Settings, workspace: string): Promise<ValidationReport> {
  const paths = await resolveUsersFiles(settings.usersFiles, workspace);
  const texts: UsersFileText[] = [];
  const unreadable: Problem[] = [];
  for (const file of paths) {
    const read = await readUsersFile(workspace, file);
    if ('text' in read) texts.push(read);
    else unreadable.push(read);
  }
  const validation = validateRun(texts);
  const selected = settings.onlyChanged
    ? await changedUsers({
        onlyChanged: settings.onlyChanged,
        upsert: settings.upsert,
        workspace,
        env: process.env,
        files: texts.map((text) => text.file),
        users: validation.users,
        log: (message) => core.info(message),
      })
    : undefined;
  const removed = selected && removedWarning(selected.changes, selected.commit);
  if (removed) core.warning(removed);
  const users = selected?.users ?? validation.users;
  const plan = planChunks(
    users.map((user) => user.bytes),
    settings.maxChunkBytes,
  );
  const oversized = plan.oversized.map((index): Problem => {
    const user = users[index]!;
    return {
      file: user.file,
      line: user.line,
      column: user.column,
      path: `[${user.index}]`,
      message: `The user is ${user.bytes} bytes of JSON: alone it exceeds max-chunk-bytes (${settings.maxChunkBytes})`,
      hint: 'Shrink its metadata, or raise max-chunk-bytes (at most 512000).',
    };
  });
  const problems = [...unreadable, ...validation.problems, ...(selected?.problems ?? []), ...oversized];
  const files = [...unreadable.map((problem) => ({ file: problem.file, users: 0 })), ...validation.files];
  for (const { file, users } of files) core.info(`${file}: ${plural(users, 'user')}`);
  core.info(
    `Read ${plural(paths.length, 'file')}: ${validation.users.length} valid users, ${problems.length} problems.`,
  );
  return {
    files,
    users,
    chunks: plan.chunks,
    problems,
    ...(selected ? { changes: selected } : {}),
  };
}

/** Submits the plan, waits, and reports; writes the summary and outputs even when it fails or is cancelled. */
async function importUsers(
  settings: ImportSettings,
  validation: ValidationReport,
  environment: RunEnvironment,
): Promise<void> {
  const { clock, timing } = environment;
  const api = new ApiClient({ origin: settings.origin, clock, timing, log: (message) => core.info(message) });
  const tokens = new ManagementTokens(api, settings.credentials, core.setSecret);
  api.useTokens(tokens);

  const cancel = new AbortController();
  const onSignal = (signal: string) => {
    core.warning(`Received ${signal}: stopping; jobs already submitted keep running in Auth0.`);
    cancel.abort();
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);

  const chunks = chunksToSend(validation, settings);
  const chunkUsers = validation.chunks.map((span) =>
    validation.users.slice(span.first, span.first + span.count),
  );
  // Until the scheduler says otherwise every chunk is unsent, so a run stopped while connecting lists them too.
  let latest: readonly JobRecord[] = chunks.map((chunk) => ({
    chunk: chunk.chunk,
    externalId: chunk.externalId,
    userCount: chunk.userCount,
    status: 'not-submitted',
  }));
  let result: ScheduleResult | undefined;
  let fatal: string | undefined;
  try {
    const connectionId = await core.group('Connect to Auth0', async () => {
      await tokens.token(cancel.signal);
      if (tokens.scopes && !tokens.scopes.includes('create:users')) {
        throw new Error(
          `The Management API token lacks the create:users scope (it has: ${tokens.scopes.join(' ') || 'none'}). Grant it in Auth0 dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications.`,
        );
      }
      if ('id' in settings.connection) return settings.connection.id;
      const connection = await findConnection(api, settings.connection.name, cancel.signal);
      core.info(`Connection "${connection.name}" is ${connection.id}.`);
      return connection.id;
    });
    result = await core.group(`Import ${plural(chunks.length, 'chunk')}`, () =>
      scheduleJobs(api, chunks, {
        connectionId,
        upsert: settings.upsert,
        sendCompletionEmail: settings.sendCompletionEmail,
        maxConcurrentJobs: settings.maxConcurrentJobs,
        wait: settings.wait,
        deadline: clock.now() + settings.waitTimeoutSeconds * 1000,
        signal: cancel.signal,
        clock,
        timing,
        log: (message) => core.info(message),
        onChange: (jobs) => (latest = jobs),
      }),
    );
  } catch (error) {
    // Reported below with the jobs' state: the summary is written however the run ends.
    if (!cancel.signal.aborted) fatal = error instanceof Error ? error.message : String(error);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await api.close();
  }

  const jobs = result?.jobs ?? [...latest];
  const failedUsers: FailedUser[] = jobs.flatMap((job, i) =>
    job.failures && job.id
      ? reduceFailures(job.failures, chunkUsers[i] ?? [], { chunk: job.chunk, jobId: job.id })
      : [],
  );
  for (const [i, job] of jobs.entries()) {
    // Auth0's free text about a failed job may quote the file: nothing of its users is shown.
    if (job.statusDetails)
      job.statusDetails = scrub(
        job.statusDetails,
        (chunkUsers[i] ?? []).flatMap((user) => sensitiveValues(JSON.parse(userJson(user)))),
      );
  }
  const totals = totalsOf(jobs);
  const report: ImportReport = {
    jobs,
    chunkSources: validation.chunks.map((span) => {
      const first = validation.users[span.first];
      const last = validation.users[span.first + span.count - 1];
      return first?.file === last?.file
        ? `${first?.file}:${first?.line}-${last?.line}`
        : `${first?.file}:${first?.line} - ${last?.file}:${last?.line}`;
    }),
    failedUsers,
    totals,
    waited: settings.wait,
    failures: outcomeFailures(jobs, result, settings, totals.failed, cancel.signal.aborted, fatal),
    links: githubLinks(),
  };

  const submitted = jobs.filter((job) => job.id).map((job) => job.id);
  core.setOutput('job-ids', JSON.stringify(submitted));
  core.setOutput('inserted', totals.inserted);
  core.setOutput('updated', totals.updated);
  core.setOutput('failed', totals.failed);
  const failedUsersFile = path.join(process.env.RUNNER_TEMP || process.cwd(), 'auth0-failed-users.json');
  await writeFile(failedUsersFile, `${JSON.stringify(failedUsers, null, 2)}\n`);
  core.setOutput('failed-users-file', failedUsersFile);

  emitFailedUsers(failedUsers);
  if (cancel.signal.aborted) {
    core.info('Jobs at cancellation:');
    for (const job of jobs.filter((job) => job.id || job.status === 'unknown')) {
      core.info(`  chunk ${job.chunk}: ${job.id ?? `external_id ${job.externalId}`} — ${job.status}`);
    }
  }
  const verdict = importVerdict(report);
  core.info(verdict);
  await writeSummary([TITLE, verdict, renderImport(report), renderValidation(validation)]);
  if (report.failures.length > 0) core.setFailed(verdict);
}

function chunksToSend(validation: ValidationReport, settings: ImportSettings): ChunkToSend[] {
  const sha = (process.env.GITHUB_SHA ?? '').slice(0, 7);
  const prefix = settings.externalId ?? `${process.env.GITHUB_REPOSITORY || 'local'}${sha ? `@${sha}` : ''}`;
  return validation.chunks.map((span, i) => {
    const users = validation.users.slice(span.first, span.first + span.count);
    return {
      chunk: i + 1,
      usersPart: Buffer.from(`[${users.map(userJson).join(',')}]`),
      userCount: span.count,
      externalId: `${prefix}#${i + 1}`,
    };
  });
}

/** The run's outcome is decided here and only here. */
function outcomeFailures(
  jobs: readonly JobRecord[],
  result: ScheduleResult | undefined,
  settings: ImportSettings,
  failedUsers: number,
  cancelled: boolean,
  fatal: string | undefined,
): string[] {
  const failures: string[] = fatal ? [fatal] : [];
  if (cancelled)
    failures.push('The run was cancelled; submitted jobs keep running in Auth0 (ids in the job-ids output).');
  if (result?.stoppedBy) failures.push(`Submitting stopped: ${result.stoppedBy}.`);
  if (result?.timedOut) {
    const open = jobs
      .filter((job) => job.id && !['completed', 'failed', 'expired'].includes(job.status))
      .map((job) => job.id);
    failures.push(
      `wait-timeout-seconds (${settings.waitTimeoutSeconds}) ran out with ${plural(open.length, 'job')} unfinished: ${open.join(', ') || 'none'}.`,
    );
  }
  const count = (status: string) => jobs.filter((job) => job.status === status).length;
  if (count('failed') > 0) failures.push(`${plural(count('failed'), 'job')} failed.`);
  if (count('expired') > 0) failures.push(`${plural(count('expired'), 'job')} expired or vanished.`);
  if (count('unknown') > 0)
    failures.push(`${plural(count('unknown'), 'chunk')} may or may not have been imported (answer lost).`);
  if (!result?.timedOut && !cancelled && !result?.stoppedBy && count('not-submitted') > 0) {
    failures.push(`${plural(count('not-submitted'), 'chunk')} not submitted.`);
  }
  if (failedUsers > 0 && settings.failOnUserErrors)
    failures.push(`Auth0 rejected ${plural(failedUsers, 'user')} (fail-on-user-errors).`);
  return failures;
}

function githubLinks(): ImportReport['links'] {
  const server = process.env.GITHUB_SERVER_URL;
  const repository = process.env.GITHUB_REPOSITORY;
  if (!server || !repository) return {};
  const sha = process.env.GITHUB_SHA;
  const runId = process.env.GITHUB_RUN_ID;
  return {
    ...(sha ? { commit: `${server}/${repository}/commit/${sha}` } : {}),
    ...(runId ? { run: `${server}/${repository}/actions/runs/${runId}` } : {}),
  };
}
