/**
 * What a run does to people: each planned user in one category (added, changed, blocked, deleted,
 * left in Auth0, invalid, unchanged) and, once the run has finished, what became of them. Every
 * report counts and lists people through this one model, so the verdict, the lists, the comment and
 * the log cannot disagree.
 */
import type { ReconcileResult } from '../auth0/reconcile.js';
import type { ChunkResult } from '../auth0/schedule.js';
import type { PlannedUser } from '../plan/plan.js';
import type { ReconcileAction } from '../plan/reconcile.js';
import { number } from './words.js';

export type Category =
  'added' | 'changed' | 'blocked' | 'deleted' | 'left in Auth0' | 'invalid' | 'unchanged';

/** What became of a person once the run finished; absent for a plan. */
/** `held back`: reconcile did not act because this run's import of the user (or of its pair) failed. */
export type Fate = 'done' | 'already so' | 'failed' | 'held back' | 'not sent' | 'unknown' | 'still running';

/** What the merge does to people who leave the files: from the reconcile actions, else nothing. */
export interface PeoplePolicy {
  removals: ReadonlyMap<string, 'block' | 'delete'>;
  /** Emails of users whose blocked reconcile sets (import cannot). */
  reconciled: ReadonlySet<string>;
}

export function peoplePolicy(actions: readonly ReconcileAction[]): PeoplePolicy {
  const removals = new Map<string, 'block' | 'delete'>();
  const reconciled = new Set<string>();
  for (const action of actions) {
    if (action.kind === 'block' || action.kind === 'delete') removals.set(action.email, action.kind);
    else reconciled.add(action.email);
  }
  return { removals, reconciled };
}

function blocks(planned: PlannedUser): boolean {
  return planned.changes.some((change) => change.attribute === 'blocked' && change.after === 'true');
}

export function categoryOf(planned: PlannedUser, policy: PeoplePolicy): Category {
  switch (planned.action) {
    case 'add':
      return 'added';
    case 'update':
      return blocks(planned) ? 'blocked' : 'changed';
    case 'rename':
      return 'changed';
    case 'remove': {
      const removal = policy.removals.get(planned.email);
      return removal === 'block' ? 'blocked' : removal === 'delete' ? 'deleted' : 'left in Auth0';
    }
    case 'invalid':
      return 'invalid';
    case 'unchanged':
      return 'unchanged';
  }
}

/** What became of each sent user and each reconcile action: asked per person. */
export interface RunOutcomes {
  fateOf(planned: PlannedUser): Fate | undefined;
}

const CHUNK_FATES: Readonly<Record<string, Fate>> = {
  completed: 'done',
  'not-sent': 'not sent',
  refused: 'not sent',
  unknown: 'unknown',
  failed: 'failed',
  expired: 'unknown',
};

/**
 * Outcomes from what the jobs and reconcile did. Only users that did not end well are kept (by
 * ordinal): a run of 300,000 users that all went through keeps nothing per user.
 */
export function runOutcomes(
  results: readonly ChunkResult[],
  reconcile: readonly ReconcileResult[] = [],
): RunOutcomes {
  const notDone = new Map<number, Fate>();
  // One byte per user of the run, by ordinal: SENT, and EXISTED when its job inserted no one (a re-run
  // found every user of the chunk in the tenant already).
  const SENT = 1;
  const EXISTED = 2;
  let last = -1;
  for (const result of results) for (const user of result.chunk.users) last = Math.max(last, user.ordinal);
  const marks = new Uint8Array(last + 1);
  for (const result of results) {
    const fate = Object.hasOwn(CHUNK_FATES, result.status) ? CHUNK_FATES[result.status]! : 'still running';
    const failed = new Set(result.failedUsers.map((user) => `${user.file}:${user.line}`));
    const mark = fate === 'done' && result.summary?.inserted === 0 ? SENT | EXISTED : SENT;
    for (const user of result.chunk.users) {
      marks[user.ordinal] = mark;
      if (fate !== 'done') notDone.set(user.ordinal, fate);
      else if (failed.has(`${user.file}:${user.line}`)) notDone.set(user.ordinal, 'failed');
    }
  }
  const reconciled = new Map<string, Fate>();
  for (const { action, outcome } of reconcile) {
    const fate: Fate =
      outcome === 'done'
        ? 'done'
        : outcome === 'skipped'
          ? 'already so'
          : outcome === 'failed'
            ? 'failed'
            : outcome === 'held-back'
              ? 'held back'
              : 'not sent';
    // An update that failed outweighs one that was done: the person is not as the file says.
    const known = reconciled.get(action.email);
    if (!known || known === 'done' || known === 'already so') reconciled.set(action.email, fate);
  }
  return {
    fateOf(planned) {
      const importFate =
        planned.user && (marks[planned.user.ordinal] ?? 0) & SENT
          ? (notDone.get(planned.user.ordinal) ?? 'done')
          : undefined;
      if (importFate && importFate !== 'done') return importFate;
      const reconcileFate = reconciled.get(planned.email);
      if (planned.action === 'remove') return reconcileFate;
      // Import cannot rename: without reconcile the new email was never sent.
      if (planned.action === 'rename') return reconcileFate ?? 'not sent';
      // A block or a username is the change reconcile makes: it says whether it was already so.
      if (reconcileFate) return reconcileFate;
      if (planned.action === 'add' && planned.user && (marks[planned.user.ordinal] ?? 0) & EXISTED)
        return 'already so';
      return importFate;
    },
  };
}

export type PeopleCounts = Record<Category, number> &
  Partial<Record<Exclude<Fate, 'done' | 'already so'>, number>>;

/**
 * The people a plan (or a finished run) touches, by category. After a run a person counts in their
 * category only when done; one whose change was already so counts as unchanged; the others count
 * by what went wrong (failed, held back, not sent, unknown, still running).
 */
export function countPeople(
  users: Iterable<PlannedUser>,
  policy: PeoplePolicy,
  outcomes?: RunOutcomes,
): PeopleCounts {
  const counts: PeopleCounts = {
    added: 0,
    changed: 0,
    blocked: 0,
    deleted: 0,
    'left in Auth0': 0,
    invalid: 0,
    unchanged: 0,
  };
  for (const planned of users) {
    const category = categoryOf(planned, policy);
    const fate = outcomes && category !== 'unchanged' ? outcomes.fateOf(planned) : undefined;
    if (fate === undefined || fate === 'done') counts[category]++;
    else if (fate === 'already so') counts.unchanged++;
    else counts[fate] = (counts[fate] ?? 0) + 1;
  }
  return counts;
}

const SHOWN: readonly (keyof PeopleCounts)[] = [
  'added',
  'changed',
  'blocked',
  'deleted',
  'left in Auth0',
  'invalid',
  'failed',
  'held back',
  'not sent',
  'unknown',
  'still running',
];

/** `**2 added · 1 blocked · 1 left in Auth0** · 3 unchanged`; `**no changes** · 6 unchanged` when nothing moves. */
export function peopleLine(counts: PeopleCounts): string {
  const parts = SHOWN.flatMap((key) => {
    const count = counts[key] ?? 0;
    return count > 0
      ? [key === 'unknown' ? `${number(count)} unknown (answer lost)` : `${number(count)} ${key}`]
      : [];
  });
  const moved = parts.length > 0 ? `**${parts.join(' · ')}**` : '**no changes**';
  return counts.unchanged > 0 ? `${moved} · ${number(counts.unchanged)} unchanged` : moved;
}
