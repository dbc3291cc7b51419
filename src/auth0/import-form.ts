/**
 * The multipart body of a users import, and its size before it is built. Auth0's 512,000-byte
 * limit counts the whole body (hapi's maxBytes): boundaries, part headers and the other parts too,
 * so chunks are planned against what is left once this envelope is paid for, as form-data counts
 * it. No requests here: a dry run plans with it.
 */
import FormData from 'form-data';
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

function textFields(fields: ImportFields): [string, string][] {
  return [
    ['connection_id', fields.connectionId],
    ['upsert', String(fields.upsert)],
    ['external_id', fields.externalId],
    ['send_completion_email', String(fields.sendCompletionEmail)],
  ];
}

/** The import's form: the users file, then the documented fields. */
function importForm(users: Buffer, fields: ImportFields, boundary?: string): FormData {
  const form = new FormData();
  if (boundary !== undefined) form.setBoundary(boundary);
  form.append('users', users, { filename: 'users.json', contentType: 'application/json' });
  for (const [name, value] of textFields(fields)) form.append(name, value);
  return form;
}

/**
 * Bytes of the body around the users part, as form-data counts them: the same form with an empty
 * users file. (Its boundary is random but always of one length, so any form of these fields tells.)
 */
export function envelopeBytes(fields: ImportFields): number {
  return importForm(Buffer.alloc(0), fields).getLengthSync();
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

/**
 * The request body, built by form-data when the chunk is sent (only chunks in flight hold their
 * bytes): the users part is written into a buffer of its planned size as it is read again, with no
 * string of it in between. `boundary` is form-data's own unless a test fixes it.
 */
export function importBody(
  chunk: Chunk,
  fields: ImportFields,
  boundary?: string,
): { contentType: string; data: Buffer } {
  const users = Buffer.allocUnsafe(chunk.bytes);
  const usersEnd = writeUsersPart(chunk.users, users, 0);
  if (usersEnd !== chunk.bytes)
    throw new Error(
      `Chunk ${chunk.label}: its users part is ${usersEnd} bytes, not the ${chunk.bytes} planned`,
    );
  const form = importForm(users, fields, boundary);
  const data = form.getBuffer();
  const planned = envelopeBytes(fields) + chunk.bytes;
  if (data.length !== planned)
    throw new Error(`Chunk ${chunk.label}: its body is ${data.length} bytes, not the ${planned} planned`);
  return { contentType: form.getHeaders()['content-type'] as string, data };
}
