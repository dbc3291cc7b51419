/**
 * A users file as it stood at an earlier commit: from the local git history when the checkout has
 * it (fetch-depth: 2 or more), else through GitHub's contents API. Octokit loads only here.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VersionSource {
  workspace: string;
  /** owner/name */
  repository?: string;
  token?: string;
  log: (message: string) => void;
  /** A cancelled run stops its git reads too. */
  signal?: AbortSignal;
}

export class PreviousVersionError extends Error {}

async function git(workspace: string, args: string[], signal?: AbortSignal): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, {
      cwd: workspace,
      ...(signal ? { signal } : {}),
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout;
  } catch {
    return undefined;
  }
}

/** The file's text at `ref`, or undefined when it did not exist then. */
export async function previousVersion(
  file: string,
  ref: string,
  source: VersionSource,
): Promise<string | undefined> {
  const { workspace, signal } = source;
  const commit = await git(workspace, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], signal);
  if (commit !== undefined) {
    const sha = commit.trim();
    const exists = await git(workspace, ['cat-file', '-e', `${sha}:./${file}`], signal);
    if (exists === undefined) return undefined;
    return git(workspace, ['show', `${sha}:./${file}`], signal);
  }
  source.log(
    `Commit ${ref} is not in the local history; reading ${file} at it through the GitHub API (checkout with fetch-depth: 2 avoids this).`,
  );
  return fromApi(file, ref, source);
}

async function fromApi(file: string, ref: string, source: VersionSource): Promise<string | undefined> {
  const [owner, repo] = (source.repository ?? '').split('/');
  if (!owner || !repo || !source.token) {
    throw new PreviousVersionError(
      `only-changed: commit ${ref} is not in the local history and there is no github-token / GITHUB_REPOSITORY to read ${file} at it; use actions/checkout with fetch-depth: 2`,
    );
  }
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(source.token);
  try {
    const response = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: file,
      ref,
      mediaType: { format: 'raw' },
    });
    // Raw content comes back as text (GitHub adds charset=utf-8) or, without a charset, as bytes.
    const data: unknown = response.data;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
    if (ArrayBuffer.isView(data))
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    throw new PreviousVersionError(
      `only-changed: the GitHub API answered ${file} at ${ref} with something other than its content`,
    );
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw new PreviousVersionError(
      `only-changed: could not read ${file} at ${ref} through the GitHub API (${(error as Error).message}); check github-token's contents: read permission`,
    );
  }
}
