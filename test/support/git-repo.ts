/** Real git repositories for tests where history matters: each commit a set of file changes. */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeWorkspace } from './action.js';

export function git(workspace: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: workspace,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trim();
}

/** One commit: each path's new content, or null to delete it. */
export type CommitFiles = Record<string, string | null>;

/** A repository on `main` with one commit per entry (the first holds a README too); the SHAs in order. */
export async function gitRepository(
  commits: readonly CommitFiles[],
): Promise<{ workspace: string; shas: string[] }> {
  const workspace = await makeWorkspace({ 'README.md': 'users\n' });
  git(workspace, 'init', '-q', '-b', 'main');
  const shas: string[] = [];
  for (const [i, files] of commits.entries()) {
    for (const [file, content] of Object.entries(files)) {
      const absolute = path.join(workspace, file);
      if (content === null) await rm(absolute, { force: true });
      else {
        await mkdir(path.dirname(absolute), { recursive: true });
        await writeFile(absolute, content);
      }
    }
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '--allow-empty', '-m', `commit ${i + 1}`);
    shas.push(git(workspace, 'rev-parse', 'HEAD'));
  }
  return { workspace, shas };
}

/** An event payload file next to the workspace, for GITHUB_EVENT_PATH. */
export async function eventFile(workspace: string, payload: unknown): Promise<string> {
  const file = path.join(workspace, '..', `${path.basename(workspace)}-event.json`);
  await writeFile(file, JSON.stringify(payload));
  return file;
}
