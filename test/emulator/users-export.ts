import { gzipSync } from 'node:zlib';
import { CONNECTION_ID_PATTERN } from './import-form.js';
import { invalidBody, isObject, parseJsonBody, wrongType } from './json-payload.js';
import type { Reply } from './reply.js';
import type { Auth0User } from './user-store.js';

/** One column of an export: a property path (`email`, `user_metadata.plan`, `identities[0].connection`). */
export interface ExportField {
  name: string;
  /** The key (json) or column (csv) it is written under; default: `name`. */
  export_as?: string;
}

export type ExportFormat = 'json' | 'csv';

/** A `POST /jobs/users-exports` body that passed every check needing no tenant state. */
export interface ExportRequest {
  /** Absent: every connection's users. */
  connectionId: string | undefined;
  format: ExportFormat;
  limit: number | undefined;
  /** As sent; absent means `DEFAULT_EXPORT_FIELDS`. */
  fields: ExportField[] | undefined;
}

/** Auth0 refuses more columns than this. */
const MAX_FIELDS = 30;

/** What an export holds when the request names no fields (Auth0 says only "a predefined set"). */
export const DEFAULT_EXPORT_FIELDS: readonly ExportField[] = [
  'user_id',
  'email',
  'email_verified',
  'username',
  'phone_number',
  'phone_verified',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
  'blocked',
  'identities',
  'app_metadata',
  'user_metadata',
  'created_at',
  'updated_at',
].map((name) => ({ name }));

const REQUEST_PROPERTIES = new Set(['connection_id', 'format', 'limit', 'fields']);
const FIELD_PROPERTIES = new Set(['name', 'export_as']);

export type CheckedExport = { request: ExportRequest } | { reply: Reply };

/** The export request's JSON body, checked as Auth0's payload schema would (first failure wins). */
export function checkExportRequest(body: Buffer): CheckedExport {
  const parsed = parseJsonBody(body);
  if ('reply' in parsed) return parsed;
  const { value } = parsed;
  if (!isObject(value)) return { reply: wrongType('object', value) };
  const unknown = Object.keys(value).filter((key) => !REQUEST_PROPERTIES.has(key));
  if (unknown.length > 0) return refuse(`Additional properties not allowed: ${unknown.join(',')}`);
  const { connection_id: connectionId, format = 'csv', limit, fields } = value;
  if (connectionId !== undefined) {
    if (typeof connectionId !== 'string')
      return { reply: wrongType('string', connectionId, 'connection_id') };
    if (!CONNECTION_ID_PATTERN.test(connectionId)) {
      return refuse(`String does not match pattern ${CONNECTION_ID_PATTERN.source}`, 'connection_id');
    }
  }
  if (format !== 'json' && format !== 'csv')
    return refuse(`No enum match for: ${JSON.stringify(format)}`, 'format');
  if (limit !== undefined) {
    if (typeof limit !== 'number' || !Number.isInteger(limit))
      return { reply: wrongType('integer', limit, 'limit') };
    if (limit < 1) return refuse(`Value ${limit} is less than minimum 1`, 'limit');
  }
  const checkedFields = fields === undefined ? { fields: undefined } : checkFields(fields);
  if ('reply' in checkedFields) return checkedFields;
  return { request: { connectionId, format, limit, fields: checkedFields.fields } };
}

function checkFields(fields: unknown): { fields: ExportField[] } | { reply: Reply } {
  if (!Array.isArray(fields)) return { reply: wrongType('array', fields, 'fields') };
  if (fields.length > MAX_FIELDS) {
    return refuse(`Array is too long (${fields.length}), maximum ${MAX_FIELDS}`, 'fields');
  }
  for (const [i, field] of fields.entries()) {
    const where = `fields[${i}]`;
    if (!isObject(field)) return { reply: wrongType('object', field, where) };
    const unknown = Object.keys(field).filter((key) => !FIELD_PROPERTIES.has(key));
    if (unknown.length > 0) return refuse(`Additional properties not allowed: ${unknown.join(',')}`, where);
    if (field['name'] === undefined) return refuse('Missing required property: name', where);
    if (typeof field['name'] !== 'string')
      return { reply: wrongType('string', field['name'], `${where}.name`) };
    const exportAs = field['export_as'];
    if (exportAs !== undefined && typeof exportAs !== 'string') {
      return { reply: wrongType('string', exportAs, `${where}.export_as`) };
    }
  }
  return { fields: fields as ExportField[] };
}

/**
 * The export file: one line per user (NDJSON for `json`, a header line then rows for `csv`), holding
 * only the fields asked for, gzip-compressed unless `gzip` is false.
 */
export function exportFile(
  users: Iterable<Auth0User>,
  request: Pick<ExportRequest, 'format' | 'limit' | 'fields'>,
  gzip: boolean,
): Buffer {
  const fields = request.fields ?? DEFAULT_EXPORT_FIELDS;
  const lines: string[] = [];
  if (request.format === 'csv')
    lines.push(fields.map((field) => csvCell(field.export_as ?? field.name)).join(','));
  let count = 0;
  for (const user of users) {
    if (request.limit !== undefined && count >= request.limit) break;
    count++;
    const values = fields.map((field) => valueAt(user, field.name));
    if (request.format === 'csv') {
      lines.push(values.map((value) => (value === undefined ? '' : csvCell(value))).join(','));
    } else {
      const line: Record<string, unknown> = {};
      fields.forEach((field, i) => {
        if (values[i] !== undefined) line[field.export_as ?? field.name] = values[i];
      });
      lines.push(JSON.stringify(line));
    }
  }
  const text = Buffer.from(lines.map((line) => `${line}\n`).join(''));
  return gzip ? gzipSync(text) : text;
}

/** The value at a path such as `user_metadata.plan` or `identities[0].connection`. */
function valueAt(user: Auth0User, path: string): unknown {
  let value: unknown = user;
  for (const step of path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function csvCell(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.replaceAll('"', '""')}"`;
}

function refuse(problem: string, property?: string): { reply: Reply } {
  return { reply: invalidBody(problem, property) };
}
