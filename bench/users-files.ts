/** The generated users files the measurements read, in a scratch workspace of their own. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { usersFileText } from './generate-users.js';

export interface UsersFile {
  count: number;
  /** Relative to the workspace. */
  file: string;
  bytes: number;
}

export async function makeWorkspace(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'auth0-import-bench-'));
}

export async function writeUsersFile(workspace: string, count: number): Promise<UsersFile> {
  const text = usersFileText(count);
  const file = `users-${count}.json`;
  await writeFile(path.join(workspace, file), text);
  return { count, file, bytes: Buffer.byteLength(text) };
}
