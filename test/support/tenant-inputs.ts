/** The inputs that point the action at an emulator: its origin as domain, its client, its database connection. */
import type { Emulator } from '../emulator/index.js';

export function databaseOf(emulator: Emulator) {
  return emulator.connections.find((connection) => connection.strategy === 'auth0')!;
}

export function tenantInputs(emulator: Emulator): Record<string, string> {
  return {
    domain: emulator.url,
    'client-id': emulator.clientId,
    'client-secret': emulator.clientSecret,
    'connection-id': databaseOf(emulator).id,
  };
}
