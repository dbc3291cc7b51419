/**
 * The plan: what a run will do to each user, against a baseline (the users files at an earlier
 * commit, or the tenant itself). Users are matched by email (Auth0's upsert key, case-insensitive)
 * across every users file; records are compared exactly, attribute by attribute, and every change
 * is judged by what Auth0's upsert does with it. Pure: no git, no HTTP.
 */
import { offsetOfPath, positionAt } from '../users/json-text.js';
import { quote } from '../users/quotable.js';
import type { RunUsers, UserList } from '../users/run-users.js';
import { userJson, userText, type RunUser } from '../users/validate.js';
import { upsertEffect, type UpsertEffect } from './attributes.js';
import { canonical, isPlainObject, parseExact } from '../users/exact-json.js';

export interface BaselineUser {
  email: string;
  /** As the baseline holds it, numbers exact, in the shape of a users file; parsed when asked. */
  record(): Readonly<Record<string, unknown>>;
  /** Where it stood, for the report: `users.json at abc1234`, or `the tenant`. */
  place: string;
  /** Attributes the baseline cannot show that this record holds anyway (from the last applied files). */
  known?: ReadonlySet<string>;
}

export interface Baseline {
  kind: 'git' | 'tenant';
  /** In words, e.g. "the commit before the push (abc1234)". */
  description: string;
  users: readonly BaselineUser[];
  /** Attributes the baseline cannot show (a tenant export has no password hashes): never compared. */
  unknowable: ReadonlySet<string>;
  /**
   * Why a user whose file gives what the baseline cannot show, and import may yet apply (MFA factors,
   * a custom hash), is sent again rather than counted unchanged: nothing else can tell whether it was
   * applied (an MFA_FACTORS_FAILED user is retried). Absent: such users count as unchanged.
   */
  resendUnseen?: string;
  /**
   * True when the baseline holds attributes a file never gave (the tenant: Auth0 fills name, nickname
   * and picture itself, the dashboard sets others): then only attributes the file gives are compared.
   */
  fileGivesOnly: boolean;
}

export interface AttributeChange {
  attribute: string;
  kind: 'added' | 'changed' | 'removed';
  /** Quoted when the policy allows, else described by shape; absent when the attribute is. */
  before?: string;
  after?: string;
  effect: UpsertEffect;
  /** Where a reader should look: the attribute's key in the current file, else the user. */
  line: number;
  column: number;
}

export type PlannedAction = 'add' | 'update' | 'unchanged' | 'remove' | 'rename' | 'invalid';

export interface PlannedUser {
  action: PlannedAction;
  email: string;
  /** The current user (add, update, unchanged, rename). */
  user?: RunUser;
  /** The baseline's user (update, unchanged, remove, rename). */
  before?: BaselineUser;
  /** Where an invalid user stands in the files (it has no RunUser). */
  at?: { file: string; line: number };
  changes: readonly AttributeChange[];
  /** Attributes the file gives that the baseline cannot show (password hashes in a tenant export). */
  cannotTell: readonly string[];
  /** Destructive effects of an upsert: metadata keys it drops, an email_verified it resets. */
  warnings: readonly string[];
}

/** One empty list for every user that has nothing to list: a plan of 300,000 added users allocates none. */
const NONE: readonly never[] = Object.freeze([]);

export interface Plan {
  baseline?: { kind: Baseline['kind']; description: string };
  /**
   * Every user's plan, in file order. Without a baseline each user is simply added, and the plans
   * are made as they are walked: a run of 300,000 new users keeps no object per user for it.
   */
  users: Iterable<PlannedUser>;
}

/** A current user that has problems, known by its email if it has one. */
export interface InvalidUser {
  email: string;
  file: string;
  line: number;
}

/** The users a plan sends to the import jobs: new and changed ones, never a rename or a removal. */
export function usersToSend(plan: Plan, onlyChanged: boolean, current: RunUsers): RunUsers {
  const ordinals = new Int32Array(current.length);
  let count = 0;
  for (const { user, action } of plan.users) {
    if (user && (action === 'add' || action === 'update' || (!onlyChanged && action === 'unchanged')))
      ordinals[count++] = user.ordinal;
  }
  return current.pick(ordinals.subarray(0, count));
}

type ActionCounts = Record<PlannedAction, number> & { unapplied: number };

/** Counted once per plan: the summary, the outputs and the plan file all ask. */
const countsOf = new WeakMap<Plan, Readonly<ActionCounts>>();

export function countActions(plan: Plan): ActionCounts {
  let counts = countsOf.get(plan);
  if (!counts) {
    const counting = { add: 0, update: 0, unchanged: 0, remove: 0, rename: 0, invalid: 0, unapplied: 0 };
    for (const planned of plan.users) {
      counting[planned.action]++;
      if (isUnapplied(planned)) counting.unapplied++;
    }
    counts = counting;
    countsOf.set(plan, counts);
  }
  return { ...counts };
}

/** An email rename, or a change upsert never (or not reliably) applies: import alone will not make it. */
export function unappliedChanges(planned: PlannedUser): AttributeChange[] {
  return planned.changes.filter(isUnappliedChange);
}

function isUnappliedChange(change: AttributeChange): boolean {
  return change.effect !== 'applies';
}

export function isUnapplied(planned: PlannedUser): boolean {
  return planned.action === 'rename' || planned.changes.some(isUnappliedChange);
}

/**
 * A user the plan adds, made as the plan is walked. Its RunUser is made only when asked for: most
 * walks (counting, judging) look at the action alone.
 */
class AddedUser implements PlannedUser {
  action: PlannedAction = 'add';
  readonly changes = NONE;
  readonly cannotTell = NONE;
  readonly warnings = NONE;
  readonly #users: UserList;
  readonly #index: number;

  constructor(users: UserList, index: number) {
    this.#users = users;
    this.#index = index;
  }

  get user(): RunUser {
    return this.#users.at(this.#index)!;
  }

  get email(): string {
    return this.user.email ?? '';
  }
}

function* addedUsers(current: UserList): Generator<PlannedUser> {
  for (let i = 0; i < current.length; i++) yield new AddedUser(current, i);
}

/** Every current user planned against the baseline; without one, every valid user is new. */
export function planUsers(
  current: UserList,
  invalid: readonly InvalidUser[],
  baseline: Baseline | undefined,
): Plan {
  if (!baseline || (baseline.users.length === 0 && invalid.length === 0)) {
    // Nothing to compare with: every user is added.
    const users = { [Symbol.iterator]: () => addedUsers(current) };
    return baseline
      ? { baseline: { kind: baseline.kind, description: baseline.description }, users }
      : { users };
  }
  const before = new Map<string, BaselineUser>();
  for (const user of baseline.users) {
    const key = user.email.toLowerCase();
    if (!before.has(key)) before.set(key, user);
  }
  const users: PlannedUser[] = [];
  const seen = new Set<string>();
  const added: PlannedUser[] = [];
  for (const user of current) {
    const email = user.email ?? '';
    const key = email.toLowerCase();
    seen.add(key);
    const old = before.get(key);
    if (!old) {
      const planned: PlannedUser = {
        action: 'add',
        email,
        user,
        changes: NONE,
        cannotTell: NONE,
        warnings: NONE,
      };
      users.push(planned);
      added.push(planned);
      continue;
    }
    const record = parseExact(userJson(user)) as Record<string, unknown>;
    const oldRecord = old.record();
    const { changes, cannotTell } = compareRecords(oldRecord, record, user, baseline, old.known);
    const resent = changes.length === 0 ? resentUnseen(cannotTell, baseline) : undefined;
    users.push({
      action: changes.length === 0 && !resent ? 'unchanged' : 'update',
      email,
      user,
      before: old,
      changes,
      cannotTell,
      warnings: resent ? [resent] : changes.length === 0 ? NONE : upsertWarnings(oldRecord, record),
    });
  }
  const valid = new Set(seen);
  for (const user of invalid) seen.add(user.email.toLowerCase());
  for (const user of invalid) {
    // A second record of a valid user's email is that user's duplicate (a problem), not another person.
    if (valid.has(user.email.toLowerCase())) continue;
    const old = before.get(user.email.toLowerCase());
    users.push({
      action: 'invalid',
      email: user.email,
      at: { file: user.file, line: user.line },
      ...(old ? { before: old } : {}),
      changes: NONE,
      cannotTell: NONE,
      warnings: NONE,
    });
  }
  // Gone from the files: an email rename when a new user carries its user_id, else a removal.
  const addedByUserId = new Map<string, PlannedUser>();
  for (const planned of added) {
    const userId = planned.user?.userId;
    if (userId !== undefined && !addedByUserId.has(userId)) addedByUserId.set(userId, planned);
  }
  for (const [key, old] of before) {
    if (seen.has(key)) continue;
    const userId = old.record().user_id;
    const renamed = typeof userId === 'string' ? addedByUserId.get(userId) : undefined;
    if (renamed && renamed.action === 'add' && renamed.user) {
      // A rename is compared with its old record like any other user: every change it carries counts.
      const record = parseExact(userJson(renamed.user)) as Record<string, unknown>;
      const { changes, cannotTell } = compareRecords(old.record(), record, renamed.user, baseline, old.known);
      renamed.action = 'rename';
      renamed.before = old;
      renamed.changes = changes;
      renamed.cannotTell = cannotTell;
      continue;
    }
    users.push({
      action: 'remove',
      email: old.email,
      before: old,
      changes: NONE,
      cannotTell: NONE,
      warnings: NONE,
    });
  }
  return { baseline: { kind: baseline.kind, description: baseline.description }, users };
}

/** Why a user otherwise unchanged is sent again for what the baseline cannot show; undefined when it is not. */
function resentUnseen(cannotTell: readonly string[], baseline: Baseline): string | undefined {
  // A password hash upsert never updates: sending it again could change nothing.
  const retried = cannotTell.filter((attribute) => upsertEffect(attribute) !== 'never');
  if (!baseline.resendUnseen || retried.length === 0) return undefined;
  return `${retried.join(', ')}: cannot tell from ${baseline.kind === 'tenant' ? 'the tenant' : 'the baseline'} (it never shows ${retried.length === 1 ? 'it' : 'them'}), and ${baseline.resendUnseen}: sent again, so that what failed to import is retried`;
}

function where(user: RunUser, attribute: string | undefined): { line: number; column: number } {
  if (attribute === undefined) return { line: user.line, column: user.column };
  const { text, start } = userText(user);
  const anchor = { offset: start, line: user.line, column: user.column };
  return positionAt(text, offsetOfPath(text, start, [attribute], 'key'), anchor);
}

/**
 * Attribute by attribute: added, changed or removed. What the baseline cannot show is never
 * compared: it is listed as "cannot tell" and does not by itself make the user changed.
 */
function compareRecords(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  user: RunUser,
  baseline: Baseline,
  known: ReadonlySet<string> | undefined,
): { changes: AttributeChange[]; cannotTell: string[] } {
  const changes: AttributeChange[] = [];
  const cannotTell: string[] = [];
  const attributes = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const attribute of attributes) {
    if (attribute === 'email') continue;
    const inAfter = Object.hasOwn(after, attribute);
    const inBefore = Object.hasOwn(before, attribute);
    if (baseline.unknowable.has(attribute) && !known?.has(attribute)) {
      if (inAfter) cannotTell.push(attribute);
      continue;
    }
    if (!inAfter && baseline.fileGivesOnly) continue;
    if (inAfter && inBefore && canonical(before[attribute]) === canonical(after[attribute])) continue;
    changes.push({
      attribute,
      kind: !inBefore ? 'added' : !inAfter ? 'removed' : 'changed',
      ...(inBefore ? { before: shown(attribute, before[attribute]) } : {}),
      ...(inAfter ? { after: shown(attribute, after[attribute]) } : {}),
      effect: upsertEffect(attribute),
      ...where(user, inAfter ? attribute : undefined),
    });
  }
  return { changes, cannotTell };
}

function shown(attribute: string, value: unknown): string {
  if (isPlainObject(value)) return 'an object';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  return quote(
    [attribute],
    typeof value === 'object' && value !== null ? (value as { canonical: string }).canonical : value,
  );
}

/**
 * What an upsert destroys that the file may not mean to: it replaces app_metadata and user_metadata
 * whole (keys the file dropped are gone), and resets email_verified to false unless the file gives it.
 */
function upsertWarnings(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string[] {
  const warnings: string[] = [];
  for (const attribute of ['app_metadata', 'user_metadata']) {
    const old = before[attribute];
    const now = after[attribute];
    if (!isPlainObject(old)) continue;
    if (!isPlainObject(now)) continue;
    const dropped = Object.keys(old).filter((key) => !Object.hasOwn(now, key));
    if (dropped.length > 0)
      warnings.push(
        `${attribute} is replaced whole: the import drops its key${dropped.length === 1 ? '' : 's'} ${dropped
          .slice(0, 10)
          .map((key) => JSON.stringify(key.slice(0, 60)))
          .join(', ')}${dropped.length > 10 ? ` and ${dropped.length - 10} more` : ''}`,
      );
  }
  if (!Object.hasOwn(after, 'email_verified'))
    warnings.push(
      `email_verified is not in the file: the import resets it to false${before.email_verified === true ? ' (it was true)' : ''}; add "email_verified": true to keep a verified email`,
    );
  return warnings;
}
