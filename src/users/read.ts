/** Finds the users files a run covers and reads them as text, refusing anything outside the workspace. */
import { fstatSync, readSync } from 'node:fs';
import { glob, open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { positionAt } from './json-text.js';
import type { TextPieces } from './locate.js';
import type { Problem } from './problem.js';

/** Beyond this a file is refused: users must split it (users-file takes a glob). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface UsersFileText {
  /** Relative to the workspace, with forward slashes: what annotations and the summary show. */
  file: string;
  /** The whole text; absent for a file read as the scan goes (see `stream`). */
  text?: string;
  /**
   * For a file larger than one block: its text a piece at a time, each but the last ending with a
   * line break, read from the file as the scan asks for it, so that the file is never held whole.
   */
  stream?: () => TextPieces;
  /** For such a file, the file itself, open, so that its users' texts can be read again when needed. */
  disk?: UsersFileOnDisk;
}

/** A users file that cannot be used is a Problem: it has a message, a text has none. */
export function isUnreadable(read: UsersFileText | Problem): read is Problem {
  return 'message' in read;
}

/** The whole text of a users file, read again from the file if it was read as the scan went. */
export function wholeText(read: UsersFileText): string {
  return read.text ?? read.stream?.().whole() ?? '';
}

/** A users file kept open: the bytes validated are the bytes read again, even if the path is replaced. */
export interface UsersFileOnDisk {
  file: string;
  fd: number;
  /** Bytes before the text: 3 with a UTF-8 BOM, else 0. */
  textStart: number;
}

/**
 * Handles of files whose users are read again later. Held here so that none is closed by the
 * garbage collector while a user of it may still be sent; the process's exit closes them.
 */
const keptOpen = new Set<FileHandle>();

/** A users-file input that cannot be honoured at all: no match, or a path outside the workspace. */
export class UsersFileError extends Error {}

/** `users-file` holds one path or glob per line. Matches are sorted and de-duplicated. */
export async function resolveUsersFiles(patterns: readonly string[], workspace: string): Promise<string[]> {
  const root = await realpath(workspace);
  const found = new Set<string>();
  for (const pattern of patterns) {
    const inWorkspace = path.isAbsolute(pattern) ? await relativeToRoot(pattern, root) : pattern;
    if (inWorkspace === undefined) {
      throw new UsersFileError(
        `users-file: "${pattern}" is outside the workspace (${workspace}); use a path inside the repository`,
      );
    }
    const matches: string[] = [];
    for await (const match of glob(inWorkspace, { cwd: root })) matches.push(match);
    if (matches.length === 0) {
      throw new UsersFileError(
        `users-file: "${pattern}" matches no file in the workspace (${workspace}); check the path and that the repository is checked out`,
      );
    }
    for (const match of matches) {
      const absolute = path.resolve(root, match);
      const real = await realpath(absolute).catch((error: unknown) => {
        const code = (error as { code?: unknown }).code;
        throw new UsersFileError(
          `users-file: "${match}" cannot be followed (${typeof code === 'string' ? code : String(error)}): a dangling symlink or a symlink loop; point it at a file in the workspace or remove it`,
        );
      });
      if (!isInside(root, real)) {
        throw new UsersFileError(
          `users-file: "${match}" resolves to ${real}, outside the workspace; symlinks and .. may not leave it`,
        );
      }
      if ((await stat(real)).isFile()) found.add(toPosix(path.relative(root, absolute)));
    }
  }
  if (found.size === 0)
    throw new UsersFileError(
      `users-file: "${patterns.join(', ')}" matches only directories; name the JSON files`,
    );
  return [...found].sort();
}

/** Only ".." as a whole segment leaves: "..users.json" is a file like any other. */
function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

const GLOB_MAGIC = /[*?[\]{}]|[!+@]\(/;

/**
 * An absolute pattern as one relative to the workspace's real path, or undefined when it points
 * outside. The folders it names are compared as real paths, as the workspace is: a workspace
 * reached through a symlink (or a pattern written through one) still holds its own files.
 */
async function relativeToRoot(pattern: string, root: string): Promise<string | undefined> {
  const segments = path.resolve(pattern).split(path.sep);
  const magic = segments.findIndex((segment) => GLOB_MAGIC.test(segment));
  // The folders before the first glob segment (or before the file name); the file itself stays
  // as named, so a symlinked file is still judged by where it points, as with a relative pattern.
  const folderEnd = magic === -1 ? segments.length - 1 : magic;
  const folder = segments.slice(0, folderEnd).join(path.sep) || path.sep;
  const realFolder = await realpath(folder).catch(() => folder);
  const candidate = path.join(realFolder, ...segments.slice(folderEnd));
  if (!isInside(root, candidate)) return undefined;
  return toPosix(path.relative(root, candidate)) || '.';
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Bytes read at a time: a file larger than this is read as the scan goes, a block at a time. */
const READ_BYTES = 1024 * 1024;

/**
 * Reads one users file as UTF-8 text (a BOM is dropped), or says why it cannot be used. Its bytes
 * are first checked a block at a time (UTF-8, no NUL) without being kept. A file of one block is
 * then decoded whole; a larger one is decoded a piece at a time as the scan asks for it, and kept
 * open so that its users can be read again when they are sent.
 */
export async function readUsersFile(workspace: string, file: string): Promise<UsersFileText | Problem> {
  const absolute = path.resolve(workspace, file);
  const handle = await open(absolute, 'r');
  let keep = false;
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) {
      return fileProblem(
        file,
        `The file is too large: ${size} bytes, at most ${MAX_FILE_BYTES} are read`,
        'Split it into several files; users-file takes a glob.',
      );
    }
    const head = Buffer.alloc(UTF8_BOM.length);
    await handle.read(head, 0, head.length, 0);
    const textStart = hasUtf8Bom(head) ? UTF8_BOM.length : 0;
    if (!(await isCleanUtf8(handle))) {
      const fault = encodingProblem(file, await readFile(absolute));
      if (fault) return fault;
    }
    if (size <= READ_BYTES) {
      const bytes = await readFile(handle);
      return { file, text: bytes.toString('utf8', textStart) };
    }
    keep = true;
    const disk: UsersFileOnDisk = { file, fd: handle.fd, textStart };
    return { file, stream: () => piecesOnDisk(disk), disk };
  } finally {
    if (keep) keptOpen.add(handle);
    else await handle.close();
  }
}

/**
 * The UTF-8 text of a file kept open, from `byteOffset` (in its text: after a BOM) for `byteLength`
 * bytes. Such a file is read in pieces that end at line breaks, which no character's bytes include,
 * so a user's range holds whole characters.
 */
export function readTextAt(disk: UsersFileOnDisk, byteOffset: number, byteLength: number): string {
  return readBytesAt(disk, byteOffset, byteLength).toString('utf8');
}

/** Bytes of the text read again from the open file (offsets into the text, past any BOM). */
export function readBytesAt(
  disk: UsersFileOnDisk,
  byteOffset: number,
  byteLength: number,
  into: Buffer = Buffer.allocUnsafe(byteLength),
): Buffer {
  const bytes = into.subarray(0, byteLength);
  let done = 0;
  while (done < byteLength) {
    const read = readSync(disk.fd, bytes, done, byteLength - done, disk.textStart + byteOffset + done);
    if (read === 0) break;
    done += read;
  }
  if (done < byteLength)
    throw new Error(
      `${disk.file} is shorter than when it was validated: it changed while the action ran; run again`,
    );
  return bytes;
}

/** Whether the file is UTF-8 without NUL, looked at a block at a time and not kept. */
async function isCleanUtf8(handle: FileHandle): Promise<boolean> {
  const blocks = new LineBlocks(0);
  while (!blocks.ended) {
    const { buffer, offset, length, position } = blocks.space();
    const block = blocks.took((await handle.read(buffer, offset, length, position)).bytesRead);
    if (block && (!isUtf8(block) || block.includes(0))) return false;
  }
  return true;
}

/** The text of a file kept open, a piece at a time, read when the scan asks for the next. */
function piecesOnDisk(disk: UsersFileOnDisk): TextPieces {
  const blocks = new LineBlocks(disk.textStart);
  return {
    next() {
      while (!blocks.ended) {
        const { buffer, offset, length, position } = blocks.space();
        const block = blocks.took(readSync(disk.fd, buffer, offset, length, position));
        if (block && block.length > 0) return block.toString('utf8');
      }
      return undefined;
    },
    whole() {
      const { size } = fstatSync(disk.fd);
      return readTextAt(disk, 0, size - disk.textStart);
    },
  };
}

/**
 * A file's bytes cut into blocks that end at line breaks: no line, so no string, number or UTF-8
 * sequence (no byte of one is 0x0a), is cut, and each block decodes on its own. A line longer than
 * the buffer (a minified file is one line) grows it. Read into space(), then took() gives the next
 * block, valid until the next space().
 */
class LineBlocks {
  #buffer = Buffer.allocUnsafe(READ_BYTES);
  #filled = 0;
  #taken = 0;
  ended = false;

  private position: number;

  constructor(position: number) {
    this.position = position;
  }

  space(): { buffer: Buffer; offset: number; length: number; position: number } {
    if (this.#taken > 0) {
      this.#buffer.copy(this.#buffer, 0, this.#taken, this.#filled);
      this.#filled -= this.#taken;
      this.#taken = 0;
    }
    if (this.#filled === this.#buffer.length) {
      const larger = Buffer.allocUnsafe(this.#buffer.length * 2);
      this.#buffer.copy(larger, 0, 0, this.#filled);
      this.#buffer = larger;
    }
    const length = this.#buffer.length - this.#filled;
    return { buffer: this.#buffer, offset: this.#filled, length, position: this.position };
  }

  took(bytesRead: number): Buffer | undefined {
    this.position += bytesRead;
    this.#filled += bytesRead;
    if (bytesRead === 0) this.ended = true;
    const cut = this.ended ? this.#filled : this.#buffer.lastIndexOf(0x0a, this.#filled - 1) + 1;
    if (cut === 0) return undefined;
    this.#taken = cut;
    return this.#buffer.subarray(0, cut);
  }
}

function fileProblem(file: string, message: string, hint?: string, at = { line: 1, column: 1 }): Problem {
  return { file, ...at, path: '', message, ...(hint ? { hint } : {}) };
}

/** What is wrong with bytes that do not decode cleanly as UTF-8; undefined when nothing is (a real U+FFFD). */
function encodingProblem(file: string, bytes: Buffer): Problem | undefined {
  // Positions are counted in the text as an editor shows it: after the BOM, like the JSON's own.
  const start = hasUtf8Bom(bytes) ? UTF8_BOM.length : 0;
  const positionOfByte = (offset: number) => {
    const before = bytes.subarray(start, offset).toString('utf8');
    return positionAt(before, before.length);
  };
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    return fileProblem(
      file,
      'The file is UTF-16 encoded; it must be UTF-8',
      'Save it as UTF-8 (without BOM).',
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return fileProblem(
      file,
      'The file holds NUL bytes: it is binary or UTF-16, not UTF-8 JSON',
      'Save it as UTF-8.',
      positionOfByte(nul),
    );
  }
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    return fileProblem(
      file,
      `The file is not valid UTF-8: byte 0x${(bytes[bad] ?? 0).toString(16)} at offset ${bad}`,
      'Save it as UTF-8.',
      positionOfByte(bad),
    );
  }
  return undefined;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((byte, i) => bytes[i] === byte);
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection: each probe is a native decode.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      // Streaming, a sequence cut short at the end is not yet an error: validity stays monotonic.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  // That prefix may end with the start of a sequence the next byte breaks (latin1 "é@" is e9 40):
  // the fault is the sequence's first byte, not the byte that broke it.
  for (let back = 1; back <= 3 && back <= low; back++) {
    const byte = bytes[low - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? low - back : low;
  }
  return low;
}
