/**
 * The user-record rules Auth0 documents in prose rather than in its JSON schema. Each rule is a
 * plain function over a value that may be malformed (the schema reports structural problems
 * itself, so a rule skips whatever it cannot read) and reports what it finds.
 */
import type { JsonPath } from './problem.js';

export interface RuleIssue {
  /** Relative to the checked value; for a missing property, the property's own path. */
  path: JsonPath;
  /** Said of the thing at `path`: `must be "hex" or "base64" for algorithm "sha256", got "utf8"`. */
  message: string;
  hint?: string;
  at?: 'key';
  /** The property at `path` is absent, so the issue belongs to its container. */
  missing?: true;
}

export type Report = (issue: RuleIssue) => void;

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
export const SCRYPT_ONLY_FIELDS = ['keylen', 'cost', 'blockSize', 'parallelization'] as const;

type Algorithm = (typeof ALGORITHMS)[number];
type Digest = (typeof DIGESTS)[number];
type BinaryEncoding = 'hex' | 'base64';

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
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

export function checkProfileSize(user: JsonObject, report: Report): void {
  if (jsonBytesBound(user, PROFILE_MAX_BYTES) <= PROFILE_MAX_BYTES) return;
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(user));
  } catch {
    report({ path: [], message: 'cannot be written as JSON (it holds a cycle or a non-JSON value)' });
    return;
  }
  if (bytes <= PROFILE_MAX_BYTES) return;
  report({
    path: [],
    message: `is ${bytes.toLocaleString('en-US')} bytes as JSON; Auth0 may reject profiles over about 10 KB (${PROFILE_MAX_BYTES.toLocaleString('en-US')} bytes) with PROFILE_SIZE_EXCEEDED`,
    hint: 'keep large data out of app_metadata and user_metadata (store it elsewhere and keep a reference)',
  });
}

// The walks below run on every user, so they reuse one stack rather than allocate (nothing they
// call can re-enter them), and they are iterative so that deep nesting cannot overflow the call stack.
const pending: unknown[] = [];

/**
 * At least the UTF-8 size of `JSON.stringify(root)`, counted without building it: a character
 * takes at most 6 bytes (`\u001f`), a number or literal at most 24. Stops once past `limit`,
 * which also ends the walk of a cyclic value.
 */
function jsonBytesBound(root: unknown, limit: number): number {
  pending.length = 0;
  pending.push(root);
  let bytes = 0;
  while (pending.length > 0 && bytes <= limit) {
    const value = pending.pop();
    if (typeof value === 'string') bytes += 6 * value.length + 2;
    else if (typeof value !== 'object' || value === null) bytes += 24;
    else if (Array.isArray(value)) {
      bytes += 2 + value.length;
      for (const item of value) pending.push(item);
    } else {
      bytes += 2;
      for (const key in value) {
        bytes += 6 * key.length + 4;
        pending.push((value as JsonObject)[key]);
      }
    }
  }
  pending.length = 0;
  return bytes;
}

export function checkOnePasswordHash(user: JsonObject, report: Report): void {
  if (user.password_hash === undefined || user.custom_password_hash === undefined) return;
  report({
    path: ['custom_password_hash'],
    at: 'key',
    message: 'cannot be given together with password_hash: a user has one password hash',
    hint: 'keep password_hash for "$2a$"/"$2b$" bcrypt hashes and custom_password_hash for any other algorithm',
  });
}

const AUTH0_PREFIX = 'auth0|';

export function checkUserId(userId: string, report: Report): void {
  if (!userId.startsWith(AUTH0_PREFIX)) return;
  const bare = userId.slice(AUTH0_PREFIX.length);
  report({
    path: [],
    message: `starts with "${AUTH0_PREFIX}", which Auth0 adds itself: it would store ${describeValue(AUTH0_PREFIX + userId)}`,
    hint: `remove the prefix: ${describeValue(bare)} (users exported from Auth0 carry it)`,
  });
}

const EMAIL_LOCAL_MAX = 64;

export function checkEmailLocalPart(email: string, report: Report): void {
  const at = email.lastIndexOf('@');
  if (at <= EMAIL_LOCAL_MAX) return;
  report({
    path: [],
    message: `must have at most ${EMAIL_LOCAL_MAX} characters before the "@", got ${at}`,
  });
}

// ---------------------------------------------------------------- metadata

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

export function checkReservedAppMetadataKeys(appMetadata: unknown, report: Report): void {
  if (!isJsonObject(appMetadata)) return;
  for (const key of Object.keys(appMetadata)) {
    if (!RESERVED_APP_METADATA_KEYS.has(key)) continue;
    report({
      path: [key],
      at: 'key',
      message: `is a name Auth0 reserves: app_metadata may not hold "${key}"`,
      hint: 'rename the key (a prefix such as "legacy_" will do) or drop it',
    });
  }
}

/** Above this many nested values a profile is far over PROFILE_MAX_BYTES, so the walks stop there. */
const METADATA_WALK_BUDGET = PROFILE_MAX_BYTES;
const FORBIDDEN_KEY_CHARACTER = /[.$]/;

/**
 * Key names at every depth: Auth0 stores metadata as MongoDB documents, which refuse `.` and `$`
 * in a key. A quick scan first; paths are built only for metadata that has such a key.
 */
export function checkMetadataKeyNames(metadata: unknown, report: Report): void {
  if (!hasForbiddenKey(metadata)) return;
  const visits: { value: unknown; path: JsonPath }[] = [{ value: metadata, path: [] }];
  let budget = METADATA_WALK_BUDGET;
  for (let visit = visits.pop(); visit !== undefined && budget > 0; visit = visits.pop(), budget--) {
    const { value, path } = visit;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visits.push({ value: item, path: [...path, index] }));
    } else if (isJsonObject(value)) {
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_KEY_CHARACTER.test(key)) {
          report({
            path: [...path, key],
            at: 'key',
            message: 'is not a valid metadata key name: Auth0 refuses "." and "$" in metadata key names',
            hint: `rename it, e.g. ${describeValue(key.replace(/[.$]/g, '_'))}`,
          });
        }
        visits.push({ value: value[key], path: [...path, key] });
      }
    }
  }
}

function hasForbiddenKey(root: unknown): boolean {
  pending.length = 0;
  pending.push(root);
  let found = false;
  for (let budget = METADATA_WALK_BUDGET; pending.length > 0 && budget > 0 && !found; budget--) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
      continue;
    }
    for (const key in value) {
      if (FORBIDDEN_KEY_CHARACTER.test(key)) found = true;
      pending.push((value as JsonObject)[key]);
    }
  }
  pending.length = 0;
  return found;
}

// ---------------------------------------------------------------- password_hash

const BCRYPT_HASH = /^\$2[ab]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const HEX_DIGEST_NAMES: Readonly<Record<number, string>> = {
  32: '"md5" (or "md4")',
  40: '"sha1"',
  64: '"sha256"',
  128: '"sha512"',
};

export function checkPasswordHash(hash: string, report: Report): void {
  if (BCRYPT_HASH.test(hash)) return;
  report({
    path: [],
    message: `must be a bcrypt hash: "$2a$" or "$2b$", two cost digits, "$" and 53 characters of ./A-Za-z0-9 (60 in all), got ${describeSecret(hash)}`,
    hint: passwordHashHint(hash),
  });
}

function passwordHashHint(hash: string): string | undefined {
  const elsewhere = (algorithm: string) =>
    `use custom_password_hash with algorithm ${algorithm} for this hash`;
  if (/^\$2[ab]\$/.test(hash))
    return `the prefix is right, but a bcrypt hash is 60 characters (e.g. "$2b$10$" and 53 more); this one has ${hash.length}`;
  if (hash.startsWith('$2y$')) return elsewhere('"bcrypt" (it accepts "$2y$")');
  if (hash.startsWith('$argon2')) return elsewhere('"argon2"');
  if (hash.startsWith('$pbkdf2-')) return elsewhere('"pbkdf2"');
  if (/^\{[\w-]+\}/.test(hash)) return elsewhere('"ldap" (an RFC 2307 "{SCHEME}" hash)');
  const digest = HEX_DIGEST_NAMES[hash.length];
  if (digest !== undefined && isHex(hash)) return elsewhere(`${digest} and hash.encoding "hex"`);
  return undefined;
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

const ARGON2_PHC =
  /^\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;
const PBKDF2_PHC = new RegExp(
  `^\\$pbkdf2-(?:${DIGESTS.join('|')})\\$i=\\d+,l=\\d+\\$[A-Za-z0-9+/.]+={0,2}\\$[A-Za-z0-9+/.]+={0,2}$`,
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

interface ValueProblem {
  message: string;
  hint?: string;
}

/** How each algorithm wants hash.value: a self-describing text (with its own salt or not), or bytes. */
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
            message: `must be an argon2 PHC string like "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>", got ${describeSecret(value)}`,
          },
  },
  bcrypt: {
    kind: 'text',
    salt: true,
    checkValue: (value) =>
      BCRYPT_PREFIX.test(value)
        ? undefined
        : {
            message: `must be a bcrypt hash starting "$2a$", "$2b$" or "$2y$", got ${describeSecret(value)}`,
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
            message: `must be a PHC string like "$pbkdf2-sha256$i=100000,l=32$<salt>$<hash>", got ${describeSecret(value)}`,
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
  if (!match) return { message: `must be ${expected}, got ${describeSecret(value)}` };
  const scheme = (match[1] ?? '').toUpperCase();
  const rest = match[2] ?? '';
  if (scheme === 'CRYPT') {
    return {
      message: 'uses {CRYPT}, which Auth0 does not import',
      hint: BCRYPT_PREFIX.test(rest)
        ? 'the part after {CRYPT} is a bcrypt hash: drop "{CRYPT}" and use algorithm "bcrypt"'
        : 'crypt(3) hashes cannot be imported as they are; these users will have to reset their password',
    };
  }
  if (!LDAP_SCHEMES.includes(scheme))
    return { message: `uses {${scheme}}, which is not supported; expected ${expected}` };
  if (rest === '' || base64Bytes(rest) === undefined) return { message: `must be base64 after {${scheme}}` };
  return undefined;
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

export function isPowerOfTwoAboveOne(value: number): boolean {
  return Number.isSafeInteger(value) && value > 1 && Math.log2(value) % 1 === 0;
}

export function isWholeNumber(value: number): boolean {
  return Number.isSafeInteger(value);
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

const otherEncoding = (encoding: BinaryEncoding): BinaryEncoding => (encoding === 'hex' ? 'base64' : 'hex');

/** A `{value, encoding}` pair (salt, hash.key) whose value must decode in its encoding. */
function checkEncodedValue(holder: unknown, path: JsonPath, report: Report): void {
  if (!isJsonObject(holder) || typeof holder.value !== 'string') return;
  const encoding = holder.encoding;
  if (encoding !== 'hex' && encoding !== 'base64') return;
  if (decodedBytes(holder.value, encoding) !== undefined) return;
  report({
    path: [...path, 'value'],
    message: `is not valid ${encoding}: expected ${ENCODING_RULES[encoding]}`,
    hint: encodingHint(holder.value, encoding, path),
  });
}

function encodingHint(
  value: string,
  encoding: BinaryEncoding,
  path: JsonPath,
  bytes?: number,
): string | undefined {
  const other = otherEncoding(encoding);
  const decoded = decodedBytes(value, other);
  if (decoded === undefined || (bytes !== undefined && decoded !== bytes)) return undefined;
  return `it is valid ${other}${bytes === undefined ? '' : ' of the right length'}: set ${[...path, 'encoding'].join('.')} to "${other}"`;
}

function lengthHint(bytes: number): string | undefined {
  const digests = DIGESTS.filter((digest) => DIGEST_BYTES[digest] === bytes);
  if (digests.length === 0) return undefined;
  return `${bytes} bytes is the size of a ${digests.join(' or ')} digest: check the algorithm`;
}

/** The per-algorithm table of Auth0's custom_password_hash documentation. */
export function checkCustomPasswordHash(chp: JsonObject, report: Report): void {
  const algorithm = chp.algorithm;
  if (!isOneOf(ALGORITHMS, algorithm)) return;
  const rule = ALGORITHM_RULES[algorithm];
  const named = `algorithm "${algorithm}"`;

  if (algorithm === 'scrypt') {
    if (chp.keylen === undefined) {
      report({
        path: ['keylen'],
        missing: true,
        message: `is required for ${named}: the derived key length in bytes (e.g. 64)`,
      });
    }
  } else {
    for (const field of SCRYPT_ONLY_FIELDS) {
      if (chp[field] === undefined) continue;
      report({
        path: [field],
        at: 'key',
        message: `is only for algorithm "scrypt", not ${named}`,
        hint: 'remove it',
      });
    }
  }

  if (chp.salt !== undefined) {
    if (rule.kind === 'text' && !rule.salt) {
      report({
        path: ['salt'],
        at: 'key',
        message: `is not allowed for ${named}: its hash value carries its own salt`,
        hint: 'remove salt; hash.value already holds it',
      });
    } else {
      checkEncodedValue(chp.salt, ['salt'], report);
    }
  }

  const hash = chp.hash;
  if (!isJsonObject(hash)) return;
  checkEncodedValue(hash.key, ['hash', 'key'], report);
  if (algorithm === 'hmac') {
    if (hash.digest === undefined) {
      report({
        path: ['hash', 'digest'],
        missing: true,
        message: `is required for ${named}: one of ${DIGESTS.join(', ')}`,
      });
    }
    if (hash.key === undefined) {
      report({
        path: ['hash', 'key'],
        missing: true,
        message: `is required for ${named}: {"value": <the HMAC secret>, "encoding"?: "hex" | "base64" | "utf8"}`,
      });
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
    report({
      path: ['hash', 'encoding'],
      message: `must be "utf8" or left out for ${named}, got "${encoding}"`,
      hint: 'the value is a self-describing text hash, so leave hash.encoding out',
    });
  }
  if (typeof hash.value !== 'string') return;
  const problem = checkValue(hash.value);
  if (problem) report({ path: ['hash', 'value'], ...problem });
}

function checkBinaryHash(
  hash: JsonObject,
  named: string,
  expected: { count: number; of: string } | undefined,
  report: Report,
): void {
  const encoding = hash.encoding;
  const value = hash.value;
  if (encoding === undefined) {
    report({
      path: ['hash', 'encoding'],
      missing: true,
      message: `is required for ${named}: "hex" or "base64", whichever hash.value is written in`,
      hint:
        typeof value === 'string' && isHex(value)
          ? 'hash.value looks like hex: set "encoding": "hex"'
          : undefined,
    });
    return;
  }
  if (encoding !== 'hex' && encoding !== 'base64') {
    if (encoding === 'utf8') {
      report({
        path: ['hash', 'encoding'],
        message: `must be "hex" or "base64" for ${named}, got "utf8"`,
        hint: 'give the hash bytes as hex or base64 text and say which',
      });
    }
    return;
  }
  if (typeof value !== 'string') return;
  const bytes = decodedBytes(value, encoding);
  if (bytes === undefined) {
    report({
      path: ['hash', 'value'],
      message: `is not valid ${encoding}: expected ${ENCODING_RULES[encoding]}`,
      hint: encodingHint(value, encoding, ['hash']),
    });
    return;
  }
  if (expected === undefined || bytes === expected.count) return;
  report({
    path: ['hash', 'value'],
    message: `decodes to ${bytes} bytes, but ${expected.of} is ${expected.count} bytes`,
    hint: encodingHint(value, encoding, ['hash'], expected.count) ?? lengthHint(bytes),
  });
}
