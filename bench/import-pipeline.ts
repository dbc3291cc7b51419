/**
 * Chunks through the action's own client and scheduler, with its DEFAULT_TIMING, over HTTP to the
 * emulator: wall time from the first create to the last job noticed done, against the ideal of two
 * slots always busy, ceil(N / 2) × the job's length; requests per job; how long a finished job goes
 * unnoticed. Real-clock scenarios wait for real; virtual-clock ones only for the client's sleeps.
 */
import { nextPoll, type JobEnd } from '../src/auth0/poller.js';
import { scheduleJobs } from '../src/auth0/schedule.js';
import { DEFAULT_TIMING, systemClock, type TimingPolicy } from '../src/auth0/timing.js';
import { startEmulator, type RateLimitOptions } from '../test/emulator/index.js';
import { buildChunks, type Chunk } from '../src/users/chunks.js';
import { validateRun } from '../src/users/validate.js';
import { databaseId, emulatorClient } from '../test/support/client.js';
import { virtualClock } from '../test/support/virtual-clock.js';
import { figure, type Figure } from './figures.js';
import { generateUsers } from './generate-users.js';
import { median } from './measure.js';

/** Auth0's limit of active import jobs per tenant. */
const SLOTS = 2;
/** Small parts: the emulator imports them in this process, and its work is not Auth0's. */
const USERS_PER_CHUNK = 5;
const STATUS_ROUTE = 'GET /api/v2/jobs/{id}';
const TOKEN_ROUTE = 'POST /oauth/token';

export interface Scenario {
  name: string;
  /** `virtual`: time passes only while the client sleeps (see test/support/virtual-clock.ts). */
  clock: 'real' | 'virtual';
  pendingMs: number;
  processingMs: number;
  timing: TimingPolicy;
  rateLimit?: RateLimitOptions;
  chunkCounts: number[];
  runs: number;
  /** The most wall / ideal may be. */
  target: number;
}

interface ScenarioRun {
  wallMs: number;
  /** Requests the client sent while scheduling, by route (the token, fetched before, excluded). */
  requests: Record<string, number>;
  /** Per job: finishedAt (when we noticed) less the emulator's end of the job. */
  noticeLagMs: number[];
  rateLimited: number;
  maxActiveJobs: number;
}

interface ChunkCountResult {
  chunks: number;
  jobMs: number;
  idealMs: number;
  wallMs: number[];
  medianWallMs: number;
  requestsPerJob: Record<string, number>;
  noticeLagMs: number[];
  rateLimited: number[];
  maxActiveJobs: number;
}

/** A job as the action meets it in Auth0, on the virtual clock: no time is spent waiting for real. */
export const SIXTY_SECOND_JOB = {
  clock: 'virtual',
  pendingMs: 0,
  processingMs: 60_000,
  timing: DEFAULT_TIMING,
} as const;

export interface PollSchedule {
  /** When each status request goes out, in ms after the create. */
  pollsAtMs: number[];
  /** From the job's end to the poll that sees it. */
  lagMs: number;
}

/**
 * The status polls of one job, walked with the scheduler's own nextPoll and no request latency.
 * With `timeLeft`, a processing job reports time_left_seconds as the emulator does: whole seconds,
 * rounded up.
 */
export function pollSchedule(
  pendingMs: number,
  processingMs: number,
  timing: TimingPolicy,
  timeLeft: boolean,
): PollSchedule {
  const endMs = pendingMs + processingMs;
  let last: { interval: number } & JobEnd = { interval: timing.pollInitialMs };
  const pollsAtMs = [last.interval];
  let at = last.interval;
  while (at < endMs) {
    const secondsLeft = timeLeft && at >= pendingMs ? Math.ceil((endMs - at) / 1000) : undefined;
    const { delay, ...end } = nextPoll(last, secondsLeft, at, timing);
    last = { interval: delay, ...end };
    at += delay;
    pollsAtMs.push(at);
  }
  return { pollsAtMs, lagMs: at - endMs };
}

function chunksOf(count: number): Chunk[] {
  const text = JSON.stringify(generateUsers(count * USERS_PER_CHUNK));
  const { users } = validateRun([{ file: 'bench.json', text }]);
  const spans = Array.from({ length: count }, (_, i) => ({
    first: i * USERS_PER_CHUNK,
    count: USERS_PER_CHUNK,
    bytes: 0,
  }));
  return buildChunks(users, spans, 'bench');
}

async function runOnce(scenario: Scenario, chunks: number): Promise<ScenarioRun> {
  const clock = scenario.clock === 'virtual' ? virtualClock() : systemClock;
  const emulator = await startEmulator({
    jobTiming: { pendingMs: scenario.pendingMs, processingMs: scenario.processingMs },
    ...(scenario.rateLimit ? { rateLimit: scenario.rateLimit } : {}),
    ...(scenario.clock === 'virtual' ? { clock } : {}),
  });
  const { api, tokens } = emulatorClient(emulator, {
    clock,
    timing: scenario.timing,
    context: { signal: new AbortController().signal, deadline: clock.now() + 60 * 60 * 1000 },
  });
  try {
    // As the action does, before it schedules anything.
    await tokens.token();
    const toSend = chunksOf(chunks);
    const started = clock.now();
    const result = await scheduleJobs(api, toSend, {
      fields: { connectionId: databaseId(emulator), upsert: false, sendCompletionEmail: false },
      maxConcurrentJobs: SLOTS,
      wait: true,
      clock,
      timing: scenario.timing,
      log: () => {},
      warn: () => {},
    });
    const wallMs = clock.now() - started;
    const unfinished = result.results.filter(
      (chunk) => chunk.status !== 'completed' || chunk.summary?.failed,
    );
    if (unfinished.length > 0)
      throw new Error(`${scenario.name}: jobs did not complete: ${JSON.stringify(unfinished)}`);
    // The emulator's view of each job's end: created_at + pending + processing.
    const endsAt = new Map(emulator.state.jobs.map((job) => [job.id, job.endsAt]));
    const { [TOKEN_ROUTE]: _token, ...requests } = api.stats.requests;
    return {
      wallMs,
      requests,
      noticeLagMs: result.results.map((chunk) => chunk.finishedAt! - endsAt.get(chunk.jobId!)!),
      rateLimited: api.stats.rateLimited,
      maxActiveJobs: emulator.state.counters.maxActiveJobs,
    };
  } finally {
    await api.close();
    await emulator.close();
  }
}

function requestsPerRun(requestsPerJob: Record<string, number>, chunks: number): number {
  return Object.values(requestsPerJob).reduce((sum, perJob) => sum + perJob * chunks, 0);
}

async function runChunkCount(scenario: Scenario, chunks: number): Promise<ChunkCountResult> {
  const runs: ScenarioRun[] = [];
  for (let run = 0; run < scenario.runs; run++) runs.push(await runOnce(scenario, chunks));
  const jobMs = scenario.pendingMs + scenario.processingMs;
  const idealMs = Math.ceil(chunks / SLOTS) * jobMs;
  const requestsPerJob: Record<string, number> = {};
  for (const run of runs) {
    for (const [route, count] of Object.entries(run.requests)) {
      requestsPerJob[route] = (requestsPerJob[route] ?? 0) + count / chunks / runs.length;
    }
  }
  return {
    chunks,
    jobMs,
    idealMs,
    wallMs: runs.map((run) => run.wallMs),
    medianWallMs: median(runs.map((run) => run.wallMs)),
    requestsPerJob,
    noticeLagMs: runs.flatMap((run) => run.noticeLagMs),
    rateLimited: runs.map((run) => run.rateLimited),
    maxActiveJobs: Math.max(...runs.map((run) => run.maxActiveJobs)),
  };
}

/** Why a run is slower than the ideal, from its own numbers. */
function whySlower(scenario: Scenario, result: ChunkCountResult): string {
  const lag = median(result.noticeLagMs);
  const sent = requestsPerRun(result.requestsPerJob, result.chunks);
  const seconds = result.medianWallMs / 1000;
  const rate = scenario.rateLimit
    ? `; ${Math.round(sent)} requests in ${seconds.toFixed(1)} s = ${(sent / seconds).toFixed(2)}/s of the ${scenario.rateLimit.rate}/s (burst ${scenario.rateLimit.burst}) allowed, ${Math.max(...result.rateLimited)} answered 429`
    : '';
  return `median lag from a job's end to noticing it ${Math.round(lag)} ms${rate}`;
}

function figuresOf(scenario: Scenario, results: readonly ChunkCountResult[]): Figure[] {
  const lags = results.flatMap((result) => result.noticeLagMs);
  const statusPerJob = median(results.map((result) => result.requestsPerJob[STATUS_ROUTE] ?? 0));
  const perJob = median(results.map((result) => requestsPerRun(result.requestsPerJob, 1)));
  const target = { op: '≤', limit: scenario.target } as const;
  return [
    ...results.map((result, i) => {
      const ratio = result.medianWallMs / result.idealMs;
      // One explanation per scenario is enough: every chunk count is slower for the same reason.
      const explain =
        ratio > target.limit &&
        results.findIndex((other) => other.medianWallMs / other.idealMs > target.limit) === i;
      return figure(
        `${scenario.name}, ${result.chunks} chunk${result.chunks === 1 ? '' : 's'}: wall / ceil(N/2) × job`,
        ratio,
        '×',
        target,
        explain ? whySlower(scenario, result) : undefined,
      );
    }),
    ...(scenario.rateLimit
      ? [
          figure(
            `${scenario.name}: answered 429 (all chunk counts)`,
            results.reduce((sum, result) => sum + Math.max(...result.rateLimited), 0),
            'requests',
            { op: '≤', limit: 0 },
          ),
        ]
      : []),
    figure(`${scenario.name}: median lag from a job's end to noticing it`, median(lags), 'ms'),
    figure(`${scenario.name}: requests per job, all routes (median over chunk counts)`, perJob, 'requests'),
    figure(`${scenario.name}: status requests per job (median over chunk counts)`, statusPerJob, 'requests'),
  ];
}

export async function benchImportPipeline(
  scenarios: readonly Scenario[],
): Promise<{ figures: Figure[]; results: Record<string, ChunkCountResult[]> }> {
  const figures: Figure[] = [];
  const results: Record<string, ChunkCountResult[]> = {};
  for (const scenario of scenarios) {
    const byCount: ChunkCountResult[] = [];
    for (const chunks of scenario.chunkCounts) byCount.push(await runChunkCount(scenario, chunks));
    results[scenario.name] = byCount;
    figures.push(...figuresOf(scenario, byCount));
  }
  return { figures, results };
}

/** The ≤ 8 status requests target for a 60 s job: from the policy alone, then on the emulator. */
export async function benchStatusPolls(): Promise<{ figures: Figure[]; results: Record<string, number> }> {
  const { pendingMs, processingMs, timing } = SIXTY_SECOND_JOB;
  const policy = pollSchedule(pendingMs, processingMs, timing, false).pollsAtMs.length;
  const measured = await runChunkCount(
    { ...SIXTY_SECOND_JOB, name: 'one 60 s job', chunkCounts: [1], runs: 1, target: 1 },
    1,
  );
  const onEmulator = measured.requestsPerJob[STATUS_ROUTE] ?? 0;
  const target = { op: '≤', limit: 8 } as const;
  return {
    figures: [
      figure('status requests for a 60 s job: policy, no time_left_seconds', policy, 'requests', target),
      figure('status requests for a 60 s job: emulator, virtual clock', onEmulator, 'requests', target),
    ],
    results: { policy, onEmulator, noticeLagMs: median(measured.noticeLagMs) },
  };
}
