/**
 * A tenant's user as a users file would hold it, and the one form in which a tenant user and a file
 * user are compared: the same rules applied to both sides, so that equal texts mean "the import would
 * find this user as the file describes it".
 */
import { canonicalJson } from '../users/diff.js';
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
 * Auth0's default picture: Gravatar, falling back to an avatar of the initials on Auth0's CDN. Known
 * by its shape, not by the hash of the current email: a later email change leaves the picture as it was.
 */
const AUTH0_PICTURE =
  /^https:\/\/s\.gravatar\.com\/avatar\/[0-9a-f]{32}\?s=480&r=pg&d=https%3A%2F%2Fcdn\.auth0\.com%2Favatars%2F[^&]*\.png$/;

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

/**
 * A user (from a file, or a tenant's in file shape) reduced to what both sides can show, for comparing:
 * - only EXPORTED_ATTRIBUTES (password hashes and MFA factors never come back from Auth0);
 * - the email lower-cased (Auth0 matches emails in any case; the upsert key);
 * - no value Auth0 would give a user whose file leaves it out: `name` equal to the email, `nickname`
 *   equal to its local part (both in any case), a `picture` of Auth0's Gravatar shape, and `false` for
 *   `email_verified`, `blocked` and `phone_verified`. Auth0 always holds a name, nickname, picture and
 *   email_verified, so a tenant user without one of them holds Auth0's default for it.
 */
export function comparableUser(user: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const comparable: Record<string, unknown> = {};
  const email = typeof user.email === 'string' ? user.email.toLowerCase() : undefined;
  for (const name of EXPORTED_ATTRIBUTES) {
    const value = user[name];
    if (value !== undefined && !isAuth0Default(name, value, email)) comparable[name] = value;
  }
  if (email !== undefined) comparable.email = email;
  return comparable;
}

function isAuth0Default(name: string, value: unknown, email: string | undefined): boolean {
  switch (name) {
    case 'email_verified':
    case 'blocked':
    case 'phone_verified':
      return value === false;
    case 'name':
      return email !== undefined && typeof value === 'string' && value.toLowerCase() === email;
    case 'nickname':
      return email !== undefined && typeof value === 'string' && value.toLowerCase() === email.split('@')[0];
    case 'picture':
      return typeof value === 'string' && AUTH0_PICTURE.test(value);
    default:
      return false;
  }
}

/** The text a plan compares: the comparable user as canonical JSON (keys sorted), as the file side's. */
export function comparableText(user: Readonly<Record<string, unknown>>): string {
  return canonicalJson(comparableUser(user));
}

/** One user of a tenant's export, read from one NDJSON line. */
export interface TenantUser {
  /** The lower-cased email, Auth0's upsert key; undefined for a user without one. */
  key: string | undefined;
  /** The user in file shape, every value as exported. */
  user: Record<string, unknown>;
  /** comparableText of that user. */
  text: string;
}

export class ExportLineError extends Error {}

/** Parses one line of an export; `line` counts from 1, for the message. */
export function tenantUserOf(text: string, line: number): TenantUser {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault: a user's data, never shown.
    throw new ExportLineError(`line ${line} of the export is not JSON`);
  }
  if (!isJsonObject(parsed)) throw new ExportLineError(`line ${line} of the export is not a JSON object`);
  const user = fileShapeOf(parsed);
  const comparable = comparableUser(user);
  return {
    key: typeof comparable.email === 'string' ? comparable.email : undefined,
    user,
    text: canonicalJson(comparable),
  };
}
