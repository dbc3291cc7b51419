/**
 * Whether a user is valid, decided in plain code: the valid-user path of checkUser. It must never
 * accept a user that UserSchema (schema.ts, the source of truth) refuses; where it would have to
 * work hard to be exact (an odd number, a property given as undefined) it says no and lets zod
 * decide. test/users/valid-user.test.ts holds the two together. The prose rules are not repeated:
 * they run here as they run inside UserSchema.
 */
import { emailFault } from './email-format.js';
import { isJsonObject, isOneOf, type JsonObject } from './json-value.js';
import {
  ALGORITHMS,
  DIGESTS,
  PASSWORD_ENCODINGS,
  SALT_POSITIONS,
  VALUE_ENCODINGS,
} from './rules/custom-password-hash.js';
import { checkUserRules } from './rules/index.js';
import { BASE32, E164, HTTP_URL } from './patterns.js';

const isEmail = (value: unknown): boolean => typeof value === 'string' && emailFault(value) === undefined;
const isPhoneNumber = (value: unknown): boolean => typeof value === 'string' && E164.test(value);

/** A string of `min` to `max` UTF-16 code units, as zod's min and max count. */
function isText(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** Narrower than WholeNumber: numbers zod's multipleOf(1) would have to think about go to zod. */
function isWholeAtLeast(value: unknown, min: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min;
}

/** An object with only the keys `allowed` accepts, each with a value it accepts. */
function isStrictObject(value: unknown, allowed: (key: string, value: unknown) => boolean): boolean {
  if (!isJsonObject(value)) return false;
  for (const key in value) if (!allowed(key, value[key])) return false;
  return true;
}

function isEncodedValue(key: string, value: unknown): boolean {
  return key === 'value' ? typeof value === 'string' : key === 'encoding' && isOneOf(VALUE_ENCODINGS, value);
}

function isHash(value: unknown): boolean {
  if (!isJsonObject(value) || typeof value.value !== 'string') return false;
  return isStrictObject(value, (key, item) => {
    if (key === 'digest') return isOneOf(DIGESTS, item);
    if (key === 'key')
      return isJsonObject(item) && typeof item.value === 'string' && isStrictObject(item, isEncodedValue);
    return isEncodedValue(key, item);
  });
}

function isCustomPasswordHash(value: unknown): boolean {
  if (!isJsonObject(value) || !isOneOf(ALGORITHMS, value.algorithm) || !isHash(value.hash)) return false;
  return isStrictObject(value, (key, item) => {
    switch (key) {
      case 'algorithm':
      case 'hash':
        return true;
      case 'salt':
        return (
          isJsonObject(item) &&
          typeof item.value === 'string' &&
          isStrictObject(item, (saltKey, saltItem) =>
            saltKey === 'position' ? isOneOf(SALT_POSITIONS, saltItem) : isEncodedValue(saltKey, saltItem),
          )
        );
      case 'password':
        return isStrictObject(
          item,
          (passwordKey, encoding) => passwordKey === 'encoding' && isOneOf(PASSWORD_ENCODINGS, encoding),
        );
      case 'keylen':
      case 'blockSize':
      case 'parallelization':
        return isWholeAtLeast(item, 1);
      case 'cost':
        return isWholeAtLeast(item, 2);
      default:
        return false;
    }
  });
}

// Each kind's one property is required (Auth0's schema says so): `{"totp": {}}` is no factor.
function isMfaFactor(value: unknown): boolean {
  return isStrictObject(value, (kind, factor) => {
    if (!isJsonObject(factor)) return false;
    switch (kind) {
      case 'totp':
        return (
          factor.secret !== undefined &&
          isStrictObject(
            factor,
            (key, secret) => key === 'secret' && typeof secret === 'string' && BASE32.test(secret),
          )
        );
      case 'phone':
        return (
          factor.value !== undefined &&
          isStrictObject(factor, (key, phone) => key === 'value' && isPhoneNumber(phone))
        );
      case 'email':
        return (
          factor.value !== undefined &&
          isStrictObject(factor, (key, email) => key === 'value' && isEmail(email))
        );
      default:
        return false;
    }
  });
}

/** UserSchema's shape, property by property; undefined is left to zod. */
function isValidProperty(key: string, value: unknown): boolean {
  switch (key) {
    case 'email':
      return isEmail(value);
    case 'email_verified':
    case 'blocked':
    case 'phone_verified':
      return typeof value === 'boolean';
    case 'user_id':
    case 'password_hash':
      return typeof value === 'string';
    case 'username':
      return isText(value, 1, 128);
    case 'given_name':
    case 'family_name':
    case 'name':
      return isText(value, 1, 150);
    case 'nickname':
      return isText(value, 1, 350);
    case 'picture':
      return typeof value === 'string' && HTTP_URL.test(value);
    case 'custom_password_hash':
      return isCustomPasswordHash(value);
    case 'app_metadata':
    case 'user_metadata':
      return isJsonObject(value);
    case 'mfa_factors':
      return Array.isArray(value) && value.length > 0 && value.every(isMfaFactor);
    case 'phone_number':
      return isPhoneNumber(value);
    default:
      return false;
  }
}

/**
 * True only for a user that UserSchema accepts: its schema and every prose rule. `compactBytes` is
 * the UTF-8 length of the user's compact JSON text, when known (see checkUserRules).
 */
export function isValidUser(user: unknown, compactBytes?: number): boolean {
  if (!isJsonObject(user) || user.email === undefined) return false;
  if (!isStrictObject(user, isValidProperty)) return false;
  let valid = true;
  checkUserRules(user as JsonObject, () => (valid = false), compactBytes);
  return valid;
}
