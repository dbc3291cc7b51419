/**
 * How access reads in the summary and the plan comment: one model (the plan, with outcomes once
 * applied), per person, revocations and departures first; and the outputs it sets.
 */
import { cappedTable, cell, plural } from '../report/markdown.js';
import type { Problem } from '../users/problem.js';
import type { AccessResult } from './apply.js';
import { isRevocation, type AccessAction, type AccessPlan, type Person } from './plan.js';

const SUMMARY_ACCESS_ROWS = 200;

function change(action: AccessAction): string {
  switch (action.kind) {
    case 'revoke-role':
    case 'grant-role':
      return `role ${action.role}`;
    case 'leave':
    case 'join':
      return `organization ${action.organization}`;
    case 'revoke-member-role':
    case 'grant-member-role':
      return `${action.organization} role ${action.role}`;
  }
}

function mark(result: AccessResult | undefined): string {
  if (!result) return '';
  switch (result.outcome) {
    case 'done':
      return ' ✓';
    case 'failed':
      return ` ✗ (${result.detail ?? 'failed'})`;
    case 'held':
      return ` held back (${result.detail ?? 'import failed'})`;
    case 'not-done':
      return ` not done (${result.detail ?? 'stopped'})`;
  }
}

/** One line of counts: what the plan will do, or what it did. */
export function accessLine(plan: AccessPlan, results?: readonly AccessResult[]): string {
  const revocations = plan.actions.filter(isRevocation).length;
  const grants = plan.actions.length - revocations;
  const kept =
    plan.kept.length > 0 ? `; ${plural(plan.kept.length, 'revocation')} kept back for protected-users` : '';
  if (!results) return `Access (${plan.file}): will revoke ${revocations}, will grant ${grants}${kept}.`;
  const count = (outcome: AccessResult['outcome']) =>
    results.filter((result) => result.outcome === outcome).length;
  const others = [
    [count('held'), 'held back (import failed)'],
    [count('failed'), 'failed'],
    [count('not-done'), 'not done'],
  ] as const;
  const done = accessCounts(results);
  const rest = others.flatMap(([n, what]) => (n > 0 ? [`, ${n} ${what}`] : [])).join('');
  return `Access (${plan.file}): ${done['access-revoked']} revoked, ${done['access-granted']} granted${rest}${kept}.`;
}

/** Per person: what they lose (first) and what they gain, with outcomes once applied. */
export function renderAccess(plan: AccessPlan, results?: readonly AccessResult[], stopped?: string): string {
  const outcome = new Map(results?.map((result) => [result.action, result]));
  const byPerson = new Map<Person, { lose: string[]; gain: string[] }>();
  for (const action of plan.actions) {
    const entry = byPerson.get(action.person) ?? { lose: [], gain: [] };
    (isRevocation(action) ? entry.lose : entry.gain).push(`${change(action)}${mark(outcome.get(action))}`);
    byPerson.set(action.person, entry);
  }
  const rows = [...byPerson].sort(([, a], [, b]) => Number(b.lose.length > 0) - Number(a.lose.length > 0));
  const parts = [`### Access (${plan.actions.length})`, cell(accessLine(plan, results))];
  if (rows.length > 0)
    parts.push(
      cappedTable(
        ['Person', 'Revoked and left', 'Granted and joined'],
        rows,
        ([person, { lose, gain }]) => [person.label, lose.join('; ') || '—', gain.join('; ') || '—'],
        SUMMARY_ACCESS_ROWS,
      ),
    );
  if (plan.kept.length > 0)
    parts.push(
      cell(
        `Kept (protected-users): ${plan.kept.map((action) => `${action.person.label}: ${change(action)}`).join('; ')}.`,
      ),
    );
  if (stopped) parts.push(`Access stopped: ${stopped}.`);
  return parts.join('\n\n');
}

export function accessCounts(results: readonly AccessResult[]): {
  'access-granted': number;
  'access-revoked': number;
} {
  const done = results.filter((result) => result.outcome === 'done');
  const revoked = done.filter((result) => isRevocation(result.action)).length;
  return { 'access-granted': done.length - revoked, 'access-revoked': revoked };
}

/** Failed changes of users-file users, on their lines. */
export function accessProblems(results: readonly AccessResult[]): Problem[] {
  return results.flatMap((result): Problem[] => {
    const user = result.action.person.user;
    if (result.outcome !== 'failed' || !user) return [];
    return [
      {
        file: user.file,
        line: user.line,
        column: user.column,
        path: '',
        message: `Access for ${result.action.person.label} (${change(result.action)}) failed: ${result.detail ?? ''}`,
        hint: 'the other changes went on; run again once the cause is fixed (a second run sends only what is still missing)',
      },
    ];
  });
}
