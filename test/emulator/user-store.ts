import { createHash } from 'node:crypto';
import { randomHex } from './ids.js';
import type { Connection } from './options.js';
import {
  redactForErrorReport,
  validateUser,
  type ErrorShapes,
  type ImportedUser,
  type UserError,
} from './user-record.js';

/** An identity of a user: a database user has one; a primary user also those linked to it, in order. */
export interface UserIdentity {
  connection: string;
  /** The user_id without its provider prefix (`auth0|`, `google-oauth2|`). */
  user_id: string;
  provider: string;
  isSocial: boolean;
  /** A linked (secondary) identity's own profile. */
  profileData?: { email?: string };
}

/** A user as the Users API answers it (and an export reads it). */
export interface Auth0User {
  /** `auth0|` + the imported `user_id`, or + 24 random hex digits. */
  user_id: string;
  email: string;
  email_verified: boolean;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  blocked?: boolean;
  given_name?: string;
  family_name?: string;
  /** Auth0 fills in the email when none is given. */
  name: string;
  /** Auth0 fills in the email's local part when none is given. */
  nickname: string;
  /** Auth0 fills in a Gravatar URL when none is given. */
  picture: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  /** The primary identity first, then the linked ones in the order they were linked. */
  identities: [UserIdentity, ...UserIdentity[]];
  created_at: string;
  updated_at: string;
}

/** A user as the emulator keeps it: Auth0's shape plus what Auth0 keeps but never answers nor exports. */
export interface StoredUser extends Auth0User {
  password_hash?: string;
  custom_password_hash?: Record<string, unknown>;
  mfa_factors?: unknown[];
  /** The plain password a `PATCH` set, so that a test can check it. */
  password?: string;
}

/** A stored user without its secrets: what the Users API answers. Shallow: serialise it, do not keep it. */
export function publicUser(user: StoredUser): Auth0User {
  const {
    password_hash: _hash,
    custom_password_hash: _custom,
    mfa_factors: _factors,
    password: _password,
    ...rest
  } = user;
  return rest;
}

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

/** The properties a user is found by, besides its user_id; an edit of one must re-index the user. */
const MATCH_KEYS = ['email', 'username', 'phone_number'] as const;
type MatchKey = (typeof MATCH_KEYS)[number];

/** The users of one connection, indexed by every property Auth0 matches users on. */
export class UserStore {
  readonly connection: Connection;
  readonly #byUserId = new Map<string, StoredUser>();
  readonly #index: Record<MatchKey, Map<string, StoredUser>> = {
    email: new Map(),
    username: new Map(),
    phone_number: new Map(),
  };

  constructor(connection: Connection) {
    this.connection = connection;
  }

  /** Copies of the users, oldest first. */
  list(): StoredUser[] {
    return structuredClone([...this.#byUserId.values()]);
  }

  /** The users themselves, oldest first: for reading only. */
  values(): IterableIterator<StoredUser> {
    return this.#byUserId.values();
  }

  /** Adds a user without any check; the caller has made sure it conflicts with none. */
  insert(user: ImportedUser, at: string): StoredUser {
    const { user_id: givenId, email_verified: emailVerified, ...profile } = copyOf(user);
    const id = givenId ?? randomHex(24);
    const stored: StoredUser = {
      ...profile,
      email: this.#stored(user.email),
      user_id: `auth0|${id}`,
      email_verified: emailVerified ?? false,
      name: profile.name ?? user.email,
      nickname: profile.nickname ?? user.email.split('@')[0] ?? user.email,
      picture: profile.picture ?? gravatarOf(user.email),
      identities: [{ connection: this.connection.name, user_id: id, provider: 'auth0', isSocial: false }],
      created_at: at,
      updated_at: at,
    };
    this.#byUserId.set(stored.user_id, stored);
    this.#addToIndex(stored);
    return stored;
  }

  /** Adds a user as it is (a social primary user a test links to): no check, no default filled in. */
  put(user: StoredUser): void {
    this.#byUserId.set(user.user_id, user);
    this.#addToIndex(user);
  }

  /** Database connections keep emails lower-cased (facts doc, users-by-email); others as given. */
  #stored(email: string): string {
    return this.connection.strategy === 'auth0' ? email.toLowerCase() : email;
  }

  /** By the full user_id (`auth0|…`). */
  get(userId: string): StoredUser | undefined {
    return this.#byUserId.get(userId);
  }

  /** Auth0 matches emails case-insensitively. */
  byEmail(email: string): StoredUser | undefined {
    return this.#index.email.get(email.toLowerCase());
  }

  /** By the user_id as given in a users file, without `auth0|`. */
  byUserId(givenId: string): StoredUser | undefined {
    return this.#byUserId.get(`auth0|${givenId}`);
  }

  byUsername(username: string): StoredUser | undefined {
    return this.#index.username.get(username);
  }

  byPhoneNumber(phoneNumber: string): StoredUser | undefined {
    return this.#index.phone_number.get(phoneNumber);
  }

  /** The user that already holds `value` as its email, username or phone number, other than `user`. */
  holderOf(key: MatchKey, value: string, user: StoredUser): StoredUser | undefined {
    const holder = this.#index[key].get(key === 'email' ? value.toLowerCase() : value);
    return holder === user ? undefined : holder;
  }

  /** Changes a user in place; `undefined` values remove the property. Keeps the indexes right. */
  edit(user: StoredUser, changes: Partial<StoredUser>): void {
    this.#removeFromIndex(user);
    if (changes.email !== undefined) changes = { ...changes, email: this.#stored(changes.email) };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete (user as unknown as Record<string, unknown>)[key];
      else Object.assign(user, { [key]: value });
    }
    this.#addToIndex(user);
  }

  remove(user: StoredUser): void {
    this.#removeFromIndex(user);
    this.#byUserId.delete(user.user_id);
  }

  #addToIndex(user: StoredUser): void {
    for (const key of MATCH_KEYS) {
      const value = user[key];
      if (value !== undefined) this.#index[key].set(key === 'email' ? value.toLowerCase() : value, user);
    }
  }

  #removeFromIndex(user: StoredUser): void {
    for (const key of MATCH_KEYS) {
      const value = user[key];
      if (value !== undefined) this.#index[key].delete(key === 'email' ? value.toLowerCase() : value);
    }
  }
}

/** A copy that shares nothing with `user`; only its object values need a deep copy (and most users have none). */
function copyOf(user: ImportedUser): ImportedUser {
  const copy: Record<string, unknown> = { ...user };
  for (const [key, value] of Object.entries(copy)) {
    if (typeof value === 'object' && value !== null) copy[key] = structuredClone(value);
  }
  return copy as unknown as ImportedUser;
}

/** The picture Auth0 gives a user who has none: Gravatar, falling back to an avatar of the initials. */
function gravatarOf(email: string): string {
  const normalized = email.trim().toLowerCase();
  const hash = createHash('md5').update(normalized).digest('hex');
  const fallback = encodeURIComponent(`https://cdn.auth0.com/avatars/${normalized.slice(0, 2)}.png`);
  return `https://s.gravatar.com/avatar/${hash}?s=480&r=pg&d=${fallback}`;
}

export interface ImportOptions {
  upsert: boolean;
  /** ISO time written into created_at / updated_at. */
  at: string;
  shapes: ErrorShapes;
  /** A fault: whether the MFA factors of the user with this email fail to import. */
  factorsFail: (email: string) => boolean;
  /** A fault: the error a user is refused with, when it gives one. */
  refusal: UserRefusal;
}

/** Picks users to refuse and says with what (e.g. a z-schema PATTERN message quoting a value). */
export type UserRefusal = (user: Readonly<Record<string, unknown>>) => UserError | undefined;

export const NO_REFUSAL: UserRefusal = () => undefined;

/**
 * Applies one job's users to the store, in file order, and says what became of each.
 * Duplicates inside one file are errors (the first occurrence wins), never insert-then-update.
 */
export function importUsers(
  store: UserStore,
  users: readonly Record<string, unknown>[],
  options: ImportOptions,
): ImportOutcome {
  const summary: ImportSummary = { total: users.length, inserted: 0, updated: 0, failed: 0 };
  const errors: JobUserError[] = [];
  const seen = new RepeatsInFile(options.shapes);
  for (const raw of users) {
    const problems = validateUser(raw, options.shapes);
    const user = raw as unknown as ImportedUser;
    const refused = problems.length === 0 ? options.refusal(raw) : undefined;
    if (refused) problems.push(refused);
    if (problems.length === 0) problems.push(...seen.check(user));
    if (problems.length === 0) problems.push(...conflictsInStore(store, user, options.upsert));
    const existing = problems.length === 0 && options.upsert ? store.byEmail(user.email) : undefined;
    if (problems.length === 0) {
      const factorsFail = user.mfa_factors !== undefined && options.factorsFail(user.email);
      const { mfa_factors: _factors, ...withoutFactors } = user;
      if (existing) replaceOnUpsert(store, existing, user, options.at);
      else store.insert(factorsFail ? withoutFactors : user, options.at);
      // The profile is written, the factors are not, and the user is reported as failed.
      if (factorsFail) problems.push({ code: 'MFA_FACTORS_FAILED', message: 'Unable to import factors' });
      else if (existing) summary.updated++;
      else summary.inserted++;
    }
    if (problems.length > 0) {
      summary.failed++;
      errors.push({ user: redactForErrorReport(raw), errors: problems });
    }
  }
  return { summary, errors };
}

/** The emails, user_ids and usernames met so far in one users file. */
class RepeatsInFile {
  readonly #shapes: ErrorShapes;
  readonly #seen = { email: new Set<string>(), user_id: new Set<string>(), username: new Set<string>() };

  constructor(shapes: ErrorShapes) {
    this.#shapes = shapes;
  }

  check(user: ImportedUser): UserError[] {
    const values = { email: user.email.toLowerCase(), user_id: user.user_id, username: user.username };
    const problems: UserError[] = [];
    for (const key of ['email', 'user_id', 'username'] as const) {
      const value = values[key];
      if (value === undefined) continue;
      if (this.#seen[key].has(value)) problems.push(this.#repeated(key, value));
      this.#seen[key].add(value);
    }
    return problems;
  }

  #repeated(key: 'email' | 'user_id' | 'username', value: string): UserError {
    if (this.#shapes === 'real') {
      return { code: 'DUPLICATED_USER', message: `A user with this ${key} was already provided.` };
    }
    const code = { email: 'CONFLICT_EMAIL', user_id: 'CONFLICT', username: 'CONFLICT_USERNAME' }[key];
    return { code, message: `The ${key} ${value} is repeated in this users file` };
  }
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

function replaceOnUpsert(store: UserStore, existing: StoredUser, user: ImportedUser, at: string): void {
  const changes: Partial<StoredUser> = { email_verified: user.email_verified ?? false, updated_at: at };
  for (const key of UPSERT_REPLACES) {
    if (user[key] !== undefined) Object.assign(changes, { [key]: structuredClone(user[key]) });
  }
  store.edit(existing, changes);
}
