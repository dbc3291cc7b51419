import type { Connection } from './options.js';
import { UserStore, type StoredUser } from './user-store.js';

/** Every connection's users: what the Users API and exports read across connections. */
export class TenantUsers {
  readonly #stores = new Map<string, UserStore>();

  constructor(connections: readonly Connection[]) {
    for (const connection of connections) this.#stores.set(connection.id, new UserStore(connection));
  }

  store(connection: Connection): UserStore {
    const store = this.#stores.get(connection.id);
    if (!store) throw new Error(`No connection ${connection.id}`);
    return store;
  }

  /** A user by its full user_id (`auth0|…`), with the store that holds it. */
  find(userId: string): { store: UserStore; user: StoredUser } | undefined {
    for (const store of this.#stores.values()) {
      const user = store.get(userId);
      if (user) return { store, user };
    }
    return undefined;
  }

  /** The users of every connection with this email (case-insensitive). */
  withEmail(email: string): StoredUser[] {
    return [...this.#stores.values()].flatMap((store) => store.byEmail(email) ?? []);
  }

  /** Every store, in the order the connections were configured. */
  all(): UserStore[] {
    return [...this.#stores.values()];
  }
}
