/**
 * Auth0 echoes each rejected user as it stood in the file: hashes, salts, keys, TOTP secrets, phone
 * numbers and metadata in clear. Here each echo is traced back to its line and reduced to email,
 * user_id and messages from which every value that may not be quoted is removed. Nothing unreduced
 * leaves src/auth0/.
 */
import type { Chunk } from '../users/chunks.js';
import { unquotableValues } from '../users/quotable.js';
import { userJson, type RunUser } from '../users/validate.js';

export const REDACTED = '[redacted]';

/** Auth0's messages are short; a longer one is cut, so no answer can flood the log or the summary. */
const MAX_MESSAGE_CHARACTERS = 1_000;

/** A user Auth0 rejected, reduced to what may be shown. */
export interface FailedUser {
  chunk: string;
  jobId: string;
  /** Where the user stands in the run; absent when Auth0's echo matched no user of the chunk. */
  file?: string;
  line?: number;
  email?: string;
  userId?: string;
  codes: string[];
  messages: string[];
}

/** Replaces every value inside `text`, longest first so no fragment of one survives. */
export function scrub(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out;
}

function parsedUser(user: RunUser): unknown {
  return JSON.parse(userJson(user));
}

/** Free text about a chunk (a failed job's status_details) with nothing of its users but what may be quoted. */
export function scrubChunkSecrets(text: string, chunk: Chunk | undefined): string {
  if (!chunk) return text;
  return scrub(text, chunk.users.map((user) => unquotableValues(parsedUser(user))).flat());
}

function cut(text: string): string {
  return text.length > MAX_MESSAGE_CHARACTERS ? `${text.slice(0, MAX_MESSAGE_CHARACTERS - 1)}…` : text;
}

function stringField(user: unknown, key: string): string | undefined {
  const value = (user as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'string' ? value.slice(0, 320) : undefined;
}

/** Auth0's internal names (z-schema paths of its own user model) back to the file's. */
const INTERNAL_NAMES: Readonly<Record<string, string>> = {
  passwordHash: 'password_hash',
  customPasswordHash: 'custom_password_hash',
  appMetadata: 'app_metadata',
  userMetadata: 'user_metadata',
  emailVerified: 'email_verified',
  phoneNumber: 'phone_number',
  phoneVerified: 'phone_verified',
  givenName: 'given_name',
  familyName: 'family_name',
  userId: 'user_id',
  mfaFactors: 'mfa_factors',
};

/** `identities[0].profileData.email` → `email`; `passwordHash` → `password_hash`. */
export function fileProperty(internal: string): string {
  const path = internal.replace(/^identities\[\d+\]\.profileData\./, '').replace(/^profileData\./, '');
  const head = /^[A-Za-z]+/.exec(path)?.[0] ?? '';
  return Object.hasOwn(INTERNAL_NAMES, head) ? `${INTERNAL_NAMES[head]}${path.slice(head.length)}` : path;
}

/** "Error in passwordHash property - String does not match…" → "password_hash: String does not match…". */
export function readableMessage(message: string, path: string | undefined): string {
  const prefixed = /^Error in (\S+) property - ([\s\S]*)$/.exec(message);
  const property = prefixed ? fileProperty(prefixed[1]!) : path ? fileProperty(path) : undefined;
  const text = prefixed ? prefixed[2]! : message;
  return property && !text.startsWith(`${property}:`) ? `${property}: ${text}` : text;
}

interface Entry {
  user: unknown;
  errors: { code: string; message: string; path?: string }[];
}

function entryOf(raw: unknown): Entry {
  const record = (raw && typeof raw === 'object' ? raw : {}) as { user?: unknown; errors?: unknown };
  const errors = Array.isArray(record.errors) ? record.errors : [];
  return {
    user: record.user,
    errors: errors.map((error: unknown) => {
      const e = (error && typeof error === 'object' ? error : {}) as Record<string, unknown>;
      return {
        code: typeof e.code === 'string' && e.code ? e.code : 'UNKNOWN',
        message: typeof e.message === 'string' ? e.message : '',
        ...(typeof e.path === 'string' ? { path: e.path } : {}),
      };
    }),
  };
}

/**
 * Traces each rejected user back to its file and line — Auth0 does not say which array index
 * failed: match by email, then user_id, then username, within the job's chunk — and drops
 * everything else. Accepts any code and any shape.
 */
export function reduceJobErrors(entries: readonly unknown[], chunk: Chunk, jobId: string): FailedUser[] {
  const byKey = new Map<string, RunUser>();
  for (const user of chunk.users) {
    if (user.email) byKey.set(`email:${user.email.toLowerCase()}`, user);
    if (user.userId) byKey.set(`user_id:${user.userId}`, user);
  }
  return entries.map((raw) => {
    const entry = entryOf(raw);
    const echoedEmail = stringField(entry.user, 'email');
    const echoedUserId = stringField(entry.user, 'user_id');
    const match =
      (echoedEmail !== undefined ? byKey.get(`email:${echoedEmail.toLowerCase()}`) : undefined) ??
      (echoedUserId !== undefined ? byKey.get(`user_id:${echoedUserId}`) : undefined);
    const secrets = [...unquotableValues(entry.user), ...(match ? unquotableValues(parsedUser(match)) : [])];
    const email = match?.email ?? echoedEmail;
    const userId = match?.userId ?? echoedUserId;
    return {
      chunk: chunk.label,
      jobId,
      ...(match ? { file: match.file, line: match.line } : {}),
      ...(email ? { email } : {}),
      ...(userId ? { userId } : {}),
      codes: entry.errors.map((error) => error.code),
      messages: entry.errors.map((error) => cut(scrub(readableMessage(error.message, error.path), secrets))),
    };
  });
}
