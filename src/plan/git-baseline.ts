/** The baseline from git: the users of every users file as it stood at the base commit. */
import { readBaseFiles, type BaseSource } from '../github/base-files.js';
import type { ChangeBase } from '../github/event.js';
import { isPlainObject, parseExact } from '../users/exact-json.js';
import type { Baseline, BaselineUser } from './plan.js';

/** A base commit's users files read as users; a file that is not a JSON array of users counts as none. */
export async function gitBaseline(
  patterns: readonly string[],
  base: ChangeBase,
  source: BaseSource,
): Promise<Baseline> {
  const users: BaselineUser[] = [];
  if (base.sha) {
    const { commit, files } = await readBaseFiles(patterns, base.sha, source);
    for (const { file, text } of files) {
      const parsed = parseUsers(text);
      if (parsed === undefined) {
        source.log(
          `${file} at ${commit.slice(0, 7)} is not a JSON array of users: it counts as holding none.`,
        );
        continue;
      }
      const place = `${file} at ${commit.slice(0, 7)}`;
      for (const record of parsed) {
        if (typeof record.email === 'string')
          users.push({ email: record.email, record: () => record, place });
      }
    }
  }
  return {
    kind: 'git',
    description: base.reason,
    users,
    unknowable: new Set(),
    fileGivesOnly: false,
  };
}

function parseUsers(text: string): Record<string, unknown>[] | undefined {
  try {
    const parsed = parseExact(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return Array.isArray(parsed) ? parsed.filter(isPlainObject) : undefined;
  } catch {
    return undefined;
  }
}
