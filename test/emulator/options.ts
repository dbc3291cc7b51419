import { systemClock, type Clock } from './clock.js';
import { randomAlphanumerics } from './ids.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { BadCredentialsError } from './tokens.js';
import type { ErrorShapes } from './user-record.js';

/** An application that may ask `/oauth/token` for a Management API token. */
export interface ClientOptions {
  /** Default: 32 random alphanumerics. */
  id?: string;
  /** Default: 64 random alphanumerics. */
  secret?: string;
  /** Scopes its tokens carry. Default: `['create:users', 'read:connections']`. */
  scopes?: string[];
  /** Whether a client grant authorises it for the Management API; `false` → 403 `access_denied`. Default true. */
  grant?: boolean;
  /** Whether the client-credentials grant type is enabled; `false` → 403 `unauthorized_client`. Default true. */
  clientCredentials?: boolean;
}

export interface ConnectionOptions {
  name: string;
  /** `auth0` is a database connection; anything else (e.g. `google-oauth2`) refuses imports. */
  strategy: string;
  /** Default: `con_` + 16 random alphanumerics. */
  id?: string;
}

/** How long a job of one kind stays in each phase. */
export interface JobTimingOptions {
  /** How long a job stays `pending`. Default 50 ms. */
  pendingMs?: number;
  /** How long a job stays `processing` before it ends. Default 100 ms. */
  processingMs?: number;
}

export interface EmulatorOptions {
  /** Port on 127.0.0.1. Default 0: a free port chosen by the system. */
  port?: number;
  /** The first is the default client (`emulator.clientId`). Default: one client with every option defaulted. */
  clients?: ClientOptions[];
  /** Default: `Username-Password-Authentication` (`auth0`) and `google-oauth2` (`google-oauth2`). */
  connections?: ConnectionOptions[];
  /** Default: the system clock. Pass `manualClock()` to step time by hand. */
  clock?: Clock;
  jobTiming?: JobTimingOptions;
  /** How long an export job stays pending, then processing. Default: as `jobTiming`. */
  exportTiming?: JobTimingOptions;
  /** Age after which a job and its errors are gone (404). Default 24 h, as in Auth0. */
  jobExpiryMs?: number;
  /** Import jobs that may be pending or processing at once; one more → 429. Default 2, as in Auth0. */
  maxActiveJobs?: number;
  /** Lifetime of issued tokens, in seconds. Default 86400. */
  tokenExpiresIn?: number;
  /** Token bucket over all `/api/v2/` requests. Default: off (no limit, no `x-ratelimit-*` headers). */
  rateLimit?: RateLimitOptions;
  /**
   * How per-user job errors read. Default `real`: as recorded from Auth0 (`INVALID_FORMAT` at
   * `identities[0].profileData.email`, `DUPLICATED_USER` for repeats in a file…); `documented`: the codes of
   * Auth0's documented list (`FORMAT` at `email`, `OBJECT_REQUIRED`, `CONFLICT_EMAIL`…).
   */
  errorShapes?: ErrorShapes;
  /** The `error` of the 401 to a wrong client id or secret. Default `access_denied`; Auth0 answers either. */
  badCredentialsError?: BadCredentialsError;
  /**
   * Whether a job that fails as a whole says why in `status_details`. Default false: recorded real failed
   * jobs may have neither `summary` nor `status_details`.
   */
  failedJobDetails?: boolean;
  /**
   * Job answers with only `id`, `type`, `status` and the outcome (`summary`, `status_details`,
   * `location`): every other field is optional in Auth0's answers. Default false.
   */
  minimalJobAnswers?: boolean;
  /** Whether export files are gzip-compressed, as Auth0's usually are. Default true. */
  gzipExports?: boolean;
}

export interface Client {
  id: string;
  secret: string;
  scopes: string[];
  grant: boolean;
  clientCredentials: boolean;
}

export interface Connection {
  id: string;
  name: string;
  strategy: string;
}

/** The options with every default filled in. */
export interface EmulatorConfig {
  port: number;
  /** The first is the default client. */
  clients: [Client, ...Client[]];
  connections: Connection[];
  clock: Clock;
  importTiming: { pendingMs: number; processingMs: number };
  exportTiming: { pendingMs: number; processingMs: number };
  jobExpiryMs: number;
  maxActiveJobs: number;
  tokenExpiresIn: number;
  rateLimit: RateLimitOptions | undefined;
  errorShapes: ErrorShapes;
  badCredentialsError: BadCredentialsError;
  failedJobDetails: boolean;
  minimalJobAnswers: boolean;
  gzipExports: boolean;
}

const DEFAULT_CONNECTIONS: ConnectionOptions[] = [
  { name: 'Username-Password-Authentication', strategy: 'auth0' },
  { name: 'google-oauth2', strategy: 'google-oauth2' },
];

export function resolveOptions(options: EmulatorOptions): EmulatorConfig {
  const [first, ...others] = (options.clients ?? [{}]).map((client) => ({
    id: client.id ?? randomAlphanumerics(32),
    secret: client.secret ?? randomAlphanumerics(64),
    scopes: client.scopes ?? ['create:users', 'read:connections'],
    grant: client.grant ?? true,
    clientCredentials: client.clientCredentials ?? true,
  }));
  if (!first) throw new Error('startEmulator: `clients` needs at least one client');
  const connections = (options.connections ?? DEFAULT_CONNECTIONS).map((connection) => ({
    id: connection.id ?? `con_${randomAlphanumerics(16)}`,
    name: connection.name,
    strategy: connection.strategy,
  }));
  const importTiming = {
    pendingMs: options.jobTiming?.pendingMs ?? 50,
    processingMs: options.jobTiming?.processingMs ?? 100,
  };
  return {
    port: options.port ?? 0,
    clients: [first, ...others],
    connections,
    clock: options.clock ?? systemClock,
    importTiming,
    exportTiming: {
      pendingMs: options.exportTiming?.pendingMs ?? importTiming.pendingMs,
      processingMs: options.exportTiming?.processingMs ?? importTiming.processingMs,
    },
    jobExpiryMs: options.jobExpiryMs ?? 24 * 60 * 60 * 1000,
    maxActiveJobs: options.maxActiveJobs ?? 2,
    tokenExpiresIn: options.tokenExpiresIn ?? 86_400,
    rateLimit: options.rateLimit,
    errorShapes: options.errorShapes ?? 'real',
    badCredentialsError: options.badCredentialsError ?? 'access_denied',
    failedJobDetails: options.failedJobDetails ?? false,
    minimalJobAnswers: options.minimalJobAnswers ?? false,
    gzipExports: options.gzipExports ?? true,
  };
}
