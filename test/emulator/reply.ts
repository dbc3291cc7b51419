import { STATUS_CODES } from 'node:http';

/** What a route answers; the server writes it (or destroys the socket, for faults). */
export interface Reply {
  status: number;
  /** Sent as JSON; absent for an empty body (204). */
  json?: unknown;
  /** Sent as is, for answers that are not JSON (a gateway's HTML page, an export file). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** The Management API's error body: `{statusCode, error, message, errorCode?}`. */
export function apiError(status: number, message: string, errorCode?: string): Reply {
  const json = { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, errorCode };
  return { status, json };
}

/** The Authentication API's error body (`/oauth/token`): `{error, error_description}`. */
export function oauthError(status: number, error: string, description: string): Reply {
  return { status, json: { error, error_description: description } };
}
