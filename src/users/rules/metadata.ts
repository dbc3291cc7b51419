/** app_metadata and user_metadata: the key names Auth0 refuses in them. */
import { isJsonObject, type JsonObject } from '../json-value.js';
import { problem, type JsonPath, type Report } from '../problem.js';
import { quoteName } from '../quotable.js';
import { METADATA_PROPERTIES, PROFILE_MAX_BYTES } from './profile.js';

/** Names Auth0 keeps for itself inside app_metadata. */
const RESERVED_APP_METADATA_KEYS: ReadonlySet<string> = new Set([
  '__tenant',
  '_id',
  'blocked',
  'clientID',
  'created_at',
  'email_verified',
  'email',
  'globalClientID',
  'global_client_id',
  'identities',
  'lastIP',
  'lastLogin',
  'loginsCount',
  'metadata',
  'multifactor_last_modified',
  'multifactor',
  'updated_at',
  'user_id',
]);

export function checkReservedAppMetadataKeys(user: JsonObject, report: Report): void {
  const appMetadata = user.app_metadata;
  if (!isJsonObject(appMetadata)) return;
  for (const key in appMetadata) {
    if (!RESERVED_APP_METADATA_KEYS.has(key)) continue;
    report(
      problem(
        ['app_metadata', key],
        `is a name Auth0 reserves: app_metadata may not hold ${quoteName(key)}`,
        {
          at: 'key',
          hint: 'rename the key (a prefix such as "legacy_" will do) or drop it',
        },
      ),
    );
  }
}

/** Past this many nested values metadata is far over PROFILE_MAX_BYTES: the walk stops there. */
const METADATA_WALK_BUDGET = PROFILE_MAX_BYTES;
const DOT_OR_DOLLAR = /[.$]/;

/** Auth0 refuses `.` and `$` in metadata key names; its docs name no depth, so every depth is checked. */
export function checkMetadataKeyNames(user: JsonObject, report: Report): void {
  for (const property of METADATA_PROPERTIES) {
    const metadata = user[property];
    if (isJsonObject(metadata)) checkKeyNames(metadata, [property], report);
  }
}

function checkKeyNames(metadata: JsonObject, at: JsonPath, report: Report): void {
  const visits: { value: unknown; path: JsonPath }[] = [{ value: metadata, path: at }];
  let budget = METADATA_WALK_BUDGET;
  for (let visit = visits.pop(); visit !== undefined && budget > 0; visit = visits.pop(), budget--) {
    const { value, path } = visit;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visits.push({ value: item, path: [...path, index] }));
    } else if (isJsonObject(value)) {
      for (const key of Object.keys(value)) {
        if (DOT_OR_DOLLAR.test(key)) {
          report(
            problem(
              [...path, key],
              'is not a valid metadata key: Auth0 refuses "." and "$" in metadata key names',
              { at: 'key', hint: `rename it, e.g. to ${quoteName(key.replace(/[.$]/g, '_'))}` },
            ),
          );
        }
        visits.push({ value: value[key], path: [...path, key] });
      }
    }
  }
}
