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

  /**
   * The users of every connection with exactly this email (Auth0 matches case-sensitively, and database
   * connections keep emails lower-cased). A user linked into another is answered as its primary user,
   * found by a linked identity's email too.
   */
  withEmail(email: string): StoredUser[] {
    const found: StoredUser[] = [];
    for (const store of this.#stores.values()) {
      const own = store.byEmail(email);
      if (own?.email === email) found.push(own);
      for (const user of store.values()) {
        const linked = user.identities.slice(1).some((identity) => identity.profileData?.email === email);
        if (linked && !found.includes(user)) found.push(user);
      }
    }
    return found;
  }

  /**
   * Links the user `secondaryId` into a new primary user of `connection` (a social one, say): the
   * secondary stops being a user of its own (404 by its id) and becomes the primary's second identity.
   */
  link(
    secondaryId: string,
    connection: Connection,
    primary: { user_id: string; email: string },
    at: string,
  ): StoredUser {
    const found = this.find(secondaryId);
    if (!found) throw new Error(`link: no user ${secondaryId}`);
    const { store, user } = found;
    const [identity] = user.identities;
    const separator = primary.user_id.indexOf('|');
    const stored: StoredUser = {
      user_id: primary.user_id,
      email: primary.email,
      email_verified: true,
      name: primary.email,
      nickname: primary.email.split('@')[0] ?? primary.email,
      picture: user.picture,
      identities: [
        {
          connection: connection.name,
          user_id: primary.user_id.slice(separator + 1),
          provider: primary.user_id.slice(0, separator),
          isSocial: connection.strategy !== 'auth0',
        },
        { ...identity, profileData: { email: user.email } },
      ],
      created_at: at,
      updated_at: at,
    };
    store.remove(user);
    this.store(connection).put(stored);
    return stored;
  }

  /** Every store, in the order the connections were configured. */
  all(): UserStore[] {
    return [...this.#stores.values()];
  }
}
