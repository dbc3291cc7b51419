/**
 * Reading an Auth0 export as it arrives: gunzipped when its first bytes say gzip, cut into lines
 * without ever holding the whole file, so a million users take no more memory than a thousand.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** gzip's magic bytes: Auth0 usually compresses exports, and says so only in the bytes. */
function isGzip(head: Buffer): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** The bytes of `source`, gunzipped when they start with gzip's magic bytes, else as they are. */
export async function* inflated(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const pieces = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await pieces.next();
    if (next.done) {
      if (head.length > 0) yield head;
      return;
    }
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  async function* whole(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) yield next.value;
  }
  if (!isGzip(head)) {
    yield* whole();
    return;
  }
  // An error on either side (the download breaks, the gzip is corrupt or cut short) ends the
  // gunzip stream with that error, so the loop below throws it.
  const gunzip = pipeline(Readable.from(whole()), createGunzip(), () => {});
  for await (const piece of gunzip) yield piece as Buffer;
}

/** A line longer than this is no user: the file is not NDJSON (or not an export at all). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export class NdjsonError extends Error {}

/**
 * The non-empty lines of `source`, a batch per piece that completes any (lines are cut on the byte 0x0a,
 * which UTF-8 never uses inside a character). Trailing `\r` is dropped; the last line needs no newline.
 */
export async function* ndjsonLines(
  source: AsyncIterable<Buffer>,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<string[]> {
  /** The start of a line that the next piece completes. */
  let partial: Buffer[] = [];
  let partialBytes = 0;
  for await (const piece of source) {
    const lines: string[] = [];
    let start = 0;
    for (let end = piece.indexOf(0x0a); end !== -1; end = piece.indexOf(0x0a, start)) {
      if (partialBytes + end - start > maxLineBytes) throw tooLong(maxLineBytes);
      if (partial.length === 0) pushLine(lines, piece, start, end);
      else {
        const line = Buffer.concat([...partial, piece.subarray(start, end)]);
        partial = [];
        partialBytes = 0;
        pushLine(lines, line, 0, line.length);
      }
      start = end + 1;
    }
    if (start < piece.length) {
      partialBytes += piece.length - start;
      if (partialBytes > maxLineBytes) throw tooLong(maxLineBytes);
      // A copy: a slice would keep the whole piece alive for the sake of its tail.
      partial.push(Buffer.from(piece.subarray(start)));
    }
    if (lines.length > 0) yield lines;
  }
  if (partial.length > 0) {
    const last: string[] = [];
    const line = Buffer.concat(partial);
    pushLine(last, line, 0, line.length);
    if (last.length > 0) yield last;
  }
}

/** Bytes `start` to `end` (a newline, or the end) as a line, unless blank; a `\r` before the end is dropped. */
function pushLine(lines: string[], bytes: Buffer, start: number, end: number): void {
  const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
  if (stop === start) return;
  const line = bytes.toString('utf8', start, stop);
  if (/\S/.test(line)) lines.push(line);
}

function tooLong(maxLineBytes: number): NdjsonError {
  return new NdjsonError(
    `a line of the export is over ${maxLineBytes / 1024 / 1024} MiB: it is not one user a line (NDJSON)`,
  );
}
