import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessApi, AccessStore } from './access.js';
import { DownloadLinks } from './download-links.js';
import { Faults } from './faults.js';
import { JobBoard } from './jobs.js';
import { ManagementApi } from './management-api.js';
import { resolveOptions, type Connection, type EmulatorOptions } from './options.js';
import { TokenBucket } from './rate-limit.js';
import { createRequestHandler } from './server.js';
import { EmulatorState } from './state.js';
import { TenantUsers } from './tenant-users.js';
import { TokenIssuer } from './tokens.js';
import { UsersApi } from './users-api.js';

export { manualClock, type Clock, type ManualClock } from './clock.js';
export type { Membership, Organization, OtherUser, Role } from './access.js';
export { DOWNLOAD_LINK_TTL_MS } from './download-links.js';
export type {
  CreateFault,
  DelayTarget,
  FaultableRoute,
  Faults,
  JobSelector,
  Nth,
  RequestFault,
  StatusFault,
} from './faults.js';
export type { GatewayStatus } from './gateway.js';
export type { ImportFields } from './import-form.js';
export { MAX_IMPORT_BODY_BYTES } from './import-form.js';
export type { ExportJob, ImportJob, Job, JobStatus } from './jobs.js';
export type {
  ClientOptions,
  Connection,
  ConnectionOptions,
  EmulatorOptions,
  JobTimingOptions,
} from './options.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { RouteName } from './routes.js';
export type { EmulatorCounters, EmulatorState, RequestRecord, UserEdit } from './state.js';
export type { BadCredentialsError } from './tokens.js';
export type { ErrorShapes, ImportedUser, UserError } from './user-record.js';
export type { Auth0User, ImportSummary, JobUserError, StoredUser, UserIdentity } from './user-store.js';
export { DEFAULT_EXPORT_FIELDS, type ExportField, type ExportFormat } from './users-export.js';

/** A running loopback Auth0 tenant: token endpoint, connections, bulk user imports and exports, the Users API. */
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
  const tokens = new TokenIssuer(
    config.clients,
    `${url}/api/v2/`,
    config.tokenExpiresIn,
    clock,
    config.badCredentialsError,
  );
  const jobs = new JobBoard(
    clock,
    {
      imports: config.importTiming,
      exports: config.exportTiming,
      expiryMs: config.jobExpiryMs,
      errorShapes: config.errorShapes,
      failedJobDetails: config.failedJobDetails,
      gzipExports: config.gzipExports,
    },
    new TenantUsers(config.connections),
  );
  const access = new AccessStore(jobs);
  const faults = new Faults(jobs, tokens);
  const downloads = new DownloadLinks(url, clock, jobs);
  const state = new EmulatorState(jobs, config.connections, clock, access);
  const closing = new AbortController();
  server.on(
    'request',
    createRequestHandler({
      clock,
      tokens,
      api: new ManagementApi(config, jobs, faults, downloads),
      users: new UsersApi(jobs, clock, (userId) => access.otherUser(userId)),
      access: new AccessApi(access, clock),
      downloads,
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
