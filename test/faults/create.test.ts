/**
 * Faults on the way in: refused, limited, failed or lost creates. Each case disturbs one import of
 * three chunks and then holds the same invariants (test/support/invariants.ts).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, systemClock, type TimingPolicy } from '../../src/auth0/timing.js';
import { getToken, importUsers, jobIdOf } from '../emulator/contract-client.js';
import { startGateway } from '../support/gateway.js';
import { shownText } from '../support/action.js';
import { expectTenantAgrees, scheduleClaim, summaryJobRows } from '../support/invariants.js';
import { virtualClock } from '../support/virtual-clock.js';
import { chunksOf, scheduleAgainst } from '../support/client.js';
import {
  CHUNK_BYTES,
  competingTraffic,
  importChecked,
  routeStatuses,
  startTenant,
  THREE_CHUNKS,
} from './tenant.js';

describe.concurrent('creating jobs under faults', () => {
  it('imports every user once when nothing goes wrong (the control case)', async (context) => {
    const emulator = await startTenant(context);
    const { run, truth } = await importChecked(emulator, THREE_CHUNKS);
    expect(run.code).toBe(0);
    expect(truth.everythingImported).toBe(true);
    expect(run.outputs.chunks).toBe('3');
  });

  it('waits out a job-limit 429 while another importer holds both slots', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.rejectCreatesWithJobLimit(1);
    const { run } = await importChecked(emulator, THREE_CHUNKS);
    expect(run.code).toBe(0);
    expect(routeStatuses(emulator, 'create-job')).toEqual([429, 202, 202, 202]);
  });

  it('shares the tenant with a long job of another importer: one slot each, no hammering', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.keepProcessing('next');
    jobIdOf(await importUsers(emulator, await getToken(emulator), [{ email: 'other@example.com' }]));
    const { run } = await importChecked(emulator, THREE_CHUNKS, {}, {}, { foreignTokens: 1 });
    expect(run.code).toBe(0);
    expect(emulator.state.counters.maxActiveJobs).toBe(2);
    // Each chunk after the first meets the limit about once, then goes as soon as ours finishes.
    const creates = routeStatuses(emulator, 'create-job');
    expect(creates.filter((status) => status === 202)).toHaveLength(4);
    expect(creates.filter((status) => status === 429).length).toBeLessThanOrEqual(4);
  });

  it('keeps backing off through an hour-long job-limit 429 streak without losing a chunk (virtual time)', async (context) => {
    const clock = virtualClock();
    const emulator = await startTenant(context, { clock });
    emulator.faults.rejectCreatesWithJobLimit(200);
    const { result } = await scheduleAgainst(emulator, chunksOf(THREE_CHUNKS, Number(CHUNK_BYTES)), {
      clock,
      timing: DEFAULT_TIMING,
      deadline: clock.now() + 6 * 3_600_000,
    });
    const truth = expectTenantAgrees(scheduleClaim(result), { tenants: [emulator] });
    expect(truth).toEqual({ everythingImported: true, reportedClean: true });
    // Backing off to one try every 15-30 s: an hour of refusals costs about 200 creates, not thousands.
    expect(routeStatuses(emulator, 'create-job').filter((status) => status === 429)).toHaveLength(200);
    expect(clock.slept()).toBeGreaterThan(60 * 60_000);
  });

  it.for([
    ['with Retry-After', true],
    ['with only x-ratelimit-reset', false],
  ] as const)(
    'slows down through rate-limit 429 bursts from other traffic (%s)',
    async ([, retryAfter], context) => {
      const emulator = await startTenant(context, { rateLimit: { rate: 4, burst: 4, retryAfter } });
      const others = await competingTraffic(emulator, 1_200);
      // Our token's answer is held back so the other traffic has emptied the bucket before our first create.
      emulator.faults.delay('token', 300, 1);
      const { run } = await importChecked(
        emulator,
        THREE_CHUNKS,
        {},
        { onOutput: { text: '::group::Connect to Auth0', then: () => others.start() } },
        { foreignTokens: 1 },
      );
      await others.finished();
      expect(run.code).toBe(0);
      const ours = emulator.state.requests.filter((request) => request.route !== 'connections');
      const refused = ours.filter((request) => request.status === 429).length;
      expect(refused).toBeGreaterThanOrEqual(1);
      // It waits as told after each 429 instead of retrying at once.
      expect(refused).toBeLessThanOrEqual(4);
      expect(run.stdout).toContain('rate limit reached; waiting');
    },
  );

  it('reports a chunk answered 503 before its job was created as unknown without upsert, never sending it again', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.failCreate(2, 'unavailable');
    const { run, truth } = await importChecked(emulator, THREE_CHUNKS);
    expect(run.code).toBe(1);
    expect(truth.everythingImported).toBe(false);
    expect(routeStatuses(emulator, 'create-job')).toEqual([202, 503, 202]);
    expect(run.summary).toContain(
      '1 chunk with 5 users may or may not have been imported (sent, answer lost).',
    );
  });

  it('sends a chunk answered 503 again with upsert, and creates it once', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.failCreate(2, 'unavailable');
    const { run } = await importChecked(emulator, THREE_CHUNKS, { upsert: 'true' });
    expect(run.code).toBe(0);
    expect(routeStatuses(emulator, 'create-job')).toEqual([202, 503, 202, 202]);
  });

  it.for(['error-after-create', 'reset-after-create'] as const)(
    'reports a chunk whose create answered %s as unknown, never sends it again, and goes on',
    async (fault, context) => {
      const emulator = await startTenant(context);
      emulator.faults.failCreate(2, fault);
      const { run, truth } = await importChecked(emulator, THREE_CHUNKS);
      expect(run.code).toBe(1);
      // The job was created and imported its users: only the report can say so, and it says "unknown".
      expect(truth.everythingImported).toBe(true);
      expect(emulator.state.counters.jobsCreated).toBe(3);
      // The lost job holds a slot until it ends: chunk 3 meets the job limit once, then waits.
      expect(
        routeStatuses(emulator, 'create-job').filter((status) => status === 429).length,
      ).toBeLessThanOrEqual(1);
      expect(run.summary).toContain(
        '1 chunk with 5 users may or may not have been imported (sent, answer lost).',
      );
      expect(shownText(run.summary)).toContain('external_id acme/identity@0123456#2');
    },
  );

  it.for([502, 503, 504] as const)(
    'never sends again a create a gateway forwarded and then answered %i, without upsert',
    async (status, context) => {
      const emulator = await startTenant(context);
      const gateway = await startGateway(emulator.url);
      context.onTestFinished(() => gateway.close());
      gateway.failCreatesAfterForwarding(status);
      const { run, truth } = await importChecked(emulator, THREE_CHUNKS, {
        domain: gateway.url,
        audience: `${emulator.url}/api/v2/`,
      });
      expect(gateway.swallowed).toBe(1);
      expect(run.code).toBe(1);
      // The job exists and imported its users; only the report can say so, and it says "unknown".
      expect(truth.everythingImported).toBe(true);
      expect(emulator.state.counters.jobsCreated).toBe(3);
      expect(run.summary).toContain(
        '1 chunk with 5 users may or may not have been imported (sent, answer lost).',
      );
      expect(run.summary).toContain(`Auth0 answered ${status} (an HTML error page`);
      expect(run.summary).toContain(
        "Check the tenant's logs for the external_id of each chunk marked unknown",
      );
    },
  );

  it('sends again a create a gateway forwarded and then answered 502, with upsert', async (context) => {
    const emulator = await startTenant(context);
    const gateway = await startGateway(emulator.url);
    context.onTestFinished(() => gateway.close());
    gateway.failCreatesAfterForwarding(502);
    const { run } = await importChecked(emulator, THREE_CHUNKS, {
      domain: gateway.url,
      audience: `${emulator.url}/api/v2/`,
      upsert: 'true',
    });
    expect(run.code).toBe(0);
    expect(emulator.state.counters.jobsCreated).toBe(4);
  });

  it('sends such a chunk again with upsert, where a second job only updates', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.failCreate(2, 'error-after-create');
    const { run } = await importChecked(emulator, THREE_CHUNKS, { upsert: 'true' });
    expect(run.code).toBe(0);
    expect(emulator.state.counters.jobsCreated).toBe(4);
    const second = summaryJobRows(run.summary)[1]!;
    // The lost job inserted the chunk's users; the one sent again updated them.
    expect(second[4]!.split(' / ')[1]).toBe(second[2]);
    expect(Number(run.outputs.inserted) + Number(run.outputs.updated)).toBe(12);
  });
});

describe.concurrent(
  'answers slower than the request timeout (in-process: the bundle always waits 60 s)',
  () => {
    // The bundle cannot be given a shorter timeout than DEFAULT_TIMING's 60 s, so these run
    // scheduleJobs as main.ts wires it, with a 300 ms timeout and the emulator holding answers 1 s.
    const timing: TimingPolicy = {
      ...DEFAULT_TIMING,
      pollInitialMs: 100,
      pollMaxMs: 200,
      retryInitialMs: 50,
      retryMaxMs: 200,
      requestTimeoutMs: 300,
    };
    const chunks = chunksOf(THREE_CHUNKS, Number(CHUNK_BYTES));

    it('reports a create that timed out after the job was made as unknown and does not resend it', async (context) => {
      const emulator = await startTenant(context);
      emulator.faults.delay('create-job', 1_000, 1);
      const { result } = await scheduleAgainst(emulator, chunks, { clock: systemClock, timing });
      const truth = expectTenantAgrees(scheduleClaim(result), { tenants: [emulator] });
      expect(result.results.map((chunk) => chunk.status)).toEqual(['unknown', 'completed', 'completed']);
      expect(result.results[0]?.note).toMatch(/UND_ERR_HEADERS_TIMEOUT.*external_id in-process#1/);
      expect(emulator.state.counters.jobsCreated).toBe(3);
      expect(truth.everythingImported).toBe(true);
    });

    it('resends a timed-out create with upsert, as a second job is harmless then', async (context) => {
      const emulator = await startTenant(context);
      emulator.faults.delay('create-job', 1_000, 1);
      const { result, api } = await scheduleAgainst(emulator, chunks, {
        clock: systemClock,
        timing,
        upsert: true,
      });
      const truth = expectTenantAgrees(scheduleClaim(result), { tenants: [emulator], upsert: true });
      expect(truth).toEqual({ everythingImported: true, reportedClean: true });
      // Sent twice for the first chunk (whether the first reached the emulator in time depends on load).
      expect(api.stats.requests['POST /api/v2/jobs/users-imports']).toBe(4);
    });

    it('asks again for a status whose answer timed out', async (context) => {
      const emulator = await startTenant(context);
      emulator.faults.delay('job-status', 1_000, 2);
      const { result } = await scheduleAgainst(emulator, chunks, { clock: systemClock, timing });
      const truth = expectTenantAgrees(scheduleClaim(result), { tenants: [emulator] });
      expect(truth).toEqual({ everythingImported: true, reportedClean: true });
      expect(emulator.state.counters.jobsCreated).toBe(3);
    });
  },
);
