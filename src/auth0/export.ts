/**
 * Reading what a tenant holds: an export job for one connection, polled as an import job is, then its
 * file downloaded from the pre-signed `location` and read as it arrives, one user a line.
 */
import {
  Auth0Error,
  CancelledError,
  DeadlineError,
  isPermanentRefusal,
  type ApiClient,
  type DownloadResponse,
} from './http.js';
import { getJob, type JobStatus } from './jobs.js';
import { inflated, ndjsonLines, NdjsonError } from './ndjson.js';
import { nextPoll, type JobEnd } from './poller.js';
import { formatDuration } from './progress.js';
import { EXPORTED_ATTRIBUTES, ExportLineError, tenantUserOf, type TenantUser } from './tenant-user.js';
import { backoffMs, type Clock, type TimingPolicy } from './timing.js';

export interface ExportRequest {
  /** The database connection whose users are read (`con_…`). */
  connectionId: string;
}

export interface ExportEdge {
  clock: Clock;
  timing: TimingPolicy;
  log: (message: string) => void;
}

/** Where the users of an export go, one at a time. */
export interface TenantUserSink {
  add(user: TenantUser): void;
  /** A download that broke is read again from its start: forget every user added so far. */
  restart(): void;
}

export interface ExportReport {
  jobId: string;
  users: number;
  /** Bytes of the file as downloaded (compressed, usually). */
  bytes: number;
}

/** The export cannot give the tenant's users: the message says why and what to do. */
export class ExportError extends Error {}

/** No answer from the file's host, or the file stopped (or its gzip broke) part way: worth another try. */
class BrokenDownload extends Error {}

/**
 * Auth0's `location` is valid for 60 seconds. One older than this when the download starts is renewed
 * first, by reading the job again, rather than sent to be refused.
 */
export const LINK_FRESH_MS = 50_000;

const FILE_LABEL = 'export file';

/** Reads a connection's users through an export job and hands each to `sink`. Needs `read:users`. */
export async function forEachTenantUser(
  api: ApiClient,
  request: ExportRequest,
  edge: ExportEdge,
  sink: TenantUserSink,
): Promise<ExportReport> {
  const started = edge.clock.now();
  const jobId = await startExport(api, request.connectionId);
  edge.log(`Export job ${jobId}: reading the users of connection ${request.connectionId}`);
  const link = await waitForExport(api, jobId, edge);
  const read = await downloadUsers(api, jobId, link, edge, sink);
  edge.log(
    `Export job ${jobId}: read ${read.users} users (${megabytes(read.bytes)} downloaded) in ${formatDuration(edge.clock.now() - started)}`,
  );
  return { jobId, ...read };
}

/** A connection's users, keyed for planning. */
export interface TenantUsers {
  jobId: string;
  /** Lower-cased email → the user in file shape as canonical JSON (see tenant-user.ts). */
  byEmail: Map<string, string>;
  /** the text of each user without an email: no file user can match one (upsert matches by email). */
  withoutEmail: string[];
  /** Users whose email (in any case) an earlier line already had: the first one is kept. */
  repeatedEmails: number;
  /** Lines read: every user of the export. */
  users: number;
  bytes: number;
}

/**
 * Every user of a connection as a compact text keyed by email. Memory grows with the users kept (about
 * their canonical JSON each); the reading itself holds one piece of the file at a time.
 */
export async function readTenantUsers(
  api: ApiClient,
  request: ExportRequest,
  edge: ExportEdge,
): Promise<TenantUsers> {
  const byEmail = new Map<string, string>();
  const withoutEmail: string[] = [];
  let repeatedEmails = 0;
  const report = await forEachTenantUser(api, request, edge, {
    add({ key, text }) {
      if (key === undefined) withoutEmail.push(text);
      else if (byEmail.has(key)) repeatedEmails++;
      else byEmail.set(key, text);
    },
    restart() {
      byEmail.clear();
      withoutEmail.length = 0;
      repeatedEmails = 0;
    },
  });
  if (repeatedEmails > 0) {
    edge.log(
      `Export job ${report.jobId}: ${repeatedEmails} users have an email an earlier user of the export has (in another case); the first of each is kept`,
    );
  }
  return {
    jobId: report.jobId,
    byEmail,
    withoutEmail,
    repeatedEmails,
    users: report.users,
    bytes: report.bytes,
  };
}

/** Creates the export job. Sending it twice only makes a second export, so it is repeatable. */
async function startExport(api: ApiClient, connectionId: string): Promise<string> {
  const response = await api.send({
    method: 'POST',
    path: '/api/v2/jobs/users-exports',
    body: {
      contentType: 'application/json',
      data: JSON.stringify({
        connection_id: connectionId,
        format: 'json',
        fields: EXPORTED_ATTRIBUTES.map((name) => ({ name })),
      }),
    },
    repeatable: true,
  });
  const id = (response.body as { id?: unknown } | undefined)?.id;
  if (response.status < 200 || response.status >= 300 || typeof id !== 'string' || id === '') {
    throw new Auth0Error(
      response.status,
      response.body,
      `Starting an export of the users of connection ${connectionId} (needs the read:users scope)`,
    );
  }
  return id;
}

function vanished(jobId: string): ExportError {
  return new ExportError(
    `Export job ${jobId} vanished: Auth0 answered 404 for it (jobs are deleted after 24 hours). Run again for a new export.`,
  );
}

interface Link {
  url: string;
  /** Clock time the job answered with it. */
  at: number;
}

/**
 * Polls the job as an import job is polled, until it completes, and gives its download link; any other
 * end is an ExportError.
 */
async function waitForExport(api: ApiClient, jobId: string, edge: ExportEdge): Promise<Link> {
  const { clock, timing, log } = edge;
  let last: { interval: number } & JobEnd = { interval: timing.pollInitialMs };
  let at = clock.now() + last.interval;
  let failures = 0;
  let said = '';
  for (;;) {
    await sleepUntil(api, clock, at, `while waiting for export job ${jobId}`);
    let status: JobStatus | 'gone';
    try {
      status = await getJob(api, jobId);
    } catch (error) {
      if (error instanceof CancelledError || error instanceof DeadlineError || isPermanentRefusal(error))
        throw error;
      if (++failures >= timing.maxAttempts) {
        throw new ExportError(`Could not read export job ${jobId} (${message(error)}). Run again later.`);
      }
      at = clock.now() + backoffMs(failures, timing.retryInitialMs, timing.pollMaxMs, clock.random());
      log(`Export job ${jobId}: could not read its status (${message(error)}); trying again`);
      continue;
    }
    const answeredAt = clock.now();
    failures = 0;
    if (status === 'gone') throw vanished(jobId);
    const saying = `${status.status}${status.percentageDone !== undefined ? `, ${status.percentageDone}%` : ''}`;
    if (saying !== said) log(`Export job ${jobId}: ${saying}`);
    said = saying;
    if (status.status === 'completed') {
      if (status.location === undefined)
        throw new ExportError(`Export job ${jobId} completed without a download location. Run again.`);
      return { url: status.location, at: answeredAt };
    }
    if (status.status === 'failed') {
      throw new ExportError(
        `Export job ${jobId} failed${status.statusDetails ? `: ${status.statusDetails}` : '; Auth0 gave no reason'}. Run again; if it fails again, check the tenant's logs.`,
      );
    }
    if (status.status === 'expired') {
      throw new ExportError(
        `Export job ${jobId} expired before its file was read. Run again for a new export.`,
      );
    }
    const { delay, ...end } = nextPoll(last, status.timeLeftSeconds, clock.now(), timing, {
      ...(status.sentAt !== undefined ? { sentAt: status.sentAt } : {}),
    });
    last = { interval: delay, ...end };
    at = clock.now() + delay;
  }
}

/** A fresh `location`: Auth0 gives a new one each time a completed export job is read. */
async function freshLink(api: ApiClient, jobId: string, clock: Clock): Promise<Link> {
  const status = await getJob(api, jobId);
  if (status === 'gone') throw vanished(jobId);
  if (status.location === undefined) {
    throw new ExportError(
      `Export job ${jobId} no longer gives a download location (${status.status}). Run again.`,
    );
  }
  return { url: status.location, at: clock.now() };
}

/**
 * Downloads the file and hands its users to the sink. A refused link (expired, or the host's 403) is
 * renewed by reading the job again; a broken download is read again from its start, with a fresh link;
 * at most `timing.maxAttempts` downloads in all.
 */
async function downloadUsers(
  api: ApiClient,
  jobId: string,
  first: Link,
  edge: ExportEdge,
  sink: TenantUserSink,
): Promise<{ users: number; bytes: number }> {
  const { clock, timing, log } = edge;
  let link = first;
  let added = false;
  for (let attempt = 1; ; attempt++) {
    if (clock.now() - link.at > LINK_FRESH_MS) {
      log(
        `Export job ${jobId}: the download link is over ${LINK_FRESH_MS / 1000} s old; asking for a fresh one`,
      );
      link = await freshLink(api, jobId, clock);
    }
    let failure: string;
    let refused = false;
    try {
      const response = await api.download(link.url, FILE_LABEL).catch((error: unknown) => {
        if (error instanceof CancelledError || error instanceof DeadlineError) throw error;
        throw new BrokenDownload(message(error));
      });
      if (response.status === 200) {
        if (added) sink.restart();
        added = true;
        return await readUsers(api, jobId, response, edge, sink);
      }
      refused = response.status === 403;
      failure = `the file's host answered ${response.status}${await hostReason(response)}`;
    } catch (error) {
      if (error instanceof NdjsonError || error instanceof ExportLineError)
        throw new ExportError(
          `Export job ${jobId}: ${error.message}; the tenant's users cannot be read from it.`,
        );
      if (!(error instanceof BrokenDownload)) throw error;
      failure = `the download broke (${error.message})`;
    }
    if (attempt >= timing.maxAttempts) {
      throw new ExportError(
        `Could not download the file of export job ${jobId} after ${attempt} attempts: ${failure}. Run again later.`,
      );
    }
    // A 403 is the link (expired, or refused): a new one helps at once. Anything else waits a little.
    if (!refused) {
      await sleepUntil(
        api,
        clock,
        clock.now() + backoffMs(attempt - 1, timing.retryInitialMs, timing.retryMaxMs, clock.random()),
        `before downloading the file of export job ${jobId} again`,
      );
    }
    log(`Export job ${jobId}: ${failure}; downloading again with a fresh link`);
    link = await freshLink(api, jobId, clock);
  }
}

async function readUsers(
  api: ApiClient,
  jobId: string,
  response: DownloadResponse,
  edge: ExportEdge,
  sink: TenantUserSink,
): Promise<{ users: number; bytes: number }> {
  const { clock, timing, log } = edge;
  const { signal, deadline } = api.context;
  let users = 0;
  let bytes = 0;
  let reportAt = clock.now() + timing.progressEveryMs;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const piece of response.body) {
      bytes += (piece as Buffer).length;
      yield piece as Buffer;
    }
  }
  /** The file's bytes, any failure to get them (the connection, gzip) told apart from the sink's own. */
  async function* received(): AsyncGenerator<Buffer> {
    try {
      yield* inflated(counted());
    } catch (error) {
      throw signal.aborted ? new CancelledError() : new BrokenDownload(message(error));
    }
  }
  try {
    for await (const lines of ndjsonLines(received())) {
      for (const line of lines) sink.add(tenantUserOf(line, ++users));
      // The whole file may have arrived already: cancellation must not wait for its end.
      if (signal.aborted) throw new CancelledError();
      if (clock.now() >= deadline)
        throw new DeadlineError(`while downloading the file of export job ${jobId}`);
      if (clock.now() >= reportAt) {
        reportAt = clock.now() + timing.progressEveryMs;
        log(`Export job ${jobId}: ${users} users read, ${megabytes(bytes)} downloaded`);
      }
    }
  } finally {
    response.body.destroy();
  }
  return { users, bytes };
}

/** S3's reason for a refusal (`AccessDenied: Request has expired`): its own codes, safe to show. */
async function hostReason(response: DownloadResponse): Promise<string> {
  let text = '';
  try {
    for await (const piece of response.body) {
      text += (piece as Buffer).toString('utf8');
      if (text.length > 4096) break;
    }
  } catch {
    // The reason is a courtesy: the status says enough.
  } finally {
    response.body.destroy();
  }
  const code = /<Code>([A-Za-z]{1,60})<\/Code>/.exec(text)?.[1];
  const said = /<Message>([^<]{1,200})<\/Message>/.exec(text)?.[1];
  return code ? ` ${code}${said ? ` (${said})` : ''}` : '';
}

/** Waits until `time`, cut short by cancellation; the deadline ends the wait with a DeadlineError. */
async function sleepUntil(api: ApiClient, clock: Clock, time: number, what: string): Promise<void> {
  const { signal, deadline } = api.context;
  if (signal.aborted) throw new CancelledError();
  if (clock.now() >= deadline) throw new DeadlineError(what);
  await clock.sleep(Math.min(time, deadline) - clock.now(), signal);
  if (signal.aborted) throw new CancelledError();
  if (clock.now() >= deadline) throw new DeadlineError(what);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
