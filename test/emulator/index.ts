import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import { JobBoard } from './jobs.js';
import { ManagementApi } from './management-api.js';
import { resolveOptions, type Connection, type EmulatorOptions } from './options.js';
import { TokenBucket } from './rate-limit.js';
import { createRequestHandler } from './server.js';
import { EmulatorState } from './state.js';
import { TokenIssuer } from './tokens.js';

export { manualClock, type Clock, type ManualClock } from './clock.js';
export type { CreateFault, DelayTarget, Faults, JobSelector, Nth, StatusFault } from './faults.js';
export type { ImportFields } from './import-form.js';
export { MAX_USERS_BYTES } from './import-form.js';
export type { ImportJob, JobStatus } from './jobs.js';
export type {
  ClientOptions,
  Connection,
  ConnectionOptions,
  EmulatorOptions,
  JobTimingOptions,
} from './options.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { RouteName } from './routes.js';
export type { EmulatorCounters, EmulatorState, RequestRecord } from './state.js';
export type { ImportedUser, UserError } from './user-record.js';
export type { ImportSummary, JobUserError, StoredUser } from './user-store.js';

/** A running loopback Auth0 tenant: token endpoint, connections and bulk user imports. */
export interface Emulator {
  /** `http://127.0.0.1:PORT`, no trailing slash; the token audience is `${url}/api/v2/`. */
  url: string;
  /** The default client's credentials (the first of `options.clients`). */
  clientId: string;
  clientSecret: string;
  connections: readonly Connection[];
  state: EmulatorState;
  faults: Faults;
  /** Stops listening, drops open connections and answers held back by delays. */
  close(): Promise<void>;
}

/** Starts an emulator on 127.0.0.1 (a free port unless `options.port`). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const config = resolveOptions(options);
  const server = createServer({ keepAliveTimeout: 1_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { clock } = config;
  const tokens = new TokenIssuer(config.clients, `${url}/api/v2/`, config.tokenExpiresIn, clock);
  const jobs = new JobBoard(clock, {
    pendingMs: config.pendingMs,
    processingMs: config.processingMs,
    expiryMs: config.jobExpiryMs,
  });
  const faults = new Faults(jobs, tokens);
  const state = new EmulatorState(jobs, config.connections, clock);
  const closing = new AbortController();
  server.on(
    'request',
    createRequestHandler({
      clock,
      tokens,
      api: new ManagementApi(config, jobs, faults),
      faults,
      state,
      bucket: config.rateLimit && new TokenBucket(config.rateLimit, clock),
      closing: closing.signal,
    }),
  );
  const [defaultClient] = config.clients;
  return {
    url,
    clientId: defaultClient.id,
    clientSecret: defaultClient.secret,
    connections: config.connections,
    state,
    faults,
    close: async () => {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
