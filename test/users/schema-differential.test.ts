/**
 * Validation held to Auth0's official JSON schema of a user (bench/auth0-user.schema.json) by ajv.
 * Valid users of every kind are changed one way at a time, in every object they hold: each property
 * dropped, given a value of every other JSON type, its text broken (an enum, a pattern, a format) or
 * emptied, and a property added. Whatever ajv refuses, the dry run's validation refuses too, at the
 * changed property's line and column. Where it refuses what ajv takes, the reason is one of the rules
 * Auth0 documents beyond its schema. The valid-user fast path and UserSchema agree on every one.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import validator from 'validator';
import { describe, expect, it } from 'vitest';
import { makeWorkspace, runAction } from '../support/action.js';
import { fieldName, formatJsonPath, type JsonPath, type UserIssue } from '../../src/users/problem.js';
import { checkUser, UserSchema } from '../../src/users/schema.js';
import { validateRun } from '../../src/users/validate.js';
import { isValidUser } from '../../src/users/valid-user.js';

const ajv = new Ajv({ allErrors: true });
formats.default(ajv);
// Auth0 checks "email" with z-schema, whose format is validator.js's isEmail with require_tld (see
// the facts doc): that, not ajv-formats' own algorithm, is what Auth0 refuses.
ajv.addFormat('email', (value: string) => validator.isEmail(value, { require_tld: true }));
const auth0Accepts = ajv.compile(
  JSON.parse(readFileSync(new URL('../../bench/auth0-user.schema.json', import.meta.url), 'utf8')) as object,
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const ARGON2 = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';
const PBKDF2 = '$pbkdf2-sha256$i=100000,l=32$c2FsdHNhbHRzYWx0$kI8cPCaAXKxP4JqGmpBKSBHxFXPqBw4vs7n3/bGmnP8';
const hex = (bytes: number) => 'ab'.repeat(bytes);
const base64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

const withHash = (custom_password_hash: JsonObject): JsonObject => ({
  email: 'hash@example.com',
  custom_password_hash,
});

/** Valid users: every property, every algorithm of custom_password_hash, every kind of MFA factor. */
const SEEDS: Record<string, JsonObject> = {
  'every profile property': {
    email: 'ada@example.com',
    email_verified: true,
    user_id: 'legacy-1815',
    username: 'ada_l',
    given_name: 'Ada',
    family_name: 'Lovelace',
    name: 'Ada Lovelace',
    nickname: 'Ada',
    picture: 'https://example.com/ada.png',
    blocked: false,
    password_hash: BCRYPT,
    app_metadata: { plan: 'pro', roles: ['admin'] },
    user_metadata: { theme: 'dark' },
    mfa_factors: [
      { totp: { secret: 'JBSWY3DPEHPK3PXP' } },
      { phone: { value: '+14155550123' } },
      { email: { value: 'ada@backup.example.com' } },
    ],
    phone_number: '+447700900123',
    phone_verified: false,
  },
  'one totp factor': { email: 'totp@example.com', mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }] },
  'one phone factor': { email: 'phone@example.com', mfa_factors: [{ phone: { value: '+14155550123' } }] },
  'one email factor': { email: 'mail@example.com', mfa_factors: [{ email: { value: 'ada@example.org' } }] },
  argon2: withHash({
    algorithm: 'argon2',
    hash: { value: ARGON2, encoding: 'utf8' },
    password: { encoding: 'utf8' },
  }),
  bcrypt: withHash({
    algorithm: 'bcrypt',
    hash: { value: BCRYPT.replace('$10$', '$12$') },
    salt: { value: 'pepper', encoding: 'utf8', position: 'suffix' },
  }),
  hmac: withHash({
    algorithm: 'hmac',
    hash: {
      value: base64(32),
      encoding: 'base64',
      digest: 'sha256',
      key: { value: hex(16), encoding: 'hex' },
    },
    salt: { value: 'c2FsdA==', encoding: 'base64', position: 'prefix' },
  }),
  ldap: withHash({ algorithm: 'ldap', hash: { value: '{SSHA}c2FsdHNhbHQ=' } }),
  md4: withHash({ algorithm: 'md4', hash: { value: hex(16), encoding: 'hex' } }),
  md5: withHash({
    algorithm: 'md5',
    hash: { value: base64(16), encoding: 'base64' },
    salt: { value: 'abcd', encoding: 'hex' },
  }),
  sha1: withHash({
    algorithm: 'sha1',
    hash: { value: hex(20), encoding: 'hex' },
    password: { encoding: 'latin1' },
  }),
  sha256: withHash({
    algorithm: 'sha256',
    hash: { value: hex(32), encoding: 'hex' },
    salt: { value: 'salt', position: 'suffix' },
    password: { encoding: 'utf16le' },
  }),
  sha512: withHash({ algorithm: 'sha512', hash: { value: base64(64), encoding: 'base64' } }),
  pbkdf2: withHash({ algorithm: 'pbkdf2', hash: { value: PBKDF2 } }),
  scrypt: withHash({
    algorithm: 'scrypt',
    hash: { value: base64(32), encoding: 'base64' },
    salt: { value: 'c2FsdA==', encoding: 'base64' },
    keylen: 32,
    cost: 16384,
    blockSize: 8,
    parallelization: 1,
  }),
};

/** A value of each JSON type, as the schema tells them apart (an integer is not any number). */
const VALUES_OF_EACH_TYPE: readonly Json[] = ['x', 3, 1.5, true, null, [], {}];

function jsonType(value: Json): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** One user changed one way; `at` is where the dry run must point: the changed value, or the object that lost a property. */
interface Mutant {
  seed: string;
  change: string;
  user: JsonObject;
  at: JsonPath;
  /** Whether the dry run must point at the key at `at` (an unknown or misplaced property) rather than its value. */
  atKey: boolean;
}

function valueAt(root: Json, path: JsonPath): Json {
  let node = root;
  for (const segment of path) node = (node as Record<string | number, Json>)[segment]!;
  return node;
}

/** `seed` with the value at `path` replaced (undefined: removed). */
function changed(seed: JsonObject, path: JsonPath, to: Json | undefined): JsonObject {
  const user = structuredClone(seed);
  const holder = valueAt(user, path.slice(0, -1)) as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (to !== undefined) holder[last] = to;
  else if (Array.isArray(holder)) holder.splice(last as number, 1);
  else delete holder[last];
  return user;
}

/** Every one-step change to `seed`, in every object and array it holds. */
function mutantsOf(seedName: string, seed: JsonObject): Mutant[] {
  const mutants: Mutant[] = [];
  const add = (change: string, path: JsonPath, to: Json | undefined, at: JsonPath, atKey = false) =>
    mutants.push({
      seed: seedName,
      change: `${fieldName(path)} ${change}`,
      user: changed(seed, path, to),
      at,
      atKey,
    });

  const visit = (node: Json, path: JsonPath): void => {
    if (typeof node !== 'object' || node === null) return;
    const entries: [string | number, Json][] = Array.isArray(node)
      ? [...node.entries()]
      : Object.entries(node);
    for (const [key, value] of entries) {
      const here = [...path, key];
      add('dropped', here, undefined, path);
      for (const other of VALUES_OF_EACH_TYPE) {
        if (jsonType(other) !== jsonType(value)) add(`as ${JSON.stringify(other)}`, here, other, here);
      }
      if (typeof value === 'string') {
        add('broken', here, `${value}!`, here);
        add('emptied', here, '', here);
      }
      if (jsonType(value) === 'integer') {
        add('as 0', here, 0, here);
        add('as -1', here, -1, here);
      }
      visit(value, here);
    }
    if (Array.isArray(node)) add('with 11 items', path, Array(11).fill(node[0]) as Json[], path);
    else add('with a property added', [...path, 'unexpected'], 1, [...path, 'unexpected'], true);
  };
  visit(seed, []);
  return mutants;
}

/** Changes no single step of the walk makes: each breaks one rule Auth0 documents in prose, or its maxProperties. */
const PROSE_MUTANTS: Mutant[] = [
  {
    seed: 'every profile property',
    change: 'mfa_factors[0] with a second kind',
    user: changed(SEEDS['every profile property']!, ['mfa_factors', 0, 'phone'], { value: '+1' }),
    at: ['mfa_factors', 0],
    atKey: false,
  },
  ...(
    [
      [
        'every profile property',
        'with custom_password_hash too',
        ['custom_password_hash'],
        SEEDS.md4!.custom_password_hash!,
        true,
      ],
      ['every profile property', 'app_metadata with a reserved key', ['app_metadata', 'email'], 'x', true],
      ['every profile property', 'user_metadata with a "." in a key', ['user_metadata', 'a.b'], 1, true],
      ['every profile property', 'user_id starting "auth0|"', ['user_id'], 'auth0|1815', false],
      ['every profile property', 'username of 129 characters', ['username'], 'u'.repeat(129), false],
      ['scrypt', 'cost not a power of two', ['custom_password_hash', 'cost'], 3, false],
      ['sha1', 'with keylen', ['custom_password_hash', 'keylen'], 20, true],
      ['argon2', 'with a salt', ['custom_password_hash', 'salt'], { value: 'pepper' }, true],
      ['md5', 'hash.encoding utf8', ['custom_password_hash', 'hash', 'encoding'], 'utf8', false],
      ['ldap', '{CRYPT}', ['custom_password_hash', 'hash', 'value'], '{CRYPT}$1$abc', false],
    ] as [string, string, JsonPath, Json, boolean][]
  ).map(([seed, change, path, to, atKey]) => ({
    seed,
    change,
    user: changed(SEEDS[seed]!, path, to),
    at: path,
    atKey,
  })),
  {
    seed: 'every profile property',
    change: 'over 10 KB',
    user: changed(SEEDS['every profile property']!, ['user_metadata', 'pad'], 'x'.repeat(11_000)),
    at: [],
    atKey: false,
  },
];

const MUTANTS = [...Object.entries(SEEDS).flatMap(([name, seed]) => mutantsOf(name, seed)), ...PROSE_MUTANTS];

const NEIGHBOUR: JsonObject = { email: 'first@example.com' };

/** A users file of a valid user, then `user`, written with an indent of 2. */
const fileOf = (user: Json) => JSON.stringify([NEIGHBOUR, user], null, 2);

/**
 * Where the mutant's changed value (or its key) starts in the file `write` makes of the mutant, as
 * 1-based "line:column". Found by writing a marker in the value's place, which leaves the text
 * before it as it was: independent of src/users/json-text.ts, which the dry run uses.
 */
function placeOf(
  write: (user: Json) => string,
  { user, at, atKey }: Pick<Mutant, 'user' | 'at' | 'atKey'>,
): string {
  const MARK = '\u2603here\u2603';
  const text = write(at.length === 0 ? MARK : changed(user, at, MARK));
  const before = text.slice(0, text.indexOf(JSON.stringify(MARK))).split('\n');
  const line = before.at(-1)!;
  // The key is written just before the value: `"key": ` (or `"key":` on one line).
  const keyWidth = atKey ? JSON.stringify(at.at(-1)).length + (line.endsWith(': ') ? 2 : 1) : 0;
  return `${before.length}:${line.length + 1 - keyWidth}`;
}

/**
 * The dry run's validation of a file holding the mutant after a valid user: whether it refuses the
 * mutant, and each problem out of place (with another user, or not at the changed property's key
 * or value).
 */
function dryRunVerdict(mutant: Mutant): { refused: boolean; misplaced: string[] } {
  const { problems } = validateRun([{ file: 'users.json', text: fileOf(mutant.user) }]);
  const wanted = placeOf(fileOf, mutant);
  const misplaced = problems
    .filter((problem) => !problem.path.startsWith('[1]') || `${problem.line}:${problem.column}` !== wanted)
    .map((problem) => `${problem.path} at ${problem.line}:${problem.column}, not ${wanted}`);
  return { refused: problems.length > 0, misplaced };
}

/** Changes Auth0's schema refuses: the first three the fast path once took, then one in each object of custom_password_hash. */
const NAMED_CHANGES = [
  'one totp factor: mfa_factors[0].totp.secret dropped',
  'one phone factor: mfa_factors[0].phone.value dropped',
  'one email factor: mfa_factors[0].email.value dropped',
  'hmac: custom_password_hash.hash.key.value dropped',
  'scrypt: custom_password_hash.salt.value dropped',
  'sha256: custom_password_hash.password.encoding broken',
];

const name = (mutant: Mutant) => `${mutant.seed}: ${mutant.change}`;

/**
 * The rules of Auth0's documentation beyond its JSON schema (shared/docs/auth0-import-api.md, "The
 * user record"): the only reasons the dry run may refuse what the schema takes.
 */
const STRICTER_RULES: { rule: string; path: RegExp; message: RegExp }[] = [
  {
    rule: 'profile lengths: given/family/name 1-150, nickname 1-350, username 1-128',
    path: /^\.(username|given_name|family_name|name|nickname)$/,
    message: /must not be empty|characters, got/,
  },
  { rule: 'picture is a URL', path: /^\.picture$/, message: /must be an http or https URL/ },
  {
    rule: 'password_hash: bcrypt $2a$ or $2b$ with cost 10',
    path: /^\.password_hash$/,
    message: /must be a bcrypt hash of cost 10/,
  },
  { rule: 'phone_number: E.164', path: /^\.phone_number$/, message: /must be an E\.164 phone number/ },
  {
    rule: 'mfa_factors: each exactly one of totp, phone, email',
    path: /^\.mfa_factors\[\d+\]$/,
    message: /must hold exactly one of totp, phone or email/,
  },
  {
    rule: 'hash {value, encoding?, digest?, key?}, key, salt and password hold only what the doc lists, hash.value required',
    path: /^\.custom_password_hash\.(hash|hash\.key|salt|password)(\.unexpected)?$/,
    message: /^unknown property "unexpected"|hash\.value is required$/,
  },
  {
    rule: 'scrypt: keylen required, > 0; cost a power of two > 1; blockSize, parallelization positive',
    path: /^\.custom_password_hash(\.(keylen|cost|blockSize|parallelization))?$/,
    message:
      /keylen is required for algorithm "scrypt"|must be greater than 0|must be at least 2|power of two/,
  },
  {
    rule: 'the per-algorithm table: encodings, salt, value formats and sizes, hmac digest and key, scrypt-only fields',
    path: /^\.custom_password_hash\.(hash|hash\.value|hash\.encoding|hash\.key\.value|salt|salt\.value|keylen)$/,
    message:
      /is required for algorithm "\w+"|is not valid (hex|base64)|decodes to \d+ bytes|must be an? (argon2 PHC|PHC|bcrypt hash|RFC 2307)|must be base64 after|uses \{CRYPT\}|is not allowed for algorithm|must be "utf8" or left out|must be "hex" or "base64" for algorithm|is only for algorithm "scrypt"/,
  },
  {
    rule: 'password_hash and custom_password_hash are mutually exclusive',
    path: /^\.custom_password_hash$/,
    message: /cannot be given together with password_hash/,
  },
  {
    rule: 'user_id: Auth0 prefixes "auth0|" itself',
    path: /^\.user_id$/,
    message: /starts with "auth0\|", which Auth0 adds itself/,
  },
  {
    rule: 'app_metadata may not hold the reserved keys',
    path: /^\.app_metadata\.\w+$/,
    message: /is a name Auth0 reserves/,
  },
  {
    rule: 'metadata key names may not contain "." or "$"',
    path: /^\.(app|user)_metadata\[/,
    message: /is not a valid metadata key/,
  },
  { rule: 'a profile over about 10 KB may fail', path: /^$/, message: /PROFILE_SIZE_EXCEEDED/ },
];

const stricterRuleOf = (issue: UserIssue) =>
  STRICTER_RULES.find(
    ({ path, message }) => path.test(formatJsonPath(issue.path)) && message.test(issue.message),
  );

describe("validation held to Auth0's official schema", () => {
  it('starts from users both ajv and the dry run take', () => {
    for (const [seed, user] of Object.entries(SEEDS)) {
      expect(auth0Accepts(user), `${seed}: ${JSON.stringify(auth0Accepts.errors)}`).toBe(true);
      expect(checkUser(user), seed).toEqual([]);
      expect(isValidUser(user), seed).toBe(true);
    }
  });

  it('changes every property of every object: the MFA factors without their secret or value among them', () => {
    const changes = MUTANTS.map(name);
    expect(changes).toEqual(expect.arrayContaining(NAMED_CHANGES));
    expect(MUTANTS.length).toBeGreaterThan(1_000);
  });

  it("refuses in the dry run every user ajv refuses, at the changed property's line and column", () => {
    const refusedByAjv = MUTANTS.filter((mutant) => !auth0Accepts(mutant.user));
    const faults = refusedByAjv.flatMap((mutant) => {
      const { refused, misplaced } = dryRunVerdict(mutant);
      return refused ? misplaced.map((fault) => `${name(mutant)}: ${fault}`) : [`${name(mutant)}: taken`];
    });
    expect(faults).toEqual([]);
    expect(refusedByAjv.length).toBeGreaterThan(MUTANTS.length / 2);
  });

  it('refuses what ajv takes only by a rule Auth0 documents beyond its schema, each at the changed property', () => {
    const usedRules = new Set<string>();
    const faults = MUTANTS.filter((mutant) => auth0Accepts(mutant.user)).flatMap((mutant) => {
      const issues = checkUser(mutant.user);
      if (issues.length === 0) return [];
      const unexplained = issues.flatMap((issue) => {
        const found = stricterRuleOf(issue);
        if (found) usedRules.add(found.rule);
        return found ? [] : [`${name(mutant)}: ${formatJsonPath(issue.path)} ${issue.message}`];
      });
      return [...unexplained, ...dryRunVerdict(mutant).misplaced.map((fault) => `${name(mutant)}: ${fault}`)];
    });
    expect(faults).toEqual([]);
    expect([...usedRules].sort()).toEqual(STRICTER_RULES.map(({ rule }) => rule).sort());
  });

  it('gives the same verdict in the valid-user fast path as in UserSchema on every user', () => {
    const disagreements = MUTANTS.filter(
      (mutant) => isValidUser(mutant.user) !== UserSchema.safeParse(mutant.user).success,
    ).map(name);
    expect(disagreements).toEqual([]);
  });
});

describe('the dry run itself (node dist/index.js)', () => {
  it('refuses users ajv refuses, each annotated at its file, line and column', async () => {
    const picked = [...NAMED_CHANGES, 'scrypt: custom_password_hash.keylen as 1.5'].map((change, index) => {
      const mutant = MUTANTS.find((candidate) => name(candidate) === change)!;
      // Each its own email, so that no duplicate is found among them.
      return { ...mutant, user: { ...mutant.user, email: `user${index}@example.com` } };
    });
    for (const mutant of picked) expect(auth0Accepts(mutant.user), name(mutant)).toBe(false);
    // One user a line, after a valid one.
    const write = (users: Json[]) =>
      `[\n${[NEIGHBOUR, ...users].map((user) => JSON.stringify(user)).join(',\n')}\n]\n`;
    const users = picked.map((mutant) => mutant.user);
    const workspace = await makeWorkspace({ 'users.json': write(users) });

    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(
      new RegExp(`^::error::❌ ${picked.length} problems in users\\.json: nothing was sent`),
    );
    const annotated = run.errors
      .slice(1)
      .map((line) => /^::error file=users\.json,line=(\d+),col=(\d+)::/.exec(line)?.slice(1).join(':'));
    picked.forEach((mutant, index) => {
      const writeThis = (user: Json) => write(users.map((other, at) => (at === index ? user : other)));
      const place = placeOf(writeThis, mutant);
      expect(annotated, `${name(mutant)} at ${place}`).toContain(place);
    });
  });
});
