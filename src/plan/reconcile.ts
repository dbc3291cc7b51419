/**
 * What bulk import cannot set, applied through the Users API after the import: attributes upsert
 * never updates, email renames with every change they carry, users that were already there, and
 * (when asked) the removal of users gone from the files. Pure: it turns the plan into actions;
 * src/auth0/reconcile.ts carries them out once the import has said how each user fared.
 */
import type { RunUser } from '../users/validate.js';
import { userJson } from '../users/validate.js';
import { isPlainObject, parseExact } from '../users/exact-json.js';
import { PATCHABLE } from './attributes.js';
import type { AttributeChange, Plan, PlannedUser } from './plan.js';

export type OnRemoved = 'report' | 'block' | 'delete';

export type ReconcileAction =
  /**
   * Set attributes import will not on an existing user, found by its user_id, else its email; or on a
   * user the plan adds, in a job that counted updates, if it was there before the job (`existedBefore`).
   */
  | {
      kind: 'update';
      email: string;
      user: RunUser;
      set: Record<string, unknown>;
      /** Clock ms its job was submitted: a user created before then was already there. */
      existedBefore?: number;
    }
  /** Give the existing user (found by its user_id) the new email and every other change of the file. */
  | { kind: 'rename'; email: string; from: string; user: RunUser; set: Record<string, unknown> }
  /**
   * A user gone from the files, found by its user_id, else its email. Held back while a user this run
   * adds is not known to be imported: it may be the same person under a new email.
   */
  | { kind: 'block' | 'delete'; email: string; userId?: string; place: string };

/** What a user has when the file does not say: what reconcile sets when the file drops the attribute. */
export const AUTH0_DEFAULTS: Readonly<Record<string, unknown>> = { blocked: false, phone_verified: false };

/** Whether reconcile can make this change: a patchable attribute set, changed, or dropped to a default. */
export function reconcilable(change: AttributeChange): boolean {
  if (change.effect === 'applies' || !PATCHABLE.has(change.attribute)) return false;
  return change.kind !== 'removed' || Object.hasOwn(AUTH0_DEFAULTS, change.attribute);
}

function recordOf(user: RunUser): Record<string, unknown> {
  return parseExact(userJson(user)) as Record<string, unknown>;
}

function updateOf(planned: PlannedUser): ReconcileAction | undefined {
  const user = planned.user;
  if (!user || planned.action !== 'update') return undefined;
  const changes = planned.changes.filter(reconcilable);
  if (changes.length === 0) return undefined;
  const record = recordOf(user);
  const set: Record<string, unknown> = {};
  for (const change of changes) {
    set[change.attribute] =
      change.kind === 'removed' ? AUTH0_DEFAULTS[change.attribute] : record[change.attribute];
  }
  return { kind: 'update', email: planned.email, user, set };
}

/** What the Users API can set on a database user besides the patchable identity attributes. */
const PROFILE = new Set(['given_name', 'family_name', 'name', 'nickname', 'picture']);
const METADATA = new Set(['app_metadata', 'user_metadata']);

/**
 * Metadata as the file gives it, for a PATCH that merges one level deep: keys the file dropped are
 * given as null, which removes them, so the user ends with the file's object whole.
 */
function wholeMetadata(before: unknown, after: unknown): Record<string, unknown> {
  const set: Record<string, unknown> = isPlainObject(after) ? { ...after } : {};
  if (isPlainObject(before))
    for (const key of Object.keys(before)) if (!Object.hasOwn(set, key)) set[key] = null;
  return set;
}

/**
 * A renamed user's whole change as one PATCH: the new email, email_verified as the file says (Auth0's
 * default false when it does not), and every other change the Users API can make. Password hashes and
 * MFA factors it cannot: the plan reports those on their lines.
 */
function renameOf(planned: PlannedUser): ReconcileAction | undefined {
  const { user, before } = planned;
  if (planned.action !== 'rename' || !user || !before) return undefined;
  const record = recordOf(user);
  const old = before.record();
  const set: Record<string, unknown> = {
    email: planned.email,
    email_verified: record.email_verified ?? false,
  };
  for (const change of planned.changes) {
    const { attribute, kind } = change;
    if (METADATA.has(attribute)) set[attribute] = wholeMetadata(old[attribute], record[attribute]);
    else if (kind === 'removed') {
      if (Object.hasOwn(AUTH0_DEFAULTS, attribute)) set[attribute] = AUTH0_DEFAULTS[attribute];
    } else if (PATCHABLE.has(attribute) || PROFILE.has(attribute)) set[attribute] = record[attribute];
  }
  return { kind: 'rename', email: planned.email, from: before.email, user, set };
}

/** The actions, in file order: updates and renames of current users, then the removals. */
export function planReconcile(plan: Plan, onRemoved: OnRemoved): ReconcileAction[] {
  const actions: ReconcileAction[] = [];
  for (const planned of plan.users) {
    const change = updateOf(planned) ?? renameOf(planned);
    if (change) actions.push(change);
    if (planned.action === 'remove' && onRemoved !== 'report' && planned.before) {
      const userId = planned.before.record().user_id;
      actions.push({
        kind: onRemoved,
        email: planned.email,
        ...(typeof userId === 'string' ? { userId } : {}),
        place: planned.before.place,
      });
    }
  }
  return actions;
}

/**
 * For a user the plan adds whom the job found already there (a user removed and blocked, now back in
 * the files; one created meanwhile): what import will not have set on it, as for a modified user.
 * `blocked` is always set (false unless the file says true): a user who comes back is unblocked.
 * With `reconcile` off (on-removed: block alone) only `blocked` is.
 */
export function alreadyThere(user: RunUser, reconcile: boolean, submittedAt: number): ReconcileAction {
  const record = recordOf(user);
  const set: Record<string, unknown> = { blocked: record.blocked ?? false };
  if (reconcile)
    for (const attribute of PATCHABLE)
      if (attribute !== 'email' && record[attribute] !== undefined) set[attribute] = record[attribute];
  return { kind: 'update', email: user.email ?? '', user, set, existedBefore: submittedAt };
}

/**
 * Whether the plan adds the user with this ordinal. Without a baseline every user is added; with one
 * the added users are gathered on the first question, so a run that never asks pays nothing.
 */
export function addedUsers(plan: Plan): (ordinal: number) => boolean {
  if (!plan.baseline) return () => true;
  let added: Set<number> | undefined;
  return (ordinal) => {
    if (!added) {
      added = new Set();
      for (const planned of plan.users)
        if (planned.action === 'add' && planned.user) added.add(planned.user.ordinal);
    }
    return added.has(ordinal);
  };
}

/** "will block 2, will delete 1 (allow-delete), will rename 1, will set blocked or username on 3". */
export function describeReconcile(actions: readonly ReconcileAction[]): string {
  const count = (kind: ReconcileAction['kind']) => actions.filter((action) => action.kind === kind).length;
  const parts = [
    count('update') > 0 ? `will set what import cannot on ${count('update')}` : '',
    count('rename') > 0 ? `will rename ${count('rename')}` : '',
    count('block') > 0 ? `will block ${count('block')}` : '',
    count('delete') > 0 ? `will delete ${count('delete')} (allow-delete)` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `Reconcile ${parts.join(', ')}` : '';
}
