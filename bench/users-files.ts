/** The generated users files the measurements read, in a scratch workspace of their own. */
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { usersFilePieces } from './generate-users.js';

export interface UsersFile {
  count: number;
  /** Relative to the workspace. */
  file: string;
  bytes: number;
}

export async function makeWorkspace(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'auth0-import-bench-'));
}

/** Written piece by piece: a 300,000-user file is never one string in the bench's memory. */
export async function writeUsersFile(workspace: string, count: number): Promise<UsersFile> {
  const file = `users-${count}.json`;
  const out = createWriteStream(path.join(workspace, file));
  let bytes = 0;
  for (const piece of usersFilePieces(count)) {
    bytes += Buffer.byteLength(piece);
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return { count, file, bytes };
}
