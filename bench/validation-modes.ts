/**
 * What the validation bench times: the action's whole dry-run path, and the two baselines it is held
 * against, JSON.parse alone and ajv with a JSON Schema of the user record (what a user would reach for).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { planChunks } from '../src/users/chunks.js';
import { scanUsers } from '../src/users/locate.js';
import { readUsersFile, type UsersFileText } from '../src/users/read.js';
import { checkUser } from '../src/users/schema.js';
import { validateRun } from '../src/users/validate.js';
import { DEFAULT_MAX_CHUNK_BYTES, timeMs } from './measure.js';

export const MODES = ['parse', 'dry-run', 'ajv'] as const;
export type Mode = (typeof MODES)[number];

/** Compiled once per process, as a user's script would: compiling is not part of the timed work. */
const validateUser = (() => {
  const ajv = new Ajv({ allErrors: true });
  formats.default(ajv);
  const schema: unknown = JSON.parse(
    readFileSync(new URL('./auth0-user.schema.json', import.meta.url), 'utf8'),
  );
  return ajv.compile(schema as object);
})();

/** Every generated user is valid: a mode that finds otherwise is broken, not fast. */
function refuse(mode: Mode, what: string): never {
  throw new Error(`${mode}: the generated users should all be valid, but ${what}`);
}

export function parseUsers(text: string): number {
  return (JSON.parse(text) as unknown[]).length;
}

/** JSON.parse, then the schema on each user, every error collected (as the action reports them all). */
export function ajvUsers(text: string): number {
  const users = JSON.parse(text) as unknown[];
  for (const user of users) {
    if (!validateUser(user)) refuse('ajv', JSON.stringify(validateUser.errors));
  }
  return users.length;
}

async function readText(workspace: string, file: string): Promise<UsersFileText> {
  const read = await readUsersFile(workspace, file);
  return 'text' in read ? read : refuse('dry-run', read.message);
}

/** What `dry-run: true` does with a file: read, locate and validate every user, plan the chunks. */
export async function dryRun(workspace: string, file: string): Promise<number> {
  const validation = validateRun([await readText(workspace, file)]);
  if (validation.problems.length > 0) refuse('dry-run', JSON.stringify(validation.problems[0]));
  return planChunks(
    validation.users.map((user) => user.bytes),
    DEFAULT_MAX_CHUNK_BYTES,
  ).chunks.length;
}

export async function runMode(mode: Mode, workspace: string, file: string, text: string): Promise<number> {
  if (mode === 'dry-run') return dryRun(workspace, file);
  return mode === 'parse' ? parseUsers(text) : ajvUsers(text);
}

/** Where the dry-run's time goes, one stage at a time (ms). */
export interface DryRunProfile {
  read: number;
  /** scanUsers less the JSON.parse of each user: the pass over the text, char by char. */
  walk: number;
  /** JSON.parse of each user's text, as scanUsers does it. */
  parseEachUser: number;
  /** checkUser (the zod schema and Auth0's prose rules) on every parsed user. */
  checkUser: number;
  /** The rest of validateRun: duplicate emails / ids / usernames, the list of users. */
  rest: number;
  plan: number;
}

export async function profileDryRun(workspace: string, file: string): Promise<DryRunProfile> {
  let read: UsersFileText | undefined;
  const readMs = await timeMs(async () => (read = await readText(workspace, file)));
  const { text } = read!;
  const values: unknown[] = [];
  const spans: [number, number][] = [];
  const scan = await timeMs(() =>
    scanUsers(file, text, (user, value) => {
      values.push(value);
      spans.push([user.offset, user.end]);
    }),
  );
  const parseEachUser = await timeMs(() =>
    spans.forEach(([start, end]) => JSON.parse(text.slice(start, end))),
  );
  const checkUserMs = await timeMs(() => values.forEach((value) => checkUser(value)));
  let bytes: number[] = [];
  const validateMs = await timeMs(() => (bytes = validateRun([read!]).users.map((user) => user.bytes)));
  const plan = await timeMs(() => planChunks(bytes, DEFAULT_MAX_CHUNK_BYTES));
  return {
    read: readMs,
    walk: scan - parseEachUser,
    parseEachUser,
    checkUser: checkUserMs,
    rest: validateMs - scan - checkUserMs,
    plan,
  };
}
