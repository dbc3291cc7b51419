/** TEMPORARY stand-in until the users branch's policy lands: which of a user's values may be quoted. */
import type { JsonPath } from './problem.js';

const ROOT = new Set([
  'email',
  'user_id',
  'username',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
]);

export function isQuotable(path: JsonPath, value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  return path.length === 1 && typeof path[0] === 'string' && ROOT.has(path[0]);
}

/** Shorter values are too common to remove from a message without mangling it, and too short to be secrets. */
const MIN_SCRUB_LENGTH = 4;

/** Every value of a user that may not be quoted, as text: what must be removed from any message about it. */
export function unquotableValues(user: unknown): string[] {
  const found: string[] = [];
  const quoted = new Set<string>();
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value))
        walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
      return;
    }
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (isQuotable(path, value)) quoted.add(text);
    else if (text.length >= MIN_SCRUB_LENGTH) found.push(text);
  };
  walk(user, []);
  return found.filter((text) => !quoted.has(text));
}
