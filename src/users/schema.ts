/**
 * One user of an Auth0 bulk-import file: the schema Auth0 documents plus its prose rules, as one
 * zod schema, and `checkUser`, which turns what it finds into issues a person can act on.
 */
import { z } from 'zod';
import { formatJsonPath, type JsonPath, type UserIssue } from './problem.js';
import {
  ALGORITHMS,
  DIGESTS,
  PASSWORD_ENCODINGS,
  SALT_POSITIONS,
  VALUE_ENCODINGS,
  checkCustomPasswordHash,
  checkEmailLocalPart,
  checkMetadataKeyNames,
  checkOnePasswordHash,
  checkPasswordHash,
  checkProfileSize,
  checkReservedAppMetadataKeys,
  checkUserId,
  describeSecret,
  describeValue,
  isJsonObject,
  isPowerOfTwoAboveOne,
  isWholeNumber,
  type Report,
} from './user-rules.js';

// Conventions the issue translation below relies on:
// - a pattern's message says what is expected ("an E.164 phone number ..."); a rule's says what is
//   wrong with the value at its path ("must be ..., got ...");
// - nothing aborts (no z.int(), no array .max()): an explicit abort would skip the object-level
//   rules above it, and checkUser must report every problem at once.

/** A rule over a value that passed its own type; it does not run on one that did not. */
function rule<T>(check: (value: T, report: Report) => void) {
  return z.superRefine<T>((value, ctx) =>
    check(value, ({ path, message, ...params }) =>
      ctx.addIssue({ code: 'custom', path: [...path], message, params }),
    ),
  );
}

/**
 * A rule over an object that runs even when some of its properties are wrong, so that its
 * problems are reported beside theirs; it must read every property defensively.
 */
function objectRule(check: (value: Readonly<Record<string, unknown>>, report: Report) => void) {
  return z.superRefine<Readonly<Record<string, unknown>>>(
    (value, ctx) =>
      check(value, ({ path, message, ...params }) =>
        ctx.addIssue({ code: 'custom', path: [...path], message, params }),
      ),
    { when: (payload) => isJsonObject(payload.value) },
  );
}

function mustBe<T>(expected: string, test: (value: T) => boolean) {
  return rule<T>((value, report) => {
    if (!test(value)) report({ path: [], message: `must be ${expected}, got ${describeValue(value)}` });
  });
}

const E164 = /^\+[0-9]{1,15}$/;
// Labels exclude "." so every text matches one way only: linear time even on huge input.
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@(?:[^\s@"(),:;<>[\\\].]+\.)+[^\s@"(),:;<>[\\\].]+$/;
const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i;
const BASE32 = /^[A-Z2-7]+$/;

const Email = z
  .string()
  .max(254)
  .regex(EMAIL, 'an email address like "name@example.com"')
  .check(rule(checkEmailLocalPart));
const PhoneNumber = z
  .string()
  .regex(E164, 'an E.164 phone number: "+" and 1 to 15 digits, no spaces (e.g. "+14155550123")');
const PositiveInteger = z.number().positive().check(mustBe('a whole number', isWholeNumber));
const Metadata = z.custom<Record<string, unknown>>(isJsonObject, {
  error: (issue) => `must be a JSON object, got ${describeValue(issue.input)}`,
});

const EncodedValue = {
  value: z.string(),
  encoding: z.enum(VALUE_ENCODINGS).optional(),
};

const CustomPasswordHash = z
  .strictObject({
    algorithm: z.enum(ALGORITHMS),
    hash: z.strictObject({
      ...EncodedValue,
      digest: z.enum(DIGESTS).optional(),
      key: z.strictObject(EncodedValue).optional(),
    }),
    salt: z.strictObject({ ...EncodedValue, position: z.enum(SALT_POSITIONS).optional() }).optional(),
    password: z.strictObject({ encoding: z.enum(PASSWORD_ENCODINGS).optional() }).optional(),
    keylen: PositiveInteger.optional(),
    cost: z.number().check(mustBe('a power of two above 1 (e.g. 16384)', isPowerOfTwoAboveOne)).optional(),
    blockSize: PositiveInteger.optional(),
    parallelization: PositiveInteger.optional(),
  })
  .check(objectRule(checkCustomPasswordHash));

const MFA_FACTOR_KINDS = ['totp', 'phone', 'email'] as const;

const MfaFactor = z
  .strictObject({
    totp: z
      .strictObject({
        secret: z
          .string()
          .regex(BASE32, 'a base32 TOTP secret: only A-Z and 2-7, without "=" padding or spaces'),
      })
      .optional(),
    phone: z.strictObject({ value: PhoneNumber }).optional(),
    email: z.strictObject({ value: Email }).optional(),
  })
  .check(
    objectRule((factor, report) => {
      const kinds = MFA_FACTOR_KINDS.filter((kind) => factor[kind] !== undefined);
      if (kinds.length === 1) return;
      report({
        path: [],
        message: `must hold exactly one of totp, phone or email, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`,
        hint: kinds.length === 0 ? undefined : 'give each factor its own item in mfa_factors',
      });
    }),
  );

const MFA_FACTORS_MAX = 10;

export const UserSchema = z
  .strictObject({
    email: Email,
    email_verified: z.boolean().optional(),
    user_id: z.string().check(rule(checkUserId)).optional(),
    username: z.string().min(1).max(128).optional(),
    given_name: z.string().min(1).max(150).optional(),
    family_name: z.string().min(1).max(150).optional(),
    name: z.string().min(1).max(150).optional(),
    nickname: z.string().min(1).max(350).optional(),
    picture: z
      .string()
      .regex(HTTP_URL, 'an http or https URL (e.g. "https://example.com/me.png")')
      .optional(),
    blocked: z.boolean().optional(),
    password_hash: z.string().check(rule(checkPasswordHash)).optional(),
    custom_password_hash: CustomPasswordHash.optional(),
    app_metadata: Metadata.check(rule(checkReservedAppMetadataKeys), rule(checkMetadataKeyNames)).optional(),
    user_metadata: Metadata.check(rule(checkMetadataKeyNames)).optional(),
    mfa_factors: z
      .array(MfaFactor)
      .min(1)
      .check(
        rule((factors, report) => {
          if (factors.length <= MFA_FACTORS_MAX) return;
          report({ path: [], message: `must have at most ${MFA_FACTORS_MAX} items, got ${factors.length}` });
        }),
      )
      .optional(),
    // Newer docs only (unsure: another page says phone numbers cannot be imported).
    phone_number: PhoneNumber.optional(),
    phone_verified: z.boolean().optional(),
  })
  .check(objectRule(checkOnePasswordHash), objectRule(checkProfileSize));

export type User = z.infer<typeof UserSchema>;

/** Every problem with one user, or none; never throws, whatever it is given. */
export function checkUser(user: unknown): UserIssue[] {
  if (UserSchema.safeParse(user).success) return [];
  // Failures are rare: parse again keeping each issue's input, which the messages quote.
  const { error } = UserSchema.safeParse(user, { reportInput: true });
  return error === undefined ? [] : error.issues.flatMap(toUserIssues);
}

type ZodIssue = z.core.$ZodIssue;

function toUserIssues(issue: ZodIssue): UserIssue[] {
  const path: JsonPath = issue.path.map((segment) =>
    typeof segment === 'symbol' ? String(segment) : segment,
  );
  const field = label(path);
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownProperty(path, key));
    case 'invalid_type': {
      if (path.length === 0) {
        return [{ path, message: `a user must be a JSON object, got ${describeValue(input)}` }];
      }
      if (input === undefined) return [{ path: path.slice(0, -1), message: `${field} is required` }];
      const hint = input === null ? 'leave the property out rather than setting it to null' : undefined;
      return [
        {
          path,
          message: `${field} must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${show(input, path)}`,
          hint,
        },
      ];
    }
    case 'too_small':
    case 'too_big':
      return [{ path, message: `${field} ${sizeProblem(issue)}` }];
    case 'invalid_value': {
      const allowed = issue.values.map((value) => JSON.stringify(value));
      const near = closeNames(String(input), issue.values.map(String));
      return [
        {
          path,
          message: `${field} must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}, got ${describeValue(input)}`,
          hint: near.length > 0 ? `did you mean ${quoteAll(near)}?` : undefined,
        },
      ];
    }
    case 'invalid_format':
      return [{ path, message: `${field} must be ${issue.message}, got ${show(input, path)}` }];
    case 'custom': {
      const { hint, at, missing } = (issue.params ?? {}) as { hint?: string; at?: 'key'; missing?: true };
      const placed = missing ? path.slice(0, -1) : path;
      return [
        { path: placed, message: `${field} ${issue.message}`, ...(hint && { hint }), ...(at && { at }) },
      ];
    }
    default:
      return [{ path, message: `${field}: ${issue.message}` }];
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'an array',
};

function sizeProblem(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
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
  return `must be ${bound} ${limit}, got ${describeValue(input)}`;
}

/** The user's path as a reader names it: `custom_password_hash.hash.value`, `mfa_factors[0].totp`. */
function label(path: JsonPath): string {
  return path.length === 0 ? 'the user' : formatJsonPath(path).replace(/^\./, '');
}

/** Hash values, salts and TOTP secrets are credentials: messages give their shape, not their text. */
function show(value: unknown, path: JsonPath): string {
  const secret =
    path[0] === 'password_hash' ||
    (path[0] === 'custom_password_hash' && path[path.length - 1] === 'value') ||
    path[path.length - 2] === 'totp';
  return secret ? describeSecret(value) : describeValue(value);
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
  const where = path.length === 0 ? '' : ` in ${label(path)}`;
  const allowed = allowedKeys(path);
  const near = closeNames(key, allowed);
  let hint: string;
  if (near.length > 0) hint = `did you mean ${quoteAll(near)}?`;
  else if (path.length === 0 && SET_BY_AUTH0.has(key)) hint = `Auth0 sets ${key} itself: remove it`;
  else if (path.length === 0) {
    hint = `keep custom data in user_metadata or app_metadata; a user's own properties are ${allowed.join(', ')}`;
  } else hint = `allowed here: ${allowed.join(', ')}`;
  return { path: [...path, key], at: 'key', message: `unknown property ${describeValue(key)}${where}`, hint };
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
