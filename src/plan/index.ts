/**
 * Everything that can be known before a request is sent: the users files read and validated, the
 * plan against a baseline (what each user's import will do, and what it cannot), the users to send
 * and their chunks.
 */
import { largestEnvelopeBytes } from '../auth0/import-form.js';
import type { BaseSource } from '../github/base-files.js';
import { changeBase, type WorkflowEvent } from '../github/event.js';
import {
  appliedBase,
  listDeployments,
  type AppliedPayload,
  type DeploymentSite,
} from '../github/deployments.js';
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
import { appliedBaseline } from './applied.js';
import { gitBaseline } from './git-baseline.js';
import { judgeRemovals } from './removals.js';
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

/** A problem's message fits a line of an annotation; the hint carries the rest. */
const MESSAGE_LIMIT = 120;

export interface PlanEdge {
  workspace: string;
  /** Where deployments are read; absent without a token, a repository or a target to name the environment. */
  deployments?: DeploymentSite;
  event: WorkflowEvent;
  /** The commit being run. */
  sha?: string;
  repository?: string;
  signal: AbortSignal;
  externalIdPrefix: string;
  log: (message: string) => void;
  warn: (message: string) => void;
  notice: (message: string) => void;
}

/** What the plan compares the files with, and what that means for the run. */
export interface BaselineChoice {
  baseline?: Baseline;
  /** Why there is no baseline, when one was wanted but could not be read. */
  note?: string;
  /** The commit planned against, recorded with the deployment (null: none, every user new). */
  baseSha?: string | null;
  /** The deployment the baseline comes from: only what changed since it is sent. */
  deployment?: { id: number; payload: AppliedPayload };
  /**
   * Lower-cased emails of the users the files held at the applied baseline: only they may be
   * removed. Absent with a baseline of files (its users are exactly these).
   */
  managed?: ReadonlySet<string>;
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
  /** What it was planned against, for the deployment record and the plan comment. */
  against: BaselineChoice;
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
  against: BaselineChoice,
  settings: Settings,
  edge: PlanEdge,
): RunPlan {
  const { baseline, note } = against;
  const { paths, unreadable, validation, invalid } = validated;
  const { log } = edge;
  const plan = planUsers(validation.users, invalid, baseline);
  const planned =
    settings.reconcile || settings.onRemoved !== 'report' ? planReconcile(plan, settings.onRemoved) : [];
  const judged = judgePlan(plan, settings);
  const managed = against.managed;
  const removals = judgeRemovals(planned, {
    onRemoved: settings.onRemoved,
    maxRemovals: settings.maxRemovals,
    protectedUsers: settings.protectedUsers,
    ...(managed ? { managed } : {}),
    managedUsers: managed ? managed.size : (baseline?.users.length ?? 0),
    file: paths[0] ?? unreadable[0]?.file ?? settings.usersFiles[0] ?? '',
  });
  judged.problems.push(...removals.problems);
  const reconcile = removals.actions;
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
  // So against what a deployment recorded as applied: a user applied is not sent again.
  const users = usersToSend(
    plan,
    settings.onlyChanged || baseline?.kind === 'tenant' || against.deployment !== undefined,
    validation.users,
  );
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
    against,
  };
}

/**
 * Whether this run needs its baseline to decide what to send or remove: then a baseline that cannot
 * be read fails the run (never a silent skip); otherwise it is a note.
 */
function needsBaseline(settings: Settings): boolean {
  return settings.onlyChanged || settings.reconcile || settings.onRemoved !== 'report';
}

function sourceOf(settings: Settings, edge: PlanEdge): BaseSource {
  return {
    workspace: edge.workspace,
    ...(edge.repository ? { repository: edge.repository } : {}),
    ...(settings.githubToken ? { token: settings.githubToken } : {}),
    log: edge.log,
    signal: edge.signal,
  };
}

/**
 * The baseline: `since` when given; with baseline: applied (the default), the files at the last
 * successful deployment to the environment; else (and on the first run) the event's base commit.
 */
export async function readBaseline(settings: Settings, edge: PlanEdge): Promise<BaselineChoice> {
  if (settings.since || settings.baseline === 'git') return readEventBaseline(settings, edge);
  const site = edge.deployments;
  const instead =
    settings.baseline === 'tenant'
      ? "only users the files held at the event's base may be removed"
      : "planning against the event's base instead";
  if (!site) {
    edge.warn(
      `baseline: ${settings.baseline} reads the deployments that record what was applied, which needs github-token and a target (domain and connection, or deployment-environment): ${instead}. Give the job \`permissions: deployments: read\` (write to record them) and pass github-token.`,
    );
    return readEventBaseline(settings, edge);
  }
  let deployments;
  try {
    deployments = await listDeployments(site);
  } catch (error) {
    checkCancelled(edge.signal);
    const message = error instanceof Error ? error.message : String(error);
    edge.warn(
      `The deployments to ${site.environment} cannot be listed (${message}): ${instead}. Add \`permissions: deployments: read\` (or write, to record them) to the job.`,
    );
    return readEventBaseline(settings, edge);
  }
  const found = appliedBase(deployments);
  if (found.kind === 'none') {
    edge.notice(
      `No deployment to ${site.environment} yet: this first run plans against the event's base; from now on each applying run records what it applied.`,
    );
    return readEventBaseline(settings, edge);
  }
  const { deployment } = found;
  const sha = found.kind === 'applied' ? deployment.payload.sha : found.base;
  const reason =
    found.kind === 'applied'
      ? `the last applied commit (${sha?.slice(0, 7)}, deployment ${deployment.id})`
      : sha
        ? `the base of the first failed deployment (${sha.slice(0, 7)}, deployment ${deployment.id}): nothing since was applied`
        : `nothing: no deployment to ${site.environment} has succeeded and the first planned against no base`;
  edge.log(`Planning against ${reason}.`);
  let files: Baseline;
  try {
    files = await gitBaseline(
      settings.usersFiles,
      { ...(sha ? { sha } : {}), reason },
      sourceOf(settings, edge),
    );
  } catch (error) {
    checkCancelled(edge.signal);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `baseline: applied: the users files at ${reason} cannot be read: ${message}. Nothing was sent.`,
      { cause: error },
    );
  }
  const payload =
    found.kind === 'applied'
      ? deployment.payload
      : { ...deployment.payload, notApplied: [], unknown: [], notRemoved: [] };
  const baseline = appliedBaseline(files, payload, `what deployment ${deployment.id} did not remove`);
  return {
    baseline,
    baseSha: sha,
    deployment: { id: deployment.id, payload },
    ...(settings.baseline === 'tenant' ? { managed: emailsOf(baseline) } : {}),
  };
}

function emailsOf(baseline: Baseline | undefined): Set<string> {
  return new Set((baseline?.users ?? []).map((user) => user.email.toLowerCase()));
}

/**
 * The event's base (or `since`): wanted with only-changed, with since, and on push and pull-request
 * events (a reviewer's first question is what the change will do).
 */
async function readEventBaseline(settings: Settings, edge: PlanEdge): Promise<BaselineChoice> {
  const base = changeBase(edge.event, settings.since, edge.sha, settings.onlyChanged);
  const managedOnly = settings.baseline === 'tenant';
  if (!base) return managedOnly ? { managed: new Set() } : {};
  edge.log(`Planning against ${base.reason}.`);
  try {
    const baseline = await gitBaseline(settings.usersFiles, base, sourceOf(settings, edge));
    return managedOnly
      ? { baseSha: base.sha ?? null, managed: emailsOf(baseline) }
      : { baseline, baseSha: base.sha ?? null };
  } catch (error) {
    checkCancelled(edge.signal);
    const message = error instanceof Error ? error.message : String(error);
    if (settings.onlyChanged) throw new Error(`only-changed: ${message}`, { cause: error });
    if (needsBaseline(settings))
      throw new Error(
        `${settings.reconcile ? 'reconcile' : `on-removed: ${settings.onRemoved}`} needs the users files at ${base.reason}: ${message}. Nothing was sent.`,
        { cause: error },
      );
    return managedOnly ? { managed: new Set() } : { note: `No plan against ${base.reason}: ${message}` };
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
        message: `email renamed from ${planned.before?.email} (same user_id ${user.userId}): import cannot rename a user`,
        hint: 'import would refuse it as a conflict while the old user keeps that user_id: set the new email on the existing user (reconcile: true, or the dashboard), or delete the old user first',
      });
    }
    for (const change of unappliedChanges(planned).filter(
      (change) => !(settings.reconcile && reconcilable(change)),
    )) {
      const verb = change.effect === 'never' ? 'cannot apply' : 'may not apply';
      const what =
        change.kind === 'removed'
          ? 'removed'
          : change.kind === 'added'
            ? `set to ${change.after}`
            : `changed${change.before !== change.after ? ` from ${change.before} to ${change.after}` : ''}`;
      // A short message (values only when they fit); why and what to do go in the hint.
      const full = `${change.attribute} ${what} for an existing user: import ${verb} this`;
      unapplied.push({
        ...at(change.line, change.column, `[${user.index}].${change.attribute}`),
        message:
          full.length <= MESSAGE_LIMIT
            ? full
            : `${change.attribute} ${change.kind} for an existing user: import ${verb} this`,
        hint: `Auth0's upsert ${change.effect === 'never' ? 'never updates' : 'does not reliably update'} ${change.attribute}, though the job counts the user as updated: ${insteadOfImport(change.attribute)}`,
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
