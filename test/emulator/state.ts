import type { Clock } from './clock.js';
import type { ImportFields } from './import-form.js';
import type { ImportJob, JobBoard } from './jobs.js';
import type { Connection } from './options.js';
import type { RouteName } from './routes.js';
import type { ImportedUser } from './user-record.js';
import { importUsers, type StoredUser } from './user-store.js';

/** One request the emulator answered (or reset), in the order the answers went out. */
export interface RequestRecord {
  /** Clock milliseconds at arrival. */
  at: number;
  method: string;
  /** Path and query, as sent. */
  path: string;
  route: RouteName;
  /** `'reset'`: the socket was reset instead of answering (a fault). */
  status: number | 'reset';
  /** Creates only: size of the `users` part. */
  usersBytes?: number;
  /** Creates only: the text parts as sent. */
  fields?: ImportFields;
  /** Creates only: the job created, when one was (even if the answer was then a fault). */
  jobId?: string;
}

export interface EmulatorCounters {
  jobsCreated: number;
  /** The most import jobs that were ever pending or processing at once. */
  maxActiveJobs: number;
  requestsByRoute: Record<RouteName, number>;
}

/** What a test can read back from a running emulator, and the users it can seed. */
export class EmulatorState {
  /** Every answered request, oldest first. */
  readonly requests: RequestRecord[] = [];
  readonly #jobs: JobBoard;
  readonly #connections: readonly Connection[];
  readonly #clock: Clock;
  readonly #requestsByRoute: Record<RouteName, number> = {
    token: 0,
    connections: 0,
    'create-job': 0,
    'job-status': 0,
    'job-errors': 0,
    unknown: 0,
  };

  constructor(jobs: JobBoard, connections: readonly Connection[], clock: Clock) {
    this.#jobs = jobs;
    this.#connections = connections;
    this.#clock = clock;
  }

  /** Every job ever created (expired ones too), up to date, with `usersBytes` exactly as received. */
  get jobs(): readonly Readonly<ImportJob>[] {
    return this.#jobs.all();
  }

  get counters(): EmulatorCounters {
    return {
      jobsCreated: this.#jobs.all().length,
      maxActiveJobs: this.#jobs.maxActive,
      requestsByRoute: { ...this.#requestsByRoute },
    };
  }

  /** A copy of a connection's users (by connection id or name), after every job due has ended. */
  users(connection: string): StoredUser[] {
    return this.#jobs.store(this.#connection(connection)).list();
  }

  /** Adds users that exist before the test starts; throws if any would fail an import without upsert. */
  seedUsers(connection: string, users: ImportedUser[]): void {
    const store = this.#jobs.store(this.#connection(connection));
    const records = users.map((user) => ({ ...user }));
    const outcome = importUsers(store, records, false, new Date(this.#clock.now()).toISOString());
    if (outcome.errors.length > 0) throw new Error(`seedUsers: ${JSON.stringify(outcome.errors)}`);
  }

  /** @internal */
  countRequest(route: RouteName): void {
    this.#requestsByRoute[route]++;
  }

  #connection(idOrName: string): Connection {
    const found = this.#connections.find((c) => c.id === idOrName || c.name === idOrName);
    if (!found) throw new Error(`No connection ${idOrName}`);
    return found;
  }
}
