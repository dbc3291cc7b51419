import { describe, expect, it } from 'vitest';
import { compactJson, MAX_DEPTH, scanUsers, type LocatedUser } from '../../src/users/locate.js';

function scan(text: string) {
  const users: (LocatedUser & { value: unknown; json: string })[] = [];
  const problems = scanUsers('users.json', text, (user, value) =>
    users.push({ ...user, value, json: compactJson(text, user.offset, user.end) }),
  );
  return { users, problems };
}

describe('scanUsers', () => {
  it('finds each user with its line, column and compact JSON', () => {
    const { users, problems } = scan('[\n  { "email": "a@x.io" },\n  {\n    "email" : "b@x.io"\n  }\n]\n');
    expect(problems).toEqual([]);
    expect(users.map(({ line, column, json, index }) => ({ line, column, json, index }))).toEqual([
      { line: 2, column: 3, json: '{"email":"a@x.io"}', index: 0 },
      { line: 3, column: 3, json: '{"email":"b@x.io"}', index: 1 },
    ]);
  });

  it('keeps numbers beyond 2^53 and string escapes byte-identical', () => {
    const { users } = scan(
      '[ { "email": "a\\u00e9 b@x.io", "app_metadata": { "n": 12345678901234567890 } } ]',
    );
    expect(users[0]?.json).toBe('{"email":"a\\u00e9 b@x.io","app_metadata":{"n":12345678901234567890}}');
  });

  it('counts the bytes of the compact JSON, multi-byte characters included', () => {
    const { users } = scan('[ {\n  "email": "zoë@x.io",\t"name": "渡辺" } ]');
    expect(users[0]?.bytes).toBe(Buffer.byteLength(users[0]!.json));
    expect(users[0]?.json).toBe('{"email":"zoë@x.io","name":"渡辺"}');
  });

  it('keeps whitespace inside strings', () => {
    const { users } = scan('[{"email":"a@x.io","name":"  Ann  Lee ", "nickname":"a\\"  b"}]');
    expect(users[0]?.json).toBe('{"email":"a@x.io","name":"  Ann  Lee ","nickname":"a\\"  b"}');
  });

  it('reports a missing comma between users at the second user', () => {
    const { problems } = scan('[\n  {"email":"a@x.io"}\n  {"email":"b@x.io"}\n]');
    expect(problems).toMatchObject([
      { line: 3, column: 3, message: expect.stringContaining("expected ',' or ']'") },
    ]);
  });

  it('reports a trailing comma at the closing bracket', () => {
    const { problems } = scan('[{"email":"a@x.io"},\n]');
    expect(problems).toMatchObject([
      { line: 2, column: 1, message: expect.stringContaining('Trailing comma') },
    ]);
  });

  it('reports an unterminated string at the line break inside it', () => {
    const { problems } = scan('[\n{"email":"a@x.io,\n"name":"x"}]');
    expect(problems).toMatchObject([
      { line: 2, column: 18, message: expect.stringContaining('line break inside a string') },
    ]);
  });

  it('reports a bad escape where it stands', () => {
    const { problems } = scan('[{"email":"a\\x@x.io"}]');
    expect(problems).toMatchObject([{ line: 1, column: 13, message: expect.stringContaining('Bad escape') }]);
  });

  it('reports a file cut short at its end', () => {
    const { problems } = scan('[{"email":"a@x.io"},\n{"email":');
    expect(problems).toMatchObject([
      { line: 2, column: 10, message: expect.stringContaining('end of file') },
    ]);
  });

  it('reports text after the array', () => {
    const { problems } = scan('[{"email":"a@x.io"}]\n]');
    expect(problems).toMatchObject([
      { line: 2, column: 1, message: expect.stringContaining('after the end') },
    ]);
  });

  it('recognises NDJSON and says how to convert it', () => {
    const { problems } = scan('{"email":"a@x.io"}\n{"email":"b@x.io"}\n');
    expect(problems).toMatchObject([
      {
        line: 1,
        column: 1,
        message: expect.stringContaining('NDJSON'),
        hint: expect.stringContaining('jq -s'),
      },
    ]);
  });

  it('refuses a single object at the top level', () => {
    const { problems } = scan('{"email":"a@x.io"}');
    expect(problems).toMatchObject([
      { message: expect.stringContaining('must be a JSON array'), hint: 'Wrap the user in [ ].' },
    ]);
  });

  it('refuses an empty array', () => {
    expect(scan(' [ ] ').problems).toMatchObject([{ message: expect.stringContaining('no users') }]);
  });

  it('refuses an empty file', () => {
    expect(scan('').problems).toMatchObject([{ message: expect.stringContaining('empty') }]);
  });

  it('reports a key repeated within one object at its second occurrence', () => {
    const { problems, users } = scan('[{"email":"a@x.io",\n "email":"b@x.io"}]');
    expect(problems).toMatchObject([
      { line: 2, column: 2, path: '[0]', message: expect.stringContaining('Duplicate key "email"') },
    ]);
    expect(users).toHaveLength(1);
  });

  it('refuses a user nested deeper than the limit without parsing it', () => {
    const deep = '['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1);
    const { problems, users } = scan(`[{"email":"a@x.io","user_metadata":{"a":${deep}}}]`);
    expect(problems).toMatchObject([{ path: '[0]', message: expect.stringContaining('levels deep') }]);
    expect(users).toEqual([]);
  });

  it('survives nesting 100,000 levels deep', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(scan(`[${deep}]`).problems).toMatchObject([{ message: expect.stringContaining('levels deep') }]);
    expect(scan(`[${'['.repeat(100_000)}`).problems).toMatchObject([
      { message: expect.stringContaining('end of file') },
    ]);
  });

  it('hands non-object users to the validator', () => {
    const { users } = scan('[1, "x", null]');
    expect(users.map((user) => user.value)).toEqual([1, 'x', null]);
  });

  it('counts columns after CRLF line ends', () => {
    const { users } = scan('[\r\n  {"email":"a@x.io"}\r\n]');
    expect(users[0]).toMatchObject({ line: 2, column: 3 });
  });
});
