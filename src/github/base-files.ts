/**
 * The users files as they stood at an earlier commit: every file the users-file patterns matched
 * then (files since deleted or renamed included), from the local git history when the checkout has
 * the commit (fetch-depth: 2 or more), else through GitHub's API. Octokit loads only here.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BaseSource {
  workspace: string;
  /** owner/name */
  repository?: string;
  token?: string;
  log: (message: string) => void;
  /** A cancelled run stops its git reads and API calls too. */
  signal: AbortSignal;
}

export interface BaseFile {
  file: string;
  text: string;
}

export class BaseFilesError extends Error {}

async function git(workspace: string, args: string[], signal: AbortSignal): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, {
      cwd: workspace,
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'utf8',
      signal,
    });
    return stdout;
  } catch {
    return undefined;
  }
}

/** The patterns of users-file relative to the workspace, as git paths match them. */
function relativePatterns(patterns: readonly string[], workspace: string): string[] {
  return patterns.map((pattern) =>
    (path.isAbsolute(pattern) ? path.relative(workspace, pattern) : pattern)
      .split(path.sep)
      .join('/')
      .replace(/^\.\//, ''),
  );
}

export function matchesAny(file: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => path.posix.matchesGlob(file, pattern));
}

/** Every file matching `patterns` at `ref`, with its text; the commit's full SHA. */
export async function readBaseFiles(
  patterns: readonly string[],
  ref: string,
  source: BaseSource,
): Promise<{ commit: string; files: BaseFile[] }> {
  const { workspace, signal } = source;
  const wanted = relativePatterns(patterns, workspace);
  const commit = (
    await git(workspace, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], signal)
  )?.trim();
  if (commit) {
    const listing = await git(workspace, ['ls-tree', '-r', '-z', '--name-only', commit], signal);
    if (listing === undefined) throw new BaseFilesError(`Could not list the files of commit ${commit}`);
    const files: BaseFile[] = [];
    for (const file of listing.split('\0').filter((name) => name && matchesAny(name, wanted))) {
      const text = await git(workspace, ['show', `${commit}:${file}`], signal);
      if (text !== undefined) files.push({ file, text });
    }
    return { commit, files };
  }
  if (signal.aborted) throw new BaseFilesError('Cancelled');
  source.log(
    `Commit ${ref} is not in the local history; reading the users files at it through the GitHub API (actions/checkout with fetch-depth: 2 avoids this).`,
  );
  return fromApi(wanted, ref, source);
}

async function fromApi(
  patterns: readonly string[],
  ref: string,
  source: BaseSource,
): Promise<{ commit: string; files: BaseFile[] }> {
  const [owner, repo] = (source.repository ?? '').split('/');
  if (!owner || !repo || !source.token) {
    throw new BaseFilesError(
      `commit ${ref} is not in the local history and there is no github-token / GITHUB_REPOSITORY to read the users files at it; use actions/checkout with fetch-depth: 2`,
    );
  }
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(source.token, { request: { signal: source.signal } });
  try {
    const tree = await octokit.rest.git.getTree({ owner, repo, tree_sha: ref, recursive: 'true' });
    if (tree.data.truncated)
      source.log(
        `The file list of ${ref} is too long for one API answer: files past GitHub's cut are not compared.`,
      );
    const files: BaseFile[] = [];
    for (const entry of tree.data.tree) {
      if (entry.type !== 'blob' || !entry.path || !matchesAny(entry.path, patterns)) continue;
      const response = await octokit.rest.repos.getContent({
        owner,
        repo,
        path: entry.path,
        ref,
        mediaType: { format: 'raw' },
      });
      files.push({ file: entry.path, text: textOf(response.data, entry.path, ref) });
    }
    return { commit: ref, files };
  } catch (error) {
    if (error instanceof BaseFilesError) throw error;
    const status = (error as { status?: number }).status;
    throw new BaseFilesError(
      `could not read the users files at ${ref} through the GitHub API (${status ? `${status}: ` : ''}${(error as Error).message}); check github-token's contents: read permission, or use actions/checkout with fetch-depth: 2`,
    );
  }
}

/** Raw content comes back as text (GitHub adds charset=utf-8) or, without a charset, as bytes. */
function textOf(data: unknown, file: string, ref: string): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (ArrayBuffer.isView(data))
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  throw new BaseFilesError(`the GitHub API answered ${file} at ${ref} with something other than its content`);
}
