import { describe, expect, it } from 'vitest';
import { clientCredentials, requestToken, send, useEmulators } from './contract-client.js';

const start = useEmulators();

describe('POST /oauth/token', () => {
  it('issues a bearer token with its lifetime and scopes for valid client credentials', async () => {
    const emulator = await start();

    const answer = await requestToken(emulator, clientCredentials(emulator));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      expires_in: 86400,
      scope: 'create:users read:connections',
      token_type: 'Bearer',
    });
  });

  it('accepts a form-encoded body', async () => {
    const emulator = await start();

    const answer = await requestToken(emulator, clientCredentials(emulator), 'form');

    expect(answer.status).toBe(200);
  });

  it('gives tokens the configured lifetime and the client its configured scopes', async () => {
    const emulator = await start({ tokenExpiresIn: 60, clients: [{ scopes: ['create:users'] }] });

    const answer = await requestToken(emulator, clientCredentials(emulator));

    expect(answer.body).toMatchObject({ expires_in: 60, scope: 'create:users' });
  });

  it('refuses a wrong client secret with 401 access_denied "Unauthorized"', async () => {
    const emulator = await start();

    const answer = await requestToken(emulator, { ...clientCredentials(emulator), client_secret: 'wrong' });

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });

  it('refuses an unknown client id with 401 invalid_client when told to answer so', async () => {
    const emulator = await start({ badCredentialsError: 'invalid_client' });

    const answer = await requestToken(emulator, { ...clientCredentials(emulator), client_id: 'nobody' });

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'invalid_client', error_description: 'Unauthorized' });
  });

  it('refuses an application without a Management API grant with 403 access_denied naming the client grant', async () => {
    const emulator = await start({ clients: [{ grant: false }] });

    const answer = await requestToken(emulator, clientCredentials(emulator));

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      error: 'access_denied',
      error_description: expect.stringContaining('client-grant'),
    });
  });

  it('refuses an application whose client-credentials grant is disabled with 403 unauthorized_client', async () => {
    const emulator = await start({ clients: [{ clientCredentials: false }] });

    const answer = await requestToken(emulator, clientCredentials(emulator));

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'unauthorized_client' });
  });

  it('refuses another grant type with 400 unsupported_grant_type', async () => {
    const emulator = await start();

    const answer = await requestToken(emulator, { ...clientCredentials(emulator), grant_type: 'password' });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('refuses an audience without the trailing slash with 403 access_denied "Service not found"', async () => {
    const emulator = await start();

    const answer = await requestToken(emulator, {
      ...clientCredentials(emulator),
      audience: `${emulator.url}/api/v2`,
    });

    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      error: 'access_denied',
      error_description: `Service not found: ${emulator.url}/api/v2`,
    });
  });

  it('refuses a body that is neither JSON nor form-encoded with 400 invalid_request', async () => {
    const emulator = await start();

    const answer = await send(emulator, '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'grant_type=client_credentials',
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_request' });
  });
});
