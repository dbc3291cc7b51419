/** How reconciling reads: each action with its outcome, and what the plan says it will do. */
import type { ReconcileResult } from '../auth0/reconcile.js';
import type { ReconcileAction } from '../plan/reconcile.js';
import { cappedTable, details } from './markdown.js';

export const SUMMARY_RECONCILE_ROWS = 200;

function where(action: ReconcileAction): string {
  return action.kind === 'update' || action.kind === 'rename'
    ? `${action.user.file}:${action.user.line}`
    : action.place;
}

function what(action: ReconcileAction): string {
  switch (action.kind) {
    case 'update':
      return `set ${settings(action.set)}${action.existedBefore !== undefined ? ' (added, but it was already there)' : ''}`;
    case 'rename':
      return `rename from ${action.from}, set ${settings(action.set)}`;
    case 'block':
      return 'block (gone from the files)';
    case 'delete':
      return 'delete (gone from the files)';
  }
}

function settings(set: Readonly<Record<string, unknown>>): string {
  return Object.entries(set)
    .map(([key, value]) => `${key} = ${typeof value === 'boolean' ? value : "the file's value"}`)
    .join(', ');
}

/** Every reconcile action with its outcome, folded: the people it touched are listed above by name. */
export function renderReconcile(results: readonly ReconcileResult[], stopped?: string): string {
  if (results.length === 0) return '';
  const parts = [
    cappedTable(
      ['User', 'Where', 'Action', 'Outcome', 'Detail'],
      results,
      (result) => [
        result.action.email,
        where(result.action),
        what(result.action),
        result.outcome,
        result.detail,
      ],
      SUMMARY_RECONCILE_ROWS,
    ),
  ];
  if (stopped) parts.push(`Reconciling stopped: ${stopped}.`);
  return details(`Reconcile (${results.length})`, parts.join('\n\n'), stopped !== undefined);
}

export function reconcileCounts(results: readonly ReconcileResult[]): {
  reconciled: number;
  removedApplied: number;
} {
  const done = results.filter((result) => result.outcome === 'done');
  return {
    reconciled: done.length,
    removedApplied: done.filter((result) => result.action.kind === 'block' || result.action.kind === 'delete')
      .length,
  };
}
