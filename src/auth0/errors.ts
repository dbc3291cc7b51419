/**
 * What a failed request means, as values callers can act on: Auth0 answered no (for good or not),
 * the answer was lost (the request may have been carried out), no answer came at all, or the run
 * itself ended the wait (cancellation, wait-timeout-seconds).
 */

/** Auth0 answered, finally, with something other than success. */
export class Auth0Error extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, body: unknown, context: string) {
    const { message, code } = describeBody(body);
    super(`${context}: Auth0 answered ${status}${code ? ` ${code}` : ''}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

/**
 * Auth0 refused the credentials for good: a 401 for a token given as it is, or for a token just
 * renewed after an earlier 401, or a 403. Asking again cannot help, so waiting stops at once.
 */
export function isPermanentRefusal(error: unknown): error is Auth0Error {
  return error instanceof Auth0Error && (error.status === 401 || error.status === 403);
}

/** A request that Auth0 may or may not have carried out: it left, and its answer was lost or a 5xx. */
export class UncertainError extends Error {}

/** No answer after every attempt (repeatable requests only: nothing can have been done twice). */
export class UnreachableError extends Error {}

/** A TLS failure names the likely cause: an emulator or proxy on loopback speaks plain http. */
export class TlsError extends Error {}

/** The run was cancelled while waiting for, or during, a request. */
export class CancelledError extends Error {
  /** The request was on its way: Auth0 may have carried it out. */
  readonly inFlight: boolean;
  constructor(inFlight = false) {
    super('Cancelled');
    this.inFlight = inFlight;
  }
}

/** wait-timeout-seconds ran out while waiting for, or during, a request. */
export class DeadlineError extends Error {
  /** The request was on its way: Auth0 may have carried it out. */
  readonly inFlight: boolean;
  constructor(what: string, inFlight = false) {
    super(`wait-timeout-seconds ran out ${what}`);
    this.inFlight = inFlight;
  }
}

/**
 * A short description of an error answer. Bodies may be Auth0's JSON, a token error, or an HTML
 * page from Cloudflare in front of Auth0: HTML is named, never quoted.
 */
export function describeBody(body: unknown): { message: string; code: string | undefined } {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const message = record.message ?? record.error_description ?? record.error ?? JSON.stringify(body);
    const code = record.errorCode ?? record.error;
    return { message: String(message), code: typeof code === 'string' ? code : undefined };
  }
  if (typeof body !== 'string' || body.trim() === '') return { message: '(no body)', code: undefined };
  if (/^\s*</.test(body)) {
    const title = /<title>([^<]{1,120})<\/title>/i.exec(body)?.[1]?.trim();
    return { message: `an HTML error page${title ? ` ("${title}")` : ''}`, code: undefined };
  }
  return { message: body.slice(0, 300), code: undefined };
}

/** Auth0's job-limit 429 shares its status with the rate-limit 429 but means something else entirely. */
export function isJobLimit(response: { status: number; body: unknown }): boolean {
  return response.status === 429 && /active import users jobs/i.test(describeBody(response.body).message);
}

/** What to say of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
