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
  /** UTF-8 length of the user's compact JSON (see compactJson): what it adds to a users part. */
  bytes: number;
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
        'This is NDJSON (one user per line, as Auth0 exports are written), but an import needs a JSON array of users',
        'Convert it to an array, e.g. `jq -s . users.ndjson > users.json`.',
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
 * Walks the users file and calls `visit` with every user and its parsed value, in file order.
 * Returns the problems of the file and of its text (syntax, duplicate keys, nesting); after a
 * syntax error no user is visited beyond it.
 */
export function scanUsers(
  file: string,
  text: string,
  visit: (user: LocatedUser, value: unknown) => void,
): Problem[] {
  const problems: Problem[] = [];
  const length = text.length;
  let line = 1;
  let lineStart = 0;
  let i = 0;

  const skipWhitespace = (): void => {
    for (;;) {
      const code = text.charCodeAt(i);
      if (code === 0x0a) {
        line++;
        lineStart = i + 1;
      } else if (!isJsonWhitespace(code)) return;
      i++;
    }
  };

  skipWhitespace();
  if (text.charCodeAt(i) !== 0x5b) return [notAnArray(file, text, i)];
  i++;
  skipWhitespace();
  if (text.charCodeAt(i) === 0x5d) {
    i++;
    skipWhitespace();
    if (i < length) return [syntaxProblem(file, text, i)];
    return [fileProblem(file, text, 0, 'The file has no users: the array is empty')];
  }

  for (let index = 0; ; index++) {
    const start = i;
    const startLine = line;
    const column = start - lineStart + 1;
    let depth = 0;
    let tooDeepAt = -1;
    let colons = 0;
    let whitespace = 0;

    if (text.charCodeAt(i) === 0x7b || text.charCodeAt(i) === 0x5b) {
      do {
        const code = text.charCodeAt(i);
        if (code === QUOTE) {
          const next = skipString(text, i);
          if (next === -1) return [...problems, syntaxProblem(file, text, i)];
          i = next;
          continue;
        }
        if (code === 0x7b || code === 0x5b) {
          if (++depth > MAX_DEPTH && tooDeepAt === -1) tooDeepAt = i;
        } else if (code === 0x7d || code === 0x5d) {
          depth--;
        } else if (code === 0x3a) {
          colons++;
        } else if (isJsonWhitespace(code)) {
          whitespace++;
          if (code === 0x0a) {
            line++;
            lineStart = i + 1;
          }
        }
        i++;
      } while (depth > 0 && i < length);
      if (depth > 0) return [...problems, syntaxProblem(file, text, i)];
    } else {
      // Not an object: let JSON.parse judge it, the validator says it must be an object.
      while (i < length && !/[\s,\]]/.test(text[i] ?? '')) {
        i = text.charCodeAt(i) === QUOTE ? skipString(text, i) : i + 1;
        if (i === -1) return [...problems, syntaxProblem(file, text, start)];
      }
    }
    const end = i;
    const source = text.slice(start, end);

    if (tooDeepAt !== -1) {
      const at = positionAt(text, tooDeepAt, { offset: start, line: startLine, column });
      problems.push({
        file,
        ...at,
        path: `[${index}]`,
        message: `The user nests objects or arrays more than ${MAX_DEPTH} levels deep`,
        hint: 'Flatten the metadata.',
      });
    } else {
      let value: unknown;
      try {
        value = JSON.parse(source);
      } catch {
        return [...problems, syntaxProblem(file, text, start)];
      }
      if (countKeys(value) !== colons) {
        const fault = findSyntaxFault(text, { start, end, duplicateKeys: true });
        if (fault)
          problems.push({
            file,
            ...positionAt(text, fault.offset, { offset: start, line: startLine, column }),
            path: `[${index}]`,
            message: fault.message,
          });
      }
      const lone = source.includes('\\u') ? findLoneSurrogateEscape(text, start, end) : -1;
      if (lone !== -1) {
        problems.push({
          file,
          ...positionAt(text, lone, { offset: start, line: startLine, column }),
          path: `[${index}]`,
          message: `${text.slice(lone, lone + 6)} is half of a UTF-16 surrogate pair with no other half: it is no character, and Auth0 would store U+FFFD in its place or refuse the user`,
          hint: 'Write the character itself, or both halves of its pair (e.g. \\ud83d\\ude00).',
        });
      }
      visit(
        { offset: start, line: startLine, column, index, end, bytes: Buffer.byteLength(source) - whitespace },
        value,
      );
    }

    skipWhitespace();
    const separator = text.charCodeAt(i);
    if (separator === 0x5d) {
      i++;
      skipWhitespace();
      if (i < length) return [...problems, syntaxProblem(file, text, i)];
      return problems;
    }
    if (separator !== 0x2c) return [...problems, syntaxProblem(file, text, i)];
    i++;
    skipWhitespace();
    if (text.charCodeAt(i) === 0x5d || i >= length) return [...problems, syntaxProblem(file, text, i)];
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
