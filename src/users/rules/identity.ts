/** The properties that identify a user and prove who they are: email, user_id, password_hash. */
import { emailFault, EMAIL_LOCAL_PART_MAX_BYTES, EMAIL_MAX_LENGTH } from '../email-format.js';
import type { JsonObject } from '../json-value.js';
import { problem, type JsonPath, type Report, type UserIssue } from '../problem.js';
import { quote } from '../quotable.js';
import { isHex } from './encodings.js';

export function checkIdentity(user: JsonObject, report: Report): void {
  if (typeof user.user_id === 'string') checkUserId(user.user_id, report);
  if (typeof user.password_hash === 'string') checkPasswordHash(user.password_hash, report);
  if (user.password_hash !== undefined && user.custom_password_hash !== undefined) {
    report(
      problem(
        ['custom_password_hash'],
        'cannot be given together with password_hash: a user has one password hash',
        {
          at: 'key',
          hint: 'keep password_hash for "$2a$10$"/"$2b$10$" bcrypt hashes and custom_password_hash for any other hash',
        },
      ),
    );
  }
}

/** What is wrong with an email address, wherever it stands in the user; undefined when Auth0 accepts it. */
export function emailIssue(path: JsonPath, email: string): UserIssue | undefined {
  const fault = emailFault(email);
  switch (fault?.kind) {
    case undefined:
      return undefined;
    case 'too-long':
      return problem(path, `must be at most ${EMAIL_MAX_LENGTH} characters, got ${fault.length}`);
    case 'local-part-too-long': {
      const characters = email.lastIndexOf('@');
      return problem(
        path,
        characters === fault.bytes
          ? `must have at most ${EMAIL_LOCAL_PART_MAX_BYTES} characters before the "@", got ${characters}`
          : `must have at most ${EMAIL_LOCAL_PART_MAX_BYTES} bytes of UTF-8 before the "@", got ${fault.bytes} (${characters} characters)`,
      );
    }
    case 'domain-too-long':
      return problem(path, `must have at most 254 bytes of UTF-8 after the "@", got ${fault.bytes}`);
    case 'format':
      return problem(path, `must be an email address like "name@example.com", got ${quote(path, email)}`, {
        hint: fault.reason,
      });
  }
}

const AUTH0_PREFIX = 'auth0|';

function checkUserId(userId: string, report: Report): void {
  if (!userId.startsWith(AUTH0_PREFIX)) return;
  const path = ['user_id'];
  report(
    problem(
      path,
      `starts with "${AUTH0_PREFIX}", which Auth0 adds itself: it would store ${quote(path, AUTH0_PREFIX + userId)}`,
      {
        hint: `remove the prefix: ${quote(path, userId.slice(AUTH0_PREFIX.length))} (users exported from Auth0 carry it)`,
      },
    ),
  );
}

/** Auth0's own pattern for password_hash, as its server checks it: bcrypt, and cost 10 only. */
const AUTH0_BCRYPT = /^\$2[ab]?\$10+\$[./A-Za-z0-9]{53}$/;
const BCRYPT_OF_ANY_COST = /^\$2[ab]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const BCRYPT_PREFIX = /^\$2[ab]?\$/;
const HEX_DIGEST_NAMES: Readonly<Record<number, string>> = {
  32: '"md5" (or "md4")',
  40: '"sha1"',
  64: '"sha256"',
  128: '"sha512"',
};

function checkPasswordHash(hash: string, report: Report): void {
  if (AUTH0_BCRYPT.test(hash)) return;
  const path = ['password_hash'];
  report(
    problem(path, `must be a bcrypt hash of cost 10 ("$2b$10$…", 60 characters), got ${quote(path, hash)}`, {
      hint: passwordHashHint(hash),
    }),
  );
}

function passwordHashHint(hash: string): string | undefined {
  const elsewhere = (algorithm: string) =>
    `use custom_password_hash with algorithm ${algorithm} for this hash`;
  const cost = BCRYPT_OF_ANY_COST.exec(hash)?.[1];
  if (cost !== undefined) {
    return `Auth0 takes password_hash at cost 10 only, and this one has cost ${cost}: ${elsewhere('"bcrypt" (it accepts any cost)')}`;
  }
  if (BCRYPT_PREFIX.test(hash)) {
    return `the prefix is right, but a bcrypt hash is 60 characters ("$2b$10$" and 53 more); this one has ${hash.length}`;
  }
  if (hash.startsWith('$2y$')) return elsewhere('"bcrypt" (it accepts "$2y$" and any cost)');
  if (hash.startsWith('$argon2')) return elsewhere('"argon2"');
  if (hash.startsWith('$pbkdf2-')) return elsewhere('"pbkdf2"');
  if (/^\{[\w-]+\}/.test(hash)) return elsewhere('"ldap" (an RFC 2307 "{SCHEME}" hash)');
  const digest = HEX_DIGEST_NAMES[hash.length];
  if (digest !== undefined && isHex(hash)) return elsewhere(`${digest} and hash.encoding "hex"`);
  return undefined;
}
