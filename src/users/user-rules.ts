/**
 * The user-record rules Auth0 documents in prose rather than in its JSON schema. They read a user
 * whose properties may be malformed (the schema reports those itself), skip whatever they cannot
 * read, and report each problem with its path from the user.
 */
import { formatJsonPath, type JsonPath, type UserIssue } from './problem.js';

export type Report = (issue: UserIssue) => void;

type JsonObject = Readonly<Record<string, unknown>>;

export const ALGORITHMS = [
  'argon2',
  'bcrypt',
  'hmac',
  'ldap',
  'md4',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'pbkdf2',
  'scrypt',
] as const;
export const DIGESTS = [
  'md4',
  'md5',
  'ripemd160',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'whirlpool',
] as const;
export const VALUE_ENCODINGS = ['base64', 'hex', 'utf8'] as const;
export const SALT_POSITIONS = ['prefix', 'suffix'] as const;
export const PASSWORD_ENCODINGS = ['ascii', 'utf8', 'utf16le', 'ucs2', 'latin1', 'binary'] as const;

type Algorithm = (typeof ALGORITHMS)[number];
type Digest = (typeof DIGESTS)[number];
type BinaryEncoding = 'hex' | 'base64';

const METADATA_PROPERTIES = ['app_metadata', 'user_metadata'] as const;

/** Every prose rule, for one user that is at least an object. */
export function checkUserRules(user: JsonObject, report: Report): void {
  if (typeof user.email === 'string') checkEmailLocalPart(user.email, ['email'], report);
  if (typeof user.user_id === 'string') checkUserId(user.user_id, report);
  if (typeof user.password_hash === 'string') checkPasswordHash(user.password_hash, report);
  if (user.password_hash !== undefined && user.custom_password_hash !== undefined) {
    report(
      problem(
        ['custom_password_hash'],
        'cannot be given together with password_hash: a user has one password hash',
        {
          at: 'key',
          hint: 'keep password_hash for "$2a$"/"$2b$" bcrypt hashes and custom_password_hash for any other algorithm',
        },
      ),
    );
  }
  if (isJsonObject(user.custom_password_hash)) checkCustomPasswordHash(user.custom_password_hash, report);
  if (isJsonObject(user.app_metadata)) checkReservedAppMetadataKeys(user.app_metadata, report);
  if (Array.isArray(user.mfa_factors)) checkMfaFactors(user.mfa_factors, report);

  // One cheap walk serves two rules; the exact, costlier checks run only when it finds a reason.
  // (A nested key with "." or "$" outside metadata is an unknown property, which the schema reports.)
  const scan = scanUser(user);
  const oversized = scan.bytesAtMost > PROFILE_MAX_BYTES;
  if (oversized) checkProfileSize(user, report);
  if (scan.nestedKeyWithDotOrDollar || oversized) {
    for (const property of METADATA_PROPERTIES) {
      const metadata = user[property];
      if (isJsonObject(metadata)) checkMetadataKeyNames(metadata, [property], report);
    }
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** A path as a reader names the property: `custom_password_hash.hash.value`, `mfa_factors[0].totp`. */
export function fieldName(path: JsonPath): string {
  return path.length === 0 ? 'the user' : formatJsonPath(path).replace(/^\./, '');
}

export function problem(
  path: JsonPath,
  predicate: string,
  extra: { hint?: string; at?: 'key' } = {},
): UserIssue {
  const issue: UserIssue = { path, message: `${fieldName(path)} ${predicate}` };
  if (extra.hint !== undefined) issue.hint = extra.hint;
  if (extra.at !== undefined) issue.at = extra.at;
  return issue;
}

/** A property that should be there and is not: the issue belongs to the object that lacks it. */
export function missing(path: JsonPath, predicate: string, hint?: string): UserIssue {
  return { ...problem(path, predicate, { hint }), path: path.slice(0, -1) };
}

const SHOWN_CHARACTERS = 60;

/** A value as a message quotes it: strings in JSON quotes (cut short), containers by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > SHOWN_CHARACTERS ? `${value.slice(0, SHOWN_CHARACTERS - 1)}…` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  return String(value);
}

/**
 * A secret (password hash, salt, TOTP secret) as a message may show it: its length and, for a
 * self-describing hash, only the scheme it starts with (`"$argon2id$"`, `"{SSHA}"`).
 */
export function describeSecret(value: unknown): string {
  if (typeof value !== 'string') return describeValue(value);
  const scheme = /^(?:\$[\w-]{1,12}\$|\{[\w-]{1,12}\})/.exec(value)?.[0];
  const start = scheme === undefined ? '' : ` starting ${JSON.stringify(scheme)}`;
  return `a ${value.length}-character value${start}`;
}

// ---------------------------------------------------------------- profile

/** Auth0 advises about 10 KB; above it an import may fail with PROFILE_SIZE_EXCEEDED (unsure, recent). */
export const PROFILE_MAX_BYTES = 10_240;

function checkProfileSize(user: JsonObject, report: Report): void {
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

/** Deeper than this, scanning gives up and the exact measure decides (the locator refuses 64). */
const SCAN_DEPTH_MAX = 100;
const scan = { bytesAtMost: 0, nestedKeyWithDotOrDollar: false };

/**
 * What `JSON.stringify(user)` would take in UTF-8 at most, counted without building it, and
 * whether a key below the top level has "." or "$". One result object is reused: this runs on
 * every user.
 */
function scanUser(user: JsonObject): Readonly<typeof scan> {
  scan.nestedKeyWithDotOrDollar = false;
  scan.bytesAtMost = addJsonBytes(0, user, 0);
  return scan;
}

/**
 * `total` plus an upper bound of `value`'s JSON size: a character takes at most 6 bytes
 * (`\u001f`), a number or literal at most 24. It stops adding once past PROFILE_MAX_BYTES (so a
 * cycle ends too) and gives Infinity past SCAN_DEPTH_MAX.
 */
function addJsonBytes(total: number, value: unknown, depth: number): number {
  if (typeof value === 'string') return total + 6 * value.length + 2;
  if (typeof value !== 'object' || value === null) return total + 24;
  if (depth > SCAN_DEPTH_MAX) return Infinity;
  let bytes = total + 2;
  if (Array.isArray(value)) {
    bytes += value.length;
    for (const item of value) {
      if (bytes > PROFILE_MAX_BYTES) break;
      bytes = addJsonBytes(bytes, item, depth + 1);
    }
    return bytes;
  }
  for (const key in value) {
    if (bytes > PROFILE_MAX_BYTES) break;
    if (depth > 0 && (key.includes('.') || key.includes('$'))) scan.nestedKeyWithDotOrDollar = true;
    bytes = addJsonBytes(bytes + 6 * key.length + 4, (value as JsonObject)[key], depth + 1);
  }
  return bytes;
}

// ---------------------------------------------------------------- email, user_id, password_hash

const EMAIL_LOCAL_PART_MAX = 64;

function checkEmailLocalPart(email: string, path: JsonPath, report: Report): void {
  const at = email.indexOf('@');
  if (at <= EMAIL_LOCAL_PART_MAX) return;
  report(problem(path, `must have at most ${EMAIL_LOCAL_PART_MAX} characters before the "@", got ${at}`));
}

const AUTH0_PREFIX = 'auth0|';

function checkUserId(userId: string, report: Report): void {
  if (!userId.startsWith(AUTH0_PREFIX)) return;
  report(
    problem(
      ['user_id'],
      `starts with "${AUTH0_PREFIX}", which Auth0 adds itself: it would store ${describeValue(AUTH0_PREFIX + userId)}`,
      {
        hint: `remove the prefix: ${describeValue(userId.slice(AUTH0_PREFIX.length))} (users exported from Auth0 carry it)`,
      },
    ),
  );
}

const BCRYPT_HASH = /^\$2[ab]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const HEX_DIGEST_NAMES: Readonly<Record<number, string>> = {
  32: '"md5" (or "md4")',
  40: '"sha1"',
  64: '"sha256"',
  128: '"sha512"',
};

function checkPasswordHash(hash: string, report: Report): void {
  if (BCRYPT_HASH.test(hash)) return;
  report(
    problem(
      ['password_hash'],
      `must be a bcrypt hash: "$2a$" or "$2b$", two cost digits, "$" and 53 characters of ./A-Za-z0-9 (60 in all), got ${describeSecret(hash)}`,
      { hint: passwordHashHint(hash) },
    ),
  );
}

function passwordHashHint(hash: string): string | undefined {
  const elsewhere = (algorithm: string) =>
    `use custom_password_hash with algorithm ${algorithm} for this hash`;
  if (/^\$2[ab]\$/.test(hash)) {
    return `the prefix is right, but a bcrypt hash is 60 characters ("$2b$10$" and 53 more); this one has ${hash.length}`;
  }
  if (hash.startsWith('$2y$')) return elsewhere('"bcrypt" (it accepts "$2y$")');
  if (hash.startsWith('$argon2')) return elsewhere('"argon2"');
  if (hash.startsWith('$pbkdf2-')) return elsewhere('"pbkdf2"');
  if (/^\{[\w-]+\}/.test(hash)) return elsewhere('"ldap" (an RFC 2307 "{SCHEME}" hash)');
  const digest = HEX_DIGEST_NAMES[hash.length];
  if (digest !== undefined && isHex(hash)) return elsewhere(`${digest} and hash.encoding "hex"`);
  return undefined;
}

// ---------------------------------------------------------------- metadata, mfa_factors

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

function checkReservedAppMetadataKeys(appMetadata: JsonObject, report: Report): void {
  for (const key in appMetadata) {
    if (!RESERVED_APP_METADATA_KEYS.has(key)) continue;
    report(
      problem(['app_metadata', key], `is a name Auth0 reserves: app_metadata may not hold "${key}"`, {
        at: 'key',
        hint: 'rename the key (a prefix such as "legacy_" will do) or drop it',
      }),
    );
  }
}

/** Past this many nested values metadata is far over PROFILE_MAX_BYTES: the walk stops there. */
const METADATA_WALK_BUDGET = PROFILE_MAX_BYTES;
const DOT_OR_DOLLAR = /[.$]/;

/** Auth0 refuses `.` and `$` in metadata key names; its docs name no depth, so every depth is checked. */
function checkMetadataKeyNames(metadata: JsonObject, at: JsonPath, report: Report): void {
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
              {
                at: 'key',
                hint: `rename it, e.g. to ${describeValue(key.replace(/[.$]/g, '_'))}`,
              },
            ),
          );
        }
        visits.push({ value: value[key], path: [...path, key] });
      }
    }
  }
}

/** Kept out of the schema's array `.max()`, which stops zod short of the object rules. */
const MFA_FACTORS_MAX = 10;
const MFA_FACTOR_KINDS = ['totp', 'phone', 'email'] as const;

function checkMfaFactors(factors: readonly unknown[], report: Report): void {
  if (factors.length > MFA_FACTORS_MAX) {
    report(problem(['mfa_factors'], `must have at most ${MFA_FACTORS_MAX} items, got ${factors.length}`));
  }
  factors.forEach((factor, index) => {
    if (!isJsonObject(factor)) return;
    const email = isJsonObject(factor.email) ? factor.email.value : undefined;
    if (typeof email === 'string')
      checkEmailLocalPart(email, ['mfa_factors', index, 'email', 'value'], report);
    const kinds = MFA_FACTOR_KINDS.filter((kind) => factor[kind] !== undefined);
    if (kinds.length === 1) return;
    report(
      problem(
        ['mfa_factors', index],
        `must hold exactly one of totp, phone or email, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`,
        { hint: kinds.length > 1 ? 'give each factor its own item in mfa_factors' : undefined },
      ),
    );
  });
}

// ---------------------------------------------------------------- custom_password_hash

const DIGEST_BYTES: Readonly<Record<Digest, number>> = {
  md4: 16,
  md5: 16,
  ripemd160: 20,
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
  whirlpool: 64,
};

// "=" sits inside the classes: an optional "=" run before "$" makes V8 match about 8 times slower.
const ARGON2_PHC = /^\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;
const PBKDF2_PHC = new RegExp(
  `^\\$pbkdf2-(?:${DIGESTS.join('|')})\\$i=\\d+,l=\\d+\\$[A-Za-z0-9+/.=]+\\$[A-Za-z0-9+/.=]+$`,
);
const BCRYPT_PREFIX = /^\$2[aby]\$/;
const LDAP_HASH = /^\{([\w-]+)\}([\s\S]*)$/;
const LDAP_SCHEMES = [
  'MD5',
  'SMD5',
  'SHA',
  'SSHA',
  'SHA256',
  'SSHA256',
  'SHA384',
  'SSHA384',
  'SHA512',
  'SSHA512',
];
const SCRYPT_ONLY_FIELDS = ['keylen', 'cost', 'blockSize', 'parallelization'] as const;

interface ValueProblem {
  /** Said of hash.value. */
  predicate: string;
  hint?: string;
}

/** How an algorithm wants hash.value: a self-describing text (carrying its salt or not), or bytes. */
type AlgorithmRule =
  | { kind: 'text'; salt: boolean; checkValue: (value: string) => ValueProblem | undefined }
  | { kind: 'bytes'; bytes: (chp: JsonObject) => { count: number; of: string } | undefined };

const ALGORITHM_RULES: Readonly<Record<Algorithm, AlgorithmRule>> = {
  argon2: {
    kind: 'text',
    salt: false,
    checkValue: (value) =>
      ARGON2_PHC.test(value)
        ? undefined
        : {
            predicate: `must be an argon2 PHC string like "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>", got ${describeSecret(value)}`,
          },
  },
  bcrypt: {
    kind: 'text',
    salt: true,
    checkValue: (value) =>
      BCRYPT_PREFIX.test(value)
        ? undefined
        : {
            predicate: `must be a bcrypt hash starting "$2a$", "$2b$" or "$2y$", got ${describeSecret(value)}`,
          },
  },
  ldap: { kind: 'text', salt: false, checkValue: checkLdapValue },
  pbkdf2: {
    kind: 'text',
    salt: false,
    checkValue: (value) =>
      PBKDF2_PHC.test(value)
        ? undefined
        : {
            predicate: `must be a PHC string like "$pbkdf2-sha256$i=100000,l=32$<salt>$<hash>", got ${describeSecret(value)}`,
            hint: `the digest after "pbkdf2-" is one of ${DIGESTS.join(', ')}; salt and hash are base64`,
          },
  },
  hmac: {
    kind: 'bytes',
    bytes: (chp) => {
      const digest = isJsonObject(chp.hash) ? chp.hash.digest : undefined;
      return isOneOf(DIGESTS, digest) ? { count: DIGEST_BYTES[digest], of: `an HMAC-${digest}` } : undefined;
    },
  },
  md4: digestRule('md4'),
  md5: digestRule('md5'),
  sha1: digestRule('sha1'),
  sha256: digestRule('sha256'),
  sha512: digestRule('sha512'),
  scrypt: {
    kind: 'bytes',
    bytes: (chp) =>
      isPositiveInteger(chp.keylen) ? { count: chp.keylen, of: `a key of keylen ${chp.keylen}` } : undefined,
  },
};

function digestRule(digest: Digest): AlgorithmRule {
  return { kind: 'bytes', bytes: () => ({ count: DIGEST_BYTES[digest], of: `a ${digest} digest` }) };
}

function checkLdapValue(value: string): ValueProblem | undefined {
  const match = LDAP_HASH.exec(value);
  const expected = `an RFC 2307 hash: "{SCHEME}" and base64, with SCHEME one of ${LDAP_SCHEMES.join(', ')}`;
  if (!match) return { predicate: `must be ${expected}, got ${describeSecret(value)}` };
  const scheme = (match[1] ?? '').toUpperCase();
  const rest = match[2] ?? '';
  if (scheme === 'CRYPT') {
    return {
      predicate: 'uses {CRYPT}, which Auth0 cannot import',
      hint: BCRYPT_PREFIX.test(rest)
        ? 'the part after {CRYPT} is a bcrypt hash: drop "{CRYPT}" and use algorithm "bcrypt"'
        : 'crypt(3) hashes cannot be imported as they are; these users will have to reset their password',
    };
  }
  if (!LDAP_SCHEMES.includes(scheme))
    return { predicate: `uses {${scheme}}, which is not supported; expected ${expected}` };
  if (rest === '' || base64Bytes(rest) === undefined)
    return { predicate: `must be base64 after {${scheme}}` };
  return undefined;
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isHex(value: string): boolean {
  return value.length % 2 === 0 && HEX.test(value);
}

/** Bytes a base64 text decodes to (padded or not, standard or URL alphabet); undefined when it is not base64. */
function base64Bytes(value: string): number | undefined {
  if (!BASE64.test(value)) return undefined;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  const data = value.length - padding;
  if ((padding > 0 && value.length % 4 !== 0) || data % 4 === 1) return undefined;
  return Math.floor((data * 3) / 4);
}

function decodedBytes(value: string, encoding: BinaryEncoding): number | undefined {
  if (encoding === 'base64') return base64Bytes(value);
  return isHex(value) ? value.length / 2 : undefined;
}

const ENCODING_RULES: Readonly<Record<BinaryEncoding, string>> = {
  hex: 'an even number of the characters 0-9 and a-f',
  base64: 'the characters A-Z, a-z, 0-9, + and / (or - and _) with at most two "=" at the end',
};

/** A hint when the value is written in the other encoding than the one its holder names. */
function encodingHint(
  value: string,
  encoding: BinaryEncoding,
  holder: JsonPath,
  bytes?: number,
): string | undefined {
  const other: BinaryEncoding = encoding === 'hex' ? 'base64' : 'hex';
  const decoded = decodedBytes(value, other);
  if (decoded === undefined || (bytes !== undefined && decoded !== bytes)) return undefined;
  const length = bytes === undefined ? '' : ' of the right length';
  return `it is valid ${other}${length}: set ${fieldName([...holder, 'encoding'])} to "${other}"`;
}

/** A `{value, encoding}` pair (salt, hash.key) whose value must decode in its encoding. */
function checkEncodedValue(holder: unknown, path: JsonPath, report: Report): void {
  if (!isJsonObject(holder) || typeof holder.value !== 'string') return;
  const encoding = holder.encoding;
  if (encoding !== 'hex' && encoding !== 'base64') return;
  if (decodedBytes(holder.value, encoding) !== undefined) return;
  report(
    problem([...path, 'value'], `is not valid ${encoding}: expected ${ENCODING_RULES[encoding]}`, {
      hint: encodingHint(holder.value, encoding, path),
    }),
  );
}

const CPH = 'custom_password_hash';

/** The per-algorithm table of Auth0's custom_password_hash documentation. */
function checkCustomPasswordHash(chp: JsonObject, report: Report): void {
  const algorithm = chp.algorithm;
  if (!isOneOf(ALGORITHMS, algorithm)) return;
  const rule = ALGORITHM_RULES[algorithm];
  const named = `algorithm "${algorithm}"`;

  if (algorithm === 'scrypt') {
    if (chp.keylen === undefined) {
      report(missing([CPH, 'keylen'], `is required for ${named}: the derived key length in bytes (e.g. 64)`));
    }
    const cost = chp.cost;
    if (Number.isSafeInteger(cost) && (cost as number) > 1 && Math.log2(cost as number) % 1 !== 0) {
      report(problem([CPH, 'cost'], `must be a power of two (e.g. 16384), got ${describeValue(cost)}`));
    }
  } else {
    for (const field of SCRYPT_ONLY_FIELDS) {
      if (chp[field] === undefined) continue;
      report(
        problem([CPH, field], `is only for algorithm "scrypt", not ${named}`, {
          at: 'key',
          hint: 'remove it',
        }),
      );
    }
  }

  if (chp.salt !== undefined) {
    if (rule.kind === 'text' && !rule.salt) {
      report(
        problem([CPH, 'salt'], `is not allowed for ${named}: its hash value carries its own salt`, {
          at: 'key',
          hint: 'remove salt; hash.value already holds it',
        }),
      );
    } else {
      checkEncodedValue(chp.salt, [CPH, 'salt'], report);
    }
  }

  const hash = chp.hash;
  if (!isJsonObject(hash)) return;
  checkEncodedValue(hash.key, [CPH, 'hash', 'key'], report);
  if (algorithm === 'hmac') {
    if (hash.digest === undefined) {
      report(missing([CPH, 'hash', 'digest'], `is required for ${named}: one of ${DIGESTS.join(', ')}`));
    }
    if (hash.key === undefined) {
      report(
        missing(
          [CPH, 'hash', 'key'],
          `is required for ${named}: {"value": <the HMAC secret>, "encoding"?: ...}`,
        ),
      );
    }
  }

  if (rule.kind === 'text') checkTextHash(hash, named, rule.checkValue, report);
  else checkBinaryHash(hash, named, rule.bytes(chp), report);
}

function checkTextHash(
  hash: JsonObject,
  named: string,
  checkValue: (value: string) => ValueProblem | undefined,
  report: Report,
): void {
  const encoding = hash.encoding;
  if (isOneOf(VALUE_ENCODINGS, encoding) && encoding !== 'utf8') {
    report(
      problem([CPH, 'hash', 'encoding'], `must be "utf8" or left out for ${named}, got "${encoding}"`, {
        hint: 'the value is a self-describing text hash, so leave hash.encoding out',
      }),
    );
  }
  if (typeof hash.value !== 'string') return;
  const found = checkValue(hash.value);
  if (found) report(problem([CPH, 'hash', 'value'], found.predicate, { hint: found.hint }));
}

function checkBinaryHash(
  hash: JsonObject,
  named: string,
  expected: { count: number; of: string } | undefined,
  report: Report,
): void {
  const { encoding, value } = hash;
  if (encoding === undefined) {
    const looksHex = typeof value === 'string' && isHex(value);
    report(
      missing(
        [CPH, 'hash', 'encoding'],
        `is required for ${named}: "hex" or "base64", whichever hash.value is written in`,
        looksHex ? 'hash.value looks like hex: set "encoding": "hex"' : undefined,
      ),
    );
    return;
  }
  if (encoding === 'utf8') {
    report(
      problem([CPH, 'hash', 'encoding'], `must be "hex" or "base64" for ${named}, got "utf8"`, {
        hint: 'give the hash bytes as hex or base64 text and say which',
      }),
    );
  }
  if ((encoding !== 'hex' && encoding !== 'base64') || typeof value !== 'string') return;
  const bytes = decodedBytes(value, encoding);
  if (bytes === undefined) {
    report(
      problem([CPH, 'hash', 'value'], `is not valid ${encoding}: expected ${ENCODING_RULES[encoding]}`, {
        hint: encodingHint(value, encoding, [CPH, 'hash'], expected?.count),
      }),
    );
  } else if (expected !== undefined && bytes !== expected.count) {
    report(
      problem(
        [CPH, 'hash', 'value'],
        `decodes to ${bytes} bytes, but ${expected.of} is ${expected.count} bytes`,
        {
          hint: encodingHint(value, encoding, [CPH, 'hash'], expected.count) ?? digestSizeHint(bytes),
        },
      ),
    );
  }
}

function digestSizeHint(bytes: number): string | undefined {
  const digests = DIGESTS.filter((digest) => DIGEST_BYTES[digest] === bytes);
  if (digests.length === 0) return undefined;
  return `${bytes} bytes is the size of a ${digests.join(' or ')} digest: check the algorithm`;
}
