/** Finds the users files a run covers and reads them as text, refusing anything outside the workspace. */
import { glob, open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { positionAt } from './json-text.js';
import type { Problem } from './problem.js';

/** Beyond this a file cannot be held as one string with room to spare; users must split it. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface UsersFileText {
  /** Relative to the workspace, with forward slashes: what annotations and the summary show. */
  file: string;
  text: string;
  /**
   * The same text in pieces, for a file read in more than one: each piece but the last ends with a
   * line break. validateRun reads these, so that a large file is never held as one string (`text`
   * is then the pieces joined with +, which V8 keeps as a rope until something reads it whole).
   */
  pieces?: readonly string[];
}

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

/** Bytes read at a time: the text is kept in pieces of about this size. */
const READ_BYTES = 1024 * 1024;

/**
 * Reads one users file as UTF-8 text (a BOM is dropped), or says why it cannot be used. The file is
 * read once, a block at a time, and decoded as it comes; its bytes are looked at again only when
 * the text shows a replacement character or a NUL, to tell what is wrong with them.
 */
export async function readUsersFile(workspace: string, file: string): Promise<UsersFileText | Problem> {
  const absolute = path.resolve(workspace, file);
  const handle = await open(absolute, 'r');
  let pieces: string[];
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) {
      return fileProblem(
        file,
        `The file is too large: ${size} bytes, at most ${MAX_FILE_BYTES} are read`,
        'Split it into several files; users-file takes a glob.',
      );
    }
    pieces = await readPieces(handle, size);
  } finally {
    await handle.close();
  }
  if (pieces.some((piece) => piece.includes('\uFFFD') || piece.includes('\0'))) {
    const fault = encodingProblem(file, await readFile(absolute));
    if (fault) return fault;
  }
  if (pieces.length <= 1) return { file, text: pieces[0] ?? '' };
  let text = '';
  for (const piece of pieces) text += piece;
  return { file, text, pieces };
}

/** The file's text in pieces that end at line breaks: no line, so no string or number, is cut. */
async function readPieces(handle: FileHandle, size: number): Promise<string[]> {
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(READ_BYTES, size)));
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      // A line longer than the buffer (a minified file is one line): it grows to hold it.
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, filled);
      buffer = larger;
    }
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
    filled += bytesRead;
    const ended = bytesRead === 0;
    const cut = ended ? filled : buffer.lastIndexOf(0x0a, filled - 1) + 1;
    if (cut > 0 || ended) {
      const piece = decoder.decode(buffer.subarray(0, cut), { stream: !ended });
      if (piece !== '') pieces.push(piece);
      buffer.copy(buffer, 0, cut, filled);
      filled -= cut;
    }
    if (ended) return pieces;
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
