/**
 * The fast path over a users file: one linear pass finds each user's text, start line and column,
 * and its compact JSON (what is sent), then JSON.parse gives its value. No position tree is built;
 * json-text.ts works out exact positions only where something is wrong.
 */
import {
  findLoneSurrogateEscape,
  findSyntaxFault,
  isJsonWhitespace,
  positionAt,
  skipString,
  type Anchor,
} from './json-text.js';
import type { Problem } from './problem.js';

export interface LocatedUser extends Anchor {
  /** Index in its file's top-level array. */
  index: number;
  /** Offset just past the user's text. */
  end: number;
  /**
   * The text that `offset` and `end` are offsets in: the file's text or the piece of it that holds
   * the user, or the user's own text when it spans pieces.
   */
  text: string;
  /** UTF-8 length of the user's compact JSON (see compactJson): what it adds to a users part. */
  bytes: number;
  /** Where the user's text starts in the file's text as UTF-8 (a BOM not counted), and its UTF-8 length. */
  byteOffset: number;
  byteLength: number;
}

/** Deeper than this, a user is refused before parsing: no Auth0 profile nests so deep. */
export const MAX_DEPTH = 64;

const QUOTE = 0x22;

function fileProblem(file: string, text: string, offset: number, message: string, hint?: string): Problem {
  const { line, column } = positionAt(text, offset);
  return { file, line, column, path: '', message, ...(hint ? { hint } : {}) };
}

/** The first syntax error of a file whose fast scan went wrong, with its exact place. */
function syntaxProblem(file: string, text: string, fallbackOffset: number): Problem {
  const fault = findSyntaxFault(text) ?? { offset: fallbackOffset, message: 'Malformed JSON' };
  return fileProblem(
    file,
    text,
    fault.offset,
    fault.message,
    'Fix the JSON syntax; nothing is imported until the file parses.',
  );
}

/**
 * The jq filter that turns an Auth0 export into an importable file: an array, without the fields
 * Auth0 sets itself, user_ids without their `auth0|` prefix (import adds it).
 */
export function ndjsonConversion(file: string): string {
  const target = file.replace(/\.(nd)?jsonl?$|\.ndjson$/i, '') + '.json';
  const output = target === file ? file.replace(/\.json$/i, '.array.json') : target;
  const quoted = (name: string) => (/^[\w./-]+$/.test(name) ? name : `'${name.replace(/'/g, "'\\''")}'`);
  return `jq -s 'map(del(.created_at, .updated_at, .identities, .last_ip, .last_login, .logins_count) | if .user_id then .user_id |= sub("^auth0\\\\|"; "") else . end)' ${quoted(file)} > ${quoted(output)}`;
}

function notAnArray(file: string, text: string, offset: number): Problem {
  if (text.charCodeAt(offset) === 0x7b) {
    const afterFirst = findSyntaxFault(text, { start: offset });
    const looksLikeNdjson =
      afterFirst !== undefined && /^\s*\{/.test(text.slice(afterFirst.offset, afterFirst.offset + 64));
    if (looksLikeNdjson) {
      return fileProblem(
        file,
        text,
        offset,
        'This is NDJSON (one user per line, as an Auth0 export is): an import needs a JSON array of users',
        `Convert it, dropping what Auth0 sets itself and the auth0| prefix of user_id: \`${ndjsonConversion(file)}\`, then delete ${file}.`,
      );
    }
    return fileProblem(
      file,
      text,
      offset,
      'The top level is an object, but it must be a JSON array of users',
      'Wrap the user in [ ].',
    );
  }
  if (offset >= text.length)
    return fileProblem(file, text, offset, 'The file is empty: it must be a JSON array of users');
  const fault = findSyntaxFault(text, { start: offset });
  if (fault) return fileProblem(file, text, fault.offset, fault.message);
  return fileProblem(file, text, offset, 'The top level must be a JSON array of users');
}

/** Number of key/value pairs in a parsed value, to spot duplicate keys that JSON.parse dropped. */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countKeys(item);
    return count;
  }
  for (const key in value) count += 1 + countKeys((value as Record<string, unknown>)[key]);
  return count;
}

/**
 * A file's text a piece at a time, each but the last ending with a line break: read as the scan
 * goes, so that a large file is never held whole. `whole` gives all of it, for the exact place of a
 * fault in the file as a whole (the rare path).
 */
export interface TextPieces {
  next(): string | undefined;
  whole(): string;
}

/** Pieces already in hand, each but the last ending with a line break. */
export function piecesOf(pieces: readonly string[]): TextPieces {
  let index = 0;
  return { next: () => pieces[index++], whole: () => pieces.join('') };
}

/** Where the walk over one user stands; kept from one piece to the next when the user spans them. */
interface Walk {
  depth: number;
  colons: number;
  whitespace: number;
  line: number;
  lineStart: number;
  /** Offset in the whole text of the first bracket past MAX_DEPTH, or -1. */
  tooDeepAt: number;
}

/**
 * The hot loop of the scan, over one piece and local variables only: walks a value that opens
 * with a bracket until its brackets close, counting what the checks after it need. Returns the
 * offset just past the value, `text.length` when the piece ends first (walk.depth > 0), or -1 at a
 * string the piece does not close.
 */
function walkValue(text: string, from: number, base: number, walk: Walk): number {
  const length = text.length;
  let { depth, colons, whitespace, line, lineStart, tooDeepAt } = walk;
  let i = from;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0d) {
      whitespace++;
    } else if (code === 0x0a) {
      whitespace++;
      line++;
      lineStart = i + 1;
    } else if (code === QUOTE) {
      i = skipString(text, i);
      if (i === -1) break;
      continue;
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > MAX_DEPTH && tooDeepAt === -1) tooDeepAt = base + i;
    } else if (code === 0x7d || code === 0x5d) {
      if (--depth === 0) {
        i++;
        break;
      }
    } else if (code === 0x3a) {
      colons++;
    }
    i++;
  }
  walk.depth = depth;
  walk.colons = colons;
  walk.whitespace = whitespace;
  walk.line = line;
  walk.lineStart = lineStart;
  walk.tooDeepAt = tooDeepAt;
  return i;
}

/**
 * Walks the users file and calls `visit` with every user and its parsed value, in file order.
 * `text` is the whole text, or its pieces as readUsersFile streams them (each but the last ending
 * with a line break); a user may span pieces. Returns the problems of the file and of its text
 * (syntax, duplicate keys, nesting); after a syntax error no user is visited beyond it.
 */
export function scanUsers(
  file: string,
  text: string | TextPieces,
  visit: (user: LocatedUser, value: unknown) => void,
): Problem[] {
  const source = typeof text === 'string' ? piecesOf([text]) : text;
  const problems: Problem[] = [];
  /** Problems with the file as a whole are placed in the whole text, joined only for them. */
  let wholeText: string | undefined;
  const whole = () => (wholeText ??= source.whole());
  let piece = source.next() ?? '';
  /** The piece after this one, read ahead to know where the file ends. */
  let upcoming = source.next();
  /** The pieces since the current user started: its text when it spans them. */
  let held: string[] = [piece];
  let length = piece.length;
  /** Offset of the piece in the whole text. */
  let base = 0;
  /** The piece's UTF-8 offset in the whole text; whether it is ASCII only (most files), known when asked. */
  let byteBase = 0;
  let ascii: boolean | undefined;
  /** In a piece that is not ASCII, the last user start whose UTF-8 offset was counted: counting goes on from it. */
  let counted = { offset: 0, bytes: 0 };
  const isAscii = () => (ascii ??= Buffer.byteLength(piece) === length);
  const byteOffsetAt = (offset: number): number => {
    if (isAscii()) return byteBase + offset;
    counted = { offset, bytes: counted.bytes + Buffer.byteLength(piece.slice(counted.offset, offset)) };
    return byteBase + counted.bytes;
  };
  let line = 1;
  /** Offset in the piece where the line starts (negative when it started in an earlier one). */
  let lineStart = 0;
  let i = 0;

  /** To the start of the next piece; false at the end of the file (i stays at the end). */
  const nextPiece = (): boolean => {
    if (upcoming === undefined) return false;
    byteBase += isAscii() ? length : Buffer.byteLength(piece);
    ascii = undefined;
    counted = { offset: 0, bytes: 0 };
    base += length;
    lineStart -= length;
    i -= length;
    piece = upcoming;
    upcoming = source.next();
    held.push(piece);
    length = piece.length;
    return true;
  };
  const atEnd = () => i >= length && upcoming === undefined;
  const skipWhitespace = (): void => {
    for (;;) {
      if (i >= length && !nextPiece()) return;
      const code = piece.charCodeAt(i);
      if (code === 0x0a) {
        line++;
        lineStart = i + 1;
      } else if (!isJsonWhitespace(code)) return;
      i++;
    }
  };
  const syntaxError = (offset: number) => [...problems, syntaxProblem(file, whole(), offset)];

  skipWhitespace();
  if (piece.charCodeAt(i) !== 0x5b) return [notAnArray(file, whole(), base + i)];
  i++;
  skipWhitespace();
  if (piece.charCodeAt(i) === 0x5d) {
    i++;
    skipWhitespace();
    if (!atEnd()) return syntaxError(base + i);
    return [fileProblem(file, whole(), 0, 'The file has no users: the array is empty')];
  }

  const walk: Walk = { depth: 0, colons: 0, whitespace: 0, line: 0, lineStart: 0, tooDeepAt: -1 };
  for (let index = 0; ; index++) {
    held = [piece];
    const start = i;
    const startLine = line;
    const column = start - lineStart + 1;
    const startOffset = base + start;
    const byteOffset = byteOffsetAt(start);
    walk.depth = 0;
    walk.colons = 0;
    walk.whitespace = 0;
    walk.tooDeepAt = -1;

    if (piece.charCodeAt(i) === 0x7b || piece.charCodeAt(i) === 0x5b) {
      for (;;) {
        walk.line = line;
        walk.lineStart = lineStart;
        i = walkValue(piece, i, base, walk);
        line = walk.line;
        lineStart = walk.lineStart;
        if (i === -1) return syntaxError(startOffset);
        if (walk.depth === 0) break;
        if (!nextPiece()) return syntaxError(base + length);
      }
    } else {
      // Not an object: let JSON.parse judge it, the validator says it must be an object. It ends
      // within its piece: a piece ends with a line break, which no value holds.
      while (i < length && !/[\s,\]]/.test(piece[i] ?? '')) {
        i = piece.charCodeAt(i) === QUOTE ? skipString(piece, i) : i + 1;
        if (i === -1) return syntaxError(startOffset);
      }
    }
    // The user's own text: its piece, or its parts joined when it spans pieces.
    let userText = piece;
    let userStart = start;
    let userEnd = i;
    if (held.length > 1) {
      userText = held[0]!.slice(start) + held.slice(1, -1).join('') + piece.slice(0, i);
      userStart = 0;
      userEnd = userText.length;
    }
    const source = userText.slice(userStart, userEnd);
    const at = (offset: number) =>
      positionAt(userText, offset, { offset: userStart, line: startLine, column });

    if (walk.tooDeepAt !== -1) {
      problems.push({
        file,
        ...at(walk.tooDeepAt - startOffset + userStart),
        path: `[${index}]`,
        message: `The user nests objects or arrays more than ${MAX_DEPTH} levels deep`,
        hint: 'Flatten the metadata.',
      });
    } else {
      let value: unknown;
      try {
        value = JSON.parse(source);
      } catch {
        return syntaxError(startOffset);
      }
      if (countKeys(value) !== walk.colons) {
        const fault = findSyntaxFault(userText, { start: userStart, end: userEnd, duplicateKeys: true });
        if (fault)
          problems.push({
            file,
            ...at(fault.offset),
            path: `[${index}]`,
            message: fault.message,
          });
      }
      const lone = source.includes('\\u') ? findLoneSurrogateEscape(userText, userStart, userEnd) : -1;
      if (lone !== -1) {
        problems.push({
          file,
          ...at(lone),
          path: `[${index}]`,
          message: `${userText.slice(lone, lone + 6)} is half of a UTF-16 surrogate pair with no other half: it is no character, and Auth0 would store U+FFFD in its place or refuse the user`,
          hint: 'Write the character itself, or both halves of its pair (e.g. \\ud83d\\ude00).',
        });
      }
      // A piece of ASCII only (most files) needs no UTF-8 count per user.
      const utf8Length = userText === piece && isAscii() ? userEnd - userStart : Buffer.byteLength(source);
      visit(
        {
          offset: userStart,
          line: startLine,
          column,
          index,
          end: userEnd,
          bytes: utf8Length - walk.whitespace,
          byteOffset,
          byteLength: utf8Length,
          text: userText,
        },
        value,
      );
    }

    skipWhitespace();
    const separator = piece.charCodeAt(i);
    if (separator === 0x5d) {
      i++;
      skipWhitespace();
      if (!atEnd()) return syntaxError(base + i);
      return problems;
    }
    if (separator !== 0x2c) return syntaxError(base + i);
    i++;
    skipWhitespace();
    if (piece.charCodeAt(i) === 0x5d || atEnd()) return syntaxError(base + i);
  }
}

/**
 * The user's text with insignificant whitespace removed: what is sent. Values are never
 * re-serialised, so numbers beyond 2^53 and string escapes stay byte-identical.
 */
export function compactJson(text: string, start: number, end: number): string {
  let out = '';
  let segmentStart = start;
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i);
    } else if (isJsonWhitespace(code)) {
      out += text.slice(segmentStart, i);
      while (i < end && isJsonWhitespace(text.charCodeAt(i))) i++;
      segmentStart = i;
    } else {
      i++;
    }
  }
  return out + text.slice(segmentStart, end);
}
