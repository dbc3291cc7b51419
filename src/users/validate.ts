/** Every problem of a run's users files, found before anything is sent, each at its file, line and column. */
import { IdentityIndex } from './identity-index.js';
import { compactJsonBytes, offsetOfPath, positionAt } from './json-text.js';
import { compactJson, scanUsers } from './locate.js';
import { formatJsonPath, type JsonPath, type Problem } from './problem.js';
import { isQuotable, quote } from './quotable.js';
import { readBytesAt, readTextAt, type UsersFileText } from './read.js';
import { RunUsers, UserTable, type RunUser, type UserList } from './run-users.js';
import { checkUser } from './schema.js';

export type { RunUser, UserList } from './run-users.js';

export interface RunValidation {
  users: RunUsers;
  /** Users per file, in run order. */
  files: { file: string; users: number }[];
  /** Sorted by file, line and column. */
  problems: Problem[];
}

/** Identities Auth0 requires to be unique within a connection, and how it compares them. */
const UNIQUE_PROPERTIES = [
  { property: 'email', comparison: 'ignore case' },
  { property: 'user_id', comparison: 'exact' },
  { property: 'username', comparison: 'ignore case' },
  { property: 'phone_number', comparison: 'exact' },
] as const;

export function validateRun(texts: readonly UsersFileText[]): RunValidation {
  const table = new UserTable();
  const files: RunValidation['files'] = [];
  const problems: Problem[] = [];
  // Each identity seen, with where the first user that has it stands: its line and the index of
  // its file, as one number (line × files + file index), so that no object is kept per user.
  const seen = UNIQUE_PROPERTIES.map(({ comparison }) => new IdentityIndex(comparison));
  const placeOf = (where: number): string =>
    `${texts[where % texts.length]?.file}:${Math.floor(where / texts.length)}`;

  for (const [fileIndex, { file, text, stream, disk }] of texts.entries()) {
    let count = 0;
    table.addSource(file, text, disk);
    const fileProblems = scanUsers(file, stream?.() ?? text ?? '', (located, value) => {
      count++;
      const at = (path: JsonPath, key?: 'key') =>
        positionAt(located.text, offsetOfPath(located.text, located.offset, path, key), located);
      const issues = checkUser(value, located.bytes);
      for (const issue of issues) {
        problems.push({
          file,
          ...at(issue.path, issue.at),
          path: formatJsonPath([located.index, ...issue.path]),
          message: issue.message,
          ...(issue.hint ? { hint: issue.hint } : {}),
        });
      }
      const record = (value ?? {}) as Record<string, unknown>;
      for (let i = 0; i < UNIQUE_PROPERTIES.length; i++) {
        const { property } = UNIQUE_PROPERTIES[i]!;
        const raw = record[property];
        if (typeof raw !== 'string') continue;
        const earlier = seen[i]!.firstOrAdd(raw, located.line * texts.length + fileIndex);
        if (earlier === undefined) continue;
        // A value the policy keeps secret (a phone number) is named by its property alone.
        const shown = isQuotable([property]) ? ` ${quote([property], raw)}` : '';
        problems.push({
          file,
          ...at([property]),
          path: formatJsonPath([located.index, property]),
          message: `Duplicate ${property}${shown}: the same user is also at ${placeOf(earlier)}`,
          hint: 'Keep one of them: Auth0 fails repeats within a job, and a later job would report DUPLICATED_USER.',
        });
      }
      if (issues.length === 0) {
        const { email, user_id: userId } = record;
        table.add(
          located,
          typeof email === 'string' ? email : undefined,
          typeof userId === 'string' ? userId : undefined,
        );
      }
    });
    problems.push(...fileProblems);
    files.push({ file, users: count });
  }

  problems.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
  return { users: new RunUsers(table), files, problems };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A text that holds the user, and where in it the user stands: the one held, or read again from its file. */
export function userText(user: RunUser): { text: string; start: number; end: number } {
  if (!user.disk) return user;
  const text = readTextAt(user.disk, user.byteOffset, user.byteLength);
  return { text, start: 0, end: text.length };
}

/** The user's compact JSON, exactly what goes into the users part. */
export function userJson(user: RunUser): string {
  const { text, start, end } = userText(user);
  return validatedJson(user, compactJson(text, start, end));
}

/** A user read again from disk must be the one validated: the same compact JSON length at least. */
function validatedJson(user: RunUser, json: string): string {
  if (user.disk && Buffer.byteLength(json) !== user.bytes) throw changedSince(user);
  return json;
}

function changedSince(user: RunUser): Error {
  return new Error(
    `${user.file}:${user.line} is not what was validated: the file changed while the action ran; run again`,
  );
}

/** Neighbours of one file read again together: at most this many bytes in one read... */
const READ_TOGETHER_BYTES = 4 << 20;
/** ...and no more than this between two of them. */
const READ_ACROSS_BYTES = 64 << 10;

/**
 * One buffer for every read of neighbours: its bytes are copied out at once and never kept, and a
 * run of 100 chunks allocates it once instead of 100 times (memory freed that late stays with the
 * process).
 */
let scratchBytes: Buffer | undefined;
function scratch(size: number): Buffer {
  if (!scratchBytes || scratchBytes.length < size) scratchBytes = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  return scratchBytes;
}

/**
 * The users as a users part, `[` their userJson() joined by `,` `]`, written into `into` from `at`;
 * returns where it ends. Users read again from disk that lie close together in their file are read
 * in one go and compacted byte for byte: a chunk of 1,000 users is one read and no string.
 */
export function writeUsersPart(users: UserList, into: Buffer, at: number): number {
  let out = at;
  into[out++] = 0x5b; // [
  let i = 0;
  while (i < users.length) {
    const first = users.at(i)!;
    const { disk } = first;
    if (!disk) {
      if (i > 0) into[out++] = 0x2c; // ,
      const json = userJson(first);
      out += into.write(json, out);
      i++;
      continue;
    }
    let next = i + 1;
    let end = first.byteOffset + first.byteLength;
    for (; next < users.length; next++) {
      const user = users.at(next)!;
      const userEnd = user.byteOffset + user.byteLength;
      if (
        user.disk !== disk ||
        user.byteOffset < end ||
        user.byteOffset - end > READ_ACROSS_BYTES ||
        userEnd - first.byteOffset > READ_TOGETHER_BYTES
      )
        break;
      end = userEnd;
    }
    const bytes = readBytesAt(
      disk,
      first.byteOffset,
      end - first.byteOffset,
      scratch(end - first.byteOffset),
    );
    for (; i < next; i++) {
      const user = users.at(i)!;
      if (i > 0) into[out++] = 0x2c; // ,
      const from = user.byteOffset - first.byteOffset;
      const written = compactJsonBytes(bytes, from, from + user.byteLength, into, out) - out;
      if (written !== user.bytes) throw changedSince(user);
      out += written;
    }
  }
  into[out++] = 0x5d; // ]
  return out;
}
