/** An import, start to end: connect to the tenant, run the chunks as jobs, close. Never throws for Auth0's answers. */
import type { ReconcileAction } from '../plan/reconcile.js';
import type { Chunk } from '../users/chunks.js';
import type { RequestContext } from './http.js';
import { reconcileUsers, type ReconcileResult } from './reconcile.js';
import { scheduleJobs, type ChunkResult, type ScheduleResult } from './schedule.js';
import { connectionNameOf } from './users.js';
import { connectTenant, type TenantSettings } from './tenant.js';
import type { Clock, TimingPolicy } from './timing.js';

export interface ImportRequest extends TenantSettings {
  upsert: boolean;
  sendCompletionEmail: boolean;
  wait: boolean;
  maxConcurrentJobs: number;
  /** Each scope the run needs, with the input that needs it. */
  requiredScopes: ReadonlyMap<string, string>;
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
  /** Wraps each phase (a log group on a runner). */
  phase: <T>(name: string, work: () => Promise<T>) => Promise<T>;
  /** Called whenever a chunk changes. */
  onChange?: (results: readonly ChunkResult[]) => void;
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

export async function importChunks(
  request: ImportRequest,
  chunks: readonly Chunk[],
  edge: ImportEdge,
): Promise<ImportResult> {
  const unsent = (note: string): ChunkResult[] =>
    chunks.map((chunk) => ({ chunk, status: 'not-sent', failedUsers: [], note }));
  let tenant;
  try {
    tenant = await edge.phase('Connect to Auth0', () => connectTenant(request, request.requiredScopes, edge));
  } catch (error) {
    if (edge.context.signal.aborted)
      return {
        results: unsent('Not sent: the run was cancelled first.'),
        stop: { kind: 'cancelled', message: 'The run was cancelled' },
      };
    return { results: unsent('Not sent: the import could not begin.'), fatal: message(error) };
  }
  try {
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
              ...(edge.onChange ? { onChange: edge.onChange } : {}),
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
            results: request.reconcile.map((action) => ({
              action,
              outcome: 'not-done' as const,
              detail: why,
            })),
            stopped: why,
          };
        }
        return reconcileUsers(tenant.api, request.reconcile, {
          connection,
          clock: edge.clock,
          log: edge.log,
        });
      },
    );
    return { ...imported, reconcile };
  } finally {
    await tenant.close();
  }
}
