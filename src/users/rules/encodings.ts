/** Hash bytes written as hex or base64 text: whether a text decodes, and to how many bytes. */
import { fieldName, type JsonPath } from '../problem.js';

export type BinaryEncoding = 'hex' | 'base64';

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function isHex(value: string): boolean {
  return value.length % 2 === 0 && HEX.test(value);
}

/** Bytes a base64 text decodes to (padded or not, standard or URL alphabet); undefined when it is not base64. */
export function base64Bytes(value: string): number | undefined {
  if (!BASE64.test(value)) return undefined;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  const data = value.length - padding;
  if ((padding > 0 && value.length % 4 !== 0) || data % 4 === 1) return undefined;
  return Math.floor((data * 3) / 4);
}

export function decodedBytes(value: string, encoding: BinaryEncoding): number | undefined {
  if (encoding === 'base64') return base64Bytes(value);
  return isHex(value) ? value.length / 2 : undefined;
}

/** What a text in each encoding may hold: completes "expected ...". */
export const ENCODING_RULES: Readonly<Record<BinaryEncoding, string>> = {
  hex: 'an even number of the characters 0-9 and a-f',
  base64: 'the characters A-Z, a-z, 0-9, + and / (or - and _) with at most two "=" at the end',
};

/** A hint when the value is written in the other encoding than the one its holder names. */
export function encodingHint(
  value: string,
  encoding: BinaryEncoding,
  holder: JsonPath,
  bytes?: number,
): string | undefined {
  const other: BinaryEncoding = encoding === 'hex' ? 'base64' : 'hex';
  const decoded = decodedBytes(value, other);
  if (decoded === undefined || (bytes !== undefined && decoded !== bytes)) return undefined;
  const length = bytes === undefined ? '' : ' of the right length';
  return `it is valid ${other}${length}: set ${fieldName([...holder, 'encoding'])} to "${other}"`;
}
