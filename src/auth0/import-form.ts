/**
 * The multipart body of a users import, and its size before it is built. Auth0's 512,000-byte
 * limit counts the whole body (hapi's maxBytes): boundaries, part headers and the other parts too,
 * so chunks are planned against what is left once this envelope is paid for. No HTTP here: a dry
 * run plans with it and never loads undici.
 */
import { randomBytes } from 'node:crypto';
import type { Chunk } from '../users/chunks.js';
import { writeUsersPart } from '../users/validate.js';

/** Auth0 refuses a larger request body with 413. */
export const AUTH0_MAX_BODY_BYTES = 512_000;

export interface ImportFields {
  connectionId: string;
  upsert: boolean;
  externalId: string;
  sendCompletionEmail: boolean;
}

/** The boundary: 26 dashes and 24 digits, as form-data makes it. */
const BOUNDARY_LENGTH = 50;
const USERS_HEADER =
  'Content-Disposition: form-data; name="users"; filename="users.json"\r\nContent-Type: application/json';

function textFields(fields: ImportFields): [string, string][] {
  return [
    ['connection_id', fields.connectionId],
    ['upsert', String(fields.upsert)],
    ['external_id', fields.externalId],
    ['send_completion_email', String(fields.sendCompletionEmail)],
  ];
}

/** Bytes of the body around the users part: what form-data adds to it, to the byte. */
export function envelopeBytes(fields: ImportFields): number {
  // Each part: "--" boundary CRLF headers CRLF CRLF value CRLF; then "--" boundary "--" CRLF.
  const part = (headers: string, valueBytes: number) =>
    2 + BOUNDARY_LENGTH + 2 + Buffer.byteLength(headers) + 4 + valueBytes + 2;
  let bytes = part(USERS_HEADER, 0);
  for (const [name, value] of textFields(fields)) {
    bytes += part(`Content-Disposition: form-data; name="${name}"`, Buffer.byteLength(value));
  }
  return bytes + 2 + BOUNDARY_LENGTH + 2 + 2;
}

/**
 * The envelope of the largest body a plan can send: the longest external_id (`prefix#` and as many
 * digits as there are users, a bound on the number of chunks) and upsert "false". (The halves of a
 * chunk split after a 413 have longer labels but are far below the limit.)
 */
export function largestEnvelopeBytes(externalIdPrefix: string, userCount: number): number {
  return envelopeBytes({
    connectionId: 'con_0000000000000000',
    upsert: false,
    externalId: `${externalIdPrefix}#${'9'.repeat(String(Math.max(userCount, 1)).length)}`,
    sendCompletionEmail: false,
  });
}

/** form-data's kind of boundary: 26 dashes and 24 random decimal digits. */
function newBoundary(): string {
  const digits = randomBytes(24).reduce((text, byte) => text + (byte % 10).toString(), '');
  return `${'-'.repeat(26)}${digits}`;
}

/**
 * The request body, built when the chunk is sent (only chunks in flight hold their bytes), straight
 * into one buffer of its exact size: the users part is written into it as it is read again, with no
 * string or copy of it in between. The bytes are form-data's for the same boundary, to the byte
 * (test/auth0/import-body.test.ts holds them to it).
 */
export function importBody(
  chunk: Chunk,
  fields: ImportFields,
  boundary = newBoundary(),
): { contentType: string; data: Buffer } {
  const size = envelopeBytes(fields) + chunk.bytes;
  const data = Buffer.allocUnsafe(size);
  const head = (headers: string) => `--${boundary}\r\n${headers}\r\n\r\n`;
  let at = data.write(head(USERS_HEADER));
  const usersEnd = writeUsersPart(chunk.users, data, at);
  if (usersEnd - at !== chunk.bytes)
    throw new Error(
      `Chunk ${chunk.label}: its users part is ${usersEnd - at} bytes, not the ${chunk.bytes} planned`,
    );
  at = usersEnd + data.write('\r\n', usersEnd);
  for (const [name, value] of textFields(fields))
    at += data.write(`${head(`Content-Disposition: form-data; name="${name}"`)}${value}\r\n`, at);
  at += data.write(`--${boundary}--\r\n`, at);
  if (at !== size) throw new Error(`Chunk ${chunk.label}: its body is ${at} bytes, not the ${size} planned`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, data };
}
