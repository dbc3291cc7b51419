/**
 * Carries out the access plan after the import, following each user's import outcome: nothing for a
 * user whose import failed. Revocations and departures first; grants in bulk (one request per role,
 * organization members ten at a time); per user only where the API has no bulk form.
 */
import { CancelledError, DeadlineError, isPermanentRefusal, type ApiClient } from '../auth0/http.js';
import { changeMemberRoles, changeMembers, MEMBERS_PER_REQUEST } from '../auth0/organizations.js';
import { GRANT_BATCH, grantRole, revokeRoles } from '../auth0/roles.js';
import { isPrimaryIn, usersByEmail } from '../auth0/users.js';
import type { AccessAction, AccessPlan, Person } from './plan.js';

export interface AccessResult {
  action: AccessAction;
  outcome: 'done' | 'failed' | 'held' | 'not-done';
  detail?: string;
}

export interface AccessEdge {
  /** Why a users-file user's access is held back (their import failed), or undefined to go on. */
  heldBack: (ordinal: number) => string | undefined;
  /** The database connection's name, to find a new user by email; undefined: any database user. */
  connection?: string;
  log: (message: string) => void;
}

/** Why nothing more can be sent (cancelled, out of time, credentials refused), or undefined. */
function stopReason(error: unknown): string | undefined {
  if (error instanceof CancelledError) return 'the run was cancelled first';
  if (error instanceof DeadlineError) return 'wait-timeout-seconds ran out first';
  if (isPermanentRefusal(error)) return `Auth0 refused the credentials (${describe(error)})`;
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export async function applyAccess(
  api: ApiClient,
  plan: AccessPlan,
  edge: AccessEdge,
): Promise<{ results: AccessResult[]; stopped?: string }> {
  const results = new Map<AccessAction, AccessResult>();
  const settle = (actions: readonly AccessAction[], outcome: AccessResult['outcome'], detail?: string) => {
    for (const action of actions) results.set(action, { action, outcome, ...(detail ? { detail } : {}) });
  };
  const ready: AccessAction[] = [];
  for (const action of plan.actions) {
    const why = action.person.user && edge.heldBack(action.person.user.ordinal);
    if (why) settle([action], 'held', why);
    else ready.push(action);
  }
  let stopped: string | undefined;
  /** Sends one request for `actions`; a refusal fails them; a cancellation or the deadline stops the rest. */
  const send = async (actions: readonly AccessAction[], request: () => Promise<void>) => {
    try {
      await request();
      settle(actions, 'done');
    } catch (error) {
      if (stopReason(error)) throw error;
      edge.log(`Access: ${describe(error)}`);
      settle(actions, 'failed', describe(error));
    }
  };

  try {
    await resolveIds(api, ready, edge, settle);
    const go = ready.filter((action) => !results.has(action));
    const idOf = (person: Person) => person.userId!;
    const of = <K extends AccessAction['kind']>(kind: K) =>
      go.filter((action): action is Extract<AccessAction, { kind: K }> => action.kind === kind);

    for (const actions of groupBy(of('revoke-role'), (a) => idOf(a.person)).values()) {
      const roleIds = actions.map((action) => plan.roleIds.get(action.role)!);
      await send(actions, () => revokeRoles(api, idOf(actions[0]!.person), roleIds));
    }
    await memberships(of('leave'), 'remove');
    await memberRoles(of('revoke-member-role'), 'remove');
    for (const [role, actions] of groupBy(of('grant-role'), (a) => a.role)) {
      for (const batch of batches(actions, GRANT_BATCH)) {
        const id = plan.roleIds.get(role)!;
        await send(batch, () =>
          grantRole(
            api,
            id,
            role,
            batch.map((a) => idOf(a.person)),
          ),
        );
      }
    }
    await memberships(of('join'), 'add');
    await memberRoles(of('grant-member-role'), 'add');

    /** Organization members, at most MEMBERS_PER_REQUEST a request, as Auth0 documents. */
    async function memberships(
      actions: Extract<AccessAction, { kind: 'leave' | 'join' }>[],
      change: 'add' | 'remove',
    ): Promise<void> {
      for (const [organization, group] of groupBy(actions, (a) => a.organization)) {
        const id = plan.organizationIds.get(organization)!;
        for (const batch of batches(group, MEMBERS_PER_REQUEST)) {
          const members = batch.map((a) => idOf(a.person));
          await send(batch, () => changeMembers(api, id, organization, change, members));
        }
      }
    }

    async function memberRoles(
      actions: Extract<AccessAction, { kind: 'grant-member-role' | 'revoke-member-role' }>[],
      change: 'add' | 'remove',
    ) {
      for (const group of groupBy(actions, (a) => `${a.organization}\n${idOf(a.person)}`).values()) {
        const { organization, person } = group[0]!;
        // A member whose joining failed cannot be given roles in the organization.
        const joining = results.get(
          plan.actions.find(
            (a) => a.kind === 'join' && a.person === person && a.organization === organization,
          )!,
        );
        if (joining && joining.outcome !== 'done') {
          settle(group, 'failed', `not a member of ${organization}: ${joining.detail ?? joining.outcome}`);
          continue;
        }
        const id = plan.organizationIds.get(organization)!;
        const roleIds = group.map((a) => plan.roleIds.get(a.role)!);
        await send(group, () => changeMemberRoles(api, id, organization, idOf(person), change, roleIds));
      }
    }
  } catch (error) {
    stopped = stopReason(error);
    if (!stopped) throw error;
  }
  for (const action of plan.actions) if (!results.has(action)) settle([action], 'not-done', stopped);
  return { results: plan.actions.map((action) => results.get(action)!), ...(stopped ? { stopped } : {}) };
}

/** Users new to the tenant are found by email once their import has made them (one request each). */
async function resolveIds(
  api: ApiClient,
  actions: readonly AccessAction[],
  edge: AccessEdge,
  settle: (actions: readonly AccessAction[], outcome: AccessResult['outcome'], detail?: string) => void,
): Promise<void> {
  for (const [, group] of groupBy(
    actions.filter((action) => !action.person.userId),
    (action) => action.person.label,
  )) {
    const person = group[0]!.person;
    if (!person.email) {
      settle(group, 'failed', 'no email or user_id to find the user by');
      continue;
    }
    try {
      // Database connections keep emails lower-cased, and Auth0 matches them case-sensitively.
      const found = await usersByEmail(api, person.email.toLowerCase());
      const connection = edge.connection;
      const ours = connection
        ? found.filter((user) => isPrimaryIn(user, connection))
        : found.filter((user) => user.user_id.startsWith('auth0|'));
      if (ours.length === 1) person.userId = ours[0]!.user_id;
      else
        settle(
          group,
          'failed',
          ours.length === 0 ? 'not in the tenant after the import' : `${ours.length} users have this email`,
        );
    } catch (error) {
      if (stopReason(error)) throw error;
      settle(group, 'failed', describe(error));
    }
  }
}
