/**
 * The valid users of a run, kept in columns of one typed array rather than as an object each. A
 * run of 300,000 users would otherwise keep 300,000 objects that the garbage collector copies out
 * of its young generation one by one; a RunUser is made when it is asked for, and not kept.
 */
import type { LocatedUser } from './locate.js';
import type { UsersFileOnDisk } from './read.js';

/** One valid user of the run, reduced to what sending and reporting need. */
export interface RunUser {
  /** Its place among the run's valid users: two RunUsers with the same ordinal are the same user. */
  ordinal: number;
  file: string;
  /** Index in its file's array. */
  index: number;
  line: number;
  column: number;
  /**
   * A text that holds the user (its file's, or a piece of it) and the user's place in it; userJson()
   * gives what is sent. A user of a file read in pieces holds no text: userText() reads it again from
   * `disk`, at `byteOffset` for `byteLength` bytes, so that a large file is not held all along.
   */
  text: string;
  start: number;
  end: number;
  disk: UsersFileOnDisk | undefined;
  byteOffset: number;
  byteLength: number;
  /** UTF-8 length of userJson(). */
  bytes: number;
  email: string | undefined;
  userId: string | undefined;
}

/** Users in run order: an array will do, and so will the run's own list or a part of it. */
export interface UserList extends Iterable<RunUser> {
  readonly length: number;
  at(index: number): RunUser | undefined;
  slice(start?: number, end?: number): UserList;
  map<T>(make: (user: RunUser, index: number) => T): T[];
}

/** What the users of one file share. */
interface UserSource {
  file: string;
  /** The file's text, when it was read whole. */
  text: string | undefined;
  disk: UsersFileOnDisk | undefined;
}

/**
 * What a user's record holds besides its strings, as offsets into its row of the table. Every value
 * fits in 32 bits: a users file is at most 256 MiB (MAX_FILE_BYTES).
 */
const SOURCE = 0;
const INDEX = 1;
const LINE = 2;
const COLUMN = 3;
const START = 4;
const END = 5;
const BYTE_OFFSET = 6;
const BYTE_LENGTH = 7;
const BYTES = 8;
const ROW = 9;

/** The table validateRun fills, a user at a time. */
export class UserTable {
  readonly #sources: UserSource[] = [];
  #rows = new Int32Array(ROW * 1024);
  #count = 0;
  readonly #emails: (string | undefined)[] = [];
  readonly #userIds: (string | undefined)[] = [];
  /** Texts of users that are neither on disk nor in their file's whole text (pieces held in memory). */
  readonly #ownTexts = new Map<number, string>();

  get length(): number {
    return this.#count;
  }

  /** Names the file the next users come from. */
  addSource(file: string, text: string | undefined, disk: UsersFileOnDisk | undefined): void {
    this.#sources.push({ file, text: disk ? undefined : text, disk });
  }

  /** Adds a user of the file named last, as the scan located it. */
  add(located: LocatedUser, email: string | undefined, userId: string | undefined): void {
    if ((this.#count + 1) * ROW > this.#rows.length) {
      const larger = new Int32Array(this.#rows.length * 2);
      larger.set(this.#rows);
      this.#rows = larger;
    }
    const row = this.#count * ROW;
    const source = this.#sources.at(-1);
    const onDisk = source?.disk !== undefined;
    if (!onDisk && located.text !== source?.text) this.#ownTexts.set(this.#count, located.text);
    this.#rows[row + SOURCE] = this.#sources.length - 1;
    this.#rows[row + INDEX] = located.index;
    this.#rows[row + LINE] = located.line;
    this.#rows[row + COLUMN] = located.column;
    this.#rows[row + START] = onDisk ? 0 : located.offset;
    this.#rows[row + END] = onDisk ? 0 : located.end;
    this.#rows[row + BYTE_OFFSET] = located.byteOffset;
    this.#rows[row + BYTE_LENGTH] = located.byteLength;
    this.#rows[row + BYTES] = located.bytes;
    this.#emails.push(email);
    this.#userIds.push(userId);
    this.#count++;
  }

  /** UTF-8 length of the compact JSON of the user at `ordinal`, without making the user. */
  bytesOf(ordinal: number): number {
    return this.#rows[ordinal * ROW + BYTES]!;
  }

  /** A fresh RunUser for the user at `ordinal`. */
  user(ordinal: number): RunUser {
    const row = ordinal * ROW;
    const rows = this.#rows;
    const source = this.#sources[rows[row + SOURCE]!]!;
    return {
      ordinal,
      file: source.file,
      index: rows[row + INDEX]!,
      line: rows[row + LINE]!,
      column: rows[row + COLUMN]!,
      text: source.disk ? '' : (this.#ownTexts.get(ordinal) ?? source.text ?? ''),
      start: rows[row + START]!,
      end: rows[row + END]!,
      disk: source.disk,
      byteOffset: rows[row + BYTE_OFFSET]!,
      byteLength: rows[row + BYTE_LENGTH]!,
      bytes: rows[row + BYTES]!,
      email: this.#emails[ordinal],
      userId: this.#userIds[ordinal],
    };
  }
}

/** A run's valid users, or some of them, in run order; each RunUser is made as it is read. */
export class RunUsers implements UserList {
  readonly #table: UserTable;
  /** The ordinals listed; undefined for every user of the table. */
  readonly #ordinals: Int32Array | undefined;
  readonly #from: number;
  readonly length: number;

  constructor(table: UserTable, ordinals?: Int32Array, from = 0, to = ordinals?.length ?? table.length) {
    this.#table = table;
    this.#ordinals = ordinals;
    this.#from = from;
    this.length = Math.max(0, to - from);
  }

  #ordinal(index: number): number {
    return this.#ordinals ? this.#ordinals[this.#from + index]! : this.#from + index;
  }

  at(index: number): RunUser | undefined {
    const i = index < 0 ? index + this.length : index;
    return i >= 0 && i < this.length ? this.#table.user(this.#ordinal(i)) : undefined;
  }

  /** UTF-8 length of the compact JSON of each user, in order. */
  bytes(): number[] {
    const bytes = new Array<number>(this.length);
    for (let i = 0; i < this.length; i++) bytes[i] = this.#table.bytesOf(this.#ordinal(i));
    return bytes;
  }

  slice(start = 0, end = this.length): RunUsers {
    const clamp = (at: number) => Math.min(this.length, Math.max(0, at < 0 ? at + this.length : at));
    return new RunUsers(this.#table, this.#ordinals, this.#from + clamp(start), this.#from + clamp(end));
  }

  /** The users with these ordinals, in the order given. */
  pick(ordinals: Int32Array): RunUsers {
    return new RunUsers(this.#table, ordinals);
  }

  map<T>(make: (user: RunUser, index: number) => T): T[] {
    const made = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) made[i] = make(this.#table.user(this.#ordinal(i)), i);
    return made;
  }

  *[Symbol.iterator](): Iterator<RunUser> {
    for (let i = 0; i < this.length; i++) yield this.#table.user(this.#ordinal(i));
  }
}
