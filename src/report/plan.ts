/**
 * How the plan reads: one line (`+3 ~1 −2, 1 change import cannot apply`), collapsible lists of the
 * users per action with what changes, and a JSON file with every user's action. Only allow-listed
 * values are quoted (the plan already holds them quoted or described by shape).
 */
import {
  countActions,
  isUnapplied,
  unappliedChanges,
  type AttributeChange,
  type Plan,
  type PlannedAction,
  type PlannedUser,
} from '../plan/plan.js';
import { describeReconcile, reconcilable, type ReconcileAction } from '../plan/reconcile.js';
import type { RunUser } from '../users/validate.js';
import { cell, plural } from './markdown.js';

/** The plan in one line, e.g. `+3 ~1 −2 ↻1, 1 change import cannot apply (40 unchanged)`. */
export function planLine(plan: Plan): string {
  const counts = countActions(plan);
  if (!plan.baseline) return `${plural(counts.add, 'user')} to import (no baseline to compare with)`;
  const parts = [`+${counts.add} ~${counts.update} −${counts.remove}`];
  if (counts.rename > 0) parts[0] += ` ↻${counts.rename}`;
  if (counts.unapplied > 0) parts.push(`${plural(counts.unapplied, 'change')} import cannot apply`);
  if (counts.invalid > 0) parts.push(`${plural(counts.invalid, 'user')} now invalid`);
  return `${parts.join(', ')} (${counts.unchanged} unchanged)`;
}

const SECTIONS: readonly { action: PlannedAction; title: string }[] = [
  { action: 'add', title: 'Added' },
  { action: 'update', title: 'Modified' },
  { action: 'rename', title: 'Email renamed' },
  { action: 'remove', title: 'Removed from the files' },
  { action: 'invalid', title: 'Now invalid (not sent; fix the problems)' },
];

function place(user: RunUser | undefined): string {
  return user ? ` (${user.file}:${user.line})` : '';
}

function describeChange(change: AttributeChange, reconciled: boolean): string {
  const what =
    change.kind === 'added'
      ? `${change.attribute} set to ${change.after}`
      : change.kind === 'removed'
        ? `${change.attribute} removed (was ${change.before})`
        : change.before === change.after
          ? `${change.attribute} changed`
          : `${change.attribute}: ${change.before} → ${change.after}`;
  if (reconciled && change.effect !== 'applies' && reconcilable(change))
    return `${what} (reconcile sets it after the import)`;
  if (change.effect === 'never') return `**${what} — import cannot apply this**`;
  if (change.effect === 'may-not') return `**${what} — import may not apply this**`;
  return what;
}

/** What a user's item says: the email, where it is, what changes, and how the import took it. */
function item(planned: PlannedUser, rendering: PlanRendering, outcome: string | undefined): string {
  const reconciled = rendering.reconciled?.has(planned.email) ?? false;
  const details: string[] = [];
  if (planned.action === 'rename')
    details.push(
      `renamed from ${planned.before?.email ?? '?'} — ${reconciled ? 'reconcile renames the existing user' : '**import cannot rename**'}`,
    );
  if (planned.action === 'remove' || planned.action === 'invalid') {
    if (planned.before) details.push(`was in ${planned.before.place}`);
  }
  details.push(...planned.changes.map((change) => describeChange(change, reconciled)));
  if (planned.cannotTell.length > 0)
    details.push(
      `${planned.cannotTell.join(', ')}: cannot tell (the baseline does not show ${planned.cannotTell.length === 1 ? 'it' : 'them'})`,
    );
  details.push(...planned.warnings.map((warning) => `⚠️ ${warning}`));
  if (outcome) details.push(`→ ${outcome}`);
  return `- ${cell(planned.email)}${cell(place(planned.user))}${details.length > 0 ? `: ${cell(details.join('; '))}` : ''}`;
}

/**
 * What became of these sent users, once an import ran: asked once, for the users a plan shows.
 * Keyed by ordinal: a RunUser is made afresh each time it is read, so it is no key itself.
 */
export type Fates = (users: readonly RunUser[]) => ReadonlyMap<number, string>;

export interface PlanRendering {
  /** Items shown per section; the rest are counted. */
  itemsPerSection: number;
  /** Where the rest is, for the "…and N more" line. */
  restIn: string;
  fates?: Fates;
  /** Emails of users whose unapplied changes reconcile will make. */
  reconciled?: ReadonlySet<string>;
}

/** The plan's sections, each a collapsible list. */
export function renderPlanDetails(plan: Plan, rendering: PlanRendering): string {
  const limit = rendering.itemsPerSection;
  // One walk, keeping only what can be shown: users with something import cannot do come first,
  // as they are what a reviewer must see.
  const sections = new Map(
    SECTIONS.map(({ action, title }) => [
      action,
      { title, count: 0, unapplied: [] as PlannedUser[], others: [] as PlannedUser[] },
    ]),
  );
  for (const planned of plan.users) {
    const section = sections.get(planned.action);
    if (!section) continue;
    section.count++;
    const list = isUnapplied(planned) ? section.unapplied : section.others;
    if (list.length < limit) list.push(planned);
  }
  const shown = new Map(
    [...sections].map(([action, section]) => [
      action,
      [...section.unapplied, ...section.others].slice(0, limit),
    ]),
  );
  const sent = [...shown.values()].flat().flatMap((planned) => (planned.user ? [planned.user] : []));
  const fates = rendering.fates && sent.length > 0 ? rendering.fates(sent) : undefined;
  const parts: string[] = [];
  for (const [action, section] of sections) {
    if (section.count === 0) continue;
    const title =
      action === 'remove' && plan.baseline?.kind === 'tenant'
        ? 'Only in the tenant (not in the files)'
        : section.title;
    const items = (shown.get(action) ?? []).map((planned) =>
      item(planned, rendering, planned.user && fates?.get(planned.user.ordinal)),
    );
    if (section.count > items.length)
      items.push(`- …and ${section.count - items.length} more (${rendering.restIn})`);
    parts.push(
      `<details${action === 'add' && section.count > 20 ? '' : ' open'}><summary>${title} (${section.count})</summary>\n\n${items.join('\n')}\n\n</details>`,
    );
  }
  return parts.join('\n\n');
}

/** Emails of the users reconcile will change (updates and renames). */
export function reconciledEmails(actions: readonly ReconcileAction[]): Set<string> {
  return new Set(
    actions
      .filter((action) => action.kind === 'update' || action.kind === 'rename')
      .map((action) => action.email),
  );
}

/** The plan section of the job summary. */
export function renderPlan(plan: Plan, reconcile: readonly ReconcileAction[], fates?: Fates): string {
  const heading = plan.baseline ? `### Plan against ${cell(plan.baseline.description)}` : '### Plan';
  const reconcileLine = describeReconcile(reconcile);
  return [
    heading,
    `**${planLine(plan)}**`,
    reconcileLine ? `${reconcileLine}.` : '',
    renderPlanDetails(plan, {
      itemsPerSection: 500,
      restIn: 'the plan-file output lists every user',
      reconciled: reconciledEmails(reconcile),
      ...(fates ? { fates } : {}),
    }),
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** `items.map(make)` as a list made again, element by element, each time it is walked. */
function lazyMap<T, U>(items: Iterable<T>, make: (item: T) => U): Iterable<U> {
  return {
    *[Symbol.iterator]() {
      for (const item of items) yield make(item);
    },
  };
}

/** The plan-file output: every user's action and the names of the attributes that change; never a value. */
export function planFileContent(plan: Plan): unknown {
  const counts = countActions(plan);
  return {
    baseline: plan.baseline ?? null,
    counts: {
      added: counts.add,
      modified: counts.update,
      renamed: counts.rename,
      removed: counts.remove,
      unchanged: counts.unchanged,
      invalid: counts.invalid,
      unapplied: counts.unapplied,
    },
    // Made as the file is written: a plan of 100,000 users is never 100,000 objects at once.
    users: lazyMap(plan.users, planFileEntry),
  };
}

/** One user's line of the plan file; fields set one by one, in the order they are written. */
function planFileEntry(planned: PlannedUser): Record<string, unknown> {
  const entry: Record<string, unknown> = { action: planned.action, email: planned.email };
  if (planned.action === 'rename' && planned.before) entry.from = planned.before.email;
  if (planned.user) {
    entry.file = planned.user.file;
    entry.line = planned.user.line;
  }
  if (planned.changes.length > 0) entry.attributes = planned.changes.map((change) => change.attribute);
  if (isUnapplied(planned)) {
    entry.unapplied = [
      ...(planned.action === 'rename' ? ['email'] : []),
      ...unappliedChanges(planned).map((change) => change.attribute),
    ];
  }
  if (planned.cannotTell.length > 0) entry.cannotTell = planned.cannotTell;
  return entry;
}
