/**
 * What a change to the users files did to each user: matched across versions by email (Auth0's
 * upsert key, case-insensitive) and compared by value, key order ignored.
 */
import type { RunUser } from './validate.js';

export interface RemovedUser {
  email: string;
  userId?: string;
}

export interface UserChanges {
  added: RunUser[];
  modified: RunUser[];
  unchanged: RunUser[];
  /** In the previous version, not in this one: bulk import cannot delete them, so they stay in Auth0. */
  removed: RemovedUser[];
  /** Removed + added with the same user_id: an email change, which import cannot apply as a rename. */
  emailChanges: { from: string; to: RunUser }[];
}

/** JSON text with every object's keys sorted: equal for values that differ only in key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  });
}

/** The users of a previous version; a version that is not a JSON array of users counts as none. */
export function previousUsers(text: string | undefined): Record<string, unknown>[] {
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return Array.isArray(parsed)
      ? parsed.filter((user): user is Record<string, unknown> => !!user && typeof user === 'object')
      : [];
  } catch {
    return [];
  }
}

export function diffUsers(
  previous: readonly Record<string, unknown>[],
  current: readonly RunUser[],
): UserChanges {
  const before = new Map<string, Record<string, unknown>>();
  for (const user of previous) {
    if (typeof user.email === 'string' && !before.has(user.email.toLowerCase()))
      before.set(user.email.toLowerCase(), user);
  }
  const changes: UserChanges = { added: [], modified: [], unchanged: [], removed: [], emailChanges: [] };
  const seen = new Set<string>();
  for (const user of current) {
    const key = user.email?.toLowerCase() ?? '';
    seen.add(key);
    const old = before.get(key);
    if (!old) changes.added.push(user);
    else if (canonicalJson(old) === canonicalJson(JSON.parse(user.text.slice(user.start, user.end))))
      changes.unchanged.push(user);
    else changes.modified.push(user);
  }
  for (const [key, user] of before) {
    if (seen.has(key)) continue;
    changes.removed.push({
      email: String(user.email),
      ...(typeof user.user_id === 'string' ? { userId: user.user_id } : {}),
    });
  }
  const addedByUserId = new Map(
    changes.added.filter((user) => user.userId).map((user) => [user.userId, user]),
  );
  for (const removed of changes.removed) {
    const to = removed.userId ? addedByUserId.get(removed.userId) : undefined;
    if (to) changes.emailChanges.push({ from: removed.email, to });
  }
  return changes;
}
