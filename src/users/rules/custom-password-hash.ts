/** custom_password_hash: the per-algorithm table of Auth0's documentation, beyond its JSON schema. */
import { isJsonObject, isOneOf, type JsonObject } from '../json-value.js';
import { missing, problem, type JsonPath, type Report } from '../problem.js';
import { hashScheme, quote } from '../quotable.js';
import { base64Bytes, decodedBytes, ENCODING_RULES, encodingHint, isHex } from './encodings.js';

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

const CPH = 'custom_password_hash';
const HASH_VALUE: JsonPath = [CPH, 'hash', 'value'];

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
            predicate: `must be an argon2 PHC string like "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>", got ${quote(HASH_VALUE, value)}`,
          },
  },
  bcrypt: {
    kind: 'text',
    salt: true,
    checkValue: (value) =>
      BCRYPT_PREFIX.test(value)
        ? undefined
        : {
            predicate: `must be a bcrypt hash starting "$2a$", "$2b$" or "$2y$", got ${quote(HASH_VALUE, value)}`,
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
            predicate: `must be a PHC string like "$pbkdf2-sha256$i=100000,l=32$<salt>$<hash>", got ${quote(HASH_VALUE, value)}`,
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
      isPositiveInteger(chp.keylen)
        ? { count: chp.keylen, of: `a key of keylen ${quote([CPH, 'keylen'], chp.keylen)}` }
        : undefined,
  },
};

function digestRule(digest: Digest): AlgorithmRule {
  return { kind: 'bytes', bytes: () => ({ count: DIGEST_BYTES[digest], of: `a ${digest} digest` }) };
}

function checkLdapValue(value: string): ValueProblem | undefined {
  const match = LDAP_HASH.exec(value);
  const expected = `an RFC 2307 hash: "{SCHEME}" and base64, with SCHEME one of ${LDAP_SCHEMES.join(', ')}`;
  if (!match) return { predicate: `must be ${expected}, got ${quote(HASH_VALUE, value)}` };
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
  if (!LDAP_SCHEMES.includes(scheme)) {
    const shown = hashScheme(value) ?? 'a "{SCHEME}"';
    return { predicate: `uses ${shown}, which is not supported; expected ${expected}` };
  }
  if (rest === '' || base64Bytes(rest) === undefined) {
    return { predicate: `must be base64 after {${scheme}}` };
  }
  return undefined;
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
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

/** The per-algorithm table of Auth0's custom_password_hash documentation. */
export function checkCustomPasswordHash(chp: JsonObject, report: Report): void {
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
      report(
        problem([CPH, 'cost'], `must be a power of two (e.g. 16384), got ${quote([CPH, 'cost'], cost)}`),
      );
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
      problem(
        [CPH, 'hash', 'encoding'],
        `must be "utf8" or left out for ${named}, got ${quote([CPH, 'hash', 'encoding'], encoding)}`,
        {
          hint: 'the value is a self-describing text hash, so leave hash.encoding out',
        },
      ),
    );
  }
  if (typeof hash.value !== 'string') return;
  const found = checkValue(hash.value);
  if (found) report(problem(HASH_VALUE, found.predicate, { hint: found.hint }));
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
      problem(HASH_VALUE, `is not valid ${encoding}: expected ${ENCODING_RULES[encoding]}`, {
        hint: encodingHint(value, encoding, [CPH, 'hash'], expected?.count),
      }),
    );
  } else if (expected !== undefined && bytes !== expected.count) {
    report(
      problem(HASH_VALUE, `decodes to ${bytes} bytes, but ${expected.of} is ${expected.count} bytes`, {
        hint: encodingHint(value, encoding, [CPH, 'hash'], expected.count) ?? digestSizeHint(bytes),
      }),
    );
  }
}

function digestSizeHint(bytes: number): string | undefined {
  const digests = DIGESTS.filter((digest) => DIGEST_BYTES[digest] === bytes);
  if (digests.length === 0) return undefined;
  return `${bytes} bytes is the size of a ${digests.join(' or ')} digest: check the algorithm`;
}
