/**
 * Positions in JSON text. The fast path (locate.ts) never builds a position tree; these functions
 * run only for users or files that have a problem, so they may be slower but must be exact.
 */
import type { JsonPath } from './problem.js';
import { quoteName } from './quotable.js';

export interface TextPosition {
  line: number;
  column: number;
}

/** Where a scan starts counting from: an offset whose line and column are already known. */
export interface Anchor extends TextPosition {
  offset: number;
}

export const FILE_START: Anchor = { offset: 0, line: 1, column: 1 };

export function positionAt(text: string, offset: number, from: Anchor = FILE_START): TextPosition {
  let line = from.line;
  let lineStart = from.offset - (from.column - 1);
  for (let i = text.indexOf('\n', from.offset); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Offset just past the closing quote of the string that opens at `offset`, or -1 if unterminated. */
export function skipString(text: string, offset: number): number {
  let i = offset + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/**
 * The JSON text in `bytes` (UTF-8) from `start` to `end`, without the whitespace between tokens,
 * written into `into` from `at`; returns where it ends there. Byte for byte what compactJson() gives
 * of the decoded text (no byte of a multi-byte character is a quote, backslash or whitespace), with
 * no string made. Past the end of `into` nothing is written: the caller checks the length.
 */
export function compactJsonBytes(
  bytes: Buffer,
  start: number,
  end: number,
  into: Buffer,
  at: number,
): number {
  let out = at;
  let inString = false;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (inString) {
      into[out++] = byte;
      if (byte === BACKSLASH && i + 1 < end) into[out++] = bytes[++i]!;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
      into[out++] = byte;
    } else if (!isJsonWhitespace(byte)) {
      into[out++] = byte;
    }
  }
  return out;
}

function skipWhitespace(text: string, offset: number): number {
  let i = offset;
  while (isJsonWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just past the (valid) JSON value starting at `offset`. */
function skipValue(text: string, offset: number): number {
  let depth = 0;
  let i = offset;
  do {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i);
      continue;
    }
    if (code === 0x7b || code === 0x5b) depth++;
    else if (code === 0x7d || code === 0x5d) depth--;
    else if (depth === 0) {
      // A number or literal at the top: it ends at the first delimiter.
      while (i < text.length && !/[\s,\]}:]/.test(text[i] ?? '')) i++;
      return i;
    }
    i++;
  } while (depth > 0 && i < text.length);
  return i;
}

/**
 * Offset of the value (or, with `at: 'key'`, of the key) that `path` names inside the valid JSON
 * value starting at `offset`. Stops at the deepest part of the path that exists, so a missing
 * property points at the object that lacks it.
 */
export function offsetOfPath(text: string, offset: number, path: JsonPath, at?: 'key'): number {
  let here = skipWhitespace(text, offset);
  for (let step = 0; step < path.length; step++) {
    const segment = path[step];
    const open = text.charCodeAt(here);
    let found = -1;
    let foundKey = -1;
    let i = skipWhitespace(text, here + 1);
    if (open === 0x5b && typeof segment === 'number') {
      for (let index = 0; text.charCodeAt(i) !== 0x5d && i < text.length; index++) {
        if (index === segment) {
          found = i;
          break;
        }
        i = skipWhitespace(text, skipValue(text, i));
        if (text.charCodeAt(i) === 0x2c) i = skipWhitespace(text, i + 1);
      }
    } else if (open === 0x7b) {
      while (text.charCodeAt(i) === QUOTE) {
        const keyEnd = skipString(text, i);
        const raw = text.slice(i, keyEnd);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
        // JSON.parse keeps the last of duplicate keys; so do we.
        if (key === String(segment)) {
          found = valueStart;
          foundKey = i;
        }
        i = skipWhitespace(text, skipValue(text, valueStart));
        if (text.charCodeAt(i) === 0x2c) i = skipWhitespace(text, i + 1);
      }
    }
    if (found === -1) return here;
    if (step === path.length - 1 && at === 'key' && foundKey !== -1) return foundKey;
    here = found;
  }
  return here;
}

export interface SyntaxFault {
  offset: number;
  message: string;
}

const LITERALS = ['true', 'false', 'null'] as const;

function describe(text: string, offset: number): string {
  if (offset >= text.length) return 'end of file';
  const char = String.fromCodePoint(text.codePointAt(offset) ?? 0);
  return /[\x20-\x7e]/.test(char)
    ? `'${char}'`
    : `character U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Offset just past a valid JSON string at `offset`, or the fault inside it. */
function readString(text: string, offset: number): number | SyntaxFault {
  let i = offset + 1;
  for (;;) {
    if (i >= text.length) return { offset, message: 'Unterminated string: add the closing double quote' };
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i + 1;
    if (code < 0x20) {
      return {
        offset: i,
        message:
          code === 0x0a
            ? 'Unterminated string: a line break inside a string must be written as \\n'
            : `Control character U+${code.toString(16).padStart(4, '0')} inside a string: escape it`,
      };
    }
    if (code === BACKSLASH) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { offset: i, message: 'Bad unicode escape: \\u must be followed by four hex digits' };
        }
        i += 6;
        continue;
      }
      if (next === undefined || !'"\\/bfnrt'.includes(next)) {
        return {
          offset: i,
          message: `Bad escape \\${next ?? ''}: only \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX exist in JSON`,
        };
      }
      i += 2;
      continue;
    }
    i++;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function readScalar(text: string, offset: number): number | SyntaxFault {
  const code = text.charCodeAt(offset);
  if (code === QUOTE) return readString(text, offset);
  for (const literal of LITERALS) {
    if (text.startsWith(literal, offset)) return offset + literal.length;
  }
  NUMBER.lastIndex = offset;
  if (NUMBER.test(text)) {
    const end = NUMBER.lastIndex;
    if (/[\w.]/.test(text[end] ?? ''))
      return { offset: end, message: `Bad number: unexpected ${describe(text, end)}` };
    return end;
  }
  if (text.charCodeAt(offset) === 0x27) {
    return { offset, message: "Unexpected ' : JSON strings use double quotes" };
  }
  return {
    offset,
    message: `Unexpected ${describe(text, offset)}: expected a value (object, array, string, number, true, false or null)`,
  };
}

interface OpenContainer {
  kind: 'object' | 'array';
  keys?: Set<string>;
}

/**
 * The first syntax error in `text[start, end)`, as a strict JSON parser sees it; with `duplicateKeys`
 * also the first key repeated within one object (JSON.parse silently keeps the last one).
 * Iterative, so deeply nested input cannot overflow the stack.
 */
export function findSyntaxFault(
  text: string,
  options: { start?: number; end?: number; duplicateKeys?: boolean } = {},
): SyntaxFault | undefined {
  const end = options.end ?? text.length;
  const source = end === text.length ? text : text.slice(0, end);
  const stack: OpenContainer[] = [];
  let i = skipWhitespace(source, options.start ?? 0);

  const afterValue = (): SyntaxFault | undefined => {
    for (;;) {
      i = skipWhitespace(source, i);
      const top = stack.at(-1);
      if (!top) return undefined;
      const code = source.charCodeAt(i);
      const close = top.kind === 'object' ? 0x7d : 0x5d;
      if (code === close) {
        stack.pop();
        i++;
        continue;
      }
      if (code !== 0x2c) {
        const expected = top.kind === 'object' ? "',' or '}'" : "',' or ']'";
        return {
          offset: i,
          message: `Unexpected ${describe(source, i)}: expected ${expected} (a missing comma?)`,
        };
      }
      i = skipWhitespace(source, i + 1);
      if (source.charCodeAt(i) === close)
        return { offset: i, message: 'Trailing comma: remove the comma before it' };
      if (top.kind === 'object') {
        const fault = readKey(top);
        if (fault) return fault;
      }
      return undefined;
    }
  };

  const readKey = (container: OpenContainer): SyntaxFault | undefined => {
    if (source.charCodeAt(i) !== QUOTE) {
      return {
        offset: i,
        message: `Unexpected ${describe(source, i)}: expected a property name in double quotes`,
      };
    }
    const keyStart = i;
    const keyEnd = readString(source, i);
    if (typeof keyEnd !== 'number') return keyEnd;
    if (container.keys) {
      const raw = source.slice(keyStart, keyEnd);
      const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      if (container.keys.has(key)) {
        return {
          offset: keyStart,
          message: `Duplicate key ${quoteName(key)} in one object: JSON.parse would silently keep only the last one`,
        };
      }
      container.keys.add(key);
    }
    i = skipWhitespace(source, keyEnd);
    if (source.charCodeAt(i) !== 0x3a)
      return {
        offset: i,
        message: `Unexpected ${describe(source, i)}: expected ':' after the property name`,
      };
    i = skipWhitespace(source, i + 1);
    return undefined;
  };

  for (;;) {
    // Here a value must start.
    const code = source.charCodeAt(i);
    if (code === 0x7b || code === 0x5b) {
      const container: OpenContainer = { kind: code === 0x7b ? 'object' : 'array' };
      if (options.duplicateKeys && container.kind === 'object') container.keys = new Set();
      stack.push(container);
      i = skipWhitespace(source, i + 1);
      if (source.charCodeAt(i) === (code === 0x7b ? 0x7d : 0x5d)) {
        stack.pop();
        i++;
      } else if (container.kind === 'object') {
        const fault = readKey(container);
        if (fault) return fault;
        continue;
      } else {
        continue;
      }
    } else {
      if (i >= source.length) {
        return {
          offset: i,
          message: stack.length ? 'Unexpected end of file: the JSON is cut short' : 'The file is empty',
        };
      }
      const next = readScalar(source, i);
      if (typeof next !== 'number') return next;
      i = next;
    }
    const fault = afterValue();
    if (fault) return fault;
    if (stack.length === 0) break;
  }
  i = skipWhitespace(source, i);
  if (i < source.length) {
    return { offset: i, message: `Unexpected ${describe(source, i)} after the end of the JSON value` };
  }
  return undefined;
}

const HEX4 = /^[0-9a-fA-F]{4}$/;

/** The code unit a `\uXXXX` escape at `offset` stands for, or -1 when there is none there. */
function escapedCodeUnit(text: string, offset: number): number {
  if (text.charCodeAt(offset) !== BACKSLASH || text[offset + 1] !== 'u') return -1;
  const hex = text.slice(offset + 2, offset + 6);
  return HEX4.test(hex) ? Number.parseInt(hex, 16) : -1;
}

/**
 * Offset of the first `\uD800`-`\uDFFF` escape in `text[start, end)` that is not half of a
 * surrogate pair, or -1. JSON's grammar allows such an escape, but it is no character: it cannot
 * be written as UTF-8, so Auth0 would store U+FFFD in its place or refuse the user.
 */
export function findLoneSurrogateEscape(text: string, start: number, end: number): number {
  for (let i = text.indexOf('\\u', start); i !== -1 && i < end; i = text.indexOf('\\u', i + 1)) {
    let backslashes = 0;
    for (let j = i - 1; j >= start && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    // An odd run of backslashes before this one makes it an escaped backslash, not an escape.
    if (backslashes % 2 === 1) continue;
    const unit = escapedCodeUnit(text, i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit >= 0xdc00) return i;
    const next = escapedCodeUnit(text, i + 6);
    if (next < 0xdc00 || next > 0xdfff) return i;
    i += 6;
  }
  return -1;
}
