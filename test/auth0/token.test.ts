/** Management API tokens over a run longer than they live: renewed ahead of expiry, once after a refusal. */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/auth0/http.js';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { ManagementTokens, renewalMarginMs } from '../../src/auth0/token.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { virtualClock } from '../support/virtual-clock.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function connect(tokenExpiresIn: number) {
  const clock = virtualClock();
  emulator = await startEmulator({ clock, tokenExpiresIn, clients: [{ scopes: ['read:users'] }] });
  const api = new ApiClient({ origin: emulator.url, clock, timing: DEFAULT_TIMING, log: () => {} });
  const tokens = new ManagementTokens(
    api,
    {
      kind: 'client',
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      audience: `${emulator.url}/api/v2/`,
    },
    () => {},
    () => clock.now(),
  );
  api.useTokens(tokens);
  const read = () =>
    api.send({ method: 'GET', path: '/api/v2/users-by-email?email=a%40x.io', repeatable: true });
  return { clock, api, tokens, read, emulator };
}

function tokenRequests(emulator: Emulator): number {
  return emulator.state.requests.filter((request) => request.route === 'token').length;
}

describe('ManagementTokens', () => {
  it('renews a token a third of its life before it expires, when that is under a minute', () => {
    expect(renewalMarginMs(3)).toBe(1_000);
    expect(renewalMarginMs(86_400)).toBe(60_000);
  });

  it('asks for a new token before the old one expires, so Auth0 never refuses one', async () => {
    const { clock, read, emulator } = await connect(3);
    for (let i = 0; i < 10; i++) {
      expect((await read()).status).toBe(200);
      await clock.sleep(1_000);
    }
    expect(emulator.state.requests.filter((request) => request.status === 401)).toEqual([]);
    expect(tokenRequests(emulator)).toBeGreaterThanOrEqual(4);
  });

  it('gets a new token once when Auth0 refuses one that worked, and sends the request again', async () => {
    const { read, emulator } = await connect(86_400);
    expect((await read()).status).toBe(200);
    emulator.faults.revokeTokens();
    expect((await read()).status).toBe(200);
    expect(tokenRequests(emulator)).toBe(2);
  });

  it('starts afresh with a token renewed ahead of expiry: a refusal of it is renewed again', async () => {
    const { clock, read, emulator } = await connect(30);
    expect((await read()).status).toBe(200);
    emulator.faults.revokeTokens();
    expect((await read()).status).toBe(200);
    await clock.sleep(25_000);
    expect((await read()).status).toBe(200);
    emulator.faults.revokeTokens();
    expect((await read()).status).toBe(200);
    expect(tokenRequests(emulator)).toBe(4);
  });

  it('stops when the token that replaced a refused one is refused too', async () => {
    const { tokens, read, emulator } = await connect(86_400);
    expect((await read()).status).toBe(200);
    emulator.faults.revokeTokens();
    const refused = await tokens.token();
    expect(tokens.renewAfterRefusal(refused)).toBe(true);
    const renewed = await tokens.token();
    expect(tokens.renewAfterRefusal(renewed)).toBe(false);
  });
});
