/**
 * What a message may quote from a users file. A pull request's check log may be public, and a
 * user record holds credentials (password hashes, salts, HMAC keys, TOTP secrets) and personal
 * data (phone numbers, metadata). So values are quoted only from an allow-list of fields that hold
 * neither; every other value is described by its shape: "a 32-character string", "a number".
 *
 * Every message about a user's values goes through here: the validator's today, the report's and
 * the reduction of Auth0's echo of rejected users later.
 */
import type { JsonPath } from './problem.js';

interface QuotableField {
  path: readonly string[];
  /** Of any other type the value is described by its shape: a secret put in the wrong field stays unquoted. */
  type: 'string' | 'number';
}

const field = (type: QuotableField['type'], ...path: string[]): QuotableField => ({ path, type });

/**
 * Fields that name the user (a person needs them to find the record), fields whose value is one of
 * a fixed list of names, and scrypt's numeric parameters. Those are parameters, not secrets, like
 * bcrypt's cost: every scrypt PHC string carries them in clear, and a message about one means
 * nothing without it. Booleans are quotable anywhere: one bit tells nothing.
 */
const QUOTABLE_FIELDS: readonly QuotableField[] = [
  ...['email', 'user_id', 'username', 'given_name', 'family_name', 'name', 'nickname', 'picture'].map(
    (name) => field('string', name),
  ),
  field('string', 'custom_password_hash', 'algorithm'),
  field('string', 'custom_password_hash', 'hash', 'encoding'),
  field('string', 'custom_password_hash', 'hash', 'digest'),
  field('string', 'custom_password_hash', 'hash', 'key', 'encoding'),
  field('string', 'custom_password_hash', 'salt', 'encoding'),
  field('string', 'custom_password_hash', 'salt', 'position'),
  field('string', 'custom_password_hash', 'password', 'encoding'),
  ...['keylen', 'cost', 'blockSize', 'parallelization'].map((name) =>
    field('number', 'custom_password_hash', name),
  ),
];

function quotableField(path: JsonPath): QuotableField | undefined {
  return QUOTABLE_FIELDS.find(
    (candidate) =>
      candidate.path.length === path.length && candidate.path.every((name, i) => name === path[i]),
  );
}

/** Whether a value at `path` (from the user object, `[]` being the user) may be quoted when it has its field's type. */
export function isQuotable(path: JsonPath): boolean {
  return quotableField(path) !== undefined;
}

/** The value at `path` as a message may show it: quoted when the policy allows, else its shape. */
export function quote(path: JsonPath, value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  const allowed = quotableField(path);
  if (allowed === undefined || typeof value !== allowed.type) return describeShape(value);
  return typeof value === 'string' ? quoteText(value) : String(value);
}

/** A property name as a message shows it: names are chosen by the schema or the author, never secrets, but may be huge. */
export function quoteName(name: string): string {
  return quoteText(name);
}

const SHOWN_CHARACTERS = 60;

function quoteText(text: string): string {
  return JSON.stringify(text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS - 1)}…` : text);
}

/**
 * A value by its kind and size alone. A self-describing hash also shows its scheme (`"$argon2id$"`,
 * `"{SSHA}"`) and, for bcrypt, its cost (`"$2b$12$"`), which is what a message about it needs;
 * nothing after them.
 */
export function describeShape(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length === 0) return 'an empty string';
    const scheme = hashScheme(value);
    return `a ${value.length}-character string${scheme === undefined ? '' : ` starting ${JSON.stringify(scheme)}`}`;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

// bcrypt's "$2b$12$" (scheme and cost); a modular-crypt or PHC identifier ("$argon2id$",
// "$pbkdf2-sha256$", "$6$"); an RFC 2307 scheme ("{SSHA}"). Short, closed alphabets: the
// identifier of an algorithm, never a piece of the secret after it.
const HASH_SCHEME = /^(?:\$2[abxy]?\$\d\d\$|\$[a-z0-9-]{1,16}\$|\{[A-Za-z0-9-]{1,16}\})/;

/** The scheme a self-describing hash starts with, as describeShape shows it. */
export function hashScheme(value: string): string | undefined {
  return HASH_SCHEME.exec(value)?.[0];
}

/** Shorter values are too common to remove from a message without mangling it, and too short to be secrets. */
const MIN_SCRUBBED_LENGTH = 4;

/**
 * Every value of a user that may not be quoted, as text: what must be removed from any free text
 * about it (Auth0's messages and status_details quote users as they stood in the file). A value
 * that is also quoted elsewhere in the same user (an MFA email equal to the user's email) is public
 * already and kept.
 */
export function unquotableValues(user: unknown): string[] {
  const hidden: string[] = [];
  const shown = new Set<string>();
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (value !== null && typeof value === 'object') {
      const array = Array.isArray(value);
      for (const [key, child] of Object.entries(value)) walk(child, [...path, array ? Number(key) : key]);
      return;
    }
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (quotableField(path)?.type === typeof value) shown.add(text);
    else if (text.length >= MIN_SCRUBBED_LENGTH) hidden.push(text);
  };
  walk(user, []);
  return hidden.filter((text) => !shown.has(text));
}
