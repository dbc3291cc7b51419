/**
 * One attempt of a request, as it goes on the wire: the only place a Management API request leaves,
 * with its headers and bearer token, within the timeout the client gives it, and its answer read
 * and parsed. Whether to wait, retry or give up is decided around it (http.ts).
 */
import { request, type Dispatcher } from 'undici';
import type { ApiRequest, ApiResponse } from './http.js';
import { headerValue } from './pacer.js';

/** Route names for stats and logs: ids collapsed so counts add up by kind of request. */
export function routeOf(method: string, path: string): string {
  return `${method} ${path
    .replace(/\?.*$/, '')
    .replace(/\/job_[^/]+/, '/{id}')
    .replace(/\/users\/[^/]+/, '/users/{id}')}`;
}

/** Method and path as debug lines show them: the query left out, as a users-by-email query holds an address. */
export function pathOf(api: Pick<ApiRequest, 'method' | 'path'>): string {
  return `${api.method} ${api.path.replace(/\?.*$/, '')}`;
}

export interface Wire {
  origin: string;
  dispatcher: Dispatcher;
  signal: AbortSignal;
}

/** Sends `api` once; throws undici's error when no answer came within `timeoutMs`. */
export async function sendAttempt(
  wire: Wire,
  api: ApiRequest,
  token: string | undefined,
  timeoutMs: number,
): Promise<Omit<ApiResponse, 'sentAt'>> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'auth0-user-import' };
  if (api.body) headers['content-type'] = api.body.contentType;
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const answer = await request(`${wire.origin}${api.path}`, {
    method: api.method,
    headers,
    body: api.body?.data ?? null,
    dispatcher: wire.dispatcher,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: wire.signal,
  });
  const text = await answer.body.text();
  return {
    status: answer.statusCode,
    headers: answer.headers,
    body: parseBody(text, headerValue(answer.headers, 'content-type')),
  };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  // Cloudflare's 5xx pages are HTML; only an answer that says it is JSON is parsed as JSON.
  if (contentType !== undefined && !/json/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
