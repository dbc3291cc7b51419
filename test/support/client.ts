/** The action's Management API client, wired to an emulator as main.ts wires it to a tenant. */
import { ApiClient } from '../../src/auth0/http.js';
import type { Clock, TimingPolicy } from '../../src/auth0/timing.js';
import { ManagementTokens } from '../../src/auth0/token.js';
import type { Emulator } from '../emulator/index.js';

export function emulatorClient(
  emulator: Emulator,
  options: { clock: Clock; timing: TimingPolicy; setSecret?: (value: string) => void },
): { api: ApiClient; tokens: ManagementTokens } {
  const api = new ApiClient({
    origin: emulator.url,
    clock: options.clock,
    timing: options.timing,
    log: () => {},
  });
  const tokens = new ManagementTokens(
    api,
    {
      kind: 'client',
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      audience: `${emulator.url}/api/v2/`,
    },
    options.setSecret ?? (() => {}),
  );
  api.useTokens(tokens);
  return { api, tokens };
}
