import { describe, expect, it } from 'vitest';
import {
  getJob,
  getJobErrors,
  getToken,
  importUsers,
  jobIdOf,
  runImport,
  send,
  useEmulators,
} from './contract-client.js';
import { manualClock } from './index.js';

const start = useEmulators();
const USERS = [{ email: 'a@example.com' }];
const DATABASE = 'Username-Password-Authentication';

async function startManual() {
  const clock = manualClock();
  const emulator = await start({ clock, jobTiming: { pendingMs: 1_000, processingMs: 1_000 } });
  return { clock, emulator, token: await getToken(emulator) };
}

describe('create faults', () => {
  it('answers the next create 503 without creating a job, then serves the one after', async () => {
    const { emulator, token } = await startManual();
    emulator.faults.failCreate('next', 'unavailable');

    const failed = await importUsers(emulator, token, USERS);
    const next = await importUsers(emulator, token, USERS);

    expect(failed.status).toBe(503);
    expect(next.status).toBe(202);
    expect(emulator.state.jobs).toHaveLength(1);
  });

  it('answers a gateway error as Cloudflare does: Server cloudflare and an HTML page', async () => {
    const { emulator, token } = await startManual();
    emulator.faults.failCreate('next', 'gateway-error', 502);

    const answer = await importUsers(emulator, token, USERS);

    expect(answer.status).toBe(502);
    expect(answer.headers.get('server')).toBe('cloudflare');
    expect(answer.headers.get('content-type')).toBe('text/html');
    expect(answer.body).toContain('<title>502 Bad Gateway</title>');
    expect(emulator.state.jobs).toHaveLength(0);
  });

  it('answers a Cloudflare 524 timeout page', async () => {
    const { emulator, token } = await startManual();
    emulator.faults.failCreate('next', 'gateway-error', 524);

    const answer = await importUsers(emulator, token, USERS);

    expect(answer.status).toBe(524);
    expect(answer.body).toContain('Error code 524');
  });

  it('answers a Cloudflare 504 after creating the job', async () => {
    const { emulator, token } = await startManual();
    emulator.faults.failCreate('next', 'gateway-error-after-create', 504);

    const answer = await importUsers(emulator, token, USERS);

    expect(answer.status).toBe(504);
    expect(answer.headers.get('server')).toBe('cloudflare');
    expect(emulator.state.jobs).toHaveLength(1);
    expect(emulator.state.requests.at(-1)).toMatchObject({ status: 504, jobId: emulator.state.jobs[0]?.id });
  });

  it('hits only the Nth create counted from when it was armed', async () => {
    const { emulator, token } = await startManual();
    await importUsers(emulator, token, USERS);
    emulator.faults.failCreate(2, 'unavailable');

    const first = await importUsers(emulator, token, USERS);
    const second = await importUsers(emulator, token, USERS);

    expect([first.status, second.status]).toEqual([202, 503]);
  });

  it('answers 500 after creating the job', async () => {
    const { emulator, token } = await startManual();
    emulator.faults.failCreate('next', 'error-after-create');

    const answer = await importUsers(emulator, token, USERS);

    expect(answer.status).toBe(500);
    expect(emulator.state.jobs).toHaveLength(1);
    expect(emulator.state.requests.at(-1)).toMatchObject({ status: 500, jobId: emulator.state.jobs[0]?.id });
  });

  it('resets the socket after creating the job', async () => {
    const { emulator, token } = await startManual();
    emulator.faults.failCreate('next', 'reset-after-create');

    const answer = importUsers(emulator, token, USERS);

    await expect(answer).rejects.toThrow();
    expect(emulator.state.jobs).toHaveLength(1);
    expect(emulator.state.requests.at(-1)).toMatchObject({ status: 'reset' });
  });

  it('answers the next creates with the job-limit 429 while no job is active', async () => {
    const { emulator, token } = await startManual();
    emulator.faults.rejectCreatesWithJobLimit(2);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await importUsers(emulator, token, USERS)).status);

    expect(statuses).toEqual([429, 429, 202]);
  });
});

describe('delays', () => {
  it('holds a create answer back past a client timeout after the job was created', async () => {
    const emulator = await start();
    const token = await getToken(emulator);
    emulator.faults.delay('create-job', 500);

    const answer = importUsers(emulator, token, USERS, { signal: AbortSignal.timeout(50) });

    await expect(answer).rejects.toThrow();
    expect(emulator.state.jobs).toHaveLength(1);
  });

  it('delays only the route it targets, and only as many times as asked', async () => {
    const emulator = await start();
    const token = await getToken(emulator);
    emulator.faults.delay('connections', 300, 1);

    const started = performance.now();
    await send(emulator, '/api/v2/connections', { token });
    const delayed = performance.now() - started;
    await send(emulator, '/api/v2/connections', { token });
    const total = performance.now() - started;

    expect(delayed).toBeGreaterThanOrEqual(290);
    expect(total - delayed).toBeLessThan(290);
  });
});

describe('status faults', () => {
  it('answers the next status request 500, then the job as usual', async () => {
    const { emulator, token } = await startManual();
    const id = jobIdOf(await importUsers(emulator, token, USERS));
    emulator.faults.failStatus('next', 'error');

    const failed = await getJob(emulator, token, id);
    const next = await getJob(emulator, token, id);

    expect(failed.status).toBe(500);
    expect(next.status).toBe(200);
  });

  it('resets the socket of the Nth status request', async () => {
    const { emulator, token } = await startManual();
    const id = jobIdOf(await importUsers(emulator, token, USERS));
    emulator.faults.failStatus(2, 'reset');

    await getJob(emulator, token, id);

    await expect(getJob(emulator, token, id)).rejects.toThrow();
  });
});

describe('job faults', () => {
  it('keeps the next job processing forever, holding its slot', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.faults.keepProcessing('next');
    const id = jobIdOf(await importUsers(emulator, token, USERS));

    clock.advance(3_600_000);
    const answer = await getJob(emulator, token, id);

    expect(answer.body).toMatchObject({ status: 'processing' });
    expect(emulator.state.users(DATABASE)).toEqual([]);
  });

  it('ends an existing job failed now, with status_details, importing nothing', async () => {
    const { emulator, token } = await startManual();
    const id = jobIdOf(await importUsers(emulator, token, USERS));

    emulator.faults.failJob(id, 'Job timed out');
    const answer = await getJob(emulator, token, id);

    expect(answer.body).toMatchObject({ status: 'failed', status_details: 'Job timed out' });
    expect(answer.body).not.toHaveProperty('summary');
    expect(emulator.state.users(DATABASE)).toEqual([]);
  });

  it('ends the next job failed when it would have completed', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.faults.failJob('next');
    const id = jobIdOf(await importUsers(emulator, token, USERS));

    clock.advance(1_000);
    const processing = await getJob(emulator, token, id);
    clock.advance(1_000);
    const ended = await getJob(emulator, token, id);

    expect(processing.body).toMatchObject({ status: 'processing' });
    expect(ended.body).toMatchObject({ status: 'failed' });
    expect(ended.body).not.toHaveProperty('status_details');
  });

  it('expires a job early: 404 for its status and its errors, and its slot is free', async () => {
    const { emulator, token } = await startManual();
    const id = jobIdOf(await importUsers(emulator, token, USERS));
    await importUsers(emulator, token, USERS);

    emulator.faults.expireJob(id);

    expect((await getJob(emulator, token, id)).status).toBe(404);
    expect((await getJobErrors(emulator, token, id)).status).toBe(404);
    expect((await importUsers(emulator, token, USERS)).status).toBe(202);
  });

  it('applies a job fault armed for all jobs to existing and new ones', async () => {
    const { clock, emulator, token } = await startManual();
    const existing = jobIdOf(await importUsers(emulator, token, USERS));
    emulator.faults.keepProcessing('all');
    const created = jobIdOf(await importUsers(emulator, token, USERS));

    clock.advance(3_600_000);

    expect(emulator.state.jobs.map((job) => job.status)).toEqual(['processing', 'processing']);
    expect(emulator.state.jobs.map((job) => job.id)).toEqual([existing, created]);
  });

  it('refuses to fault a job that has ended', async () => {
    const { clock, emulator, token } = await startManual();
    const id = jobIdOf(await importUsers(emulator, token, USERS));

    clock.advance(2_000);

    expect(() => emulator.faults.keepProcessing(id)).toThrow(/already ended completed/);
  });
});

describe('MFA factor faults', () => {
  const WITH_FACTORS = { email: 'a@example.com', mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }] };

  it('writes the profile without its factors and reports MFA_FACTORS_FAILED', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.faults.failMfaFactors();

    const { job, errors } = await runImport(emulator, clock, token, [
      WITH_FACTORS,
      { email: 'b@example.com' },
    ]);

    expect(job).toMatchObject({ summary: { total: 2, inserted: 1, updated: 0, failed: 1 } });
    expect(errors.body).toEqual([
      { user: WITH_FACTORS, errors: [{ code: 'MFA_FACTORS_FAILED', message: 'Unable to import factors' }] },
    ]);
    const stored = emulator.state.users(DATABASE);
    expect(stored.map((user) => user.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(stored[0]).not.toHaveProperty('mfa_factors');
  });

  it('fails the factors of only the users named', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.faults.failMfaFactors(['B@example.com']);

    const { errors } = await runImport(emulator, clock, token, [
      WITH_FACTORS,
      { ...WITH_FACTORS, email: 'b@example.com' },
    ]);

    expect(errors.body).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ email: 'b@example.com' }) }),
    ]);
  });
});

describe('token faults', () => {
  it('makes every issued token answer 401 until a new one is fetched', async () => {
    const { emulator, token } = await startManual();

    emulator.faults.revokeTokens();
    const revoked = await send(emulator, '/api/v2/connections', { token });
    const renewed = await send(emulator, '/api/v2/connections', { token: await getToken(emulator) });

    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ message: 'Invalid token' });
    expect(renewed.status).toBe(200);
  });
});

describe('composing and clearing faults', () => {
  it('applies a delay and an error to the same create', async () => {
    const emulator = await start();
    const token = await getToken(emulator);
    emulator.faults.delay('create-job', 50, 1);
    emulator.faults.failCreate('next', 'error-after-create');

    const started = performance.now();
    const answer = await importUsers(emulator, token, USERS);

    expect(answer.status).toBe(500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('disarms every fault that has not fired on clear()', async () => {
    const { clock, emulator, token } = await startManual();
    emulator.faults.failCreate('next', 'unavailable');
    emulator.faults.rejectCreatesWithJobLimit(1);
    emulator.faults.failMfaFactors();

    emulator.faults.clear();
    const { job } = await runImport(emulator, clock, token, [
      { email: 'a@example.com', mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }] },
    ]);

    expect(job).toMatchObject({ summary: { inserted: 1, failed: 0 } });
  });
});
