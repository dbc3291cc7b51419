/**
 * Faults while jobs run: failed polls, failed and vanished jobs, a refused token, the tenant going
 * away and coming back. Each case then holds the same invariants (test/support/invariants.ts).
 */
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { expectRunInvariants } from '../support/invariants.js';
import { shownText } from '../support/action.js';
import { importChecked, importInto, routeStatuses, startTenant, THREE_CHUNKS } from './tenant.js';

/** The id of the job the emulator created for chunk `n` (1-based), once it exists. */
function jobOfChunk(emulator: Emulator, n: number): string {
  const job = emulator.state.jobs.find((candidate) => candidate.externalId?.endsWith(`#${n}`));
  if (!job) throw new Error(`no job for chunk ${n} yet`);
  return job.id;
}

describe.concurrent('waiting for jobs under faults', () => {
  it('asks again after a 500 and a reset on status polls', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.failStatus(1, 'error');
    emulator.faults.failStatus(3, 'reset');
    const { run, truth } = await importChecked(emulator, THREE_CHUNKS);
    expect(run.code).toBe(0);
    expect(truth.everythingImported).toBe(true);
    const statuses = routeStatuses(emulator, 'job-status');
    expect(statuses).toContain(500);
    expect(statuses).toContain('reset');
  });

  it('reports a failed job, writes nothing of it, and imports the other chunks', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.failJob('next', 'The users file could not be processed');
    const { run } = await importChecked(emulator, THREE_CHUNKS);
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/1 job failed: job_\w+\./);
    expect(run.summary).toContain('The users file could not be processed');
    expect(emulator.state.counters.jobsCreated).toBe(3);
  });

  it('reports a job that vanished (404) mid-wait as expired, and goes on with the others', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.keepProcessing('next');
    const { run } = await importChecked(
      emulator,
      THREE_CHUNKS,
      {},
      {
        onOutput: {
          text: 'Chunk 1: submitted',
          then: () => emulator.faults.expireJob(jobOfChunk(emulator, 1)),
        },
      },
    );
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/1 job expired or vanished: job_\w+\./);
    expect(shownText(run.summary)).toMatch(/Auth0 no longer knows job job_\w+ \(404\)/);
  });

  it('gets one new token when Auth0 refuses the old one mid-run', async (context) => {
    const emulator = await startTenant(context);
    const { run } = await importChecked(
      emulator,
      THREE_CHUNKS,
      {},
      { onOutput: { text: 'Chunk 1: submitted', then: () => emulator.faults.revokeTokens() } },
    );
    expect(run.code).toBe(0);
    expect(routeStatuses(emulator, 'token')).toEqual([200, 200]);
    expect(emulator.state.requests.filter((request) => request.status === 401)).toHaveLength(1);
    expect(run.stdout).toContain('the token was refused; sending again with a new one');
  });

  it('reports jobs lost to a tenant that went away and came back as vanished, without hanging', async () => {
    const first = await startEmulator();
    first.faults.keepProcessing('all');
    const tenantsSeen: Emulator[] = [first];
    let restarted: Promise<void> | undefined;
    const restart = async () => {
      await first.close();
      // Down for longer than the first poll's wait: that poll finds the port closed.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Same port, client and connection: the same tenant, but every job is gone.
      tenantsSeen.push(
        await startEmulator({
          port: Number(new URL(first.url).port),
          clients: [{ id: first.clientId, secret: first.clientSecret }],
          connections: first.connections.map((connection) => ({ ...connection })),
        }),
      );
    };
    const started = Date.now();
    try {
      const run = await importInto(
        first,
        THREE_CHUNKS,
        {},
        {
          onOutput: { text: 'Chunk 2: submitted', then: () => (restarted = restart()) },
        },
      );
      await restarted;
      expect(Date.now() - started).toBeLessThan(20_000);
      await expectRunInvariants(run, {
        tenants: tenantsSeen,
        usersText: THREE_CHUNKS,
        credentials: [first.clientSecret],
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/GET \/api\/v2\/jobs\/\{id\}: ECONNREFUSED.*; retrying/);
      expect(run.summary).toMatch(/2 jobs expired or vanished: job_\w+, job_\w+\./);
      // The third chunk waited for a slot and went to the tenant that came back.
      expect(tenantsSeen[1]!.state.counters.jobsCreated).toBe(1);
    } finally {
      await Promise.all(tenantsSeen.map((emulator) => emulator.close()));
    }
  });
});
