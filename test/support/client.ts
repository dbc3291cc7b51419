/** The action's Management API client, wired to an emulator as the run wires it to a tenant. */
import type { Dispatcher } from 'undici';
import { ApiClient, type RequestContext } from '../../src/auth0/http.js';
import { largestEnvelopeBytes } from '../../src/auth0/import-form.js';
import { scheduleJobs, type ScheduleOptions, type ScheduleResult } from '../../src/auth0/schedule.js';
import type { Clock, TimingPolicy } from '../../src/auth0/timing.js';
import { ManagementTokens } from '../../src/auth0/token.js';
import { buildChunks, planChunks, type Chunk } from '../../src/users/chunks.js';
import { validateRun } from '../../src/users/validate.js';
import type { Emulator } from '../emulator/index.js';

export function emulatorClient(
  emulator: Emulator,
  options: {
    clock: Clock;
    timing: TimingPolicy;
    context?: RequestContext;
    setSecret?: (value: string) => void;
    log?: (message: string) => void;
    /** To see what goes on the wire; the caller closes it. */
    dispatcher?: Dispatcher;
  },
): { api: ApiClient; tokens: ManagementTokens } {
  const api = new ApiClient({
    origin: emulator.url,
    clock: options.clock,
    timing: options.timing,
    log: options.log ?? (() => {}),
    ...(options.context ? { context: options.context } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const tokens = new ManagementTokens(
    api,
    {
      kind: 'client',
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      audience: `${emulator.url}/api/v2/`,
    },
    options.setSecret ?? (() => {}),
  );
  api.useTokens(tokens);
  return { api, tokens };
}

export function databaseId(emulator: Emulator): string {
  return emulator.connections.find((connection) => connection.strategy === 'auth0')!.id;
}

/** The chunks the run would send for this file with `max-chunk-bytes`, as the run plans them. */
export function chunksOf(usersText: string, maxChunkBytes: number, externalIdPrefix = 'in-process'): Chunk[] {
  const { users, problems } = validateRun([{ file: 'users.json', text: usersText }]);
  if (problems.length > 0) throw new Error(`invalid fixture: ${problems[0]?.message}`);
  const budget = maxChunkBytes - largestEnvelopeBytes(externalIdPrefix, users.length);
  const plan = planChunks(
    users.map((user) => user.bytes),
    budget,
  );
  return buildChunks(users, plan.chunks, externalIdPrefix);
}

/** Lower-cased emails of each chunk's users. */
export function chunkEmails(chunks: readonly Chunk[]): string[][] {
  return chunks.map((chunk) => chunk.users.map((user) => (user.email ?? '').toLowerCase()));
}

export interface ScheduleRun {
  clock: Clock;
  timing: TimingPolicy;
  /** Clock time after which nothing more is waited for. Default: an hour from now. */
  deadline?: number;
  signal?: AbortSignal;
  upsert?: boolean;
  overrides?: Partial<Omit<ScheduleOptions, 'fields' | 'clock' | 'timing'>>;
}

export interface InProcessRun {
  result: ScheduleResult;
  api: ApiClient;
  tokensFetched: string[];
  logs: string[];
  warnings: string[];
}

/** Runs `scheduleJobs` against the emulator as the run wires it: 2 slots, no upsert, wait an hour. */
export async function scheduleAgainst(
  emulator: Emulator,
  chunks: readonly Chunk[],
  run: ScheduleRun,
): Promise<InProcessRun> {
  const { clock, timing } = run;
  const tokensFetched: string[] = [];
  const logs: string[] = [];
  const warnings: string[] = [];
  const { api } = emulatorClient(emulator, {
    clock,
    timing,
    context: {
      signal: run.signal ?? new AbortController().signal,
      deadline: run.deadline ?? clock.now() + 3_600_000,
    },
    setSecret: (secret) => tokensFetched.push(secret),
    log: (message) => logs.push(message),
  });
  try {
    const result = await scheduleJobs(api, chunks, {
      fields: { connectionId: databaseId(emulator), upsert: run.upsert ?? false, sendCompletionEmail: false },
      maxConcurrentJobs: 2,
      wait: true,
      clock,
      timing,
      log: (message) => logs.push(message),
      warn: (message) => warnings.push(message),
      ...run.overrides,
    });
    return { result, api, tokensFetched, logs, warnings };
  } finally {
    await api.close();
  }
}
