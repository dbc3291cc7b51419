/**
 * Carries out the reconcile actions the plan found, one user at a time through the Users API, each
 * only once the import has said how that user fared: a change to a user whose import failed, or a
 * removal while a user this run adds is not imported (it may be the same person under a new email),
 * is held back. Each user is found exactly: by its user_id, else by its lower-cased email, and only
 * when our connection is its primary identity (a linked account is never changed). It compares
 * before it changes anything (a second run changes nothing) and leaves room in the rate-limit bucket
 * for the tenant's own traffic. A user that cannot be found, is found twice, or is refused is
 * reported and the others go on.
 */
import { AUTH0_DEFAULTS, type ReconcileAction } from '../plan/reconcile.js';
import type { RunUser } from '../users/validate.js';
import { CancelledError, DeadlineError, isPermanentRefusal, type ApiClient, type Quota } from './http.js';
import type { ChunkResult } from './schedule.js';
import type { Clock } from './timing.js';
import {
  deleteUser,
  isLinkedFrom,
  isPrimaryIn,
  updateUser,
  userById,
  usersByEmail,
  type Auth0User,
} from './users.js';

export interface ReconcileResult {
  action: ReconcileAction;
  /** `held-back`: not tried, because the import of this user (or of a user it may be) did not succeed. */
  outcome: 'done' | 'skipped' | 'failed' | 'not-done' | 'held-back';
  /** What happened, in words. */
  detail: string;
}

export interface ReconcileEdge {
  /** The database connection's name: a user's identities name it. */
  connection: string;
  clock: Clock;
  log: (message: string) => void;
}

/** Share of the bucket left for the tenant's own traffic: reconciling waits rather than take it. */
export const HEADROOM = 0.2;

/**
 * How long to wait before the next request: none while x-ratelimit-remaining is above the headroom,
 * else until the bucket (refilling evenly until x-ratelimit-reset, when it is full) is above it again.
 */
export function headroomWaitMs(quota: Quota | undefined, now: number): number {
  if (!quota || quota.limit <= 0) return 0;
  const reserve = Math.max(1, Math.ceil(quota.limit * HEADROOM));
  if (quota.remaining > reserve) return 0;
  const untilFull = Math.max(0, quota.reset * 1000 - now);
  const missing = quota.limit - quota.remaining;
  if (missing <= 0) return 0;
  return (untilFull * (reserve + 1 - quota.remaining)) / missing;
}

async function leaveHeadroom(api: ApiClient, clock: Clock): Promise<void> {
  const waitMs = headroomWaitMs(api.quota, clock.now());
  if (waitMs > 0)
    await api.waitUntil(clock.now() + waitMs, 'leaving rate-limit room for the tenant while reconciling');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the import did with the users it was sent, as far as the run knows. */
export interface ImportFates {
  /** Why a sent user is not known to be imported, by ordinal; users imported or never sent are absent. */
  notImported: ReadonlyMap<number, string>;
  /** Users imported by jobs that counted updates (some may have been there already), with when each job was submitted. */
  inJobsThatUpdated: { user: RunUser; submittedAt: number }[];
}

/** Reads each sent user's fate from the chunks' results; a failed user is matched back by its line. */
export function importFates(results: readonly ChunkResult[]): ImportFates {
  const notImported = new Map<number, string>();
  const inJobsThatUpdated: ImportFates['inJobsThatUpdated'] = [];
  for (const result of results) {
    const job = result.jobId ? `job ${result.jobId}` : `chunk ${result.chunk.label}`;
    const rejected = new Map(
      result.failedUsers.flatMap((user) =>
        user.file ? [[`${user.file}:${user.line}`, user.codes.join(', ')] as const] : [],
      ),
    );
    // Rejections Auth0's echo could not tie to a line leave every user of the job in doubt.
    const untold = (result.summary?.failed ?? 0) > rejected.size;
    for (const user of result.chunk.users) {
      let why: string | undefined;
      if (result.status === 'completed') {
        const codes = rejected.get(`${user.file}:${user.line}`);
        if (codes !== undefined) why = `Auth0 rejected it (${codes || 'no code'}) in ${job}`;
        else if (untold) why = `${job} rejected users it could not be matched to`;
      } else if (result.status === 'not-sent' || result.status === 'refused') why = `it was not sent`;
      else if (result.status === 'unknown') why = `the answer to its ${job} create was lost`;
      else if (result.status === 'failed' || result.status === 'expired') why = `${job} ${result.status}`;
      else why = `${job} is still ${result.status}`;
      if (why) notImported.set(user.ordinal, why);
      else if ((result.summary?.updated ?? 0) > 0 && result.submittedAt !== undefined)
        inJobsThatUpdated.push({ user, submittedAt: result.submittedAt });
    }
  }
  return { notImported, inJobsThatUpdated };
}

/**
 * Why an action must wait for a later run, or undefined when it may go: a change to a user whose import
 * did not succeed; a removal while a user this run adds is not imported.
 */
export function holdBack(
  action: ReconcileAction,
  fates: ImportFates,
  isAdded: (ordinal: number) => boolean,
): string | undefined {
  if (action.kind === 'update' || action.kind === 'rename') {
    const why = fates.notImported.get(action.user.ordinal);
    return why && `not applied: the import of this user failed (${why})`;
  }
  const added = [...fates.notImported].filter(([ordinal]) => isAdded(ordinal));
  if (added.length === 0) return undefined;
  return `not applied: the import of ${added.length === 1 ? 'a user' : `${added.length} users`} this run adds failed (${added[0]![1]}), and ${action.email} may be the same person under a new email; run again once the import succeeds`;
}

/** How one user was looked for, and what came of it. */
type Lookup = { found: Auth0User } | { missing: string } | { linked: Auth0User } | { ambiguous: number };

/**
 * Finds the user a file means: by user_id when the file gives one (`auth0|<user_id>` in a database
 * connection; it survives an email changed in the dashboard), else by the lower-cased email. Only a
 * user whose primary identity is our connection counts.
 */
async function lookUp(
  api: ApiClient,
  clock: Clock,
  who: { email: string; userId?: string | undefined },
  connection: string,
): Promise<Lookup> {
  const fullId = who.userId === undefined ? undefined : `auth0|${who.userId}`;
  if (fullId) {
    await leaveHeadroom(api, clock);
    const user = await userById(api, fullId);
    if (user && isPrimaryIn(user, connection)) return { found: user };
  }
  await leaveHeadroom(api, clock);
  const email = who.email.toLowerCase();
  const withEmail = await usersByEmail(api, email);
  const ours = withEmail.filter(
    (user) => isPrimaryIn(user, connection) && (fullId === undefined || user.user_id === fullId),
  );
  if (ours.length > 1) return { ambiguous: ours.length };
  if (ours[0]) return { found: ours[0] };
  const linked = withEmail.find((user) => isLinkedFrom(user, connection));
  if (linked) return { linked };
  const other = fullId ? withEmail.find((user) => isPrimaryIn(user, connection)) : undefined;
  return {
    missing: `no user ${fullId ? `${fullId} nor ` : ''}with the email ${email} in ${connection}${
      other ? ` (${other.user_id} has that email, not the file's user_id)` : ''
    }`,
  };
}

/** Identity attributes of a database user: changing one needs `connection` in the body. */
const NEEDS_CONNECTION = ['email', 'username', 'phone_number'];

/** Metadata after a PATCH, which merges one level deep (null removes a key). */
function merged(current: unknown, given: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> =
    current && typeof current === 'object' ? { ...(current as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(given)) {
    if (value === null) delete result[key];
    else result[key] = value;
  }
  return result;
}

function same(a: unknown, b: unknown): boolean {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) =>
      same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What of `set` the user does not have yet; an attribute it lacks has Auth0's default. */
function missingFrom(user: Auth0User, set: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(set)) {
    const current = user[key] ?? AUTH0_DEFAULTS[key];
    const after = key.endsWith('_metadata') ? merged(current, value as Record<string, unknown>) : value;
    if (!same(current, after)) changes[key] = value;
  }
  // Auth0 resets email_verified when the email changes unless the same request sets it.
  if ('email' in changes && 'email_verified' in set) changes.email_verified = set.email_verified;
  return changes;
}

async function patch(
  api: ApiClient,
  clock: Clock,
  user: Auth0User,
  body: Record<string, unknown>,
  connection: string,
) {
  await leaveHeadroom(api, clock);
  const withConnection = Object.keys(body).some((key) => NEEDS_CONNECTION.includes(key))
    ? { ...body, connection }
    : body;
  await updateUser(api, user.user_id, withConnection);
}

const VERBS = { update: 'changed', rename: 'renamed', block: 'blocked', delete: 'deleted' } as const;

function whoOf(action: ReconcileAction): { email: string; userId?: string | undefined } {
  if (action.kind === 'rename') return { email: action.from, userId: action.user.userId };
  if (action.kind === 'update') return { email: action.email, userId: action.user.userId };
  return { email: action.email, userId: action.userId };
}

/** Whether Auth0 created the user before `time` (clock ms); a user without created_at counts as old. */
function createdBefore(user: Auth0User, time: number): boolean {
  const created = typeof user.created_at === 'string' ? Date.parse(user.created_at) : Number.NaN;
  return !(created >= time);
}

/** What became of one action; undefined for an added user the import itself created (nothing to do). */
async function carryOut(
  api: ApiClient,
  action: ReconcileAction,
  edge: ReconcileEdge,
): Promise<ReconcileResult | undefined> {
  const { clock, connection } = edge;
  const who = whoOf(action);
  const lookup = await lookUp(api, clock, who, connection);
  if ('ambiguous' in lookup)
    return {
      action,
      outcome: 'failed',
      detail: `${lookup.ambiguous} users of ${connection} have the email ${who.email.toLowerCase()}: fix it in the dashboard`,
    };
  if ('linked' in lookup) {
    const primary = lookup.linked;
    return {
      action,
      outcome: 'failed',
      detail: `not ${VERBS[action.kind]}: ${who.email} is linked into ${primary.user_id} (primary identity in ${primary.identities?.[0]?.connection ?? 'another connection'}), and a change would reach that account; unlink it in the Auth0 dashboard (Users > ${primary.user_id} > Accounts) and run again, or change it there by hand`,
    };
  }
  if ('missing' in lookup) {
    // Not found is never taken for done: the file's user_id or email may not be the tenant's.
    const gone =
      action.kind === 'block' || action.kind === 'delete'
        ? `: not ${VERBS[action.kind]}. If it was deleted in the dashboard, nothing is left to do; otherwise find it in the dashboard and ${action.kind} it by hand`
        : '';
    return { action, outcome: 'failed', detail: `${lookup.missing}${gone}` };
  }
  const found = lookup.found;
  if (
    action.kind === 'update' &&
    action.existedBefore !== undefined &&
    !createdBefore(found, action.existedBefore)
  )
    return undefined;
  switch (action.kind) {
    case 'update':
    case 'rename': {
      const changes = missingFrom(found, action.set);
      if (Object.keys(changes).length === 0)
        return { action, outcome: 'skipped', detail: `already so (${found.user_id})` };
      await patch(api, clock, found, changes, connection);
      const renamed =
        action.kind === 'rename' && 'email' in changes ? `${action.from} → ${action.email}; ` : '';
      return {
        action,
        outcome: 'done',
        detail: `${renamed}set ${Object.keys(changes).join(', ')} on ${found.user_id}`,
      };
    }
    case 'block':
      if (found.blocked === true)
        return { action, outcome: 'skipped', detail: `already blocked (${found.user_id})` };
      await patch(api, clock, found, { blocked: true }, connection);
      return { action, outcome: 'done', detail: `blocked ${found.user_id}` };
    case 'delete':
      await leaveHeadroom(api, clock);
      await deleteUser(api, found.user_id);
      return { action, outcome: 'done', detail: `deleted ${found.user_id}` };
  }
}

/**
 * Each action in turn, unless `holdBack` says it must wait; a cancellation or the deadline leaves the
 * rest not done (and says so).
 */
export async function reconcileUsers(
  api: ApiClient,
  actions: readonly ReconcileAction[],
  edge: ReconcileEdge & { holdBack: (action: ReconcileAction) => string | undefined },
): Promise<{ results: ReconcileResult[]; stopped?: string }> {
  const results: ReconcileResult[] = [];
  for (const [i, action] of actions.entries()) {
    const held = edge.holdBack(action);
    if (held) {
      edge.log(`Reconcile ${action.kind} ${action.email}: held back, ${held}`);
      results.push({ action, outcome: 'held-back', detail: held });
      continue;
    }
    try {
      const result = await carryOut(api, action, edge);
      if (!result) continue;
      edge.log(`Reconcile ${action.kind} ${action.email}: ${result.outcome}, ${result.detail}`);
      results.push(result);
    } catch (error) {
      if (error instanceof CancelledError || error instanceof DeadlineError || isPermanentRefusal(error)) {
        const why =
          error instanceof CancelledError
            ? 'the run was cancelled first'
            : error instanceof DeadlineError
              ? 'wait-timeout-seconds ran out first'
              : `Auth0 refused the credentials (${describe(error)})`;
        for (const rest of actions.slice(i)) results.push({ action: rest, outcome: 'not-done', detail: why });
        return { results, stopped: why };
      }
      edge.log(`Reconcile ${action.kind} ${action.email}: failed, ${describe(error)}`);
      results.push({ action, outcome: 'failed', detail: describe(error) });
    }
  }
  return { results };
}
