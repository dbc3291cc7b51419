import { describe, expect, it } from 'vitest';
import {
  createJob,
  databaseConnectionId,
  getToken,
  importUsers,
  send,
  useEmulators,
} from './contract-client.js';
import { manualClock, MAX_IMPORT_BODY_BYTES, type Emulator } from './index.js';

const start = useEmulators();
const ONE_USER = [{ email: 'a@example.com' }];
const BOUNDARY = 'emulator-test-boundary';

/**
 * A create request's multipart body of exactly `size` bytes, built by hand so that its size is known:
 * one user whose metadata pads it out, and the connection id.
 */
function createBodyOf(size: number, connectionId: string): string {
  const bodyWith = (pad: string) =>
    [
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="users"; filename="users.json"\r\n`,
      `Content-Type: application/json\r\n\r\n`,
      JSON.stringify([{ email: 'a@example.com', user_metadata: { pad } }]),
      `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="connection_id"\r\n\r\n`,
      `${connectionId}\r\n--${BOUNDARY}--\r\n`,
    ].join('');
  return bodyWith('x'.repeat(size - bodyWith('').length));
}

function sendCreateBody(emulator: Emulator, token: string, body: string) {
  return send(emulator, '/api/v2/jobs/users-imports', {
    method: 'POST',
    token,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body,
  });
}

function invalidBody(message: string): object {
  return { statusCode: 400, error: 'Bad Request', message, errorCode: 'invalid_body' };
}

async function startWithToken(): Promise<{ emulator: Emulator; token: string }> {
  const emulator = await start();
  return { emulator, token: await getToken(emulator) };
}

describe('POST /api/v2/jobs/users-imports', () => {
  it('answers 202 with a pending users_import job', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await importUsers(emulator, token, ONE_USER, { external_id: 'run-1' });

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      type: 'users_import',
      status: 'pending',
      connection_id: databaseConnectionId(emulator),
      connection: 'Username-Password-Authentication',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      id: expect.stringMatching(/^job_[A-Za-z0-9]{16}$/),
      external_id: 'run-1',
    });
  });

  it('keeps the users part byte for byte and logs the parts it was sent', async () => {
    const { emulator, token } = await startWithToken();
    const users = Buffer.from('[{"email":"é@example.com"}]\n');

    await createJob(emulator, token, {
      users,
      connection_id: databaseConnectionId(emulator),
      upsert: 'true',
      send_completion_email: 'false',
    });

    expect(emulator.state.jobs[0]?.usersBytes.equals(users)).toBe(true);
    expect(emulator.state.requests.at(-1)).toMatchObject({
      route: 'create-job',
      status: 202,
      usersBytes: users.length,
      fields: {
        connection_id: databaseConnectionId(emulator),
        upsert: 'true',
        send_completion_email: 'false',
      },
    });
  });

  it('refuses a request without connection_id with 400 invalid_body', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await createJob(emulator, token, { users: JSON.stringify(ONE_USER) });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      invalidBody("Payload validation error: 'Missing required property: connection_id'"),
    );
  });

  it('refuses a connection_id that does not match con_ and 16 alphanumerics', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await importUsers(emulator, token, ONE_USER, {
      connection_id: 'Username-Password-Authentication',
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      invalidBody(
        "Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id",
      ),
    );
  });

  it('answers 400 "The connection does not exist." for a well-formed connection_id that names no connection', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await importUsers(emulator, token, ONE_USER, { connection_id: 'con_AAAAAAAAAAAAAAAA' });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The connection does not exist.',
    });
  });

  it('refuses a connection that is not a database connection with 400 operation_not_supported', async () => {
    const { emulator, token } = await startWithToken();
    const social = emulator.connections.find((c) => c.strategy === 'google-oauth2');

    const answer = await importUsers(emulator, token, ONE_USER, { connection_id: social?.id });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      message: 'Connection must be a database connection',
      errorCode: 'operation_not_supported',
    });
  });

  it('refuses an empty users file with 400', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await createJob(emulator, token, {
      users: '',
      connection_id: databaseConnectionId(emulator),
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: 'Users file must not be empty.' });
  });

  it('accepts a request body of exactly 512000 bytes', async () => {
    const { emulator, token } = await startWithToken();
    const body = createBodyOf(MAX_IMPORT_BODY_BYTES, databaseConnectionId(emulator));

    const answer = await sendCreateBody(emulator, token, body);

    expect(Buffer.byteLength(body)).toBe(512_000);
    expect(answer.status).toBe(202);
  });

  it('refuses a request body of 512001 bytes with 413, counting the envelope and not only the users file', async () => {
    const { emulator, token } = await startWithToken();
    const body = createBodyOf(MAX_IMPORT_BODY_BYTES + 1, databaseConnectionId(emulator));

    const answer = await sendCreateBody(emulator, token, body);

    expect(emulator.state.requests.at(-1)).toMatchObject({ bodyBytes: 512_001 });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      statusCode: 413,
      error: 'Request Entity Too Large',
      message: 'Payload content length greater than maximum allowed: 512000',
    });
    expect(emulator.state.jobs).toHaveLength(0);
  });

  it('refuses an oversized body with 413 before looking at its multipart format', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await sendCreateBody(emulator, token, 'x'.repeat(MAX_IMPORT_BODY_BYTES + 1));

    expect(answer.status).toBe(413);
  });

  it('refuses a third active job with the job-limit 429, and accepts it once one job has ended', async () => {
    const clock = manualClock();
    const emulator = await start({ clock, jobTiming: { pendingMs: 1_000, processingMs: 1_000 } });
    const token = await getToken(emulator);
    await importUsers(emulator, token, [{ email: 'a@example.com' }]);
    clock.advance(1_000);
    await importUsers(emulator, token, [{ email: 'b@example.com' }]);

    const refused = await importUsers(emulator, token, [{ email: 'c@example.com' }]);
    clock.advance(1_000);
    const accepted = await importUsers(emulator, token, [{ email: 'c@example.com' }]);

    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message:
        'There are 2 active import users jobs, please wait until some of them are finished and try again',
    });
    expect(accepted.status).toBe(202);
  });

  it('refuses a users part sent as a text field instead of a file', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await createJob(emulator, token, {
      connection_id: databaseConnectionId(emulator),
      extra: [['users', JSON.stringify(ONE_USER)]],
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      errorCode: 'invalid_body',
      message: expect.stringContaining('on property users'),
    });
  });

  it('accepts and ignores a part it does not know', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await importUsers(emulator, token, ONE_USER, { extra: [['connection', 'x']] });

    expect(answer.status).toBe(202);
  });

  it('refuses an upsert other than "true" or "false"', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await importUsers(emulator, token, ONE_USER, { upsert: 'yes' });

    expect(answer.body).toEqual(
      invalidBody(
        "Payload validation error: 'Expected type boolean but found type string' on property upsert",
      ),
    );
  });

  it('answers 400 to a body that is not multipart, and keeps serving', async () => {
    const { emulator, token } = await startWithToken();

    const answer = await send(emulator, '/api/v2/jobs/users-imports', {
      method: 'POST',
      token,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: 'not multipart',
    });
    const next = await importUsers(emulator, token, ONE_USER);

    expect(answer.status).toBe(400);
    expect(next.status).toBe(202);
  });
});
