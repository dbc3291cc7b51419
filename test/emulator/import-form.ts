import { apiError, type Reply } from './reply.js';

/** Auth0's limit on the users file, in bytes. */
export const MAX_USERS_BYTES = 512_000;

const CONNECTION_ID_PATTERN = /^con_[A-Za-z0-9]{16}$/;
const PARTS = ['users', 'connection_id', 'upsert', 'external_id', 'send_completion_email'];
const BOOLEANS = new Set(['true', 'false']);

/** The text parts of a create request, as sent (for the request log). */
export interface ImportFields {
  connection_id?: string;
  upsert?: string;
  external_id?: string;
  send_completion_email?: string;
}

/** A create request's multipart body, before any check. */
export interface ImportForm {
  parts: Map<string, (string | File)[]>;
  /** Size of the first `users` part, when it is a file. */
  usersBytes: Buffer | undefined;
  fields: ImportFields;
}

/** A create request that passed every check that needs no tenant state. */
export interface ImportRequest {
  usersBytes: Buffer;
  connectionId: string;
  upsert: boolean;
  externalId: string | undefined;
  sendCompletionEmail: boolean;
}

/** Parses a `multipart/form-data` body; `undefined` when it is not one. */
export async function parseImportForm(
  body: Buffer,
  contentType: string | undefined,
): Promise<ImportForm | undefined> {
  let formData: FormData;
  try {
    formData = await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
  } catch {
    return undefined;
  }
  const parts = new Map<string, (string | File)[]>();
  for (const [name, value] of formData) parts.set(name, [...(parts.get(name) ?? []), value]);
  const users = parts.get('users')?.[0];
  const fields: ImportFields = {};
  for (const name of ['connection_id', 'upsert', 'external_id', 'send_completion_email'] as const) {
    const value = parts.get(name)?.[0];
    if (typeof value === 'string') fields[name] = value;
  }
  return {
    parts,
    usersBytes: users instanceof File ? Buffer.from(await users.arrayBuffer()) : undefined,
    fields,
  };
}

export type CheckedImport = { request: ImportRequest } | { reply: Reply };

/** Auth0's payload checks, first failure wins: size, then schema, then an empty file. */
export function checkImportForm(form: ImportForm): CheckedImport {
  const { usersBytes, fields } = form;
  if (usersBytes && usersBytes.length > MAX_USERS_BYTES) return { reply: payloadTooLarge() };
  const unknown = [...form.parts.keys()].filter((name) => !PARTS.includes(name));
  if (unknown.length > 0) return invalidBody(`Additional properties not allowed: ${unknown.join(',')}`);
  for (const name of PARTS) {
    const values = form.parts.get(name) ?? [];
    const expected = name === 'users' ? 'file' : 'string';
    const found = values.length > 1 ? 'array' : values[0] instanceof File ? 'file' : 'string';
    if (values.length > 0 && found !== expected) {
      return invalidBody(`Expected type ${expected} but found type ${found}`, name);
    }
  }
  if (!usersBytes) return invalidBody('Missing required property: users');
  const { connection_id: connectionId, upsert, send_completion_email: sendEmail } = fields;
  if (connectionId === undefined) return invalidBody('Missing required property: connection_id');
  if (!CONNECTION_ID_PATTERN.test(connectionId)) {
    return invalidBody(`String does not match pattern ${CONNECTION_ID_PATTERN.source}`, 'connection_id');
  }
  if (upsert !== undefined && !BOOLEANS.has(upsert)) {
    return invalidBody('Expected type boolean but found type string', 'upsert');
  }
  if (sendEmail !== undefined && !BOOLEANS.has(sendEmail)) {
    return invalidBody('Expected type boolean but found type string', 'send_completion_email');
  }
  if (usersBytes.length === 0) return { reply: apiError(400, 'Users file must not be empty.') };
  const request: ImportRequest = {
    usersBytes,
    connectionId,
    upsert: upsert === 'true',
    externalId: fields.external_id,
    sendCompletionEmail: sendEmail !== 'false',
  };
  return { request };
}

/** hapi's own answer to a body over its `maxBytes`, which Auth0 sets to 512000. */
export function payloadTooLarge(): Reply {
  return apiError(413, `Payload content length greater than maximum allowed: ${MAX_USERS_BYTES}`);
}

function invalidBody(problem: string, property?: string): CheckedImport {
  const where = property === undefined ? '' : ` on property ${property}`;
  return { reply: apiError(400, `Payload validation error: '${problem}'${where}`, 'invalid_body') };
}
