import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflated, ndjsonLines, NdjsonError } from '../../src/auth0/ndjson.js';

/** The pieces as a download would hand them over. */
async function* pieces(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part);
}

async function linesOf(source: AsyncIterable<Buffer>, maxLineBytes?: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of ndjsonLines(source, maxLineBytes)) lines.push(...batch);
  return lines;
}

async function bytesOf(source: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const piece of source) parts.push(piece);
  return Buffer.concat(parts).toString('utf8');
}

describe('ndjsonLines', () => {
  it('gives each line once, whichever pieces cut it', async () => {
    expect(await linesOf(pieces('{"a":1}\n{"b"', ':2}\n{"c":3}\n'))).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it('keeps a character whose UTF-8 bytes two pieces share', async () => {
    const bytes = Buffer.from('{"name":"Zoë"}\n');
    const cut = bytes.indexOf(0xc3) + 1;

    expect(await linesOf(pieces(bytes.subarray(0, cut), bytes.subarray(cut)))).toEqual(['{"name":"Zoë"}']);
  });

  it('reads a last line without a newline, drops \\r before a newline and skips blank lines', async () => {
    expect(await linesOf(pieces('{"a":1}\r\n\n  \n{"b":2}'))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('refuses a line over the limit, even one no piece completes', async () => {
    await expect(linesOf(pieces('x'.repeat(6), 'x'.repeat(6)), 10)).rejects.toThrow(NdjsonError);
  });
});

describe('inflated', () => {
  it('gunzips bytes that start with gzip magic, even when the first piece is one byte', async () => {
    const gzip = gzipSync('{"a":1}\n');

    expect(await bytesOf(inflated(pieces(gzip.subarray(0, 1), gzip.subarray(1))))).toBe('{"a":1}\n');
  });

  it('passes plain bytes through as they are', async () => {
    expect(await bytesOf(inflated(pieces('{"a"', ':1}\n')))).toBe('{"a":1}\n');
  });

  it('fails on a gzip file cut short', async () => {
    const gzip = gzipSync('{"a":1}\n'.repeat(100));

    await expect(bytesOf(inflated(pieces(gzip.subarray(0, gzip.length - 10))))).rejects.toThrow(
      /unexpected end of file/,
    );
  });

  it('fails as the download does when the download breaks', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield gzipSync('{"a":1}\n').subarray(0, 12);
      throw new Error('other side closed');
    }

    await expect(bytesOf(inflated(broken()))).rejects.toThrow('other side closed');
  });
});
