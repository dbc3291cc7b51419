/**
 * A tenant's user as a users file would hold it: only the attributes a file can hold, `user_id` as
 * the file gives it, numbers exact. The plan compares it with the file's user attribute by attribute.
 */
import { canonical, parseExact } from '../users/exact-json.js';
import { isJsonObject } from '../users/json-value.js';
import { UserSchema } from '../users/schema.js';

/** Auth0 keeps these but never exports them (nor answers them through the Users API). */
const NEVER_EXPORTED = new Set(['password_hash', 'custom_password_hash', 'mfa_factors']);

/**
 * The root attributes a users file can hold that an export can bring back: what an export job is asked
 * for (Auth0 takes at most 30 fields; with `json` a root object such as `app_metadata` comes whole).
 */
export const EXPORTED_ATTRIBUTES: readonly string[] = Object.keys(UserSchema.shape).filter(
  (name) => !NEVER_EXPORTED.has(name),
);

/** Auth0 writes `auth0|` before the user_id a file gives (or before one it makes up). */
const AUTH0_PREFIX = 'auth0|';

/**
 * An exported user in file shape: only the attributes a users file can hold, `user_id` without the
 * `auth0|` Auth0 put before it (a file's `user_id` is what Auth0 prefixes). `identities`, `created_at`
 * and the like are dropped.
 */
export function fileShapeOf(exported: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const user: Record<string, unknown> = {};
  for (const name of EXPORTED_ATTRIBUTES) {
    if (exported[name] !== undefined) user[name] = exported[name];
  }
  if (typeof user.user_id === 'string' && user.user_id.startsWith(AUTH0_PREFIX))
    user.user_id = user.user_id.slice(AUTH0_PREFIX.length);
  return user;
}

/** One user of a tenant's export, read from one NDJSON line. */
export interface TenantUser {
  /** The lower-cased email, Auth0's upsert key; undefined for a user without one. */
  key: string | undefined;
  /** The user in file shape, every value as exported. */
  user: Record<string, unknown>;
  /** That user as canonical JSON (keys sorted, numbers exact): what the plan keeps of it. */
  text: string;
}

export class ExportLineError extends Error {}

/** Parses one line of an export; `line` counts from 1, for the message. */
export function tenantUserOf(text: string, line: number): TenantUser {
  let parsed: unknown;
  try {
    parsed = parseExact(text);
  } catch {
    // JSON.parse's message quotes the text around the fault: a user's data, never shown.
    throw new ExportLineError(`line ${line} of the export is not JSON`);
  }
  if (!isJsonObject(parsed)) throw new ExportLineError(`line ${line} of the export is not a JSON object`);
  const user = fileShapeOf(parsed);
  return {
    key: typeof user.email === 'string' ? user.email.toLowerCase() : undefined,
    user,
    text: canonical(user),
  };
}
