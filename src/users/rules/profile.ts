/** The profile as a whole: Auth0's limit on its size. */
import type { JsonObject } from '../json-value.js';
import { problem, type Report } from '../problem.js';

/** Auth0 advises about 10 KB; above it an import may fail with PROFILE_SIZE_EXCEEDED (unsure, recent). */
export const PROFILE_MAX_BYTES = 10_240;

/** Where a user keeps custom data: most of what can make a profile large. */
export const METADATA_PROPERTIES = ['app_metadata', 'user_metadata'] as const;

/** What one cheap walk over a user finds: enough to tell whether the exact, costlier checks must run. */
export interface ProfileScan {
  /** `JSON.stringify(user)` takes at most this many bytes of UTF-8; past PROFILE_MAX_BYTES the count stops. */
  bytesAtMost: number;
  /** A key below the top level holds "." or "$" (in metadata Auth0 refuses it). */
  nestedKeyWithDotOrDollar: boolean;
}

/** Deeper than this, scanning gives up and the exact measure decides (the locator refuses 64). */
const SCAN_DEPTH_MAX = 100;

/**
 * How many times its compact JSON text JSON.stringify may write a user. Only a number can grow:
 * `1e20` is written `100000000000000000000`, 21 bytes for 4. A string never does: an escape the
 * text has and JSON.stringify would not write (`\u0041`, `\/`) only shrinks it.
 */
export const STRINGIFY_GROWTH_AT_MOST = 6;

/**
 * `compactBytes`, when known, is the UTF-8 length of the user's compact JSON text (what the locator
 * measured). A user that small cannot pass the limit whatever its numbers, and only its metadata is
 * walked: a key with "." or "$" elsewhere is an unknown property, which the schema reports.
 */
export function scanProfile(user: JsonObject, compactBytes?: number): ProfileScan {
  const scan: ProfileScan = { bytesAtMost: 0, nestedKeyWithDotOrDollar: false };
  const bytesAtMost = compactBytes === undefined ? Infinity : compactBytes * STRINGIFY_GROWTH_AT_MOST;
  if (bytesAtMost > PROFILE_MAX_BYTES) {
    scan.bytesAtMost = addJsonBytes(scan, 0, user, 0);
    return scan;
  }
  scan.bytesAtMost = bytesAtMost;
  for (const property of METADATA_PROPERTIES) {
    // The walk stops counting (and looking at keys) past the limit: then the exact check decides.
    if (addJsonBytes(scan, 0, user[property], 1) > PROFILE_MAX_BYTES) scan.nestedKeyWithDotOrDollar = true;
  }
  return scan;
}

/**
 * `total` plus an upper bound of `value`'s JSON size: a character takes at most 6 bytes
 * (`\u001f`), a number or literal at most 24. It stops adding once past PROFILE_MAX_BYTES (so a
 * cycle ends too) and gives Infinity past SCAN_DEPTH_MAX.
 */
function addJsonBytes(scan: ProfileScan, total: number, value: unknown, depth: number): number {
  if (typeof value === 'string') return total + 6 * value.length + 2;
  if (typeof value !== 'object' || value === null) return total + 24;
  if (depth > SCAN_DEPTH_MAX) return Infinity;
  let bytes = total + 2;
  if (Array.isArray(value)) {
    bytes += value.length;
    for (const item of value) {
      if (bytes > PROFILE_MAX_BYTES) break;
      bytes = addJsonBytes(scan, bytes, item, depth + 1);
    }
    return bytes;
  }
  for (const key in value) {
    if (bytes > PROFILE_MAX_BYTES) break;
    if (depth > 0 && (key.includes('.') || key.includes('$'))) scan.nestedKeyWithDotOrDollar = true;
    bytes = addJsonBytes(scan, bytes + 6 * key.length + 4, (value as JsonObject)[key], depth + 1);
  }
  return bytes;
}

/** The exact size, for a user the scan found may be too large. */
export function checkProfileSize(user: JsonObject, report: Report): void {
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(user));
  } catch {
    report(
      problem(
        [],
        'cannot be written as JSON: it holds a cycle, nests too deeply or holds a value JSON has no form for',
      ),
    );
    return;
  }
  if (bytes <= PROFILE_MAX_BYTES) return;
  const size = (n: number) => n.toLocaleString('en-US');
  report(
    problem(
      [],
      `is ${size(bytes)} bytes as JSON; Auth0 may reject a profile over about 10 KB (${size(PROFILE_MAX_BYTES)} bytes) with PROFILE_SIZE_EXCEEDED`,
      {
        hint: 'keep large data out of app_metadata and user_metadata (store it elsewhere and keep a reference)',
      },
    ),
  );
}
