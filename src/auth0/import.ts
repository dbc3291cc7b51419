/**
 * The Auth0 side of a run: connect to the tenant, read it when it is the baseline, run the chunks as
 * jobs, reconcile what import cannot set. Auth0's answers end up in results, never in exceptions.
 */
import type { ReconcileAction } from '../plan/reconcile.js';
import type { Chunk } from '../users/chunks.js';
import { readTenantUsers, type TenantUsers } from './export.js';
import type { RequestContext } from './http.js';
import { reconcileUsers, type ReconcileResult } from './reconcile.js';
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
}

export interface ImportEdge {
  clock: Clock;
  timing: TimingPolicy;
  context: RequestContext;
  log: (message: string) => void;
  warn: (message: string) => void;
  setSecret: (value: string) => void;
  /** Shown only when the workflow is re-run with debug logging: requests, timings, decisions. Never a secret. */
  debug: (message: string) => void;
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
            warn: edge.warn,
          }),
        );
  const imported = { ...result, connection: tenant.connectionName ?? tenant.connectionId };
  // After the jobs, and only when the run still has its credentials and its time.
  if (request.reconcile.length === 0 || ('stop' in result && result.stop)) return imported;
  const reconcile = await edge.phase(
    `Reconcile ${request.reconcile.length} user${request.reconcile.length === 1 ? '' : 's'}`,
    async () => {
      let connection = tenant.connectionName;
      try {
        connection ??= await connectionNameOf(tenant.api, tenant.connectionId);
      } catch (error) {
        const why = `the connection's name is unknown (${message(error)})`;
        return {
          results: request.reconcile.map((action) => ({ action, outcome: 'not-done' as const, detail: why })),
          stopped: why,
        };
      }
      return reconcileUsers(tenant.api, request.reconcile, { connection, clock: edge.clock, log: edge.log });
    },
  );
  return { ...imported, reconcile };
}
