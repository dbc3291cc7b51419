/**
 * The run tells the truth within GitHub's limits: a summary under 1 MiB whatever Auth0 answers, a
 * failed-users file per step, a stop at once when Auth0 refuses the credentials for good, and job
 * answers read as they come.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getToken } from '../emulator/contract-client.js';
import { importChecked, importInto, startTenant, THREE_CHUNKS, usersFile } from '../faults/tenant.js';

describe.concurrent('the truth within limits', () => {
  it("keeps the summary under GitHub's 1 MiB when Auth0 answers huge messages for many users", async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.refuseUsers(() => ({ code: 'PATTERN', message: `x${'y'.repeat(200_000)}` }));
    const run = await importInto(emulator, usersFile(300), { 'max-chunk-bytes': '512000' });
    expect(run.code).toBe(1);
    expect(run.outputs.failed).toBe('300');
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    expect(run.summary).toContain('### Failed users (300)');
  });

  it('writes a failed-users file per step, so two uses in one job keep their own', async (context) => {
    const emulator = await startTenant(context);
    const shared = await mkdtemp(path.join(tmpdir(), 'runner-temp-'));
    const first = await importInto(emulator, THREE_CHUNKS, {}, { env: { RUNNER_TEMP: shared } });
    const second = await importInto(emulator, THREE_CHUNKS, {}, { env: { RUNNER_TEMP: shared } });
    const [one, two] = [first.outputs['failed-users-file']!, second.outputs['failed-users-file']!];
    expect(path.dirname(path.dirname(one))).toBe(shared);
    expect(one).not.toBe(two);
    // The second run found every user already there: its file lists them, the first one's does not.
    expect(JSON.parse(await readFile(one, 'utf8'))).toEqual([]);
    expect(JSON.parse(await readFile(two, 'utf8'))).toHaveLength(12);
  });

  it('stops waiting at once when Auth0 refuses a given management-api-token mid-run', async (context) => {
    const emulator = await startTenant(context, { jobTiming: { pendingMs: 0, processingMs: 20_000 } });
    const token = await getToken(emulator);
    const started = Date.now();
    const run = await importInto(
      emulator,
      THREE_CHUNKS,
      { 'client-id': '', 'client-secret': '', 'management-api-token': token },
      { onOutput: { text: 'Chunk 2: submitted', then: () => emulator.faults.revokeTokens() } },
    );
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(emulator.state.counters.requestsByRoute['job-status']).toBeLessThanOrEqual(2);
    expect(run.summary).toMatch(/Reading job job_\w+: Auth0 answered 401/);
    expect(run.summary).toContain('Waiting stopped: asking again cannot help');
    expect(run.summary).toContain('2 jobs still running in Auth0 with 10 users');
    expect(run.summary).toContain('2 users in 1 chunk were not sent');
  });

  it('reads job answers that carry only id, type, status and summary', async (context) => {
    const emulator = await startTenant(context, { minimalJobAnswers: true });
    const { run } = await importChecked(emulator, THREE_CHUNKS);
    expect(run.code).toBe(0);
    expect(run.outputs.inserted).toBe('12');
  });

  it('says a failed job without details failed and Auth0 gave no reason', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.failJob('next');
    const { run } = await importChecked(emulator, THREE_CHUNKS);
    expect(run.code).toBe(1);
    expect(run.summary).toContain('Failed; Auth0 gave no reason.');
    expect(run.summary).toMatch(/1 job failed: job_\w+\./);
  });

  it('fails at once on a TLS handshake error and suggests http:// for a loopback domain', async (context) => {
    const emulator = await startTenant(context);
    const { host } = new URL(emulator.url);
    const started = Date.now();
    const run = await importInto(emulator, THREE_CHUNKS, {
      domain: `https://${host}`,
      audience: `${emulator.url}/api/v2/`,
    });
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.stdout).toContain('the TLS handshake with 127.0.0.1 failed');
    expect(run.stdout).toContain(`set domain to http://${host}`);
    expect(run.stdout).not.toContain('retrying');
    expect(run.summary).toContain('❌ Import did not start');
  });
});
