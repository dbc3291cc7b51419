/**
 * Users echoed by Auth0 come back as they stood in the file: hashes, salts, keys, TOTP secrets,
 * phone numbers and metadata in clear. Only email and user_id may leave this module.
 */
import type { EchoedFailure } from '../auth0/jobs.js';
import { userJson, type RunUser } from '../users/validate.js';

export const REDACTED = '[redacted]';

/** Shorter strings are too common to scrub without mangling messages, and too short to be secrets. */
const MIN_SCRUB_LENGTH = 4;

/** Every string in a user that is not email or user_id: the things that must never be shown. */
export function sensitiveValues(user: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key: string | undefined, top: boolean): void => {
    if (typeof value === 'string') {
      if (!(top && (key === 'email' || key === 'user_id')) && value.length >= MIN_SCRUB_LENGTH)
        found.push(value);
    } else if (value && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) walk(child, childKey, false);
    }
  };
  if (user && typeof user === 'object') {
    for (const [key, value] of Object.entries(user)) walk(value, key, true);
  }
  return found;
}

/** Replaces every sensitive value inside `text`, longest first so no fragment of one survives. */
export function scrub(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out;
}

/** A user Auth0 rejected, reduced to what may be shown. */
export interface FailedUser {
  chunk: number;
  jobId: string;
  /** Where the user stands in the run; absent when Auth0's echo matched no user of the chunk. */
  file?: string;
  line?: number;
  email?: string;
  userId?: string;
  codes: string[];
  messages: string[];
}

function stringField(user: unknown, key: string): string | undefined {
  const value = (user as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'string' ? value.slice(0, 320) : undefined;
}

/**
 * Traces each rejected user back to its file and line (Auth0 does not say which array index
 * failed: match by email, then user_id, within the job's chunk) and drops everything else.
 */
export function reduceFailures(
  failures: readonly EchoedFailure[],
  chunkUsers: readonly RunUser[],
  job: { chunk: number; jobId: string },
): FailedUser[] {
  const byEmail = new Map<string, RunUser>();
  const byUserId = new Map<string, RunUser>();
  for (const user of chunkUsers) {
    if (user.email) byEmail.set(user.email.toLowerCase(), user);
    if (user.userId) byUserId.set(user.userId, user);
  }
  return failures.map((failure) => {
    const echoedEmail = stringField(failure.user, 'email');
    const echoedUserId = stringField(failure.user, 'user_id');
    const match =
      (echoedEmail && byEmail.get(echoedEmail.toLowerCase())) ||
      (echoedUserId && byUserId.get(echoedUserId)) ||
      undefined;
    const secrets = [
      ...sensitiveValues(failure.user),
      ...(match ? sensitiveValues(JSON.parse(userJson(match))) : []),
    ];
    const email = match?.email ?? echoedEmail;
    const userId = match?.userId ?? echoedUserId;
    return {
      chunk: job.chunk,
      jobId: job.jobId,
      ...(match ? { file: match.file, line: match.line } : {}),
      ...(email ? { email } : {}),
      ...(userId ? { userId } : {}),
      codes: failure.errors.map((error) => error.code),
      messages: failure.errors.map((error) =>
        scrub(`${error.message}${error.path ? ` (at ${error.path})` : ''}`, secrets),
      ),
    };
  });
}
