/**
 * Malformed JSON, generated at many positions of a valid file: the validator never throws, never
 * accepts what JSON.parse refuses, and places every problem inside the file.
 */
import { describe, expect, it } from 'vitest';
import { planChunks } from '../../src/users/chunks.js';
import type { Problem } from '../../src/users/problem.js';
import { validateRun } from '../../src/users/validate.js';
import { expectRefused, loggedProblems, workspaceWith } from './refused.js';

const VALID = `${JSON.stringify(
  [
    { email: 'ada@example.com', name: 'Ada "Countess" Lovelace', email_verified: true },
    {
      email: 'alan@example.com',
      custom_password_hash: {
        algorithm: 'sha256',
        hash: { value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', encoding: 'hex' },
      },
      mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }],
    },
    {
      email: 'grace@example.com',
      app_metadata: { roles: ['admin', 'ops'], level: 1.5e3, active: false, manager: null },
      user_metadata: { café: '☃ \u{1F600} \\ / "quoted"' },
    },
  ],
  null,
  2,
)}\n`;

/** Every way the corpus breaks the file, each a named variant. */
function corpus(): [name: string, text: string][] {
  const cases: [string, string][] = [];
  for (let i = 0; i < VALID.length; i += 3) cases.push([`truncated at ${i}`, VALID.slice(0, i)]);
  const inserts = [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\',
    '\u0001',
    '\t',
    'x',
    '-',
    '0',
    "'",
    '\u00e9',
    '\u2028',
  ];
  for (let i = 0; i < VALID.length; i += 5) {
    const insert = inserts[(i / 5) % inserts.length]!;
    cases.push([`${JSON.stringify(insert)} inserted at ${i}`, VALID.slice(0, i) + insert + VALID.slice(i)]);
    cases.push([`byte ${i} deleted`, VALID.slice(0, i) + VALID.slice(i + 1)]);
  }
  const named: [string, string][] = [
    ['an unclosed string', VALID.replace('"Ada ', '"Ada\n')],
    ['an unclosed string at the end', VALID.replace(/"\n\s*}\n]\n$/, '\n}\n]\n')],
    ['a bad escape', VALID.replace('Lovelace', 'Love\\qlace')],
    ['a short \\u escape', VALID.replace('Lovelace', 'Love\\u12')],
    ['a \\u escape with non-hex digits', VALID.replace('Lovelace', 'Love\\uZZZZ')],
    ['single quotes', VALID.replace('"ada@example.com"', "'ada@example.com'")],
    ['a trailing comma in an object', VALID.replace('"email_verified": true', '"email_verified": true,')],
    ['a trailing comma in the array', VALID.replace(/}\n]\n$/, '},\n]\n')],
    ['a missing comma', VALID.replace('},\n  {', '}\n  {')],
    ['a comment', VALID.replace('[\n', '[\n  // users\n')],
    ['NaN', VALID.replace('1500', 'NaN')],
    ['a leading zero', VALID.replace('1500', '01500')],
    ['a raw tab in a string', VALID.replace('Ada ', 'Ada\t')],
    ['two top-level arrays', VALID + VALID],
    ['garbage after the array', `${VALID}garbage`],
    ['an empty file', ''],
    ['only whitespace', ' \n\t\n'],
    ['an empty array', '[]'],
    ['a lone high surrogate escape', VALID.replace('Lovelace', 'Love\\ud800lace')],
    ['a lone low surrogate escape', VALID.replace('Lovelace', 'Love\\udc00lace')],
    ['a reversed surrogate pair', VALID.replace('Lovelace', 'Love\\ude00\\ud83dlace')],
    ['a lone surrogate in a key', VALID.replace('"roles"', '"r\\udbffoles"')],
  ];
  return [...cases, ...named];
}

/** The problem is inside the text: 1 ≤ line ≤ lines, 1 ≤ column ≤ the line's length + 1. */
function expectPlacedInside(text: string, problem: Pick<Problem, 'line' | 'column'>, name: string): void {
  const lines = text.split('\n');
  const where = `${name}: ${problem.line}:${problem.column}`;
  expect(problem.line, where).toBeGreaterThanOrEqual(1);
  expect(problem.line, where).toBeLessThanOrEqual(lines.length);
  expect(problem.column, where).toBeGreaterThanOrEqual(1);
  expect(problem.column, where).toBeLessThanOrEqual((lines[problem.line - 1] ?? '').length + 1);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe.concurrent('malformed JSON', () => {
  const variants = corpus();

  it(`is refused with a placed problem in each of ${variants.length} broken variants, never with an exception`, () => {
    expect(variants.length).toBeGreaterThan(500);
    for (const [name, text] of variants) {
      const run = validateRun([{ file: 'users.json', text }]);
      planChunks(
        run.users.map((user) => user.bytes),
        500_000,
      );
      for (const problem of run.problems) expectPlacedInside(text, problem, name);
      if (!parses(text)) expect(run.problems.length, `${name} was accepted`).toBeGreaterThan(0);
      if (run.problems.length === 0) {
        // Accepted: then it is a JSON array whose every element is a user that passed.
        expect((JSON.parse(text) as unknown[]).length, name).toBe(run.users.length);
      }
    }
  });

  it('names what is wrong and where, at the first bad token', () => {
    const first = (text: string) => validateRun([{ file: 'users.json', text }]).problems[0];
    expect(first(VALID.replace('},\n  {', '}\n  {'))).toMatchObject({
      line: 7,
      column: 3,
      message: "Unexpected '{': expected ',' or ']' (a missing comma?)",
    });
    expect(first(VALID.replace('Lovelace', 'Love\\qlace'))?.message).toContain('Bad escape \\q');
    expect(first(VALID.slice(0, 100))?.message).toBe('Unexpected end of file: the JSON is cut short');
    expect(first(`${VALID}garbage`)).toMatchObject({ line: VALID.split('\n').length, column: 1 });
  });

  it('refuses a lone surrogate escape, which JSON.parse accepts but UTF-8 cannot hold', () => {
    const text = '[\n  { "email": "ada@example.com", "name": "Ada \\ud800" }\n]';
    expect(parses(text)).toBe(true);
    const { problems } = validateRun([{ file: 'users.json', text }]);
    expect(problems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 46,
        path: '[0]',
        message: expect.stringContaining('\\ud800 is half of a UTF-16 surrogate pair with no other half'),
      }),
    ]);
    // Pairs, and escaped backslashes before a "u", are fine.
    const pair = '[{ "email": "ada@example.com", "name": "\\ud83d\\ude00 \\\\ud800" }]';
    expect(validateRun([{ file: 'users.json', text: pair }]).problems).toEqual([]);
  });

  it('sends nothing for any of them, and places a problem in each file (bundle)', async () => {
    const refused = variants.filter(
      ([, text]) => validateRun([{ file: 'users.json', text }]).problems.length > 0,
    );
    const sample = refused.filter((_, i) => i % 10 === 0);
    const files = Object.fromEntries(
      sample.map(([, text], i) => [`broken/${String(i).padStart(3, '0')}.json`, text]),
    );
    const run = await expectRefused(await workspaceWith(files), 'broken/*.json');
    const problems = loggedProblems(run);
    for (const [file, text] of Object.entries(files)) {
      const own = problems.filter((problem) => problem.file === file);
      expect(own.length, `no problem listed for ${file}`).toBeGreaterThan(0);
      for (const problem of own) expectPlacedInside(text, problem, file);
    }
  });
});
