/** Which commit a run's users files are compared with, from the event that started the workflow. */
import { readFileSync } from 'node:fs';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** `sha` absent: compare with nothing, every user is new (a first push, a new branch). */
export interface ChangeBase {
  sha?: string;
  /** Why this commit, for the log and the summary. */
  reason: string;
}

interface EventPayload {
  before?: string;
  pull_request?: { base?: { sha?: string } };
}

/**
 * push: the event's `before`; pull_request: the base commit; anything else (workflow_dispatch,
 * schedule): the `since` input, else the parent of HEAD.
 */
export function changeBase(env: NodeJS.ProcessEnv, since: string | undefined): ChangeBase {
  const event = env.GITHUB_EVENT_NAME ?? '';
  let payload: EventPayload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload;
    } catch {
      payload = {};
    }
  }
  if (since) return { sha: since, reason: `since: ${since}` };
  if (event === 'push') {
    const before = payload.before;
    if (!before || before === ZERO_SHA) return { reason: 'the push created the branch: every user is new' };
    return { sha: before, reason: `the commit before the push (${before.slice(0, 7)})` };
  }
  if (event === 'pull_request' || event === 'pull_request_target') {
    const base = payload.pull_request?.base?.sha;
    if (base) return { sha: base, reason: `the pull request's base (${base.slice(0, 7)})` };
  }
  return { sha: `${env.GITHUB_SHA || 'HEAD'}^`, reason: 'the parent of the current commit' };
}
