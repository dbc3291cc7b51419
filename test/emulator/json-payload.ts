import { apiError, type Reply } from './reply.js';

/** A JSON request body, or hapi's answer to one it cannot parse. */
export function parseJsonBody(body: Buffer): { value: unknown } | { reply: Reply } {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { reply: apiError(400, 'Invalid request payload JSON format') };
  }
}

/** Auth0's answer to a body its payload schema refuses, in z-schema's words. */
export function invalidBody(problem: string, property?: string): Reply {
  const where = property === undefined ? '' : ` on property ${property}`;
  return apiError(400, `Payload validation error: '${problem}'${where}`, 'invalid_body');
}

/** The `invalid_body` answer to a value of the wrong JSON type. */
export function wrongType(expected: string, value: unknown, property?: string): Reply {
  return invalidBody(`Expected type ${expected} but found type ${jsonTypeOf(value)}`, property);
}

/** A JSON Schema type name, as z-schema names the type it found. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
