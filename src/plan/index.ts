/**
 * Everything that can be known before a request is sent: the users files read and validated, the
 * plan against a baseline (what each user's import will do, and what it cannot), the users to send
 * and their chunks.
 */
import { largestEnvelopeBytes } from '../auth0/import-form.js';
import type { BaseSource } from '../github/base-files.js';
import { changeBase, type WorkflowEvent } from '../github/event.js';
import type { Settings } from '../inputs.js';
import { plural } from '../report/markdown.js';
import { buildChunks, planChunks, type Chunk } from '../users/chunks.js';
import type { Problem } from '../users/problem.js';
import {
  isUnreadable,
  readUsersFile,
  resolveUsersFiles,
  wholeText,
  type UsersFileText,
} from '../users/read.js';
import { validateRun, type RunValidation } from '../users/validate.js';
import { insteadOfImport } from './attributes.js';
import { gitBaseline } from './git-baseline.js';
import { planReconcile, reconcilable, type ReconcileAction } from './reconcile.js';
import {
  planUsers,
  unappliedChanges,
  usersToSend,
  type Baseline,
  type InvalidUser,
  type Plan,
  type PlannedUser,
} from './plan.js';

export interface PlanEdge {
  workspace: string;
  event: WorkflowEvent;
  /** The commit being run. */
  sha?: string;
  repository?: string;
  signal: AbortSignal;
  externalIdPrefix: string;
  log: (message: string) => void;
  warn: (message: string) => void;
}

export interface RunPlan {
  files: { file: string; users: number }[];
  /** What each user's import will do; without a baseline every valid user is new. */
  plan: Plan;
  /** Why there is no baseline, when one was wanted but could not be read. */
  baselineNote?: string;
  chunks: Chunk[];
  /** Each one stops the run before anything is sent. */
  problems: Problem[];
  /** Shown on their lines; the run goes on. */
  warnings: Problem[];
  /** What the Users API will set after the import (reconcile, on-removed). */
  reconcile: ReconcileAction[];
}

export class CancelledBeforeSending extends Error {
  constructor() {
    super('The run was cancelled before anything was sent.');
  }
}

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledBeforeSending();
}

/** The users files read and validated: nothing known yet about what changes. */
export interface ValidatedFiles {
  paths: string[];
  unreadable: Problem[];
  validation: RunValidation;
  /** Users with problems, known by their email: the plan shows them as invalid, never as removed. */
  invalid: InvalidUser[];
}

export function hasProblems(files: ValidatedFiles): boolean {
  return files.unreadable.length > 0 || files.validation.problems.length > 0;
}

export async function validateFiles(settings: Settings, edge: PlanEdge): Promise<ValidatedFiles> {
  const { workspace, signal } = edge;
  const paths = await resolveUsersFiles(settings.usersFiles, workspace);
  const texts: UsersFileText[] = [];
  const unreadable: Problem[] = [];
  for (const file of paths) {
    checkCancelled(signal);
    const read = await readUsersFile(workspace, file);
    if (isUnreadable(read)) unreadable.push(read);
    else texts.push(read);
  }
  checkCancelled(signal);
  const validation = validateRun(texts);
  // The scan runs without a break: a signal that came meanwhile is seen once the event loop has
  // polled for it, between two of its turns.
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  checkCancelled(signal);
  for (const problem of unreadable) edge.log(`${problem.file}: unreadable`);
  for (const { file, users } of validation.files) edge.log(`${file}: ${plural(users, 'user')}`);
  // The texts go here: a large file's users are read again from the file when they are needed.
  return { paths, unreadable, validation, invalid: invalidUsers(texts, validation.problems) };
}

/** What the files mean against the baseline: the plan, what is sent, in which chunks, and what stops the run. */
export function planAgainst(
  validated: ValidatedFiles,
  { baseline, note }: { baseline?: Baseline; note?: string },
  settings: Settings,
  edge: PlanEdge,
): RunPlan {
  const { paths, unreadable, validation, invalid } = validated;
  const { log } = edge;
  const plan = planUsers(validation.users, invalid, baseline);
  const reconcile =
    settings.reconcile || settings.onRemoved !== 'report' ? planReconcile(plan, settings.onRemoved) : [];
  const judged = judgePlan(plan, settings);
  const removals = reconcile.filter((action) => action.kind === 'block' || action.kind === 'delete');
  if (removals.length > settings.maxRemovals) {
    const first = paths[0] ?? unreadable[0]?.file ?? settings.usersFiles[0] ?? '';
    judged.problems.push({
      file: first,
      line: 1,
      column: 1,
      path: '',
      message: `${removals.length} users would be ${settings.onRemoved === 'delete' ? 'deleted' : 'blocked'} (on-removed: ${settings.onRemoved}), more than max-removals (${settings.maxRemovals}); nothing was changed`,
      hint: 'A bad users-file glob or a truncated file must never empty a tenant: check the plan; if the removals are meant, raise max-removals for this run',
    });
  }
  const removed: PlannedUser[] = [];
  for (const planned of plan.users) if (planned.action === 'remove') removed.push(planned);
  if (removed.length > 0 && settings.onRemoved === 'report')
    edge.warn(
      `${plural(removed.length, 'user')} ${
        baseline?.kind === 'tenant'
          ? `in the tenant ${removed.length === 1 ? 'is' : 'are'} not in the users files`
          : `removed from the users files since ${plan.baseline?.description} ${removed.length === 1 ? 'is' : 'are'} still in Auth0`
      } (bulk import cannot delete; on-removed: block or delete would): ${removed
        .slice(0, 20)
        .map((planned) => planned.email)
        .join(', ')}${removed.length > 20 ? ` and ${removed.length - 20} more` : ''}`,
    );

  // Against the tenant only what it lacks or holds differently is sent: a re-run resumes.
  const users = usersToSend(plan, settings.onlyChanged || baseline?.kind === 'tenant', validation.users);
  const budget = settings.maxChunkBytes - largestEnvelopeBytes(edge.externalIdPrefix, users.length);
  const spans = planChunks(users.bytes(), budget);
  const oversized = spans.oversized.map((index): Problem => {
    const user = users.at(index)!;
    return {
      file: user.file,
      line: user.line,
      column: user.column,
      path: `[${user.index}]`,
      message: `The user is ${user.bytes} bytes of JSON: with the request's multipart envelope it exceeds max-chunk-bytes (${settings.maxChunkBytes})`,
      hint: 'Shrink its metadata, or raise max-chunk-bytes (at most 512000).',
    };
  });
  const problems = [...unreadable, ...validation.problems, ...judged.problems, ...oversized];
  const files = [...unreadable.map((problem) => ({ file: problem.file, users: 0 })), ...validation.files];
  log(
    `Read ${plural(paths.length, 'file')}: ${validation.users.length} valid users, ${problems.length} problems.`,
  );
  return {
    files,
    plan,
    ...(note ? { baselineNote: note } : {}),
    chunks: buildChunks(users, spans.chunks, edge.externalIdPrefix),
    problems,
    warnings: judged.warnings,
    reconcile: settings.reconcile
      ? reconcile
      : reconcile.filter((action) => action.kind === 'block' || action.kind === 'delete'),
  };
}

/**
 * The git baseline: wanted with only-changed, with since, and on push and pull-request events (a
 * reviewer's first question is what the change will do). Only only-changed needs it to decide what
 * to send: elsewhere a baseline that cannot be read is a note, not a failure.
 */
export async function readGitBaseline(
  settings: Settings,
  edge: PlanEdge,
): Promise<{ baseline?: Baseline; note?: string }> {
  const base = changeBase(edge.event, settings.since, edge.sha, settings.onlyChanged);
  if (!base) return {};
  edge.log(`Planning against ${base.reason}.`);
  const source: BaseSource = {
    workspace: edge.workspace,
    ...(edge.repository ? { repository: edge.repository } : {}),
    ...(settings.githubToken ? { token: settings.githubToken } : {}),
    log: edge.log,
    signal: edge.signal,
  };
  try {
    return { baseline: await gitBaseline(settings.usersFiles, base, source) };
  } catch (error) {
    checkCancelled(edge.signal);
    const message = error instanceof Error ? error.message : String(error);
    if (settings.onlyChanged) throw new Error(`only-changed: ${message}`, { cause: error });
    return { note: `No plan against ${base.reason}: ${message}` };
  }
}

/** Users with problems, by email where they have one: the plan reports them as invalid, never as removed. */
function invalidUsers(texts: readonly UsersFileText[], problems: readonly Problem[]): InvalidUser[] {
  const found: InvalidUser[] = [];
  const byFile = new Map<string, Problem[]>();
  for (const problem of problems) byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
  for (const read of texts) {
    const { file } = read;
    const fileProblems = byFile.get(file);
    if (!fileProblems) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(wholeText(read));
    } catch {
      continue;
    }
    if (!Array.isArray(parsed)) continue;
    const seen = new Set<number>();
    for (const problem of fileProblems) {
      const index = Number(/^\[(\d+)\]/.exec(problem.path)?.[1] ?? NaN);
      const email = (parsed[index] as { email?: unknown } | undefined)?.email;
      if (!Number.isInteger(index) || seen.has(index) || typeof email !== 'string') continue;
      seen.add(index);
      found.push({ email, file, line: problem.line });
    }
  }
  return found;
}

/**
 * What the plan means for the run: a modified user without upsert fails at once with only-changed;
 * a change import cannot apply (an email rename, an attribute upsert never updates) is an error on
 * its line, or with on-unapplied-change: warn a warning; destructive upsert effects are warnings.
 */
function judgePlan(plan: Plan, settings: Settings): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const unapplied = settings.onUnappliedChange === 'error' ? problems : warnings;
  const since = plan.baseline?.description ?? '';
  for (const planned of plan.users) {
    // Most users of a large plan are new or unchanged: nothing to judge, nothing to allocate.
    const nothingToJudge =
      planned.changes.length === 0 &&
      planned.warnings.length === 0 &&
      planned.action !== 'update' &&
      planned.action !== 'rename';
    if (nothingToJudge) continue;
    const user = planned.user;
    if (!user) continue;
    const at = (line: number, column: number, path: string) => ({ file: user.file, line, column, path });
    if (planned.action === 'update' && settings.onlyChanged && !settings.upsert) {
      problems.push({
        ...at(user.line, user.column, `[${user.index}]`),
        message: `${planned.email} changed since ${since}: updating an existing user needs upsert: true`,
        hint: 'Set upsert: true (Auth0 replaces the changed fields), or revert the change.',
      });
    }
    if (planned.action === 'rename' && !settings.reconcile) {
      unapplied.push({
        ...at(user.line, user.column, `[${user.index}].email`),
        message: `email renamed from ${planned.before?.email} (same user_id ${user.userId}): import cannot rename a user — it would refuse this one as a conflict while the old one keeps that user_id`,
        hint: 'set the new email on the existing user (reconcile: true, or the dashboard), or delete the old user first',
      });
    }
    for (const change of unappliedChanges(planned).filter(
      (change) => !(settings.reconcile && reconcilable(change)),
    )) {
      const verb = change.effect === 'never' ? 'cannot apply' : 'may not apply';
      unapplied.push({
        ...at(change.line, change.column, `[${user.index}].${change.attribute}`),
        message: `${change.attribute} ${change.kind === 'removed' ? 'removed' : change.kind === 'added' ? `set to ${change.after}` : `changed${change.before !== change.after ? ` from ${change.before} to ${change.after}` : ''}`} for an existing user: import ${verb} this (Auth0's upsert ${change.effect === 'never' ? 'never updates' : 'does not reliably update'} ${change.attribute}), though the job would count the user as updated`,
        hint: insteadOfImport(change.attribute),
      });
    }
    for (const warning of settings.upsert ? planned.warnings : []) {
      warnings.push({
        ...at(user.line, user.column, `[${user.index}]`),
        message: `${planned.email}: ${warning}`,
      });
    }
  }
  return { problems, warnings };
}
