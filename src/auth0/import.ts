/**
 * The Auth0 side of a run: connect to the tenant, read it when it is the baseline, run the chunks as
 * jobs, reconcile what import cannot set. Auth0's answers end up in results, never in exceptions.
 */
import { alreadyThere, type ReconcileAction } from '../plan/reconcile.js';
import type { Chunk } from '../users/chunks.js';
import { readTenantUsers, type TenantUsers } from './export.js';
import type { RequestContext } from './http.js';
import { holdBack, importFates, reconcileUsers, type ReconcileResult } from './reconcile.js';
import { scheduleJobs, type ChunkResult, type ScheduleResult } from './schedule.js';
import { connectTenant, type Tenant, type TenantSettings } from './tenant.js';
import type { Clock, TimingPolicy } from './timing.js';
import { connectionNameOf } from './users.js';

export interface ImportRequest {
  upsert: boolean;
  sendCompletionEmail: boolean;
  wait: boolean;
  maxConcurrentJobs: number;
  /** What import cannot set, applied through the Users API once the jobs have completed. */
  reconcile: readonly ReconcileAction[];
  /** Whether the plan adds this user (by ordinal): a removal waits until such users are imported. */
  isAdded: (ordinal: number) => boolean;
  /**
   * Added users the jobs found already there get what import does not set: `blocked` with on-removed:
   * block, and username and phone too with reconcile. Off: they are left as import leaves them.
   */
  alreadyThere: 'off' | 'blocked' | 'reconcile';
}

export interface ImportEdge {
  clock: Clock;
  timing: TimingPolicy;
  context: RequestContext;
  log: (message: string) => void;
  /** What a person re-running with debug logging sees more: requests and scheduling decisions, no secret. */
  debug: (message: string) => void;
  warn: (message: string) => void;
  setSecret: (value: string) => void;
  /** Wraps each phase (a log group on a runner). */
  phase: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

export interface ImportResult extends Partial<ScheduleResult> {
  results: ChunkResult[];
  /** The import could not begin (credentials, scopes, connection): nothing was sent. */
  fatal?: string;
  /** The connection the users went to, by name when it was looked up. */
  connection?: string;
  reconcile?: { results: ReconcileResult[]; stopped?: string };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Connects, checking every scope the run needs before anything else; throws when it cannot. */
export function openTenant(
  settings: TenantSettings,
  requiredScopes: ReadonlyMap<string, string>,
  edge: ImportEdge,
): Promise<Tenant> {
  return edge.phase('Connect to Auth0', () => connectTenant(settings, requiredScopes, edge));
}

/** What the tenant holds for the connection, through a users export (read:users). */
export function readTenant(tenant: Tenant, edge: ImportEdge): Promise<TenantUsers> {
  return edge.phase('Read the tenant (users export)', () =>
    readTenantUsers(tenant.api, { connectionId: tenant.connectionId }, edge),
  );
}

/** Connects when no tenant is open yet, then imports; a failure to connect is reported, not thrown. */
export async function importChunks(
  tenant: Tenant | { settings: TenantSettings; requiredScopes: ReadonlyMap<string, string> },
  request: ImportRequest,
  chunks: readonly Chunk[],
  edge: ImportEdge,
): Promise<ImportResult> {
  const unsent = (note: string): ChunkResult[] =>
    chunks.map((chunk) => ({ chunk, status: 'not-sent', failedUsers: [], note }));
  let open: Tenant;
  if ('api' in tenant) open = tenant;
  else {
    try {
      open = await openTenant(tenant.settings, tenant.requiredScopes, edge);
    } catch (error) {
      if (edge.context.signal.aborted)
        return {
          results: unsent('Not sent: the run was cancelled first.'),
          stop: { kind: 'cancelled', message: 'The run was cancelled' },
        };
      return { results: unsent('Not sent: the import could not begin.'), fatal: message(error) };
    }
  }
  try {
    return await runImport(open, request, chunks, edge);
  } finally {
    if (!('api' in tenant)) await open.close();
  }
}

async function runImport(
  tenant: Tenant,
  request: ImportRequest,
  chunks: readonly Chunk[],
  edge: ImportEdge,
): Promise<ImportResult> {
  const result =
    chunks.length === 0
      ? { results: [] }
      : await edge.phase(`Import ${chunks.length} chunk${chunks.length === 1 ? '' : 's'}`, () =>
          scheduleJobs(tenant.api, chunks, {
            fields: {
              connectionId: tenant.connectionId,
              upsert: request.upsert,
              sendCompletionEmail: request.sendCompletionEmail,
            },
            maxConcurrentJobs: request.maxConcurrentJobs,
            wait: request.wait,
            clock: edge.clock,
            timing: edge.timing,
            log: edge.log,
            debug: edge.debug,
            warn: edge.warn,
          }),
        );
  const imported = { ...result, connection: tenant.connectionName ?? tenant.connectionId };
  const fates = importFates(result.results);
  const existed =
    request.alreadyThere === 'off'
      ? []
      : fates.inJobsThatUpdated
          .filter(({ user }) => request.isAdded(user.ordinal))
          .map(({ user, submittedAt }) =>
            alreadyThere(user, request.alreadyThere === 'reconcile', submittedAt),
          );
  const actions = [...request.reconcile, ...existed];
  if (actions.length === 0) return imported;
  const label = `Reconcile ${actions.length} user${actions.length === 1 ? '' : 's'}`;
  // Reconciling follows the import: a run that stopped before knowing each user's outcome changes nobody.
  const stop = 'stop' in result ? result.stop : undefined;
  if (stop) {
    const why = `the import did not finish (${stop.message.replace(/\.$/, '')})`;
    return { ...imported, reconcile: notDone(actions, why) };
  }
  const reconcile = await edge.phase(label, async () => {
    let connection = tenant.connectionName;
    try {
      connection ??= await connectionNameOf(tenant.api, tenant.connectionId);
    } catch (error) {
      return notDone(actions, `the connection's name is unknown (${message(error)})`);
    }
    return reconcileUsers(tenant.api, actions, {
      connection,
      clock: edge.clock,
      log: edge.log,
      holdBack: (action) => holdBack(action, fates, request.isAdded),
    });
  });
  return { ...imported, reconcile };
}

function notDone(
  actions: readonly ReconcileAction[],
  why: string,
): { results: ReconcileResult[]; stopped: string } {
  return { results: actions.map((action) => ({ action, outcome: 'not-done', detail: why })), stopped: why };
}
