/**
 * Carries out the reconcile actions the plan found, one user at a time through the Users API: finds
 * the user in our connection, compares before it changes anything (a second run changes nothing),
 * and leaves room in the rate-limit bucket for the tenant's own traffic. A user that cannot be found,
 * is found twice, or is refused is reported and the others go on.
 */
import type { ReconcileAction } from '../plan/reconcile.js';
import { CancelledError, DeadlineError, isPermanentRefusal, type ApiClient, type Quota } from './http.js';
import type { Clock } from './timing.js';
import { deleteUser, inConnection, updateUser, usersByEmail, type Auth0User } from './users.js';

export interface ReconcileResult {
  action: ReconcileAction;
  outcome: 'done' | 'skipped' | 'failed' | 'not-done';
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

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function findOne(
  api: ApiClient,
  clock: Clock,
  email: string,
  connection: string,
): Promise<Auth0User | 'missing' | { ambiguous: number }> {
  await leaveHeadroom(api, clock);
  const found = inConnection(await usersByEmail(api, email), connection);
  if (found.length === 0) return 'missing';
  if (found.length > 1) return { ambiguous: found.length };
  return found[0]!;
}

/** Identity attributes of a database user: changing one needs `connection` in the body. */
const NEEDS_CONNECTION = ['email', 'username', 'phone_number'];

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

async function carryOut(
  api: ApiClient,
  action: ReconcileAction,
  edge: ReconcileEdge,
): Promise<ReconcileResult> {
  const { clock, connection } = edge;
  const lookFor = action.kind === 'rename' ? action.from : action.email;
  const found = await findOne(api, clock, lookFor, connection);
  if (typeof found === 'object' && 'ambiguous' in found)
    return {
      action,
      outcome: 'failed',
      detail: `${found.ambiguous} users of ${connection} have the email ${lookFor}: fix it in the dashboard`,
    };
  if (found === 'missing') {
    if (action.kind === 'delete') return { action, outcome: 'skipped', detail: 'already gone' };
    if (action.kind === 'rename') {
      const renamed = await findOne(api, clock, action.email, connection);
      if (typeof renamed === 'object' && 'user_id' in renamed)
        return { action, outcome: 'skipped', detail: `already renamed (${renamed.user_id})` };
    }
    return { action, outcome: 'failed', detail: `no user ${lookFor} in connection ${connection}` };
  }
  switch (action.kind) {
    case 'update': {
      const changes = Object.fromEntries(
        Object.entries(action.set).filter(([key, value]) => !same(found[key], value)),
      );
      if (Object.keys(changes).length === 0)
        return { action, outcome: 'skipped', detail: `already so (${found.user_id})` };
      await patch(api, clock, found, changes, connection);
      return {
        action,
        outcome: 'done',
        detail: `set ${Object.keys(changes).join(', ')} on ${found.user_id}`,
      };
    }
    case 'rename':
      await patch(api, clock, found, { email: action.email }, connection);
      return { action, outcome: 'done', detail: `${found.user_id}: ${action.from} → ${action.email}` };
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

/** Each action in turn; a cancellation or the deadline leaves the rest not done (and says so). */
export async function reconcileUsers(
  api: ApiClient,
  actions: readonly ReconcileAction[],
  edge: ReconcileEdge,
): Promise<{ results: ReconcileResult[]; stopped?: string }> {
  const results: ReconcileResult[] = [];
  for (const [i, action] of actions.entries()) {
    try {
      const result = await carryOut(api, action, edge);
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
