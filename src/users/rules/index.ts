/**
 * The user-record rules Auth0 documents in prose rather than in its JSON schema, and its email
 * format. They read a user whose properties may be malformed (the schema reports those itself),
 * skip whatever they cannot read, and report each problem with its path from the user.
 */
import { isJsonObject, type JsonObject } from '../json-value.js';
import type { Report } from '../problem.js';
import { checkCustomPasswordHash } from './custom-password-hash.js';
import { checkIdentity } from './identity.js';
import { checkMetadataKeyNames, checkReservedAppMetadataKeys } from './metadata.js';
import { checkMfaFactors } from './mfa.js';
import { checkProfileSize, PROFILE_MAX_BYTES, scanProfile } from './profile.js';

/**
 * Every rule, for one user that is at least an object. Runs on every user: keep the valid path
 * cheap. `compactBytes`, the UTF-8 length of the user's compact JSON text when known, spares most
 * users a walk (see scanProfile).
 */
export function checkUserRules(user: JsonObject, report: Report, compactBytes?: number): void {
  checkIdentity(user, report);
  if (isJsonObject(user.custom_password_hash)) checkCustomPasswordHash(user.custom_password_hash, report);
  checkReservedAppMetadataKeys(user, report);
  if (Array.isArray(user.mfa_factors)) checkMfaFactors(user.mfa_factors, report);

  // One cheap walk serves two rules; the exact, costlier checks run only when it finds a reason.
  // (A nested key with "." or "$" outside metadata is an unknown property, which the schema reports.)
  const scan = scanProfile(user, compactBytes);
  const oversized = scan.bytesAtMost > PROFILE_MAX_BYTES;
  if (oversized) checkProfileSize(user, report);
  if (scan.nestedKeyWithDotOrDollar || oversized) checkMetadataKeyNames(user, report);
}
