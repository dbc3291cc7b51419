// What the contract tests send: plain HTTP over undici, with real multipart bodies.
import { gunzipSync } from 'node:zlib';
import { fetch, FormData, type Headers } from 'undici';
import { afterEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type ManualClock } from './index.js';

/** A response reduced to what the tests look at. */
export interface Answer {
  status: number;
  headers: Headers;
  /** The parsed body when it is JSON; else the text, or `undefined` when empty. */
  body: unknown;
}

/** The parts of a create request; `users` as a Buffer or string is sent as the file `users.json`. */
export interface ImportParts {
  users?: Buffer | string;
  connection_id?: string;
  upsert?: string;
  external_id?: string;
  send_completion_email?: string;
  /** Sent as they are: text parts, or the users part as text instead of a file. */
  extra?: [name: string, value: string][];
}

/** Gives each test its own emulators, closed after it. */
export function useEmulators(): (options?: EmulatorOptions) => Promise<Emulator> {
  const running: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  return async (options) => {
    const emulator = await startEmulator(options);
    running.push(emulator);
    return emulator;
  };
}

export async function send(
  emulator: Emulator,
  path: string,
  init: {
    method?: string;
    token?: string;
    headers?: Record<string, string>;
    body?: string | Buffer | FormData;
    signal?: AbortSignal;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  const response = await fetch(`${emulator.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body,
    signal: init.signal,
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    body: isJson ? JSON.parse(text) : text || undefined,
  };
}

/** `POST /oauth/token` with a JSON body (or a form-encoded one). */
export function requestToken(
  emulator: Emulator,
  params: Record<string, string>,
  encoding: 'json' | 'form' = 'json',
): Promise<Answer> {
  const json = encoding === 'json';
  return send(emulator, '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
}

/** The token-request parameters that succeed for the emulator's default client. */
export function clientCredentials(emulator: Emulator): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: emulator.clientId,
    client_secret: emulator.clientSecret,
    audience: `${emulator.url}/api/v2/`,
  };
}

export async function getToken(
  emulator: Emulator,
  params: Partial<Record<string, string>> = {},
): Promise<string> {
  const answer = await requestToken(emulator, { ...clientCredentials(emulator), ...params } as Record<
    string,
    string
  >);
  if (answer.status !== 200) throw new Error(`token request failed: ${JSON.stringify(answer.body)}`);
  return (answer.body as { access_token: string }).access_token;
}

/** The id of the emulator's database connection. */
export function databaseConnectionId(emulator: Emulator): string {
  const connection = emulator.connections.find((c) => c.strategy === 'auth0');
  if (!connection) throw new Error('the emulator has no database connection');
  return connection.id;
}

export function createJob(
  emulator: Emulator,
  token: string,
  parts: ImportParts,
  signal?: AbortSignal,
): Promise<Answer> {
  const form = new FormData();
  if (parts.users !== undefined) {
    form.append('users', new Blob([parts.users], { type: 'application/json' }), 'users.json');
  }
  for (const name of ['connection_id', 'upsert', 'external_id', 'send_completion_email'] as const) {
    const value = parts[name];
    if (value !== undefined) form.append(name, value);
  }
  for (const [name, value] of parts.extra ?? []) form.append(name, value);
  return send(emulator, '/api/v2/jobs/users-imports', { method: 'POST', token, body: form, signal });
}

/** A create request for these users on the database connection. */
export function importUsers(
  emulator: Emulator,
  token: string,
  users: unknown[],
  { signal, ...parts }: Omit<ImportParts, 'users'> & { signal?: AbortSignal } = {},
): Promise<Answer> {
  return createJob(
    emulator,
    token,
    { users: JSON.stringify(users), connection_id: databaseConnectionId(emulator), ...parts },
    signal,
  );
}

/** The id of a job a create answered with. */
export function jobIdOf(answer: Answer): string {
  const { id } = answer.body as { id?: unknown };
  if (answer.status !== 202 || typeof id !== 'string')
    throw new Error(`no job: ${JSON.stringify(answer.body)}`);
  return id;
}

export function getJob(emulator: Emulator, token: string, id: string): Promise<Answer> {
  return send(emulator, `/api/v2/jobs/${id}`, { token });
}

export function getJobErrors(emulator: Emulator, token: string, id: string): Promise<Answer> {
  return send(emulator, `/api/v2/jobs/${id}/errors`, { token });
}

/** Creates a job, moves the clock past its end (a minute), then reads its status and its errors. */
export async function runImport(
  emulator: Emulator,
  clock: ManualClock,
  token: string,
  users: unknown[],
  parts: Omit<ImportParts, 'users'> = {},
): Promise<{ job: unknown; errors: Answer }> {
  const id = jobIdOf(await importUsers(emulator, token, users, parts));
  clock.advance(60_000);
  const job = await getJob(emulator, token, id);
  return { job: job.body, errors: await getJobErrors(emulator, token, id) };
}

/** `GET /api/v2/users-by-email?email=`. */
export function usersByEmail(emulator: Emulator, token: string, email: string): Promise<Answer> {
  return send(emulator, `/api/v2/users-by-email?${new URLSearchParams({ email })}`, { token });
}

/** `PATCH /api/v2/users/{id}` with a JSON body; the id is URL-encoded as Auth0 wants it. */
export function updateUser(
  emulator: Emulator,
  token: string,
  userId: string,
  body: unknown,
): Promise<Answer> {
  return send(emulator, `/api/v2/users/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function deleteUser(emulator: Emulator, token: string, userId: string): Promise<Answer> {
  return send(emulator, `/api/v2/users/${encodeURIComponent(userId)}`, { method: 'DELETE', token });
}

/** `POST /api/v2/jobs/users-exports` with a JSON body. */
export function createExport(emulator: Emulator, token: string, body: unknown): Promise<Answer> {
  return send(emulator, '/api/v2/jobs/users-exports', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The id of an export job a create answered with (201). */
export function exportIdOf(answer: Answer): string {
  const { id } = answer.body as { id?: unknown };
  if (answer.status !== 201 || typeof id !== 'string') {
    throw new Error(`no export job: ${JSON.stringify(answer.body)}`);
  }
  return id;
}

/** A GET with no bearer token (an export's `location`), its body as bytes. */
export async function download(url: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(url);
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** The users of an export file: gunzipped when it starts with gzip's magic bytes, one JSON object a line. */
export function exportedUsers(bytes: Buffer): Record<string, unknown>[] {
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
