import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { userJson, validateRun } from '../../src/users/validate.js';
import { piecesOf } from '../../src/users/locate.js';

function run(files: Record<string, string>) {
  return validateRun(Object.entries(files).map(([file, text]) => ({ file, text })));
}

describe('validateRun', () => {
  it('places a problem with one user at its value', () => {
    const { problems, users } = run({
      'u.json': '[\n  {"email": "a@x.io"},\n  {"email": "a@x.io", "blocked": "yes"}\n]',
    });
    expect(problems.map(({ line, column, path }) => ({ line, column, path }))).toEqual([
      { line: 3, column: 13, path: '[1].email' },
      { line: 3, column: 34, path: '[1].blocked' },
    ]);
    expect(users.map((user) => user.email)).toEqual(['a@x.io']);
  });

  it('finds duplicate emails, user_ids and usernames across files, naming the first place', () => {
    const { problems } = run({
      'a.json': '[{"email":"A@x.io","user_id":"u1","username":"ann"}]',
      'b.json': '[{"email":"a@X.io","user_id":"u1","username":"ANN"}]',
    });
    expect(problems.map((problem) => `${problem.file} ${problem.path}: ${problem.message}`)).toEqual([
      'b.json [0].email: Duplicate email "a@X.io": the same user is also at a.json:1',
      'b.json [0].user_id: Duplicate user_id "u1": the same user is also at a.json:1',
      'b.json [0].username: Duplicate username "ANN": the same user is also at a.json:1',
    ]);
  });

  it('compares emails without regard to case, beyond ASCII too', () => {
    const { problems } = run({ 'u.json': '[{"email":"zoë@x.io"},{"email":"ZOË@X.IO"}]' });
    expect(problems.map((problem) => problem.message)).toEqual([
      'Duplicate email "ZOË@X.IO": the same user is also at u.json:1',
    ]);
  });

  it('finds a repeated phone number without quoting it', () => {
    const { problems } = run({
      'u.json':
        '[{"email":"a@x.io","phone_number":"+14155550123"},{"email":"b@x.io","phone_number":"+14155550123"}]',
    });
    expect(problems).toEqual([
      expect.objectContaining({
        path: '[1].phone_number',
        message: 'Duplicate phone_number: the same user is also at u.json:1',
      }),
    ]);
  });

  it('keeps each valid user as the compact JSON it will send', () => {
    const { users } = run({ 'u.json': '[ { "email" : "a@x.io" ,\n "name": "A  B" } ]' });
    expect(users.map(userJson)).toEqual(['{"email":"a@x.io","name":"A  B"}']);
    expect(users.at(0)?.bytes).toBe(userJson(users.at(0)!).length);
  });

  describe('the profile size, told from the text for most users', () => {
    /** A user whose metadata holds `count` numbers written `1e20`: JSON.stringify writes each in 21 bytes. */
    const withNumbers = (count: number) =>
      `[{"email":"a@x.io","user_metadata":{"n":[${Array(count).fill('1e20').join(',')}]}}]`;

    it('finds a user of few bytes that JSON.stringify writes past the limit', () => {
      // 2,000-odd bytes of text, over 10,240 as JSON: a text this short is still measured.
      const text = withNumbers(480);
      expect(Buffer.byteLength(JSON.stringify(JSON.parse(text)[0]))).toBeGreaterThan(10_240);
      expect(run({ 'u.json': text }).problems.map((problem) => problem.message)).toEqual([
        expect.stringContaining('Auth0 may reject a profile over about 10 KB'),
      ]);
    });

    it('lets a short user through without measuring it, whatever its numbers', () => {
      // As many numbers as the shortcut's bound allows: still under the limit as JSON.
      const text = withNumbers(330);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(10_240 / 6);
      expect(Buffer.byteLength(JSON.stringify(JSON.parse(text)[0]))).toBeLessThanOrEqual(10_240);
      expect(run({ 'u.json': text }).problems).toEqual([]);
    });

    it('still finds a metadata key with "." in a short user, after values that stop the walk', () => {
      // The walk counts a number as 24 bytes: 450 of them stop it before it reaches "a.b".
      const ones = Array(450).fill(1).join(',');
      const text = `[{"email":"a@x.io","app_metadata":{"n":[${ones}],"a.b":1}}]`;
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(10_240 / 6);
      expect(run({ 'u.json': text }).problems.map((problem) => problem.path)).toEqual([
        '[0].app_metadata["a.b"]',
      ]);
    });
  });
});

describe('validateRun on a file read in pieces', () => {
  const USERS: unknown[] = [
    { email: 'a@x.io', name: 'Ann', app_metadata: { plan: 'pro', tags: ['a', 'b'] } },
    { email: 'B@x.io', user_id: 'u1', user_metadata: { note: 'line\nbreak "quoted" \\u00e9 é 渡辺 😀' } },
    { email: 'a@X.io', blocked: 'yes' },
    { email: 'c@x.io', user_id: 'u1', mfa_factors: [{ totp: { secret: 'JBSWY3DP' } }] },
    { email: 'not an address', custom_password_hash: { algorithm: 'md5', hash: { value: 'zz' } } },
    [1, 2],
    'a string',
    { email: 'd@x.io', user_metadata: { n: 2 ** 64, e: 1e300, t: true, f: false, z: null } },
  ];
  const layouts = [0, 1, 2, 4, '\t'] as const;
  /** A small change that may break the JSON: a character removed or one of these put in. */
  const edits = ['', ',', '}', '{', '"', ']', '[', '\n', ':', 'x', '\\', ' ', '"email":"e@x.io",'];

  const files = fc
    .tuple(
      fc.array(fc.constantFrom(...USERS), { minLength: 0, maxLength: 8 }),
      fc.constantFrom(...layouts),
      fc.boolean(),
      fc.option(fc.tuple(fc.nat(), fc.constantFrom(...edits)), { freq: 2 }),
    )
    .map(([users, indent, crlf, edit]) => {
      let text = `${JSON.stringify(users, null, indent)}\n`;
      if (crlf) text = text.replaceAll('\n', '\r\n');
      if (edit) {
        const [at, insert] = edit;
        const offset = at % (text.length + 1);
        text =
          insert === ''
            ? text.slice(0, offset) + text.slice(offset + 1)
            : text.slice(0, offset) + insert + text.slice(offset);
      }
      return text;
    });

  /** The text cut after some of its line breaks, as readUsersFile cuts a large file. */
  function inPieces(text: string, cuts: readonly boolean[]): string[] {
    const pieces: string[] = [];
    let from = 0;
    let line = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (cuts[line++ % cuts.length]) {
        pieces.push(text.slice(from, i + 1));
        from = i + 1;
      }
    }
    if (from < text.length) pieces.push(text.slice(from));
    return pieces;
  }

  /** What a run says, with each user's text reduced to what is sent. */
  function said(run: ReturnType<typeof validateRun>) {
    return {
      problems: run.problems,
      files: run.files,
      users: run.users.map(({ text: _text, start: _start, end: _end, ...user }, i) => ({
        ...user,
        json: userJson(run.users.at(i)!),
      })),
    };
  }

  it('says what it says of the whole text, wherever the pieces are cut', () => {
    fc.assert(
      fc.property(files, fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }), (text, cuts) => {
        const pieces = inPieces(text, cuts);
        const whole = said(validateRun([{ file: 'u.json', text }]));
        expect(said(validateRun([{ file: 'u.json', stream: () => piecesOf(pieces) }]))).toEqual(whole);
      }),
      { numRuns: 3_000 },
    );
  });

  it('sends a user that spans pieces as the same compact JSON', () => {
    const text = '[\n  {\n    "email": "a@x.io",\n    "name": "A  B"\n  },\n  {"email": "b@x.io"}\n]\n';
    const pieces = inPieces(text, [true]);
    expect(pieces.length).toBeGreaterThan(3);
    const { users } = validateRun([{ file: 'u.json', stream: () => piecesOf(pieces) }]);
    expect(users.map(userJson)).toEqual(['{"email":"a@x.io","name":"A  B"}', '{"email":"b@x.io"}']);
    expect(users.map((user) => [user.line, user.column])).toEqual([
      [2, 3],
      [6, 3],
    ]);
  });
});
