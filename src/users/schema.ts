/**
 * One user of an Auth0 bulk-import file: the schema Auth0 documents plus its prose rules, as one
 * zod schema, and `checkUser`, which turns what it finds into issues a person can act on.
 */
import { z } from 'zod';
import { emailFault } from './email-format.js';
import { isJsonObject } from './json-value.js';
import { fieldName, missing, problem, type JsonPath, type UserIssue } from './problem.js';
import { quote, quoteName } from './quotable.js';
import { checkUserRules } from './rules/index.js';
import {
  ALGORITHMS,
  DIGESTS,
  PASSWORD_ENCODINGS,
  SALT_POSITIONS,
  VALUE_ENCODINGS,
} from './rules/custom-password-hash.js';
import { emailIssue } from './rules/identity.js';
import { BASE32, E164, HTTP_URL } from './patterns.js';
import { isValidUser } from './valid-user.js';

// Built for 100,000s of users. The prose rules run as one check on the whole user, as each zod
// check costs about as much as a dozen properties. Nothing in the schema aborts (no z.int(), no
// array .max()): an abort would keep that check from running and hide its problems.

// Auth0's email format is an algorithm (validator.js's isEmail), not a pattern: see email-format.ts.
// Its message names what is wrong (rules/identity.ts).
const Email = z.string().refine((value) => emailFault(value) === undefined, { params: { format: 'email' } });
// A pattern's message completes "<property> must be ...".
const PhoneNumber = z
  .string()
  .regex(E164, 'an E.164 phone number: "+" and 1 to 15 digits, no spaces (e.g. "+14155550123")');
const WholeNumber = z.number().multipleOf(1);
const Metadata = z.custom<Record<string, unknown>>(isJsonObject, { params: { expected: 'a JSON object' } });

const EncodedValue = {
  value: z.string(),
  encoding: z.enum(VALUE_ENCODINGS).optional(),
};

const CustomPasswordHash = z.strictObject({
  algorithm: z.enum(ALGORITHMS),
  hash: z.strictObject({
    ...EncodedValue,
    digest: z.enum(DIGESTS).optional(),
    key: z.strictObject(EncodedValue).optional(),
  }),
  salt: z.strictObject({ ...EncodedValue, position: z.enum(SALT_POSITIONS).optional() }).optional(),
  password: z.strictObject({ encoding: z.enum(PASSWORD_ENCODINGS).optional() }).optional(),
  // scrypt only
  keylen: WholeNumber.positive().optional(),
  cost: WholeNumber.min(2).optional(),
  blockSize: WholeNumber.positive().optional(),
  parallelization: WholeNumber.positive().optional(),
});

const MfaFactor = z.strictObject({
  totp: z
    .strictObject({
      secret: z.string().regex(BASE32, 'a base32 TOTP secret (A-Z and 2-7, no "=" or spaces)'),
    })
    .optional(),
  phone: z.strictObject({ value: PhoneNumber }).optional(),
  email: z.strictObject({ value: Email }).optional(),
});

const UserRecord = z.strictObject({
  email: Email,
  email_verified: z.boolean().optional(),
  user_id: z.string().optional(),
  username: z.string().min(1).max(128).optional(),
  given_name: z.string().min(1).max(150).optional(),
  family_name: z.string().min(1).max(150).optional(),
  name: z.string().min(1).max(150).optional(),
  nickname: z.string().min(1).max(350).optional(),
  picture: z.string().regex(HTTP_URL, 'an http or https URL (e.g. "https://example.com/me.png")').optional(),
  blocked: z.boolean().optional(),
  password_hash: z.string().optional(),
  custom_password_hash: CustomPasswordHash.optional(),
  app_metadata: Metadata.optional(),
  user_metadata: Metadata.optional(),
  // 1 to 10 factors, each exactly one kind: the rules check the maximum and the kind.
  mfa_factors: z.array(MfaFactor).min(1).optional(),
  // Newer docs only (unsure: another page says phone numbers cannot be imported).
  phone_number: PhoneNumber.optional(),
  phone_verified: z.boolean().optional(),
});

/** Runs every prose rule; each problem becomes a zod issue that carries the rule's own UserIssue. */
const applyUserRules: z.core.CheckFn<Readonly<Record<string, unknown>>> = (payload) =>
  checkUserRules(payload.value, (issue) =>
    payload.issues.push({
      code: 'custom',
      path: [...issue.path],
      message: issue.message,
      params: { issue },
      input: payload.value,
      continue: true,
    }),
  );

/** An Auth0 user record: its schema and prose rules. The rules run beside the properties' own problems. */
export const UserSchema = UserRecord.check(
  z.core._check(applyUserRules, { when: (payload) => isJsonObject(payload.value) }),
);

export type User = z.infer<typeof UserSchema>;

/**
 * Every problem with one user, or none. Never throws on anything JSON.parse returns, nor on a cycle.
 * `compactBytes`, the UTF-8 length of the user's compact JSON text when the caller knows it, only
 * makes a valid user cheaper to tell (see checkUserRules).
 */
export function checkUser(user: unknown, compactBytes?: number): UserIssue[] {
  // Most users are valid, and saying so needs no zod (valid-user.ts). For the others zod parses,
  // keeping each issue's input, which the messages quote.
  if (isValidUser(user, compactBytes)) return [];
  const { error } = UserSchema.safeParse(user, { reportInput: true });
  return error === undefined ? [] : error.issues.flatMap(toUserIssues);
}

/** One zod issue in the words of UserIssue; an unknown-keys issue becomes one issue per key. */
function toUserIssues(issue: z.core.$ZodIssue): UserIssue[] {
  const path: JsonPath = issue.path.map((segment) =>
    typeof segment === 'symbol' ? String(segment) : segment,
  );
  const input: unknown = issue.input;
  // JSON has no undefined: a property's undefined input means it is absent.
  const absent = input === undefined && path.length > 0 && issue.code !== 'custom';
  if (absent) return [missing(path, 'is required')];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownProperty(path, key));
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return [
        problem(path, `must be ${expected}, got ${quote(path, input)}`, {
          hint: typeHint(issue, input, path),
        }),
      ];
    }
    case 'too_small':
    case 'too_big':
      return [problem(path, sizeProblem(issue, path))];
    case 'invalid_value': {
      const allowed = issue.values.map((value) => JSON.stringify(value)).join(', ');
      const near = closeNames(String(input), issue.values.map(String));
      const hint = near.length > 0 ? `did you mean ${quoteAll(near)}?` : undefined;
      return [problem(path, `must be one of ${allowed}, got ${quote(path, input)}`, { hint })];
    }
    case 'invalid_format':
      return [problem(path, `must be ${issue.message}, got ${quote(path, input)}`)];
    case 'not_multiple_of':
      return [problem(path, `must be a whole number, got ${quote(path, input)}`)];
    case 'custom': {
      const params: { issue?: UserIssue; expected?: string; format?: 'email' } = issue.params ?? {};
      if (params.format === 'email' && typeof input === 'string') {
        const found = emailIssue(path, input);
        return found === undefined ? [] : [found];
      }
      return [params.issue ?? problem(path, `must be ${params.expected}, got ${quote(path, input)}`)];
    }
    default:
      return [problem(path, issue.message)];
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'an array',
};

function sizeProblem(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, path: JsonPath): string {
  const input: unknown = issue.input;
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string' && typeof input === 'string') {
    if (small && limit === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${limit} characters, got ${input.length}`;
  }
  if (issue.origin === 'array' && Array.isArray(input)) {
    return `must have ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}, got ${input.length}`;
  }
  const bound = small
    ? issue.inclusive
      ? 'at least'
      : 'greater than'
    : issue.inclusive
      ? 'at most'
      : 'less than';
  return `must be ${bound} ${limit}, got ${quote(path, input)}`;
}

/** What to do about a value of the wrong type, where its type alone says it. */
function typeHint(issue: z.core.$ZodIssueInvalidType, input: unknown, path: JsonPath): string | undefined {
  if (path.length === 0) return undefined;
  if (input === null) return 'leave the property out instead of null';
  if (issue.expected === 'boolean' && typeof input === 'string') return 'write true or false without quotes';
  return undefined;
}

/** Properties Auth0 sets itself: an Auth0 export carries them, an import may not. */
const SET_BY_AUTH0 = new Set([
  'created_at',
  'updated_at',
  'identities',
  'last_ip',
  'last_login',
  'logins_count',
]);

function unknownProperty(path: JsonPath, key: string): UserIssue {
  const where = path.length === 0 ? '' : ` in ${fieldName(path)}`;
  const allowed = allowedKeys(path);
  const near = closeNames(key, allowed);
  let hint: string;
  if (near.length > 0) hint = `did you mean ${quoteAll(near)}?`;
  else if (path.length === 0 && SET_BY_AUTH0.has(key)) hint = `Auth0 sets ${key} itself: remove it`;
  else if (path.length === 0) {
    hint = `keep custom data in user_metadata or app_metadata; a user's own properties are ${allowed.join(', ')}`;
  } else hint = `allowed here: ${allowed.join(', ')}`;
  return { path: [...path, key], at: 'key', message: `unknown property ${quoteName(key)}${where}`, hint };
}

/** The property names the schema allows in the object at `path`. */
function allowedKeys(path: JsonPath): string[] {
  let schema: z.core.$ZodType = UserSchema;
  for (const segment of [...path, undefined]) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap();
    if (segment === undefined) break;
    if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodObject && typeof segment === 'string') {
      const next: z.core.$ZodType | undefined = schema.shape[segment];
      if (next === undefined) return [];
      schema = next;
    } else return [];
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

const LONGEST_NAME_COMPARED = 64;

/** Allowed names a mistyped one was probably meant to be: same letters ignoring case and `_`/`-`, or a typo or two away. */
function closeNames(name: string, allowed: readonly string[]): string[] {
  if (name.length > LONGEST_NAME_COMPARED) return [];
  const plain = simplify(name);
  return allowed.filter((candidate) => {
    const other = simplify(candidate);
    return other === plain || editDistance(plain, other) <= Math.min(2, Math.floor(other.length / 3));
  });
}

const simplify = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

const quoteAll = (names: readonly string[]) => names.map((name) => JSON.stringify(name)).join(' or ');

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
