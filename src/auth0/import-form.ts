/**
 * The multipart body of a users import, and its size before it is built. Auth0's 512,000-byte
 * limit counts the whole body (hapi's maxBytes): boundaries, part headers and the other parts too,
 * so chunks are planned against what is left once this envelope is paid for. No HTTP here: a dry
 * run plans with it and never loads undici or form-data.
 */

/** Auth0 refuses a larger request body with 413. */
export const AUTH0_MAX_BODY_BYTES = 512_000;

export interface ImportFields {
  connectionId: string;
  upsert: boolean;
  externalId: string;
  sendCompletionEmail: boolean;
}

/** form-data's boundary: 26 dashes and 24 hex digits. */
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

/** The request body; form-data loads here, on the first create, not at start-up. */
export async function importForm(
  usersPart: Buffer,
  fields: ImportFields,
): Promise<{ contentType: string; data: Buffer }> {
  const { default: FormData } = await import('form-data');
  const form = new FormData();
  form.append('users', usersPart, { filename: 'users.json', contentType: 'application/json' });
  for (const [name, value] of textFields(fields)) form.append(name, value);
  return { contentType: form.getHeaders()['content-type'] as string, data: form.getBuffer() };
}
