/**
 * How the plan reads: the people who need attention by name, collapsible lists of the others with
 * what changes (and, after a run, how it ended), a line for the log, and a JSON file with every
 * user's action. Only allow-listed
 * values are quoted (the plan already holds them quoted or described by shape).
 */
import {
  countActions,
  isUnapplied,
  unappliedChanges,
  type AttributeChange,
  type Plan,
  type PlannedUser,
} from '../plan/plan.js';
import { reconcilable } from '../plan/reconcile.js';
import { code, details, list, text } from './markdown.js';
import { categoryOf, type Category, type Fate, type PeoplePolicy, type RunOutcomes } from './people.js';
import { number } from './words.js';

/**
 * The lists, in the order a reviewer needs them: who is blocked, deleted, left in Auth0 or invalid
 * first (always shown), then who is added and changed (folded past a few).
 */
const SECTIONS: readonly { category: Category; title: string; attention: boolean }[] = [
  { category: 'blocked', title: 'Blocked', attention: true },
  { category: 'deleted', title: 'Deleted', attention: true },
  { category: 'left in Auth0', title: 'Removed from the files, left in Auth0', attention: true },
  { category: 'invalid', title: 'Invalid (not sent)', attention: true },
  { category: 'added', title: 'Added', attention: false },
  { category: 'changed', title: 'Changed', attention: false },
];

/** Lists of up to this many people show unfolded; longer ones fold. */
export const OPEN_ROWS = 5;

function place(planned: PlannedUser): string {
  if (planned.user) return `${planned.user.file}:${planned.user.line}`;
  if (planned.at) return `${planned.at.file}:${planned.at.line}`;
  return '';
}

function describeChange(change: AttributeChange, reconciled: boolean, finished: boolean): string {
  const what =
    change.kind === 'added'
      ? `${change.attribute} set to ${change.after}`
      : change.kind === 'removed'
        ? `${change.attribute} removed (was ${change.before})`
        : change.before === change.after
          ? `${change.attribute} changed`
          : `${change.attribute}: ${change.before} → ${change.after}`;
  if (reconciled && change.effect !== 'applies' && reconcilable(change))
    return finished ? `${what} (by reconcile)` : `${what} (reconcile sets it after the import)`;
  if (change.effect === 'never') return `${what} — import cannot apply this`;
  if (change.effect === 'may-not') return `${what} — import may not apply this`;
  return what;
}

const FATE_WORDS: Readonly<Record<Fate, string>> = {
  done: '✓ done',
  'already so': '✓ already so',
  failed: '✗ failed',
  'held back': 'held back (the import failed)',
  'not sent': 'not sent',
  unknown: 'unknown (answer lost)',
  'still running': 'still running',
};

/** What a person's item says: the email, where it is, what changes, and (after a run) how it ended. */
function item(planned: PlannedUser, rendering: PlanRendering, category: Category): string {
  const reconciled = rendering.policy.reconciled.has(planned.email);
  const finished = rendering.outcomes !== undefined;
  const details: string[] = [];
  if (planned.action === 'rename')
    details.push(
      `renamed from ${planned.before?.email ?? '?'}${reconciled ? '' : ' — import cannot rename'}`,
    );
  if (planned.action === 'remove' && planned.before) details.push(`was in ${planned.before.place}`);
  if (category === 'left in Auth0') details.push('on-removed: report leaves the user in Auth0');
  if (planned.action === 'remove' && (category === 'blocked' || category === 'deleted'))
    details.push(`gone from the files (on-removed: ${category === 'blocked' ? 'block' : 'delete'})`);
  if (category === 'invalid') details.push('not sent until its problems are fixed');
  details.push(...planned.changes.map((change) => describeChange(change, reconciled, finished)));
  // A user sent again for what the baseline cannot show says so in its warning, once.
  const resent = planned.action === 'update' && planned.changes.length === 0;
  if (planned.cannotTell.length > 0 && !resent)
    details.push(
      `${planned.cannotTell.join(', ')}: cannot tell (the baseline does not show ${planned.cannotTell.length === 1 ? 'it' : 'them'})`,
    );
  details.push(...planned.warnings.map((warning) => `⚠️ ${warning}`));
  const fate = rendering.outcomes?.fateOf(planned);
  const where = place(planned);
  return [
    code(planned.email),
    where ? ` ${text(where)}` : '',
    details.length > 0 ? `: ${text(details.join('; '))}` : '',
    fate ? ` → ${FATE_WORDS[fate]}` : '',
  ].join('');
}

export interface PlanRendering {
  /** Items shown per section; the rest are counted. */
  itemsPerSection: number;
  /** Where the rest is, for the "…and N more" line. */
  restIn: string;
  policy: PeoplePolicy;
  /** After a run: what became of each person. */
  outcomes?: RunOutcomes;
}

/**
 * The people, by category: those that need attention under one open heading, the others in
 * sections that fold past a few rows. One walk, keeping only what can be shown: users with
 * something import cannot do come first, as they are what a reviewer must see.
 */
export function renderPeople(plan: Plan, rendering: PlanRendering): { attention: string; rest: string } {
  const limit = rendering.itemsPerSection;
  const sections = new Map(
    SECTIONS.map((section) => [
      section.category,
      { ...section, count: 0, unapplied: [] as PlannedUser[], others: [] as PlannedUser[] },
    ]),
  );
  for (const planned of plan.users) {
    const section = sections.get(categoryOf(planned, rendering.policy));
    if (!section) continue;
    section.count++;
    const list = isUnapplied(planned) ? section.unapplied : section.others;
    if (list.length < limit) list.push(planned);
  }
  const attention: string[] = [];
  const rest: string[] = [];
  for (const section of sections.values()) {
    if (section.count === 0) continue;
    const shown = [...section.unapplied, ...section.others].slice(0, limit);
    const items = shown.map((planned) => item(planned, rendering, section.category));
    if (section.count > items.length)
      items.push(`…and ${section.count - items.length} more (${rendering.restIn})`);
    const title = `${section.title} (${number(section.count)})`;
    if (section.attention) attention.push(`**${title}**\n\n${list(items)}`);
    else rest.push(details(title, list(items), section.count <= OPEN_ROWS));
  }
  return { attention: attention.join('\n\n'), rest: rest.join('\n\n') };
}

/** Where the people were compared, for the summary and the comment. */
export function baselineLine(plan: Plan): string {
  return plan.baseline ? `Compared with ${text(plan.baseline.description)}.` : '';
}

/** The plan's part of the summary: who needs attention, then the rest folded. */
export function renderPlan(plan: Plan, policy: PeoplePolicy, outcomes?: RunOutcomes): string {
  if (!plan.baseline) return '';
  const people = renderPeople(plan, {
    itemsPerSection: 500,
    restIn: 'the plan-file output lists every user',
    policy,
    ...(outcomes ? { outcomes } : {}),
  });
  return [
    people.attention ? `### Needs attention\n\n${people.attention}` : '',
    people.rest,
    baselineLine(plan),
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
  const at = planned.user ?? planned.at;
  if (at) {
    entry.file = at.file;
    entry.line = at.line;
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
