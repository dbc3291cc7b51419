/** The action's Management API client, wired to an emulator as main.ts wires it to a tenant. */
import { ApiClient } from '../../src/auth0/http.js';
import type { ScheduleOptions } from '../../src/auth0/schedule.js';
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

/** What main.ts passes the scheduler for an ordinary run: 2 slots, no upsert, wait an hour. */
export function scheduleOptions(
  emulator: Emulator,
  clock: Clock,
  timing: TimingPolicy,
  overrides: Partial<ScheduleOptions> = {},
): ScheduleOptions {
  return {
    connectionId: emulator.connections.find((connection) => connection.strategy === 'auth0')!.id,
    upsert: false,
    sendCompletionEmail: false,
    maxConcurrentJobs: 2,
    wait: true,
    deadline: clock.now() + 3_600_000,
    signal: new AbortController().signal,
    clock,
    timing,
    log: () => {},
    ...overrides,
  };
}
