/**
 * What bulk import cannot set, applied through the Users API after the import: attributes upsert
 * never updates, email renames, and (when asked) the removal of users gone from the files. Pure:
 * it turns the plan into actions; src/auth0/reconcile.ts carries them out.
 */
import type { RunUser } from '../users/validate.js';
import { userJson } from '../users/validate.js';
import { parseExact } from '../users/exact-json.js';
import { PATCHABLE } from './attributes.js';
import type { AttributeChange, Plan, PlannedUser } from './plan.js';

export type OnRemoved = 'report' | 'block' | 'delete';

export type ReconcileAction =
  /** Set attributes import will not on an existing user, found by its email. */
  | { kind: 'update'; email: string; user: RunUser; set: Record<string, unknown> }
  /** Give the existing user (found by its old email) the new email. */
  | { kind: 'rename'; email: string; from: string; user: RunUser }
  /** A user gone from the files. */
  | { kind: 'block' | 'delete'; email: string; place: string };

/** Attributes reconcile can set back to Auth0's default when the file drops them. */
const UNSET_TO: Readonly<Record<string, unknown>> = { blocked: false, phone_verified: false };

/** Whether reconcile can make this change: a patchable attribute set, changed, or dropped to a default. */
export function reconcilable(change: AttributeChange): boolean {
  if (change.effect === 'applies' || !PATCHABLE.has(change.attribute)) return false;
  return change.kind !== 'removed' || Object.hasOwn(UNSET_TO, change.attribute);
}

function updateOf(planned: PlannedUser): ReconcileAction | undefined {
  const user = planned.user;
  if (!user || planned.action !== 'update') return undefined;
  const changes = planned.changes.filter(reconcilable);
  if (changes.length === 0) return undefined;
  const record = parseExact(userJson(user)) as Record<string, unknown>;
  const set: Record<string, unknown> = {};
  for (const change of changes) {
    set[change.attribute] = change.kind === 'removed' ? UNSET_TO[change.attribute] : record[change.attribute];
  }
  return { kind: 'update', email: planned.email, user, set };
}

/** The actions, in file order: updates and renames of current users, then the removals. */
export function planReconcile(plan: Plan, onRemoved: OnRemoved): ReconcileAction[] {
  const actions: ReconcileAction[] = [];
  for (const planned of plan.users) {
    const update = updateOf(planned);
    if (update) actions.push(update);
    if (planned.action === 'rename' && planned.user && planned.before)
      actions.push({ kind: 'rename', email: planned.email, from: planned.before.email, user: planned.user });
    if (planned.action === 'remove' && onRemoved !== 'report' && planned.before)
      actions.push({ kind: onRemoved, email: planned.email, place: planned.before.place });
  }
  return actions;
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
