import { randomHex } from './ids.js';
import { redactForErrorReport, validateUser, type ImportedUser, type UserError } from './user-record.js';

/** A user as the emulator keeps it in a connection. */
export type StoredUser = Omit<ImportedUser, 'user_id' | 'email_verified'> & {
  /** `auth0|` + the imported `user_id`, or + 24 random hex digits. */
  user_id: string;
  email_verified: boolean;
  created_at: string;
  updated_at: string;
};

/** One entry of `GET /jobs/{id}/errors`. */
export interface JobUserError {
  user: Record<string, unknown>;
  errors: UserError[];
}

export interface ImportSummary {
  total: number;
  inserted: number;
  updated: number;
  failed: number;
}

export interface ImportOutcome {
  summary: ImportSummary;
  errors: JobUserError[];
}

/** What an upsert replaces; everything else of an existing user (blocked, username, hashes, MFA…) stays. */
const UPSERT_REPLACES = [
  'app_metadata',
  'user_metadata',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'custom_password_hash',
] as const;

/** The users of one connection. */
export class UserStore {
  readonly #users: StoredUser[] = [];

  list(): StoredUser[] {
    return structuredClone(this.#users);
  }

  /** Adds a user without any check; the caller has made sure it conflicts with none. */
  insert(user: ImportedUser, at: string): void {
    const { user_id: givenId, email_verified: emailVerified, ...profile } = structuredClone(user);
    this.#users.push({
      ...profile,
      user_id: `auth0|${givenId ?? randomHex(24)}`,
      email_verified: emailVerified ?? false,
      created_at: at,
      updated_at: at,
    });
  }

  /** Auth0 matches emails case-insensitively. */
  byEmail(email: string): StoredUser | undefined {
    const wanted = email.toLowerCase();
    return this.#users.find((user) => user.email.toLowerCase() === wanted);
  }

  byUserId(givenId: string): StoredUser | undefined {
    return this.#users.find((user) => user.user_id === `auth0|${givenId}`);
  }

  byUsername(username: string): StoredUser | undefined {
    return this.#users.find((user) => user.username === username);
  }

  byPhoneNumber(phoneNumber: string): StoredUser | undefined {
    return this.#users.find((user) => user.phone_number === phoneNumber);
  }
}

/**
 * Applies one job's users to the store, in file order, and says what became of each.
 * Duplicates inside one file are errors (the first occurrence wins), never insert-then-update.
 */
export function importUsers(
  store: UserStore,
  users: readonly Record<string, unknown>[],
  upsert: boolean,
  at: string,
): ImportOutcome {
  const summary: ImportSummary = { total: users.length, inserted: 0, updated: 0, failed: 0 };
  const errors: JobUserError[] = [];
  const seen = { emails: new Set<string>(), userIds: new Set<string>(), usernames: new Set<string>() };
  for (const raw of users) {
    const problems = validateUser(raw);
    const user = raw as unknown as ImportedUser;
    if (problems.length === 0) problems.push(...conflictsInFile(user, seen));
    if (problems.length === 0) problems.push(...conflictsInStore(store, user, upsert));
    if (problems.length > 0) {
      summary.failed++;
      errors.push({ user: redactForErrorReport(raw), errors: problems });
      continue;
    }
    const existing = upsert ? store.byEmail(user.email) : undefined;
    if (existing) {
      replaceOnUpsert(existing, user, at);
      summary.updated++;
    } else {
      store.insert(user, at);
      summary.inserted++;
    }
  }
  return { summary, errors };
}

function conflictsInFile(
  user: ImportedUser,
  seen: { emails: Set<string>; userIds: Set<string>; usernames: Set<string> },
): UserError[] {
  const email = user.email.toLowerCase();
  const problems: UserError[] = [];
  if (seen.emails.has(email)) {
    problems.push({
      code: 'CONFLICT_EMAIL',
      message: `The email ${user.email} is repeated in this users file`,
    });
  }
  if (user.user_id !== undefined && seen.userIds.has(user.user_id)) {
    problems.push({
      code: 'CONFLICT',
      message: `The user_id ${user.user_id} is repeated in this users file`,
    });
  }
  if (user.username !== undefined && seen.usernames.has(user.username)) {
    problems.push({
      code: 'CONFLICT_USERNAME',
      message: `The username ${user.username} is repeated in this users file`,
    });
  }
  seen.emails.add(email);
  if (user.user_id !== undefined) seen.userIds.add(user.user_id);
  if (user.username !== undefined) seen.usernames.add(user.username);
  return problems;
}

function conflictsInStore(store: UserStore, user: ImportedUser, upsert: boolean): UserError[] {
  const sameEmail = store.byEmail(user.email);
  const sameUserId = user.user_id === undefined ? undefined : store.byUserId(user.user_id);
  const sameUsername = user.username === undefined ? undefined : store.byUsername(user.username);
  if (!upsert) {
    const samePhone = user.phone_number === undefined ? undefined : store.byPhoneNumber(user.phone_number);
    return sameEmail || sameUserId || sameUsername || samePhone
      ? [{ code: 'DUPLICATED_USER', message: 'The user already exist and upsert parameter is false' }]
      : [];
  }
  // With upsert the email picks the user to update; an id or username held by someone else still clashes.
  const problems: UserError[] = [];
  if (sameUserId && sameUserId !== sameEmail) {
    problems.push({ code: 'CONFLICT', message: 'Another user already has this user_id', path: 'user_id' });
  }
  if (sameUsername && sameUsername !== sameEmail) {
    problems.push({
      code: 'CONFLICT_USERNAME',
      message: 'Another user already has this username',
      path: 'username',
    });
  }
  return problems;
}

function replaceOnUpsert(existing: StoredUser, user: ImportedUser, at: string): void {
  for (const key of UPSERT_REPLACES) {
    if (user[key] !== undefined) Object.assign(existing, { [key]: structuredClone(user[key]) });
  }
  existing.email_verified = user.email_verified ?? false;
  existing.updated_at = at;
}
