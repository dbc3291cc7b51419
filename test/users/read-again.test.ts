/**
 * A file read in pieces is not held: its users' texts are read again from the file when they are
 * sent or compared. What is read again must be exactly what was validated, wherever the pieces were
 * cut, whatever the characters, with or without a BOM.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planUsers, type Baseline } from '../../src/plan/plan.js';
import { parseExact } from '../../src/users/exact-json.js';
import { isUnreadable, readUsersFile, type UsersFileText } from '../../src/users/read.js';
import { userJson, validateRun } from '../../src/users/validate.js';

const NAMES = ['Ada', 'Zoë', 'Đorđe', '李雷', 'Renée 😀', 'Alan'];

/** About 3 MB of users, so that the file is read in several pieces; not all ASCII. */
function manyUsers(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `user.${i}@example.com`,
    given_name: NAMES[i % NAMES.length],
    ...(i % 7 === 0 ? { nickname: `"quoted" \\ ${NAMES[(i + 1) % NAMES.length]}` } : {}),
    app_metadata: { plan: i % 3 === 0 ? 'pro' : 'free', tags: ['a', 'b', NAMES[i % NAMES.length]], n: i },
  }));
}

async function fileOf(content: string | Buffer): Promise<{ workspace: string; read: UsersFileText }> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'read-again-'));
  await writeFile(path.join(workspace, 'users.json'), content);
  const read = await readUsersFile(workspace, 'users.json');
  if (isUnreadable(read)) throw new Error(`unreadable: ${read.message}`);
  return { workspace, read };
}

describe('users of a file read in pieces', () => {
  for (const bom of [false, true]) {
    it(`are read again byte for byte as they were validated${bom ? ', after a BOM' : ''}`, async () => {
      const users = manyUsers(12_000);
      const text = JSON.stringify(users, null, 2);
      const { read } = await fileOf(
        bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) : text,
      );
      expect(read.stream).toBeDefined();
      expect(read.text).toBeUndefined();
      const validation = validateRun([read]);
      expect(validation.problems).toEqual([]);
      expect(validation.users).toHaveLength(users.length);
      for (const [i, user] of [...validation.users].entries()) {
        // Nothing held: the text comes from the file.
        expect(user.disk).toBeDefined();
        expect(user.text).toBe('');
        const expected = JSON.stringify(users[i]);
        expect(userJson(user)).toBe(expected);
        expect(user.bytes).toBe(Buffer.byteLength(expected));
      }
    });
  }

  it('place the changes a plan finds as the same users held in memory do', async () => {
    const users = manyUsers(6_000);
    const text = JSON.stringify(users, null, 2);
    const { read } = await fileOf(text);
    expect(read.disk).toBeDefined();
    const onDisk = [...validateRun([read]).users];
    const held = [...validateRun([{ file: 'users.json', text }]).users];
    expect(held[0]?.disk).toBeUndefined();
    const changed = (user: Record<string, unknown>, i: number) =>
      i % 500 === 0 ? { ...user, given_name: 'Someone Else', blocked: true } : user;
    const baseline: Baseline = {
      kind: 'git',
      description: 'the base',
      users: users.map(changed).map((user) => {
        const record = parseExact(JSON.stringify(user)) as Record<string, unknown>;
        return { email: String(record.email), record: () => record, place: 'users.json at abc1234' };
      }),
      unknowable: new Set(),
      fileGivesOnly: false,
    };
    const shape = (plan: ReturnType<typeof planUsers>) =>
      [...plan.users].map(({ action, email, changes, warnings }) => ({ action, email, changes, warnings }));
    const fromDisk = shape(planUsers(onDisk, [], baseline));
    expect(fromDisk.filter((planned) => planned.action === 'update')).toHaveLength(12);
    expect(fromDisk).toEqual(shape(planUsers(held, [], baseline)));
  });

  it('refuse to send a user whose place in the file moved after it was validated', async () => {
    const text = JSON.stringify(manyUsers(6_000), null, 2);
    const { workspace, read } = await fileOf(text);
    const [user] = validateRun([read]).users;
    // Rewritten in place (same file, same descriptor), one line longer at the top.
    await writeFile(path.join(workspace, 'users.json'), `\n${text}`);
    expect(() => userJson(user!)).toThrow(/users\.json:2 is not what was validated: the file changed/);
  });

  it('still finds bytes that are not UTF-8 far into the file, at their line', async () => {
    const text = JSON.stringify(manyUsers(6_000), null, 2);
    const at = text.lastIndexOf('user.5999@');
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xe9]),
      Buffer.from(text.slice(at)),
    ]);
    const workspace = await mkdtemp(path.join(tmpdir(), 'read-again-'));
    await writeFile(path.join(workspace, 'users.json'), bytes);
    const read = await readUsersFile(workspace, 'users.json');
    expect(isUnreadable(read)).toBe(true);
    expect(read).toMatchObject({
      line: text.slice(0, at).split('\n').length,
      message: expect.stringMatching(/not valid UTF-8: byte 0xe9/),
    });
  });

  it('places a syntax error far into the file at its line and column', async () => {
    const text = JSON.stringify(manyUsers(6_000), null, 2);
    const at = text.lastIndexOf('"given_name"');
    const broken = `${text.slice(0, at)}given_name"${text.slice(at + '"given_name"'.length)}`;
    const { read } = await fileOf(broken);
    const { problems } = validateRun([read]);
    const lines = text.slice(0, at).split('\n');
    expect(problems[0]).toMatchObject({ line: lines.length, column: lines.at(-1)!.length + 1 });
  });
});
