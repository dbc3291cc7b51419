import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUsersFile, resolveUsersFiles, UsersFileError } from '../../src/users/read.js';

const USERS = '[{"email":"ada@example.com"}]';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A fresh folder holding `workspace/` with the given files, and nothing else. */
async function workspaceWith(files: Record<string, string | Buffer>): Promise<string> {
  const workspace = path.join(await mkdtemp(path.join(tmpdir(), 'read-')), 'workspace');
  await mkdir(workspace);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(workspace, name), content);
  return workspace;
}

describe('resolveUsersFiles', () => {
  it('accepts a file whose name starts with two dots', async () => {
    const workspace = await workspaceWith({ '..users.json': USERS });
    expect(await resolveUsersFiles(['..users.json'], workspace)).toEqual(['..users.json']);
  });

  it('accepts a file whose name starts with two dots given as an absolute path', async () => {
    const workspace = await workspaceWith({ '..users.json': USERS });
    expect(await resolveUsersFiles([path.join(workspace, '..users.json')], workspace)).toEqual([
      '..users.json',
    ]);
  });

  it('still refuses a path that climbs out with ..', async () => {
    const workspace = await workspaceWith({});
    await writeFile(path.join(workspace, '..', 'users.json'), USERS);
    await expect(resolveUsersFiles([path.join(workspace, '..', 'users.json')], workspace)).rejects.toThrow(
      UsersFileError,
    );
  });

  it('accepts an absolute path through the symlink the workspace is reached by', async () => {
    const workspace = await workspaceWith({ 'users.json': USERS });
    const link = path.join(path.dirname(workspace), 'link');
    await symlink(workspace, link);
    expect(await resolveUsersFiles([path.join(link, 'users.json')], link)).toEqual(['users.json']);
  });

  it('accepts an absolute glob through a symlink to the workspace named by its real path', async () => {
    const workspace = await workspaceWith({ 'users.json': USERS });
    const link = path.join(path.dirname(workspace), 'link');
    await symlink(workspace, link);
    expect(await resolveUsersFiles([path.join(link, '*.json')], workspace)).toEqual(['users.json']);
  });
});

describe('readUsersFile after a UTF-8 BOM', () => {
  it('places a NUL byte on line 1 where an editor shows it', async () => {
    const workspace = await workspaceWith({
      'users.json': Buffer.concat([BOM, Buffer.from('[{"email":"a'), Buffer.from([0]), Buffer.from('"}]')]),
    });
    expect(await readUsersFile(workspace, 'users.json')).toMatchObject({ line: 1, column: 13 });
  });

  it('places an invalid UTF-8 byte on line 1 where an editor shows it', async () => {
    const workspace = await workspaceWith({
      'users.json': Buffer.concat([
        BOM,
        Buffer.from('[{"email":"a'),
        Buffer.from([0xff]),
        Buffer.from('"}]'),
      ]),
    });
    expect(await readUsersFile(workspace, 'users.json')).toMatchObject({
      line: 1,
      column: 13,
      message: 'The file is not valid UTF-8: byte 0xff at offset 15',
    });
  });

  it('reads the text without the BOM', async () => {
    const workspace = await workspaceWith({ 'users.json': Buffer.concat([BOM, Buffer.from(USERS)]) });
    expect(await readUsersFile(workspace, 'users.json')).toEqual({ file: 'users.json', text: USERS });
  });
});
