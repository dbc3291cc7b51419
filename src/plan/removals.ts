/**
 * Which removals a plan may make: only of users the files held at the applied baseline, never of a
 * protected user, and no more than max-removals. Pure.
 */
import type { CountOrShare } from '../inputs.js';
import type { Problem } from '../users/problem.js';
import type { ReconcileAction } from './reconcile.js';

/** The first of `patterns` the email matches (case-insensitive; `*` matches any run of characters). */
export function isProtected(email: string, patterns: readonly string[]): string | undefined {
  const lower = email.toLowerCase();
  return patterns.find((pattern) =>
    new RegExp(
      `^${pattern
        .toLowerCase()
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    ).test(lower),
  );
}

/** A limit written as a count (`10`) or a share (`5%`) of `total`, rounded down. */
export function limitOf(limit: CountOrShare, total: number): number {
  return 'count' in limit ? limit.count : Math.floor((limit.percent * total) / 100);
}

function describeLimit(limit: CountOrShare, managedUsers: number): string {
  return 'count' in limit
    ? `max-removals (${limit.count})`
    : `max-removals (${limit.percent}% of the ${managedUsers} users in the applied files: ${limitOf(limit, managedUsers)})`;
}

export interface RemovalRules {
  onRemoved: 'report' | 'block' | 'delete';
  maxRemovals: CountOrShare;
  protectedUsers: readonly string[];
  /** Lower-cased emails the files held at the applied baseline; absent: every removal the plan found. */
  managed?: ReadonlySet<string>;
  /** How many users the applied files held (for a share). */
  managedUsers: number;
  /** Where a problem with no line of its own is shown: the first users file. */
  file: string;
}

/** The reconcile actions the rules allow, and the problems that stop the run. */
export function judgeRemovals(
  actions: readonly ReconcileAction[],
  rules: RemovalRules,
): { actions: ReconcileAction[]; problems: Problem[] } {
  const { managed } = rules;
  const allowed = actions.filter(
    (action) =>
      (action.kind !== 'block' && action.kind !== 'delete') ||
      managed === undefined ||
      managed.has(action.email.toLowerCase()),
  );
  const problems: Problem[] = [];
  for (const action of allowed) {
    const blocks =
      action.kind === 'block' || action.kind === 'delete'
        ? action.kind === 'block'
          ? 'block'
          : 'delete'
        : action.kind === 'update' && action.set.blocked === true
          ? 'block'
          : undefined;
    const pattern = blocks && isProtected(action.email, rules.protectedUsers);
    if (!pattern) continue;
    const at =
      action.kind === 'update'
        ? {
            file: action.user.file,
            line: action.user.line,
            column: action.user.column,
            path: `[${action.user.index}].blocked`,
          }
        : { file: rules.file, line: 1, column: 1, path: '' };
    problems.push({
      ...at,
      message: `${action.email} is a protected user (protected-users: ${pattern}): the plan would ${blocks} them`,
      hint:
        action.kind === 'update'
          ? 'Remove "blocked": true from the user, or take them out of protected-users'
          : `${'place' in action ? `Gone from the files since ${action.place} (on-removed: ${rules.onRemoved}): put` : 'Put'} the user back in the users file, or take them out of protected-users if they are meant to go`,
    });
  }
  const removals = allowed.filter((action) => action.kind === 'block' || action.kind === 'delete');
  const limit = limitOf(rules.maxRemovals, rules.managedUsers);
  if (removals.length > limit) {
    problems.push({
      file: rules.file,
      line: 1,
      column: 1,
      path: '',
      message: `${removals.length} users would be ${rules.onRemoved === 'delete' ? 'deleted' : 'blocked'} (on-removed: ${rules.onRemoved}), more than ${describeLimit(rules.maxRemovals, rules.managedUsers)}`,
      hint: 'A bad users-file glob or a truncated file must never empty a tenant: check the plan; if the removals are meant, raise max-removals for this run',
    });
  }
  return { actions: allowed, problems };
}
