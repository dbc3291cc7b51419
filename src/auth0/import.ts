/** An import, start to end: connect to the tenant, run the chunks as jobs, close. Never throws for Auth0's answers. */
import type { Chunk } from '../users/chunks.js';
import type { RequestContext } from './http.js';
import { scheduleJobs, type ChunkResult, type ScheduleResult } from './schedule.js';
import { connectTenant, type TenantSettings } from './tenant.js';
import type { Clock, TimingPolicy } from './timing.js';

export interface ImportRequest extends TenantSettings {
  upsert: boolean;
  sendCompletionEmail: boolean;
  wait: boolean;
  maxConcurrentJobs: number;
  /** Each scope the run needs, with the input that needs it. */
  requiredScopes: ReadonlyMap<string, string>;
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
    const result = await edge.phase(`Import ${chunks.length} chunk${chunks.length === 1 ? '' : 's'}`, () =>
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
    return { ...result, connection: tenant.connectionName ?? tenant.connectionId };
  } finally {
    await tenant.close();
  }
}
