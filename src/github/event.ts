/** What the event that started the workflow says: its kind, its pull request, and the commit to compare with. */
import { readFileSync } from 'node:fs';
import { shortSha } from '../report/words.js';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

export interface WorkflowEvent {
  name: string;
  /** The pull request the run is about, when the event names one. */
  pullRequest?: number;
  /** push: the commit before the push (undefined when the push created the branch). */
  before?: string;
  /** pull_request: the base commit. */
  pullRequestBase?: string;
}

interface Payload {
  before?: unknown;
  number?: unknown;
  pull_request?: { number?: unknown; base?: { sha?: unknown } };
  issue?: { number?: unknown; pull_request?: unknown };
}

export function readEvent(env: NodeJS.ProcessEnv): WorkflowEvent {
  let payload: Payload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Payload;
    } catch {
      payload = {};
    }
  }
  const number = (value: unknown) =>
    typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
  const pullRequest =
    number(payload.pull_request?.number) ??
    (payload.issue?.pull_request ? number(payload.issue.number) : undefined);
  const before =
    typeof payload.before === 'string' && payload.before !== ZERO_SHA ? payload.before : undefined;
  const base =
    typeof payload.pull_request?.base?.sha === 'string' ? payload.pull_request.base.sha : undefined;
  return {
    name: env.GITHUB_EVENT_NAME ?? '',
    ...(pullRequest !== undefined ? { pullRequest } : {}),
    ...(before ? { before } : {}),
    ...(base ? { pullRequestBase: base } : {}),
  };
}

export function isPullRequestEvent(event: WorkflowEvent): boolean {
  return event.name === 'pull_request' || event.name === 'pull_request_target';
}

/** The commit a run's users files are compared with; `sha` absent: nothing, every user is new. */
export interface ChangeBase {
  sha?: string;
  /** Why this commit, for the log and the summary. */
  reason: string;
}

/**
 * `since` when given (it wins over the event); else push: the commit before the push;
 * pull_request: the base commit; anything else: the parent of the current commit, when
 * `parentByDefault` (only-changed needs a base; a plan without one just says so).
 */
export function changeBase(
  event: WorkflowEvent,
  since: string | undefined,
  sha: string | undefined,
  parentByDefault: boolean,
): ChangeBase | undefined {
  if (since) return { sha: since, reason: `since: ${shortSha(since)}` };
  if (event.name === 'push') {
    if (!event.before) return { reason: 'nothing: the push created the branch, so every user is new' };
    return { sha: event.before, reason: `the commit before the push (${shortSha(event.before)})` };
  }
  if (isPullRequestEvent(event) && event.pullRequestBase) {
    return {
      sha: event.pullRequestBase,
      reason: `the pull request's base (${event.pullRequestBase.slice(0, 7)})`,
    };
  }
  if (!parentByDefault) return undefined;
  return { sha: `${sha || 'HEAD'}^`, reason: 'the parent of the current commit' };
}

/**
 * The pull request to comment on: with `auto`, on pull-request events; with `always`, on any event
 * that names a pull request (e.g. a comment on one); never without a token or a repository.
 */
export function pullRequestToComment(
  setting: 'auto' | 'always' | 'never',
  event: WorkflowEvent,
): number | undefined {
  if (setting === 'never' || event.pullRequest === undefined) return undefined;
  if (setting === 'auto' && !isPullRequestEvent(event)) return undefined;
  return event.pullRequest;
}
