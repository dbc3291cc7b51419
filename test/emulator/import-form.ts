import { invalidBody } from './json-payload.js';
import { apiError, type Reply } from './reply.js';

/**
 * Auth0's limit on a create request, in bytes: the whole body (multipart boundaries, part headers and the
 * other parts too), as hapi's `maxBytes` counts it.
 */
export const MAX_IMPORT_BODY_BYTES = 512_000;

export const CONNECTION_ID_PATTERN = /^con_[A-Za-z0-9]{16}$/;
/** The documented parts; others are accepted and ignored (the request schema allows more properties). */
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

/** Auth0's payload checks, first failure wins: schema, then an empty file. */
export function checkImportForm(form: ImportForm): CheckedImport {
  const { usersBytes, fields } = form;
  for (const name of PARTS) {
    const values = form.parts.get(name) ?? [];
    const expected = name === 'users' ? 'file' : 'string';
    const found = values.length > 1 ? 'array' : values[0] instanceof File ? 'file' : 'string';
    if (values.length > 0 && found !== expected) {
      return refuse(`Expected type ${expected} but found type ${found}`, name);
    }
  }
  if (!usersBytes) return refuse('Missing required property: users');
  const { connection_id: connectionId, upsert, send_completion_email: sendEmail } = fields;
  if (connectionId === undefined) return refuse('Missing required property: connection_id');
  if (!CONNECTION_ID_PATTERN.test(connectionId)) {
    return refuse(`String does not match pattern ${CONNECTION_ID_PATTERN.source}`, 'connection_id');
  }
  if (upsert !== undefined && !BOOLEANS.has(upsert)) {
    return refuse('Expected type boolean but found type string', 'upsert');
  }
  if (sendEmail !== undefined && !BOOLEANS.has(sendEmail)) {
    return refuse('Expected type boolean but found type string', 'send_completion_email');
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

/** hapi's own answer to a body over its `maxBytes` (Boom names 413 by its older name). */
export function payloadTooLarge(maxBytes: number): Reply {
  const json = {
    statusCode: 413,
    error: 'Request Entity Too Large',
    message: `Payload content length greater than maximum allowed: ${maxBytes}`,
  };
  return { status: 413, json };
}

function refuse(problem: string, property?: string): CheckedImport {
  return { reply: invalidBody(problem, property) };
}
