import type { Clock } from './clock.js';
import { isEmail } from './email-format.js';
import type { JobBoard } from './jobs.js';
import { invalidBody, isObject, jsonTypeOf, parseJsonBody, wrongType } from './json-payload.js';
import { apiError, type Reply } from './reply.js';
import { E164 } from './user-record.js';
import { publicUser, type StoredUser } from './user-store.js';

type JsonType = 'string' | 'boolean' | 'object';

/** The `PATCH /users/{id}` body Auth0 accepts (the `verify_*` and `client_id` ones are accepted and ignored). */
const PATCH_TYPES: Record<string, JsonType> = {
  blocked: 'boolean',
  email: 'string',
  email_verified: 'boolean',
  username: 'string',
  phone_number: 'string',
  phone_verified: 'boolean',
  given_name: 'string',
  family_name: 'string',
  name: 'string',
  nickname: 'string',
  picture: 'string',
  user_metadata: 'object',
  app_metadata: 'object',
  password: 'string',
  connection: 'string',
  client_id: 'string',
  verify_email: 'boolean',
  verify_phone_number: 'boolean',
  verify_password: 'boolean',
};

/** What a PATCH sets as given. */
const PLAIN_FIELDS = [
  'blocked',
  'email',
  'email_verified',
  'username',
  'phone_number',
  'phone_verified',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
] as const;

/** Identity properties of a database user: changing one needs `connection` in the body. */
const IDENTITY_FIELDS = ['email', 'username', 'phone_number'] as const;

/** The Users API routes a reconciling client needs: find by email, read, update, delete. */
export class UsersApi {
  readonly #jobs: JobBoard;
  readonly #clock: Clock;
  /** Users outside the database connections (social users a test seeded), as `GET /users/{id}` answers them. */
  readonly #others: (userId: string) => Record<string, unknown> | undefined;

  constructor(
    jobs: JobBoard,
    clock: Clock,
    others: (userId: string) => Record<string, unknown> | undefined = () => undefined,
  ) {
    this.#jobs = jobs;
    this.#clock = clock;
    this.#others = others;
  }

  /** `GET /api/v2/users-by-email?email=`: the users of every connection with that email, any case. */
  byEmail(query: URLSearchParams): Reply {
    const email = query.get('email');
    if (email === null) {
      return apiError(
        400,
        "Query validation error: 'Missing required property: email'",
        'invalid_query_string',
      );
    }
    return { status: 200, json: this.#jobs.users.withEmail(email).map(publicUser) };
  }

  /** `GET /api/v2/users/{id}`. */
  get(userId: string): Reply {
    const found = this.#jobs.users.find(userId);
    if (found) return { status: 200, json: publicUser(found.user) };
    const other = this.#others(userId);
    return other ? { status: 200, json: other } : userNotFound();
  }

  /** `PATCH /api/v2/users/{id}`: answers the user as it is afterwards. */
  update(userId: string, body: Buffer): Reply {
    const parsed = parseJsonBody(body);
    if ('reply' in parsed) return parsed.reply;
    const patch = parsed.value;
    const refused = checkPatch(patch);
    if (refused) return refused;
    const found = this.#jobs.users.find(userId);
    if (!found) return userNotFound();
    const { store, user } = found;
    const changes = patch as Record<string, unknown>;
    const identityChange = IDENTITY_FIELDS.find((key) => changes[key] !== undefined);
    if (identityChange && changes['connection'] === undefined) {
      return apiError(
        400,
        `Payload validation error: 'Missing required property: connection' (needed to update ${identityChange} of a database user)`,
        'invalid_body',
      );
    }
    if (changes['connection'] !== undefined && changes['connection'] !== store.connection.name) {
      return apiError(400, `The user does not belong to the connection ${String(changes['connection'])}.`);
    }
    for (const key of IDENTITY_FIELDS) {
      const value = changes[key];
      if (typeof value === 'string' && store.holderOf(key, value, user)) {
        return apiError(409, `The specified new ${key} already exists`);
      }
    }
    store.edit(user, this.#changesOf(user, changes));
    return { status: 200, json: publicUser(user) };
  }

  /** `DELETE /api/v2/users/{id}`: 204, whether or not the user existed. */
  remove(userId: string): Reply {
    const found = this.#jobs.users.find(userId);
    if (found) found.store.remove(found.user);
    return { status: 204 };
  }

  #changesOf(user: StoredUser, patch: Record<string, unknown>): Partial<StoredUser> {
    const changes: Partial<StoredUser> = { updated_at: new Date(this.#clock.now()).toISOString() };
    for (const key of PLAIN_FIELDS) {
      if (patch[key] !== undefined) Object.assign(changes, { [key]: patch[key] });
    }
    if (
      patch['email'] !== undefined &&
      patch['email'] !== user.email &&
      patch['email_verified'] === undefined
    ) {
      changes.email_verified = false;
    }
    for (const key of ['user_metadata', 'app_metadata'] as const) {
      const given = patch[key];
      if (isObject(given)) changes[key] = mergeMetadata(user[key], given);
    }
    if (typeof patch['password'] === 'string') {
      Object.assign(changes, {
        password: patch['password'],
        password_hash: undefined,
        custom_password_hash: undefined,
      });
    }
    return changes;
  }
}

/** Auth0 merges metadata one level deep: a key given replaces that key whole, `null` removes it. */
function mergeMetadata(
  current: Record<string, unknown> | undefined,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(given)) {
    if (value === null) delete merged[key];
    else merged[key] = structuredClone(value);
  }
  return merged;
}

/** The payload checks, first failure wins; undefined when the body passes. */
function checkPatch(patch: unknown): Reply | undefined {
  if (!isObject(patch)) return wrongType('object', patch);
  const keys = Object.keys(patch);
  if (keys.length === 0) return invalidBody('Too few properties defined (0), minimum 1');
  const unknown = keys.filter((key) => !Object.hasOwn(PATCH_TYPES, key));
  if (unknown.length > 0) return invalidBody(`Additional properties not allowed: ${unknown.join(',')}`);
  for (const key of keys) {
    const expected = PATCH_TYPES[key];
    if (expected && jsonTypeOf(patch[key]) !== expected) return wrongType(expected, patch[key], key);
  }
  const { email, phone_number: phone } = patch;
  if (typeof email === 'string' && !isEmail(email)) {
    return invalidBody(`Object didn't pass validation for format email: ${email}`, 'email');
  }
  if (typeof phone === 'string' && !E164.test(phone)) {
    return invalidBody(`String does not match pattern ${E164.source}: ${phone}`, 'phone_number');
  }
  return undefined;
}

function userNotFound(): Reply {
  return apiError(404, 'The user does not exist.', 'inexistent_user');
}
