import { isEmail } from './email-format.js';
import { isObject, jsonTypeOf } from './json-payload.js';

/** One element of the users file, as Auth0's import accepts it (`email` required, nothing else allowed). */
export interface ImportedUser {
  email: string;
  email_verified?: boolean;
  user_id?: string;
  username?: string;
  given_name?: string;
  family_name?: string;
  name?: string;
  nickname?: string;
  picture?: string;
  blocked?: boolean;
  password_hash?: string;
  custom_password_hash?: Record<string, unknown>;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  mfa_factors?: unknown[];
  phone_number?: string;
  phone_verified?: boolean;
}

/** One entry of a job's `errors` array. */
export interface UserError {
  code: string;
  message: string;
  /** The property at fault; absent when the fault is with the user as a whole. */
  path?: string;
}

type JsonType = 'string' | 'boolean' | 'object' | 'array';

// `phone_number` and `phone_verified` follow the newer docs (the facts doc is unsure whether phone is
// importable): a client that validates them must also get their format right.
const PROPERTY_TYPES: Record<keyof ImportedUser, JsonType> = {
  email: 'string',
  email_verified: 'boolean',
  user_id: 'string',
  username: 'string',
  given_name: 'string',
  family_name: 'string',
  name: 'string',
  nickname: 'string',
  picture: 'string',
  blocked: 'boolean',
  password_hash: 'string',
  custom_password_hash: 'object',
  app_metadata: 'object',
  user_metadata: 'object',
  mfa_factors: 'array',
  phone_number: 'string',
  phone_verified: 'boolean',
};

/** E.164, as Auth0 requires of `phone_number`. */
export const E164 = /^\+[0-9]{1,15}$/;

/** Auth0 says a profile over about 10 KB may fail. */
const MAX_PROFILE_BYTES = 10_240;

/** The file's users, or why the whole job fails (`status_details`). */
export type UsersFile = { users: Record<string, unknown>[] } | { failure: string };

export function parseUsersFile(bytes: Buffer): UsersFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { failure: 'Failed to parse users file JSON when importing users. Make sure it is valid JSON.' };
  }
  if (!Array.isArray(parsed) || !parsed.every(isObject)) {
    return { failure: 'The users file must be a JSON array of user objects.' };
  }
  return { users: parsed };
}

/**
 * How per-user errors are worded: `real` as Auth0's import worker emits them (z-schema run on its internal
 * user object: `INVALID_FORMAT` at `identities[0].profileData.email`, `passwordHash`, …), `documented` with the
 * codes of Auth0's documented list (`FORMAT` at `email`, `OBJECT_REQUIRED`, `CONFLICT_EMAIL`…).
 */
export type ErrorShapes = 'real' | 'documented';

/** Auth0's server-side pattern for `password_hash`: bcrypt `$2a$`/`$2b$` with cost 10 only. */
const BCRYPT_COST_10 = /^\$2[ab]?\$10+\$[./A-Za-z0-9]{53}$/;

/** The schema checks Auth0 runs on each user; every failure is reported, as z-schema does. */
export function validateUser(user: Record<string, unknown>, shapes: ErrorShapes): UserError[] {
  const errors: UserError[] = [];
  const unknown = Object.keys(user).filter((key) => !Object.hasOwn(PROPERTY_TYPES, key));
  if (unknown.length > 0) {
    errors.push({
      code: 'OBJECT_ADDITIONAL_PROPERTIES',
      message: `Additional properties not allowed: ${unknown.join(',')}`,
    });
  }
  if (user['email'] === undefined) {
    const code = shapes === 'real' ? 'OBJECT_MISSING_REQUIRED_PROPERTY' : 'OBJECT_REQUIRED';
    errors.push({ code, message: 'Missing required property: email' });
  }
  for (const [key, expected] of Object.entries(PROPERTY_TYPES)) {
    const value = user[key];
    if (value === undefined || jsonTypeOf(value) === expected) continue;
    errors.push({
      code: 'INVALID_TYPE',
      message: `Expected type ${expected} but found type ${jsonTypeOf(value)}`,
      path: key,
    });
  }
  const email = user['email'];
  if (typeof email === 'string' && !isEmail(email)) errors.push(emailFormatError(email, shapes));
  const hash = user['password_hash'];
  if (typeof hash === 'string' && !BCRYPT_COST_10.test(hash)) errors.push(passwordHashError(shapes));
  if (hash !== undefined && user['custom_password_hash'] !== undefined) {
    // Auth0 maps both onto one internal attribute and refuses the user object as a whole.
    errors.push({ code: 'NOT_PASSED', message: 'Forbidden attribute in appUser: ' });
  }
  const phone = user['phone_number'];
  if (typeof phone === 'string' && !E164.test(phone)) {
    errors.push({
      code: 'PATTERN',
      message: `String does not match pattern ${E164.source}: ${phone}`,
      path: 'phone_number',
    });
  }
  if (errors.length === 0 && Buffer.byteLength(JSON.stringify(user)) > MAX_PROFILE_BYTES) {
    errors.push({ code: 'PROFILE_SIZE_EXCEEDED', message: 'Profile size exceeded: max 10KB' });
  }
  return errors;
}

function emailFormatError(email: string, shapes: ErrorShapes): UserError {
  const problem = `Object didn't pass validation for format email: ${email}`;
  if (shapes === 'documented') return { code: 'FORMAT', message: problem, path: 'email' };
  const path = 'identities[0].profileData.email';
  return { code: 'INVALID_FORMAT', message: `Error in ${path} property - ${problem}`, path };
}

function passwordHashError(shapes: ErrorShapes): UserError {
  const problem = `String does not match pattern ${BCRYPT_COST_10.source}`;
  if (shapes === 'documented') return { code: 'PATTERN', message: problem, path: 'password_hash' };
  return { code: 'PATTERN', message: `Error in passwordHash property - ${problem}`, path: 'passwordHash' };
}

/** The user as `/errors` shows it: as it stood in the file, with only the custom hash's value hidden. */
export function redactForErrorReport(user: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(user);
  const customHash = copy['custom_password_hash'];
  if (isObject(customHash)) {
    const hash = customHash['hash'];
    if (isObject(hash) && 'value' in hash) hash['value'] = '*****';
  }
  return copy;
}
