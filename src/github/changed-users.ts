/** only-changed: the users a change added or modified, compared with each file's previous version. */
import type { OnlyChangedSettings } from '../inputs.js';
import { diffUsers, previousUsers, type UserChanges } from '../users/diff.js';
import type { Problem } from '../users/problem.js';
import type { RunUser } from '../users/validate.js';
import { changeBase } from './change-base.js';
import { previousVersion } from './previous-version.js';

export interface ChangedUsers {
  /** Added and modified users, in run order: what is sent. */
  users: RunUser[];
  /** Modified users when upsert is off: updating them needs it. */
  problems: Problem[];
  changes: UserChanges;
  /** Which commit the run compared with, in words. */
  reason: string;
  /** The current commit, short: the one that removed the removed users. */
  commit: string;
}

export async function changedUsers(options: {
  onlyChanged: OnlyChangedSettings;
  upsert: boolean;
  workspace: string;
  env: NodeJS.ProcessEnv;
  files: readonly string[];
  users: readonly RunUser[];
  log: (message: string) => void;
  signal: AbortSignal;
}): Promise<ChangedUsers> {
  const { onlyChanged, env, log } = options;
  const base = changeBase(env, onlyChanged.since);
  log(`only-changed: comparing with ${base.reason}.`);
  const previous = [];
  if (base.sha) {
    const source = {
      workspace: options.workspace,
      ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
      ...(onlyChanged.githubToken ? { token: onlyChanged.githubToken } : {}),
      log,
      signal: options.signal,
    };
    for (const file of options.files)
      previous.push(...previousUsers(await previousVersion(file, base.sha, source)));
  }
  const changes = diffUsers(previous, options.users);
  const problems = options.upsert
    ? []
    : changes.modified.map((user): Problem => ({
        file: user.file,
        line: user.line,
        column: user.column,
        path: `[${user.index}]`,
        message: `${user.email} changed since ${base.reason}: updating an existing user needs upsert: true`,
        hint: 'Set upsert: true (Auth0 replaces the changed fields), or revert the change.',
      }));
  const sending = new Set([...changes.added, ...changes.modified]);
  return {
    users: options.users.filter((user) => sending.has(user)),
    problems,
    changes,
    reason: base.reason,
    commit: (env.GITHUB_SHA ?? 'HEAD').slice(0, 7),
  };
}
