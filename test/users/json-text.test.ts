import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactJsonBytes, findSyntaxFault, offsetOfPath, positionAt } from '../../src/users/json-text.js';
import { compactJson } from '../../src/users/locate.js';

describe('offsetOfPath', () => {
  const text =
    '{\n  "email": "a@x.io",\n  "mfa_factors": [ {"totp": {"secret": "abc"}} ],\n  "app_metadata": {"a.b": 1}\n}';

  it('points at the value a path names', () => {
    expect(positionAt(text, offsetOfPath(text, 0, ['mfa_factors', 0, 'totp', 'secret']))).toEqual({
      line: 3,
      column: 40,
    });
  });

  it('points at the key when asked', () => {
    expect(positionAt(text, offsetOfPath(text, 0, ['app_metadata', 'a.b'], 'key'))).toEqual({
      line: 4,
      column: 20,
    });
  });

  it('points at the object that lacks a property', () => {
    expect(positionAt(text, offsetOfPath(text, 0, ['app_metadata', 'missing']))).toEqual({
      line: 4,
      column: 19,
    });
  });

  it('decodes escaped keys', () => {
    const escaped = '{"\\u0065mail": 1, "x": 2}';
    expect(offsetOfPath(escaped, 0, ['email'])).toBe(escaped.indexOf('1'));
  });
});

describe('findSyntaxFault', () => {
  it('accepts valid JSON', () => {
    expect(findSyntaxFault('[{"a": [1, -2.5e3, true, null, "\\u00e9"]}]')).toBeUndefined();
  });

  it.each([
    ['[1 2]', 3, "expected ',' or ']'"],
    ["['a']", 1, 'double quotes'],
    ['[01]', 2, 'Bad number'],
    ['{"a" 1}', 5, "expected ':'"],
    ['{a: 1}', 1, 'property name'],
    ['[tru]', 1, 'expected a value'],
    ['["\\u12"]', 2, 'unicode escape'],
  ])('finds the fault in %s at offset %i', (text, offset, message) => {
    expect(findSyntaxFault(text)).toMatchObject({ offset, message: expect.stringContaining(message) });
  });

  it('names a repeated key cut to 60 characters', () => {
    const key = 'k'.repeat(1000);
    expect(findSyntaxFault(`{"${key}": 1, "${key}": 2}`, { duplicateKeys: true })?.message).toBe(
      `Duplicate key "${'k'.repeat(59)}…" in one object: JSON.parse would silently keep only the last one`,
    );
  });
});

describe('compactJsonBytes', () => {
  it('writes the UTF-8 of what compactJson gives of the decoded text, however it is indented', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom(0, 1, 2, '\t', ' \r\n '),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
        (value, indent, text) => {
          const json = JSON.stringify(
            { value, text, quoted: `"${text} \\`, spaced: ` ${text}  ` },
            null,
            indent,
          );
          const bytes = Buffer.from(json);
          const into = Buffer.alloc(bytes.length);
          const end = compactJsonBytes(bytes, 0, bytes.length, into, 0);
          expect(into.subarray(0, end).toString()).toBe(compactJson(json, 0, json.length));
        },
      ),
      { numRuns: 500 },
    );
  });
});
