/** The Management API calls of an import: connections, creating jobs, their status and their errors. */
import type { Chunk } from '../users/chunks.js';
import { Auth0Error, isJobLimit, type ApiClient } from './http.js';
import { importBody, type ImportFields } from './import-form.js';
import { reduceJobErrors, scrubChunkSecrets, type FailedUser } from './job-errors.js';

export interface JobSummary {
  total: number;
  inserted: number;
  updated: number;
  failed: number;
}

/** A job as Auth0 answers for it: every field but id and status may be missing. */
export interface JobStatus {
  id: string;
  status: string;
  percentageDone?: number;
  timeLeftSeconds?: number;
  summary?: JobSummary;
  /** Reduced: nothing of the chunk's users but what may be quoted. */
  statusDetails?: string;
  /** Export jobs: where the file is, for 60 seconds. */
  location?: string;
  /** Clock time the request Auth0 answered with this went out: Auth0 spoke between it and the answer. */
  sentAt?: number;
}

export interface Connection {
  id: string;
  name: string;
  strategy: string;
}

export const FINAL_STATUSES = new Set(['completed', 'failed', 'expired']);

export class ConnectionError extends Error {}

/** Looks a database connection up by name (needs read:connections). */
export async function findConnection(api: ApiClient, name: string): Promise<Connection> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/connections?name=${encodeURIComponent(name)}`,
    repeatable: true,
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

export type CreateOutcome =
  | { kind: 'created'; job: JobStatus }
  | { kind: 'job-limit' }
  /** 413: Auth0 refused the body as too large and created nothing. */
  | { kind: 'too-large' };

/**
 * Submits one chunk. Without upsert the request is not repeatable: a second job for the same users
 * would fail every one of them as DUPLICATED_USER and hide what the first one did.
 */
export async function createJob(
  api: ApiClient,
  chunk: Chunk,
  fields: Omit<ImportFields, 'externalId'>,
): Promise<CreateOutcome> {
  const body = importBody(chunk, { ...fields, externalId: chunk.externalId });
  const response = await api.send({
    method: 'POST',
    path: '/api/v2/jobs/users-imports',
    body,
    repeatable: fields.upsert,
  });
  if (isJobLimit(response)) return { kind: 'job-limit' };
  if (response.status === 413) return { kind: 'too-large' };
  if (response.status < 200 || response.status >= 300) {
    throw new Auth0Error(
      response.status,
      response.body,
      `Submitting chunk ${chunk.label} (external_id ${chunk.externalId})`,
    );
  }
  return { kind: 'created', job: toJobStatus(response.body, chunk) };
}

/** The job's status, or `gone` when Auth0 no longer knows it (deleted after 24 hours). */
export async function getJob(api: ApiClient, id: string, chunk?: Chunk): Promise<JobStatus | 'gone'> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/jobs/${encodeURIComponent(id)}`,
    repeatable: true,
  });
  if (response.status === 404) return 'gone';
  if (response.status !== 200) throw new Auth0Error(response.status, response.body, `Reading job ${id}`);
  const status = toJobStatus(response.body, chunk);
  return response.sentAt === undefined ? status : { ...status, sentAt: response.sentAt };
}

/**
 * Users a job rejected, each traced to its line and reduced to what may be shown; empty when none.
 * A whole-job failure may answer with the job instead of a list.
 */
export async function getJobErrors(
  api: ApiClient,
  id: string,
  chunk: Chunk,
): Promise<{ failedUsers: FailedUser[]; statusDetails?: string }> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/jobs/${encodeURIComponent(id)}/errors`,
    repeatable: true,
  });
  if (response.status === 204 || response.status === 404) return { failedUsers: [] };
  if (response.status !== 200)
    throw new Auth0Error(response.status, response.body, `Reading the errors of job ${id}`);
  if (Array.isArray(response.body)) {
    return { failedUsers: reduceJobErrors(response.body, chunk, id) };
  }
  const details = toJobStatus(response.body, chunk).statusDetails;
  return { failedUsers: [], ...(details ? { statusDetails: details } : {}) };
}

function count(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

/**
 * A job answer as it comes: any field may be missing or of another type. Free text about a failed
 * job may quote the users file, so it is reduced with the chunk's users before it leaves here.
 */
export function toJobStatus(body: unknown, chunk?: Chunk): JobStatus {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const summary =
    record.summary && typeof record.summary === 'object'
      ? (record.summary as Record<string, unknown>)
      : undefined;
  const details = record.status_details;
  const text =
    details === undefined || details === null || details === ''
      ? undefined
      : typeof details === 'string'
        ? details
        : JSON.stringify(details);
  const percentage = count(record.percentage_done);
  const timeLeft = count(record.time_left_seconds);
  return {
    id: typeof record.id === 'string' ? record.id : '',
    status: typeof record.status === 'string' && record.status ? record.status : 'unknown',
    ...(percentage !== undefined ? { percentageDone: percentage } : {}),
    ...(timeLeft !== undefined ? { timeLeftSeconds: timeLeft } : {}),
    ...(summary
      ? {
          summary: {
            total: count(summary.total) ?? 0,
            inserted: count(summary.inserted) ?? 0,
            updated: count(summary.updated) ?? 0,
            failed: count(summary.failed) ?? 0,
          },
        }
      : {}),
    ...(text !== undefined ? { statusDetails: scrubChunkSecrets(text, chunk) } : {}),
    ...(typeof record.location === 'string' ? { location: record.location } : {}),
  };
}
