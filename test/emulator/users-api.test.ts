import { describe, expect, it } from 'vitest';
import { deleteUser, getToken, send, updateUser, useEmulators, usersByEmail } from './contract-client.js';
import { manualClock, type EmulatorOptions } from './index.js';

const start = useEmulators();
const DATABASE = 'Username-Password-Authentication';
const USERS_SCOPES = ['read:users', 'update:users', 'delete:users'];

async function startWithUsers(options: EmulatorOptions = {}) {
  const clock = manualClock(Date.UTC(2025, 0, 1));
  const emulator = await start({ clock, clients: [{ scopes: USERS_SCOPES }], ...options });
  emulator.state.seedUsers(DATABASE, [
    { email: 'ada@example.com', user_id: 'ada', username: 'ada', password_hash: `$2b$10$${'a'.repeat(53)}` },
    { email: 'alan@example.com', user_id: 'alan' },
  ]);
  return { clock, emulator, token: await getToken(emulator) };
}

describe('GET /api/v2/users-by-email', () => {
  it('finds the users of every connection with exactly that email, database emails kept lower-cased', async () => {
    const emulator = await start({
      clients: [{ scopes: ['read:users'] }],
      connections: [
        { name: 'staff', strategy: 'auth0' },
        { name: 'customers', strategy: 'auth0' },
      ],
    });
    emulator.state.seedUsers('staff', [{ email: 'ada@example.com' }]);
    emulator.state.seedUsers('customers', [{ email: 'Ada@Example.com' }]);
    const token = await getToken(emulator);

    const answer = await usersByEmail(emulator, token, 'ada@example.com');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      expect.objectContaining({
        email: 'ada@example.com',
        identities: [expect.objectContaining({ connection: 'staff' })],
      }),
      expect.objectContaining({
        email: 'ada@example.com',
        identities: [expect.objectContaining({ connection: 'customers' })],
      }),
    ]);
    // "Email address to search for (case-sensitive)": another case finds nobody.
    expect((await usersByEmail(emulator, token, 'Ada@Example.com')).body).toEqual([]);
  });

  it('answers the primary user of a linked account, its own identity first, the linked one after', async () => {
    const { emulator, token } = await startWithUsers();
    emulator.state.linkUser('auth0|ada', {
      connection: 'google-oauth2',
      user_id: 'google-oauth2|1234',
      email: 'ada@example.com',
    });

    const answer = await usersByEmail(emulator, token, 'ada@example.com');

    expect(answer.body).toEqual([
      expect.objectContaining({
        user_id: 'google-oauth2|1234',
        identities: [
          expect.objectContaining({
            connection: 'google-oauth2',
            provider: 'google-oauth2',
            user_id: '1234',
          }),
          expect.objectContaining({ connection: DATABASE, provider: 'auth0', user_id: 'ada' }),
        ],
      }),
    ]);
    const byId = await send(emulator, '/api/v2/users/auth0%7Cada', { token });
    expect(byId.status).toBe(404);
  });

  it('answers a user in Auth0 shape, without its password hash', async () => {
    const { emulator, token } = await startWithUsers();

    const answer = await usersByEmail(emulator, token, 'ada@example.com');

    expect(answer.body).toEqual([
      {
        user_id: 'auth0|ada',
        email: 'ada@example.com',
        email_verified: false,
        username: 'ada',
        name: 'ada@example.com',
        nickname: 'ada',
        picture: expect.stringContaining('gravatar'),
        identities: [{ connection: DATABASE, user_id: 'ada', provider: 'auth0', isSocial: false }],
        created_at: '2025-01-01T00:00:00.000Z',
        updated_at: '2025-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('answers an empty array when no user has the email', async () => {
    const { emulator, token } = await startWithUsers();

    const answer = await usersByEmail(emulator, token, 'nobody@example.com');

    expect(answer.body).toEqual([]);
  });

  it('answers 403 insufficient_scope to a token without read:users', async () => {
    const emulator = await start();

    const answer = await usersByEmail(emulator, await getToken(emulator), 'ada@example.com');

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ message: 'Insufficient scope, expected any of: read:users' });
  });
});

describe('GET /api/v2/users/{id}', () => {
  it('reads a user by its URL-encoded id', async () => {
    const { emulator, token } = await startWithUsers();

    const answer = await send(emulator, '/api/v2/users/auth0%7Cada', { token });

    expect(answer.body).toMatchObject({ user_id: 'auth0|ada', email: 'ada@example.com' });
  });

  it('answers 404 inexistent_user for an unknown id', async () => {
    const { emulator, token } = await startWithUsers();

    const answer = await send(emulator, '/api/v2/users/auth0%7Cnobody', { token });

    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The user does not exist.',
      errorCode: 'inexistent_user',
    });
  });
});

describe('PATCH /api/v2/users/{id}', () => {
  it('sets what it is given and answers the updated user', async () => {
    const { clock, emulator, token } = await startWithUsers();
    clock.advance(1_000);

    const answer = await updateUser(emulator, token, 'auth0|ada', { blocked: true, given_name: 'Ada' });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      user_id: 'auth0|ada',
      blocked: true,
      given_name: 'Ada',
      updated_at: '2025-01-01T00:00:01.000Z',
    });
    expect(emulator.state.user('auth0|ada')).toMatchObject({ blocked: true, given_name: 'Ada' });
  });

  it('merges metadata one level deep, a null value removing its key', async () => {
    const { emulator, token } = await startWithUsers();
    emulator.state.editUser('auth0|ada', { user_metadata: { theme: 'dark', lang: 'en', prefs: { a: 1 } } });

    const answer = await updateUser(emulator, token, 'auth0|ada', {
      user_metadata: { lang: null, prefs: { b: 2 }, plan: 'gold' },
    });

    expect(answer.body).toMatchObject({ user_metadata: { theme: 'dark', prefs: { b: 2 }, plan: 'gold' } });
  });

  it('refuses to change the email of a database user without connection in the body', async () => {
    const { emulator, token } = await startWithUsers();

    const answer = await updateUser(emulator, token, 'auth0|ada', { email: 'ada@new.example.com' });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      errorCode: 'invalid_body',
      message: expect.stringContaining('connection'),
    });
    expect(emulator.state.user('auth0|ada')).toMatchObject({ email: 'ada@example.com' });
  });

  it('changes the email with connection in the body, resetting email_verified', async () => {
    const { emulator, token } = await startWithUsers();
    emulator.state.editUser('auth0|ada', { email_verified: true });

    const answer = await updateUser(emulator, token, 'auth0|ada', {
      email: 'ada@new.example.com',
      connection: DATABASE,
    });
    const found = await usersByEmail(emulator, token, 'ada@new.example.com');

    expect(answer.body).toMatchObject({ email: 'ada@new.example.com', email_verified: false });
    expect(found.body).toEqual([expect.objectContaining({ user_id: 'auth0|ada' })]);
  });

  it.each([
    ['email', 'alan@example.com'],
    ['username', 'alan'],
  ])('answers 409 to an %s another user of the connection has', async (key, value) => {
    const { emulator, token } = await startWithUsers();
    emulator.state.editUser('auth0|alan', { username: 'alan' });

    const answer = await updateUser(emulator, token, 'auth0|ada', { [key]: value, connection: DATABASE });

    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      statusCode: 409,
      message: `The specified new ${key} already exists`,
    });
  });

  it('sets a plain password in place of the imported hash', async () => {
    const { emulator, token } = await startWithUsers();

    const answer = await updateUser(emulator, token, 'auth0|ada', {
      password: 'correct horse battery staple',
    });

    expect(answer.body).not.toHaveProperty('password');
    expect(emulator.state.user('auth0|ada')).toMatchObject({ password: 'correct horse battery staple' });
    expect(emulator.state.user('auth0|ada')).not.toHaveProperty('password_hash');
  });

  it('answers 404 for an unknown id', async () => {
    const { emulator, token } = await startWithUsers();

    const answer = await updateUser(emulator, token, 'auth0|nobody', { blocked: true });

    expect(answer.status).toBe(404);
  });

  it.each([
    [{ nope: 1 }, "Payload validation error: 'Additional properties not allowed: nope'"],
    [
      { blocked: 'yes' },
      "Payload validation error: 'Expected type boolean but found type string' on property blocked",
    ],
    [{}, "Payload validation error: 'Too few properties defined (0), minimum 1'"],
  ])('refuses the body %j with 400 invalid_body', async (body, message) => {
    const { emulator, token } = await startWithUsers();

    const answer = await updateUser(emulator, token, 'auth0|ada', body);

    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message,
      errorCode: 'invalid_body',
    });
  });

  it('answers 403 insufficient_scope to a token without update:users', async () => {
    const { emulator } = await startWithUsers({ clients: [{ scopes: ['read:users'] }] });

    const answer = await updateUser(emulator, await getToken(emulator), 'auth0|ada', { blocked: true });

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ message: 'Insufficient scope, expected any of: update:users' });
  });

  it('updates the user, then answers a Cloudflare 502, with failRequest after', async () => {
    const { emulator, token } = await startWithUsers();
    emulator.faults.failRequest('update-user', 'next', 'gateway-error-after', 502);

    const answer = await updateUser(emulator, token, 'auth0|ada', { blocked: true });

    expect(answer.status).toBe(502);
    expect(emulator.state.user('auth0|ada')).toMatchObject({ blocked: true });
  });
});

describe('DELETE /api/v2/users/{id}', () => {
  it('deletes the user with 204, and answers 204 again once it is gone', async () => {
    const { emulator, token } = await startWithUsers();

    const first = await deleteUser(emulator, token, 'auth0|ada');
    const again = await deleteUser(emulator, token, 'auth0|ada');

    expect([first.status, again.status]).toEqual([204, 204]);
    expect(emulator.state.users(DATABASE).map((user) => user.user_id)).toEqual(['auth0|alan']);
  });

  it('answers 403 insufficient_scope to a token without delete:users', async () => {
    const { emulator } = await startWithUsers({ clients: [{ scopes: ['update:users'] }] });

    const answer = await deleteUser(emulator, await getToken(emulator), 'auth0|ada');

    expect(answer.status).toBe(403);
  });
});

describe('the Users API and the rate limit', () => {
  it('counts users requests against the same bucket as imports', async () => {
    const { emulator, token } = await startWithUsers({ rateLimit: { rate: 1, burst: 2 } });
    await usersByEmail(emulator, token, 'ada@example.com');
    await updateUser(emulator, token, 'auth0|ada', { blocked: true });

    const answer = await deleteUser(emulator, token, 'auth0|ada');

    expect(answer.status).toBe(429);
  });
});

describe('user helpers', () => {
  it('edits a user as the dashboard would, without connection, replacing metadata whole', async () => {
    const { emulator } = await startWithUsers();
    emulator.state.editUser('auth0|ada', { user_metadata: { theme: 'dark' } });

    emulator.state.editUser('auth0|ada', { email: 'ada@new.example.com', user_metadata: { lang: 'fr' } });

    expect(emulator.state.user('auth0|ada')).toMatchObject({
      email: 'ada@new.example.com',
      user_metadata: { lang: 'fr' },
    });
  });

  it('refuses a dashboard edit to an email another user of the connection has', async () => {
    const { emulator } = await startWithUsers();

    expect(() => emulator.state.editUser('auth0|ada', { email: 'ALAN@example.com' })).toThrow(/email/);
  });

  it('deletes a user as the dashboard would', async () => {
    const { emulator } = await startWithUsers();

    emulator.state.deleteUser('auth0|alan');

    expect(emulator.state.user('auth0|alan')).toBeUndefined();
  });
});
