import { describe, expect, it } from 'vitest';
import {
  createJob,
  databaseConnectionId,
  getJob,
  getJobErrors,
  getToken,
  importUsers,
  jobIdOf,
  runImport,
  useEmulators,
} from './contract-client.js';
import { manualClock } from './index.js';

const start = useEmulators();
const TIMING = { pendingMs: 1_000, processingMs: 4_000 };

async function startManual() {
  const clock = manualClock();
  const emulator = await start({ clock, jobTiming: TIMING });
  return { clock, emulator, token: await getToken(emulator) };
}

describe('GET /api/v2/jobs/{id}', () => {
  it('shows a job pending, then processing with its progress, then completed with a summary', async () => {
    const { clock, emulator, token } = await startManual();
    const id = jobIdOf(await importUsers(emulator, token, [{ email: 'a@example.com' }]));

    const pending = await getJob(emulator, token, id);
    clock.advance(2_000);
    const processing = await getJob(emulator, token, id);
    clock.advance(3_000);
    const completed = await getJob(emulator, token, id);

    expect(pending.body).toMatchObject({ status: 'pending' });
    expect(processing.body).toMatchObject({
      status: 'processing',
      percentage_done: 25,
      time_left_seconds: 3,
    });
    expect(completed.body).toMatchObject({
      status: 'completed',
      summary: { total: 1, inserted: 1, updated: 0, failed: 0 },
    });
  });

  it('moves jobs along on the real clock by default', async () => {
    const emulator = await start({ jobTiming: { pendingMs: 10, processingMs: 10 } });
    const token = await getToken(emulator);
    const id = jobIdOf(await importUsers(emulator, token, [{ email: 'a@example.com' }]));

    await new Promise((resolve) => setTimeout(resolve, 30));
    const answer = await getJob(emulator, token, id);

    expect(answer.body).toMatchObject({ status: 'completed' });
  });

  it('ends a job failed, with neither summary nor status_details, when the file is not a JSON array', async () => {
    const { clock, emulator, token } = await startManual();
    const created = await createJob(emulator, token, {
      users: '{"email":"a@example.com"}',
      connection_id: databaseConnectionId(emulator),
    });

    clock.advance(5_000);
    const answer = await getJob(emulator, token, jobIdOf(created));

    expect(answer.body).toMatchObject({ status: 'failed' });
    expect(answer.body).not.toHaveProperty('summary');
    expect(answer.body).not.toHaveProperty('status_details');
  });

  it('says why a job failed in status_details when failedJobDetails is on', async () => {
    const clock = manualClock();
    const emulator = await start({ clock, jobTiming: TIMING, failedJobDetails: true });
    const token = await getToken(emulator);
    const created = await createJob(emulator, token, {
      users: 'nope',
      connection_id: databaseConnectionId(emulator),
    });

    clock.advance(5_000);
    const answer = await getJob(emulator, token, jobIdOf(created));

    expect(answer.body).toMatchObject({ status: 'failed', status_details: expect.stringContaining('JSON') });
  });

  it('shows a completed job without percentage_done or time_left_seconds', async () => {
    const { clock, emulator, token } = await startManual();

    const { job } = await runImport(emulator, clock, token, [{ email: 'a@example.com' }]);

    expect(job).toMatchObject({ status: 'completed' });
    expect(job).not.toHaveProperty('percentage_done');
    expect(job).not.toHaveProperty('time_left_seconds');
  });

  it('answers only id, type, status and summary with minimalJobAnswers', async () => {
    const clock = manualClock();
    const emulator = await start({ clock, minimalJobAnswers: true });
    const token = await getToken(emulator);

    const { job } = await runImport(emulator, clock, token, [{ email: 'a@example.com' }], {
      external_id: 'x',
    });

    expect(job).toEqual({
      id: expect.any(String),
      type: 'users_import',
      status: 'completed',
      summary: { total: 1, inserted: 1, updated: 0, failed: 0 },
    });
  });

  it('answers 404 "The job does not exist." for an unknown id', async () => {
    const { emulator, token } = await startManual();

    const answer = await getJob(emulator, token, 'job_AAAAAAAAAAAAAAAA');

    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'The job does not exist.' });
  });

  it('answers 404 once the job is older than the expiry age', async () => {
    const clock = manualClock();
    const emulator = await start({ clock, jobExpiryMs: 10_000 });
    const token = await getToken(emulator);
    const id = jobIdOf(await importUsers(emulator, token, [{ email: 'a@example.com' }]));

    clock.advance(10_000);
    const answer = await getJob(emulator, token, id);

    expect(answer.status).toBe(404);
  });

  it('writes the users to the store only when the job ends', async () => {
    const { clock, emulator, token } = await startManual();
    await importUsers(emulator, token, [{ email: 'a@example.com' }]);

    clock.advance(4_999);
    const whileProcessing = emulator.state.users('Username-Password-Authentication');
    clock.advance(1);
    const afterwards = emulator.state.users('Username-Password-Authentication');

    expect(whileProcessing).toEqual([]);
    expect(afterwards).toEqual([expect.objectContaining({ email: 'a@example.com' })]);
  });
});

describe('GET /api/v2/jobs/{id}/errors', () => {
  it('answers 204 with no body when every user was imported', async () => {
    const { clock, emulator, token } = await startManual();

    const { errors } = await runImport(emulator, clock, token, [{ email: 'a@example.com' }]);

    expect(errors.status).toBe(204);
    expect(errors.body).toBeUndefined();
  });

  it('answers 204 while the job is still pending', async () => {
    const { emulator, token } = await startManual();
    const id = jobIdOf(await importUsers(emulator, token, [{ email: 'not-an-email' }]));

    const answer = await getJobErrors(emulator, token, id);

    expect(answer.status).toBe(204);
  });

  it('answers a failed job with the job itself', async () => {
    const { clock, emulator, token } = await startManual();
    const created = await createJob(emulator, token, {
      users: 'nope',
      connection_id: databaseConnectionId(emulator),
    });

    clock.advance(5_000);
    const answer = await getJobErrors(emulator, token, jobIdOf(created));

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: jobIdOf(created), type: 'users_import', status: 'failed' });
  });

  it('answers 404 for an unknown id', async () => {
    const { emulator, token } = await startManual();

    const answer = await getJobErrors(emulator, token, 'job_AAAAAAAAAAAAAAAA');

    expect(answer.status).toBe(404);
  });
});
