import { describe, expect, it } from 'vitest';
import { userJson, validateRun } from '../../src/users/validate.js';

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
    expect(users[0]?.bytes).toBe(userJson(users[0]!).length);
  });
});
