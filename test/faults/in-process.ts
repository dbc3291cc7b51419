/** The import client wired as src/main.ts wires it, in-process, for what the bundle cannot be told (timing). */
import { ApiClient } from '../../src/auth0/http.js';
import {
  scheduleJobs,
  type ChunkToSend,
  type ScheduleOptions,
  type ScheduleResult,
} from '../../src/auth0/schedule.js';
import { systemClock, type Clock, type TimingPolicy } from '../../src/auth0/timing.js';
import { planChunks } from '../../src/users/chunks.js';
import { userJson, validateRun } from '../../src/users/validate.js';
import type { Emulator } from '../emulator/index.js';
import { emulatorClient, scheduleOptions } from '../support/client.js';

/** The chunks main.ts would send for this file, and each chunk's emails. */
export function chunksOf(
  usersText: string,
  maxChunkBytes: number,
): { chunks: ChunkToSend[]; emails: string[][] } {
  const { users, problems } = validateRun([{ file: 'users.json', text: usersText }]);
  if (problems.length > 0) throw new Error(`invalid fixture: ${problems[0]?.message}`);
  const plan = planChunks(
    users.map((user) => user.bytes),
    maxChunkBytes,
  );
  const spans = plan.chunks.map((span) => users.slice(span.first, span.first + span.count));
  return {
    chunks: spans.map((chunkUsers, i) => ({
      chunk: i + 1,
      usersPart: Buffer.from(`[${chunkUsers.map(userJson).join(',')}]`),
      userCount: chunkUsers.length,
      externalId: `in-process#${i + 1}`,
    })),
    emails: spans.map((chunkUsers) => chunkUsers.map((user) => user.email ?? '')),
  };
}

export interface InProcessRun {
  result: ScheduleResult;
  api: ApiClient;
  tokensFetched: string[];
}

/** Runs `scheduleJobs` against the emulator as main.ts would, with the timing and clock given. */
export async function scheduleAgainst(
  emulator: Emulator,
  chunks: readonly ChunkToSend[],
  timing: TimingPolicy,
  overrides: Partial<ScheduleOptions> & { clock?: Clock } = {},
): Promise<InProcessRun> {
  const clock = overrides.clock ?? systemClock;
  const tokensFetched: string[] = [];
  const { api } = emulatorClient(emulator, {
    clock,
    timing,
    setSecret: (secret) => tokensFetched.push(secret),
  });
  try {
    const result = await scheduleJobs(api, chunks, {
      ...scheduleOptions(emulator, clock, timing, overrides),
      clock,
    });
    return { result, api, tokensFetched };
  } finally {
    await api.close();
  }
}
