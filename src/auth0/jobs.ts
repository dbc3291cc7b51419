/** The Management API calls of an import: connections, creating jobs, their status and their errors. */
import { Auth0Error, isJobLimit, type ApiClient } from './http.js';

export interface JobSummary {
  total: number;
  inserted: number;
  updated: number;
  failed: number;
}

export interface JobStatus {
  id: string;
  status: string;
  percentageDone?: number;
  timeLeftSeconds?: number;
  summary?: JobSummary;
  statusDetails?: string;
}

/**
 * One user Auth0 rejected, as Auth0 echoes it: `user` is the user as it stood in the file, hashes,
 * secrets and phone numbers included. Never print it; reduce it with report/redact first.
 */
export interface EchoedFailure {
  user: unknown;
  errors: { code: string; message: string; path?: string }[];
}

export interface Connection {
  id: string;
  name: string;
  strategy: string;
}

export const FINAL_STATUSES = new Set(['completed', 'failed', 'expired']);

export class ConnectionError extends Error {}

/** Looks a database connection up by name (needs read:connections). */
export async function findConnection(
  api: ApiClient,
  name: string,
  signal?: AbortSignal,
): Promise<Connection> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/connections?name=${encodeURIComponent(name)}`,
    repeatable: true,
    ...(signal ? { signal } : {}),
  });
  if (response.status !== 200)
    throw new Auth0Error(response.status, response.body, `Looking up connection-name "${name}"`);
  const connections = Array.isArray(response.body) ? (response.body as Connection[]) : [];
  const found = connections.find((connection) => connection.name === name);
  if (!found) {
    const all = await api.send({
      method: 'GET',
      path: '/api/v2/connections?strategy=auth0',
      repeatable: true,
    });
    const names = Array.isArray(all.body)
      ? (all.body as Connection[]).map((connection) => connection.name)
      : [];
    throw new ConnectionError(
      `connection-name: no connection named "${name}" in this tenant; database connections: ${names.length ? names.join(', ') : '(none visible)'}`,
    );
  }
  if (found.strategy !== 'auth0') {
    throw new ConnectionError(
      `connection-name: "${name}" is a ${found.strategy} connection; users can only be imported into a database connection`,
    );
  }
  return found;
}

export interface CreateJob {
  connectionId: string;
  usersPart: Buffer;
  upsert: boolean;
  externalId: string;
  sendCompletionEmail: boolean;
}

export type CreateOutcome = { kind: 'created'; job: JobStatus } | { kind: 'job-limit'; message: string };

/**
 * Submits one chunk. Without upsert the request is not repeatable: a second job for the same users
 * would fail every one of them as DUPLICATED_USER and hide what the first one did.
 */
export async function createJob(
  api: ApiClient,
  job: CreateJob,
  signal?: AbortSignal,
): Promise<CreateOutcome> {
  // Loaded here, not at start-up: form-data brings mime-db, which a dry run never needs.
  const { default: FormData } = await import('form-data');
  const form = new FormData();
  form.append('users', job.usersPart, { filename: 'users.json', contentType: 'application/json' });
  form.append('connection_id', job.connectionId);
  form.append('upsert', String(job.upsert));
  form.append('external_id', job.externalId);
  form.append('send_completion_email', String(job.sendCompletionEmail));
  const response = await api.send({
    method: 'POST',
    path: '/api/v2/jobs/users-imports',
    body: { contentType: form.getHeaders()['content-type'] as string, data: form.getBuffer() },
    repeatable: job.upsert,
    ...(signal ? { signal } : {}),
  });
  if (isJobLimit(response))
    return { kind: 'job-limit', message: String((response.body as { message?: unknown }).message) };
  if (response.status < 200 || response.status >= 300) {
    throw new Auth0Error(response.status, response.body, `Submitting users (external_id ${job.externalId})`);
  }
  return { kind: 'created', job: toJobStatus(response.body) };
}

/** The job's status, or `gone` when Auth0 no longer knows it (deleted after 24 hours, or never existed). */
export async function getJob(api: ApiClient, id: string, signal?: AbortSignal): Promise<JobStatus | 'gone'> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/jobs/${encodeURIComponent(id)}`,
    repeatable: true,
    ...(signal ? { signal } : {}),
  });
  if (response.status === 404) return 'gone';
  if (response.status !== 200) throw new Auth0Error(response.status, response.body, `Reading job ${id}`);
  return toJobStatus(response.body);
}

/** Users a job rejected; empty when none. A whole-job failure may answer with the job instead. */
export async function getJobErrors(
  api: ApiClient,
  id: string,
  signal?: AbortSignal,
): Promise<{ failures: EchoedFailure[]; statusDetails?: string }> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/jobs/${encodeURIComponent(id)}/errors`,
    repeatable: true,
    ...(signal ? { signal } : {}),
  });
  if (response.status === 204 || response.status === 404) return { failures: [] };
  if (response.status !== 200)
    throw new Auth0Error(response.status, response.body, `Reading the errors of job ${id}`);
  if (Array.isArray(response.body)) {
    return {
      failures: response.body.map((entry: unknown) => {
        const record = (entry ?? {}) as { user?: unknown; errors?: unknown };
        const errors = Array.isArray(record.errors) ? record.errors : [];
        return {
          user: record.user,
          errors: errors.map((error: unknown) => {
            const e = (error ?? {}) as Record<string, unknown>;
            return {
              code: String(e.code ?? 'UNKNOWN'),
              message: String(e.message ?? ''),
              ...(typeof e.path === 'string' ? { path: e.path } : {}),
            };
          }),
        };
      }),
    };
  }
  const details = toJobStatus(response.body).statusDetails;
  return { failures: [], ...(details ? { statusDetails: details } : {}) };
}

function toJobStatus(body: unknown): JobStatus {
  const record = (body ?? {}) as Record<string, unknown>;
  const summary = record.summary as Partial<JobSummary> | undefined;
  const details = record.status_details;
  return {
    id: String(record.id ?? ''),
    status: String(record.status ?? 'unknown'),
    ...(typeof record.percentage_done === 'number' ? { percentageDone: record.percentage_done } : {}),
    ...(typeof record.time_left_seconds === 'number' ? { timeLeftSeconds: record.time_left_seconds } : {}),
    ...(summary && typeof summary === 'object'
      ? {
          summary: {
            total: Number(summary.total ?? 0),
            inserted: Number(summary.inserted ?? 0),
            updated: Number(summary.updated ?? 0),
            failed: Number(summary.failed ?? 0),
          },
        }
      : {}),
    ...(details !== undefined
      ? { statusDetails: typeof details === 'string' ? details : JSON.stringify(details) }
      : {}),
  };
}
