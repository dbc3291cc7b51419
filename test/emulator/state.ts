import type { AccessStore, Membership, OtherUser } from './access.js';
import type { Clock } from './clock.js';
import type { ImportFields } from './import-form.js';
import type { ExportJob, ImportJob, JobBoard } from './jobs.js';
import type { Connection } from './options.js';
import { ROUTE_NAMES, type RouteName } from './routes.js';
import type { ImportedUser } from './user-record.js';
import { importUsers, type StoredUser } from './user-store.js';

/** What a dashboard edit may change; metadata objects are replaced whole, as the dashboard saves them. */
export type UserEdit = Partial<
  Pick<
    StoredUser,
    | 'email'
    | 'email_verified'
    | 'username'
    | 'phone_number'
    | 'phone_verified'
    | 'blocked'
    | 'given_name'
    | 'family_name'
    | 'name'
    | 'nickname'
    | 'picture'
    | 'app_metadata'
    | 'user_metadata'
  >
>;

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
  /** Creates only: size of the whole request body (what Auth0's 512000-byte limit counts). */
  bodyBytes?: number;
  /** Creates only: size of the `users` part. */
  usersBytes?: number;
  /** Creates only: the text parts as sent. */
  fields?: ImportFields;
  /** Import and export creates: the job created, when one was (even if the answer was then a fault). */
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
  readonly #access: AccessStore;
  readonly #requestsByRoute = Object.fromEntries(ROUTE_NAMES.map((route) => [route, 0])) as Record<
    RouteName,
    number
  >;

  constructor(jobs: JobBoard, connections: readonly Connection[], clock: Clock, access: AccessStore) {
    this.#jobs = jobs;
    this.#access = access;
    this.#connections = connections;
    this.#clock = clock;
  }

  /** Every import job ever created (expired ones too), up to date, with `usersBytes` exactly as received. */
  get jobs(): readonly Readonly<ImportJob>[] {
    return this.#jobs.all().filter((job) => job.type === 'users_import');
  }

  /** Every export job ever created (expired ones too), up to date, with its `file` once completed. */
  get exports(): readonly Readonly<ExportJob>[] {
    return this.#jobs.all().filter((job) => job.type === 'users_export');
  }

  get counters(): EmulatorCounters {
    return {
      jobsCreated: this.jobs.length,
      maxActiveJobs: this.#jobs.maxActive,
      requestsByRoute: { ...this.#requestsByRoute },
    };
  }

  /**
   * A copy of a connection's users (by connection id or name), after every job due has ended, with what
   * the API never answers (`password_hash`, `custom_password_hash`, `mfa_factors`, a PATCHed `password`).
   */
  users(connection: string): StoredUser[] {
    return this.#jobs.users.store(this.#connection(connection)).list();
  }

  /** A copy of one user by its full user_id (`auth0|…`), or undefined. */
  user(userId: string): StoredUser | undefined {
    const found = this.#jobs.users.find(userId);
    return found && structuredClone(found.user);
  }

  /**
   * Adds users that exist before the test starts, as an import without upsert would (Auth0's defaults for
   * name, nickname and picture); throws if any would fail it. Indexed: 100,000 users take one to two seconds.
   */
  seedUsers(connection: string, users: ImportedUser[]): void {
    const store = this.#jobs.users.store(this.#connection(connection));
    const records = users as unknown as Record<string, unknown>[];
    const outcome = importUsers(store, records, {
      upsert: false,
      at: this.#now(),
      shapes: 'real',
      factorsFail: () => false,
      refusal: () => undefined,
    });
    if (outcome.errors.length > 0) {
      throw new Error(`seedUsers: ${JSON.stringify(outcome.errors.slice(0, 10))}`);
    }
  }

  /**
   * Changes a user as an administrator would in the dashboard: no `connection` needed, metadata replaced
   * whole, `updated_at` set to now. Throws for an unknown id or an email, username or phone number that
   * another user of the connection holds.
   */
  editUser(userId: string, changes: UserEdit): void {
    const found = this.#jobs.users.find(userId);
    if (!found) throw new Error(`editUser: no user ${userId}`);
    const { store, user } = found;
    for (const key of ['email', 'username', 'phone_number'] as const) {
      const value = changes[key];
      if (value !== undefined && store.holderOf(key, value, user)) {
        throw new Error(`editUser: another user of ${store.connection.name} has ${key} ${value}`);
      }
    }
    store.edit(user, { ...structuredClone(changes), updated_at: this.#now() });
  }

  /**
   * Links a database user into a new primary user of another connection, as account linking does: e.g. a
   * Google user `google-oauth2|123` with the same email. The database user then answers 404 by its own id;
   * users-by-email answers the primary, whose `identities` are its own first, then the linked one.
   */
  linkUser(secondaryId: string, primary: { connection: string; user_id: string; email: string }): void {
    this.#jobs.users.link(secondaryId, this.#connection(primary.connection), primary, this.#now());
  }

  /** Deletes a user as an administrator would in the dashboard; throws for an unknown id. */
  deleteUser(userId: string): void {
    const found = this.#jobs.users.find(userId);
    if (!found) throw new Error(`deleteUser: no user ${userId}`);
    found.store.remove(found.user);
  }

  /** Creates a tenant role; answers its id (`rol_…`). */
  seedRole(name: string, description = ''): string {
    return this.#access.addRole(name, description).id;
  }

  /** Creates an organization; answers its id (`org_…`). */
  seedOrganization(name: string): string {
    return this.#access.addOrganization(name).id;
  }

  /** Someone outside the database connections (a social user, say) whom roles and organizations may name. */
  seedOtherUser(user: OtherUser): void {
    this.#access.addOtherUser(user);
  }

  /** Grants a role (by name) to users (full user_ids), as the dashboard would. */
  grantRole(role: string, userIds: readonly string[]): void {
    const { id } = this.#access.roleByName(role);
    for (const userId of userIds) this.#access.holders.get(id)!.add(this.#known(userId));
  }

  /**
   * Makes a user a member of an organization (by name) with organization roles (by name); `via: 'login'` is
   * a member who joined through the organization's login (auto-membership), not through the API.
   */
  addMember(
    organization: string,
    userId: string,
    options: { roles?: string[]; via?: Membership } = {},
  ): void {
    const { id } = this.#access.organizationByName(organization);
    const roles = new Set((options.roles ?? []).map((name) => this.#access.roleByName(name).id));
    this.#access.members.get(id)!.set(this.#known(userId), { via: options.via ?? 'api', roles });
  }

  /** The user_ids holding a role (by name), sorted. */
  roleHolders(role: string): string[] {
    return [...this.#access.holders.get(this.#access.roleByName(role).id)!].sort();
  }

  /** An organization's members (by name): user_id, how they joined, and their organization roles by name. */
  organizationMembers(organization: string): { user_id: string; via: Membership; roles: string[] }[] {
    const members = this.#access.members.get(this.#access.organizationByName(organization).id)!;
    return [...members]
      .map(([userId, member]) => ({
        user_id: userId,
        via: member.via,
        roles: [...member.roles].map((id) => this.#access.roles.get(id)!.name).sort(),
      }))
      .sort((a, b) => (a.user_id < b.user_id ? -1 : 1));
  }

  #known(userId: string): string {
    if (!this.#access.profile(userId)) throw new Error(`No user ${userId} (seed it first)`);
    return userId;
  }

  /** @internal */
  countRequest(route: RouteName): void {
    this.#requestsByRoute[route]++;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  #connection(idOrName: string): Connection {
    const found = this.#connections.find((c) => c.id === idOrName || c.name === idOrName);
    if (!found) throw new Error(`No connection ${idOrName}`);
    return found;
  }
}
