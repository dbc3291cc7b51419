import { describe, expect, it } from 'vitest';
import { getToken, importUsers, send, useEmulators } from './contract-client.js';
import { manualClock } from './index.js';

const start = useEmulators();

describe('the bearer token on /api/v2/', () => {
  it('answers 401 "Invalid token" to a token the emulator never issued', async () => {
    const emulator = await start();

    const answer = await send(emulator, '/api/v2/jobs/job_AAAAAAAAAAAAAAAA', { token: 'forged' });

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
  });

  it('answers 401 "Missing authentication" to a request without a token', async () => {
    const emulator = await start();

    const answer = await send(emulator, '/api/v2/jobs/job_AAAAAAAAAAAAAAAA');

    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ statusCode: 401, message: 'Missing authentication' });
  });

  it('answers 401 to a token past its expires_in', async () => {
    const clock = manualClock();
    const emulator = await start({ clock, tokenExpiresIn: 60 });
    const token = await getToken(emulator);

    clock.advance(60_000);
    const answer = await send(emulator, '/api/v2/jobs/job_AAAAAAAAAAAAAAAA', { token });

    expect(answer.status).toBe(401);
  });

  it('answers 403 insufficient_scope to a create with a token lacking create:users', async () => {
    const emulator = await start({ clients: [{ scopes: ['read:connections'] }] });
    const token = await getToken(emulator);

    const answer = await importUsers(emulator, token, [{ email: 'a@example.com' }]);

    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: create:users',
      errorCode: 'insufficient_scope',
    });
  });

  it('answers 403 insufficient_scope to a connection look-up with a token lacking read:connections', async () => {
    const emulator = await start({ clients: [{ scopes: ['create:users'] }] });
    const token = await getToken(emulator);

    const answer = await send(emulator, '/api/v2/connections', { token });

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ message: 'Insufficient scope, expected any of: read:connections' });
  });
});

describe('GET /api/v2/connections', () => {
  it('finds a connection by name, with its id, strategy and enabled clients', async () => {
    const emulator = await start();
    const token = await getToken(emulator);

    const answer = await send(emulator, '/api/v2/connections?name=Username-Password-Authentication', {
      token,
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      {
        id: expect.stringMatching(/^con_[A-Za-z0-9]{16}$/),
        name: 'Username-Password-Authentication',
        strategy: 'auth0',
        enabled_clients: [emulator.clientId],
        realms: ['Username-Password-Authentication'],
      },
    ]);
  });

  it('filters connections by strategy', async () => {
    const emulator = await start();
    const token = await getToken(emulator);

    const answer = await send(emulator, '/api/v2/connections?strategy=google-oauth2', { token });

    expect(answer.body).toEqual([expect.objectContaining({ name: 'google-oauth2' })]);
  });

  it('answers an empty array when no connection has the name', async () => {
    const emulator = await start();
    const token = await getToken(emulator);

    const answer = await send(emulator, '/api/v2/connections?name=nope', { token });

    expect(answer.body).toEqual([]);
  });

  it('lists the connections it was started with', async () => {
    const emulator = await start({
      connections: [{ name: 'legacy', strategy: 'auth0', id: 'con_0123456789abcdef' }],
    });
    const token = await getToken(emulator);

    const answer = await send(emulator, '/api/v2/connections', { token });

    expect(answer.body).toEqual([expect.objectContaining({ id: 'con_0123456789abcdef', name: 'legacy' })]);
  });
});

describe('other routes', () => {
  it('answers 404 to an unknown route', async () => {
    const emulator = await start();

    const answer = await send(emulator, '/api/v2/users');

    expect(answer.status).toBe(404);
  });

  it('answers 405 with Allow to a known path with the wrong method', async () => {
    const emulator = await start();

    const answer = await send(emulator, '/api/v2/jobs/users-imports');

    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });
});
