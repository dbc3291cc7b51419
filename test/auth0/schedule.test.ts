import { afterEach, describe, expect, it } from 'vitest';
import { scheduleJobs, type ChunkToSend, type ScheduleOptions } from '../../src/auth0/schedule.js';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { emulatorClient, scheduleOptions } from '../support/client.js';
import { virtualClock, type VirtualClock } from '../support/virtual-clock.js';

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function chunks(count: number): ChunkToSend[] {
  return Array.from({ length: count }, (_, i) => ({
    chunk: i + 1,
    usersPart: Buffer.from(JSON.stringify([{ email: `user${i}@example.com` }])),
    userCount: 1,
    externalId: `test#${i + 1}`,
  }));
}

/** The scheduler against the emulator on shared virtual time: long imports run instantly. */
async function setUp(options: EmulatorOptions = {}) {
  const clock: VirtualClock = virtualClock();
  emulator = await startEmulator({ clock, ...options });
  const { api } = emulatorClient(emulator, { clock, timing: DEFAULT_TIMING });
  const options_ = (overrides: Partial<ScheduleOptions> = {}) =>
    scheduleOptions(emulator!, clock, DEFAULT_TIMING, overrides);
  return { api, clock, emulator, options: options_ };
}

describe('scheduleJobs', () => {
  it('keeps two jobs in flight and finishes 10 chunks in about five job times', async () => {
    const { api, clock, emulator, options } = await setUp({
      jobTiming: { pendingMs: 0, processingMs: 60_000 },
    });
    const result = await scheduleJobs(api, chunks(10), options());
    expect(result.jobs.map((job) => job.status)).toEqual(Array(10).fill('completed'));
    expect(emulator.state.counters.maxActiveJobs).toBe(2);
    expect(emulator.state.counters.jobsCreated).toBe(10);
    // Five rounds of 60 s jobs; noticing each completion costs at most one poll interval.
    expect(clock.slept()).toBeGreaterThanOrEqual(5 * 60_000);
    expect(clock.slept()).toBeLessThanOrEqual(5 * (60_000 + DEFAULT_TIMING.pollMaxMs));
  });

  it('polls a 60 s job at most 8 times', async () => {
    const { api, emulator, options } = await setUp({ jobTiming: { pendingMs: 0, processingMs: 60_000 } });
    await scheduleJobs(api, chunks(1), options());
    expect(emulator.state.counters.requestsByRoute['job-status']).toBeLessThanOrEqual(8);
  });

  it('submits the next chunk as soon as a slot frees', async () => {
    const { api, emulator, options } = await setUp({ jobTiming: { pendingMs: 0, processingMs: 10_000 } });
    const result = await scheduleJobs(api, chunks(3), options());
    const third = result.jobs[2]!;
    const firstDone = Math.min(result.jobs[0]!.finishedAt!, result.jobs[1]!.finishedAt!);
    expect(third.submittedAt).toBe(firstDone);
    expect(emulator.state.counters.jobsCreated).toBe(3);
  });

  it('backs off while another importer holds both slots, then submits', async () => {
    const { api, clock, emulator, options } = await setUp();
    emulator.faults.rejectCreatesWithJobLimit(4);
    const result = await scheduleJobs(api, chunks(1), options());
    expect(result.jobs[0]?.status).toBe('completed');
    expect(
      emulator.state.requests
        .filter((request) => request.route === 'create-job')
        .map((request) => request.status),
    ).toEqual([429, 429, 429, 429, 202]);
    // Growing waits: 2 + 4 + 8 + 16 s at least, with jitter on top.
    expect(clock.slept()).toBeGreaterThanOrEqual(30_000 * 0.5);
  });

  it('marks a create whose answer was lost as unknown and never sends it again without upsert', async () => {
    const { api, emulator, options } = await setUp();
    emulator.faults.failCreate(1, 'reset-after-create');
    const result = await scheduleJobs(api, chunks(2), options());
    expect(result.jobs.map((job) => job.status)).toEqual(['unknown', 'completed']);
    expect(result.jobs[0]?.note).toContain('external_id test#1');
    expect(emulator.state.counters.jobsCreated).toBe(2);
  });

  it('sends such a create again with upsert', async () => {
    const { api, emulator, options } = await setUp();
    emulator.faults.failCreate(1, 'error-after-create');
    const result = await scheduleJobs(api, chunks(1), options({ upsert: true }));
    expect(result.jobs[0]?.status).toBe('completed');
    expect(emulator.state.counters.jobsCreated).toBe(2);
  });

  it('gets a new token once when Auth0 refuses the old one during a long wait', async () => {
    const { api, emulator, options } = await setUp({ jobTiming: { pendingMs: 0, processingMs: 30_000 } });
    let revoked = false;
    const result = await scheduleJobs(
      api,
      chunks(1),
      options({
        onChange: () => {
          if (!revoked) emulator.faults.revokeTokens();
          revoked = true;
        },
      }),
    );
    expect(result.jobs[0]?.status).toBe('completed');
    expect(emulator.state.counters.requestsByRoute.token).toBe(2);
    expect(emulator.state.requests.filter((request) => request.status === 401)).toHaveLength(1);
  });

  it('times out at the deadline with the job still open', async () => {
    const { api, clock, emulator, options } = await setUp();
    emulator.faults.keepProcessing('all');
    const result = await scheduleJobs(api, chunks(3), options({ deadline: clock.now() + 120_000 }));
    expect(result.timedOut).toBe(true);
    expect(result.jobs.map((job) => job.status)).toEqual(['processing', 'processing', 'not-submitted']);
    expect(clock.slept()).toBe(120_000);
  });

  it('stops at once when cancelled, keeping the ids it has', async () => {
    const { api, emulator, options } = await setUp();
    emulator.faults.keepProcessing('all');
    const cancel = new AbortController();
    const result = await scheduleJobs(
      api,
      chunks(3),
      options({
        signal: cancel.signal,
        onChange: (jobs) => {
          if (jobs.filter((job) => job.id).length === 2) cancel.abort();
        },
      }),
    );
    expect(result.cancelled).toBe(true);
    expect(result.jobs.filter((job) => job.id)).toHaveLength(2);
  });

  it('returns after submitting when told not to wait', async () => {
    const { api, emulator, options } = await setUp();
    const result = await scheduleJobs(api, chunks(2), options({ wait: false }));
    expect(result.jobs.map((job) => job.status)).toEqual(['pending', 'pending']);
    expect(emulator.state.counters.requestsByRoute['job-status']).toBe(0);
  });

  it('stays under the rate limit instead of running into it', async () => {
    const { api, emulator, options } = await setUp({
      rateLimit: { rate: 2, burst: 2 },
      jobTiming: { pendingMs: 0, processingMs: 5_000 },
    });
    const result = await scheduleJobs(api, chunks(10), options());
    expect(result.jobs.every((job) => job.status === 'completed')).toBe(true);
    expect(emulator.state.requests.filter((request) => request.status === 429).length).toBeLessThanOrEqual(1);
  });
});
