/**
 * JSON values compared exactly: numbers keep their source text (Node's JSON.parse gives a reviver
 * the source), so 12345678901234567890 and 12345678901234567891 differ, and 1.0 equals 1.
 */

/** A JSON number as written, in a canonical form. */
export class ExactNumber {
  readonly canonical: string;
  constructor(source: string) {
    this.canonical = /^-?\d+$/.test(source) ? BigInt(source).toString() : String(Number(source));
  }
}

type Reviver = (key: string, value: unknown, context: { source?: string }) => unknown;

const reviveNumbers: Reviver = (_key, value, context) =>
  typeof value === 'number' && context.source !== undefined ? new ExactNumber(context.source) : value;

export function parseExact(text: string): unknown {
  return JSON.parse(text, reviveNumbers as (key: string, value: unknown) => unknown);
}

/** A value's text with object keys sorted: equal for values that differ only in key order. */
export function canonical(value: unknown): string {
  if (value instanceof ExactNumber) return value.canonical;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The plain value (numbers as JavaScript numbers), for code that only reads strings and booleans. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof ExactNumber)
  );
}
