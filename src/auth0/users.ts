/** The Users API calls reconciling needs: find users by email, update one, delete one, name a connection. */
import { Auth0Error, type ApiClient } from './http.js';

/** A user as the Users API answers it; only what reconciling reads is named. */
export interface Auth0User {
  user_id: string;
  email?: string;
  identities?: { connection?: string; provider?: string }[];
  [attribute: string]: unknown;
}

function isUser(value: unknown): value is Auth0User {
  return !!value && typeof value === 'object' && typeof (value as { user_id?: unknown }).user_id === 'string';
}

/**
 * Users of every connection with exactly this email (`read:users`). Auth0 matches case-sensitively and
 * database connections keep emails lower-cased: ask with the lower-cased email. A linked account is
 * answered as its primary user.
 */
export async function usersByEmail(api: ApiClient, email: string): Promise<Auth0User[]> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/users-by-email?email=${encodeURIComponent(email)}`,
    repeatable: true,
  });
  if (response.status !== 200) throw new Auth0Error(response.status, response.body, `Finding ${email}`);
  return Array.isArray(response.body) ? response.body.filter(isUser) : [];
}

/** One user by its full id (`auth0|…`, `read:users`); undefined when Auth0 answers 404. */
export async function userById(api: ApiClient, userId: string): Promise<Auth0User | undefined> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/users/${encodeURIComponent(userId)}`,
    repeatable: true,
  });
  if (response.status === 404) return undefined;
  if (response.status !== 200 || !isUser(response.body))
    throw new Auth0Error(response.status, response.body, `Reading ${userId}`);
  return response.body;
}

/** A user of `connection` in its own right: its primary identity (`identities[0]`) is there. */
export function isPrimaryIn(user: Auth0User, connection: string): boolean {
  return user.identities?.[0]?.connection === connection;
}

/** A user of another connection that a `connection` identity was linked into: never ours to change. */
export function isLinkedFrom(user: Auth0User, connection: string): boolean {
  return (
    !isPrimaryIn(user, connection) &&
    !!user.identities?.some((identity) => identity.connection === connection)
  );
}

/** Sets attributes of one user (`update:users`); setting the same values twice is harmless. */
export async function updateUser(
  api: ApiClient,
  userId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const response = await api.send({
    method: 'PATCH',
    path: `/api/v2/users/${encodeURIComponent(userId)}`,
    body: { contentType: 'application/json', data: JSON.stringify(body) },
    repeatable: true,
  });
  if (response.status < 200 || response.status >= 300)
    throw new Auth0Error(response.status, response.body, `Updating ${userId}`);
}

/** Deletes one user (`delete:users`); Auth0 answers 204 whether or not it existed. */
export async function deleteUser(api: ApiClient, userId: string): Promise<void> {
  const response = await api.send({
    method: 'DELETE',
    path: `/api/v2/users/${encodeURIComponent(userId)}`,
    repeatable: true,
  });
  if (response.status < 200 || response.status >= 300)
    throw new Auth0Error(response.status, response.body, `Deleting ${userId}`);
}

/** The name of a database connection given by id (`read:connections`): users name their connection by it. */
export async function connectionNameOf(api: ApiClient, connectionId: string): Promise<string> {
  const response = await api.send({
    method: 'GET',
    path: '/api/v2/connections?strategy=auth0',
    repeatable: true,
  });
  if (response.status !== 200)
    throw new Auth0Error(response.status, response.body, `Looking up connection ${connectionId}`);
  const found = Array.isArray(response.body)
    ? (response.body as { id?: unknown; name?: unknown }[]).find(
        (connection) => connection.id === connectionId,
      )
    : undefined;
  if (typeof found?.name !== 'string')
    throw new Error(`connection-id: no database connection ${connectionId} in this tenant`);
  return found.name;
}

/** Whether the tenant has a user with this full user_id (`read:users`). */
export async function userExists(api: ApiClient, userId: string): Promise<boolean> {
  const response = await api.send({
    method: 'GET',
    path: `/api/v2/users/${encodeURIComponent(userId)}`,
    repeatable: true,
  });
  if (response.status === 404) return false;
  if (response.status !== 200) throw new Auth0Error(response.status, response.body, `Looking up ${userId}`);
  return true;
}
