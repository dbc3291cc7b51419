/**
 * The one place a run's result leaves the process: outputs, annotations, the step log, the job
 * summary and the failed-users file. Everything here keeps within GitHub's limits.
 */
import * as core from '@actions/core';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FailedUser } from '../auth0/job-errors.js';
import type { Problem } from '../users/problem.js';
import { failedUserPlace, hintFor } from './import.js';
import type { Outcome } from './outcome.js';
import { annotationText, problemLine } from './validation.js';
import { plural } from './words.js';

/** GitHub keeps at most 10 error annotations per step; the run's own verdict is the first of them. */
export const MAX_ERROR_ANNOTATIONS = 10;
/** GitHub refuses a step summary over 1 MiB; this leaves room for the note that says what was cut. */
export const MAX_SUMMARY_BYTES = 1_000_000;

export const TITLE = '## Auth0 user import';

/** The pull request's plan comment, posted or updated in place. */
export interface CommentRequest {
  token: string;
  repository: string;
  pullRequest: number;
  key: string;
  body: string;
  signal: AbortSignal;
}

export interface Publication {
  outcome: Outcome;
  /** The line that leads the summary: what the run does or did to people (see peopleVerdict). */
  headline?: string;
  /** Markdown sections after the title and verdict. */
  sections: readonly string[];
  outputs: Readonly<Record<string, string | number>>;
  problems?: readonly Problem[];
  /** Shown as warning annotations on their lines; the run goes on. */
  warnings?: readonly Problem[];
  failedUsers?: readonly FailedUser[];
  /** Written to a file named by the failed-users-file output when present (an import ran). */
  writeFailedUsersFile?: boolean;
  /** Written to a file named by the plan-file output. */
  planFile?: unknown;
  comment?: CommentRequest;
}

/** GitHub keeps at most 10 warning annotations per step too. */
export const MAX_WARNING_ANNOTATIONS = 10;

export async function publish(publication: Publication): Promise<void> {
  const { outcome } = publication;
  const problems = publication.problems ?? [];
  const failedUsers = publication.failedUsers ?? [];

  for (const [name, value] of Object.entries(publication.outputs)) core.setOutput(name, value);
  core.debug(`Outputs set: ${Object.keys(publication.outputs).join(', ')}`);
  const directory =
    publication.writeFailedUsersFile || publication.planFile ? await stepDirectory() : undefined;
  if (directory && publication.writeFailedUsersFile)
    core.setOutput('failed-users-file', await writeJson(directory, 'failed-users.json', failedUsers));
  if (directory && publication.planFile !== undefined)
    core.setOutput('plan-file', await writeJson(directory, 'plan.json', publication.planFile));

  // The verdict first, so it is never one of the annotations GitHub drops past its limit.
  if (!outcome.ok) core.error(outcome.verdict);
  else core.info(outcome.verdict);
  const errorBudget = outcome.ok ? MAX_ERROR_ANNOTATIONS : MAX_ERROR_ANNOTATIONS - 1;
  let budget = errorBudget;
  for (const problem of problems.slice(0, budget)) {
    core.error(annotationText(problem), {
      file: problem.file,
      startLine: problem.line,
      startColumn: problem.column,
    });
  }
  budget -= Math.min(budget, problems.length);
  for (const user of failedUsers.slice(0, budget)) {
    const message = `Auth0 rejected ${user.email ?? user.userId ?? 'a user'}: ${user.codes.join(', ')}: ${user.messages.join('; ')}\nWhat to do: ${hintFor(user.codes, user.messages)}`;
    core.error(message, user.file ? { file: user.file, startLine: user.line ?? 1 } : {});
  }
  const warnings = publication.warnings ?? [];
  core.debug(
    `Annotated ${Math.min(problems.length + failedUsers.length, errorBudget)} of ${problems.length + failedUsers.length} problems and rejected users, ${Math.min(warnings.length, MAX_WARNING_ANNOTATIONS)} of ${warnings.length} warnings`,
  );
  for (const warning of warnings.slice(0, MAX_WARNING_ANNOTATIONS)) {
    core.warning(annotationText(warning), {
      file: warning.file,
      startLine: warning.line,
      startColumn: warning.column,
    });
  }
  logAll(problems, failedUsers);
  if (publication.comment) await comment(publication.comment);
  for (const step of outcome.nextSteps) core.info(`Next: ${step}`);

  if (publication.headline) core.info(publication.headline.replace(/\*\*/g, ''));
  await writeSummary([
    TITLE,
    ...(publication.headline
      ? [publication.headline, outcome.verdict.replace(/^[✅❌] /, '')]
      : [outcome.verdict]),
    ...nextStepsSection(outcome),
    ...publication.sections.filter(Boolean),
  ]);
  if (!outcome.ok) process.exitCode = core.ExitCode.Failure;
}

function nextStepsSection(outcome: Outcome): string[] {
  if (outcome.nextSteps.length === 0) return [];
  return [`**What to do next**\n\n${outcome.nextSteps.map((step) => `- ${step}`).join('\n')}`];
}

function logAll(problems: readonly Problem[], failedUsers: readonly FailedUser[]): void {
  const annotated = MAX_ERROR_ANNOTATIONS - 1;
  if (problems.length > 0) {
    core.startGroup(`All ${plural(problems.length, 'problem')}`);
    for (const problem of problems) core.info(problemLine(problem));
    core.endGroup();
  }
  if (failedUsers.length > 0) {
    core.startGroup(`All ${plural(failedUsers.length, 'rejected user')}`);
    for (const user of failedUsers) {
      core.info(
        `${failedUserPlace(user)} ${user.email ?? user.userId ?? ''} [job ${user.jobId}] ${user.codes.join(', ')}: ${user.messages.join('; ')}`,
      );
    }
    core.endGroup();
  }
  if (problems.length + failedUsers.length > annotated) {
    core.info(
      `Annotated the first ${annotated} (GitHub keeps ${MAX_ERROR_ANNOTATIONS} error annotations per step, the verdict included); all are listed above and in the job summary.`,
    );
  }
}

/** A new folder each step, so two uses of the action in one job keep their own files. */
function stepDirectory(): Promise<string> {
  return mkdtemp(path.join(process.env.RUNNER_TEMP || tmpdir(), 'auth0-user-import-'));
}

async function writeJson(directory: string, name: string, value: unknown): Promise<string> {
  const file = path.join(directory, name);
  // Written as it is made, through one buffer: a plan of 300,000 users is never one string, and
  // each line is garbage the moment it is copied, before anything is awaited.
  const handle = await open(file, 'w');
  try {
    const buffer = Buffer.allocUnsafe(1 << 16);
    let used = 0;
    const parts = function* () {
      yield* readableJsonParts(value, '');
      yield '\n';
    };
    for (const part of parts()) {
      const bytes = Buffer.byteLength(part);
      if (used + bytes > buffer.length) {
        await handle.write(buffer, 0, used);
        used = 0;
      }
      if (bytes > buffer.length) await handle.write(part);
      else used += buffer.write(part, used);
    }
    await handle.write(buffer, 0, used);
  } finally {
    await handle.close();
  }
  return file;
}

/**
 * JSON for people and for `jq` alike: objects indented, each element of a list on one line of its own.
 * A plan of 100,000 users is 100,000 lines, not a million, and costs a plain JSON.stringify per user.
 */
export function readableJson(value: unknown): string {
  return [...readableJsonParts(value, '')].join('');
}

function* readableJsonParts(value: unknown, indent: string): Generator<string> {
  const inner = `${indent}  `;
  // Any iterable is a list: a lazy one's elements are made as they are written, never all at once.
  if (typeof value === 'object' && value !== null && Symbol.iterator in value) {
    // One part per line: writeJson gathers them into few writes.
    let first = true;
    for (const item of value as Iterable<unknown>) {
      yield `${first ? '[' : ','}\n${inner}${JSON.stringify(item) ?? 'null'}`;
      first = false;
    }
    yield first ? '[]' : `\n${indent}]`;
    return;
  }
  if (value === null || typeof value !== 'object') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  for (const [i, [key, item]] of entries.entries()) {
    yield `${i === 0 ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* readableJsonParts(item, inner);
  }
  yield `\n${indent}}`;
}

/** Posts the plan comment; it is a courtesy, never the reason a run fails. */
async function comment(request: CommentRequest): Promise<void> {
  const { postStickyComment } = await import('../github/pr-comment.js');
  const result = await postStickyComment(request);
  if ('url' in result) core.info(`Plan comment ${result.status}: ${result.url}`);
  else if (result.status === 'skipped-no-permission')
    core.notice(`No plan comment on the pull request: ${result.reason}. The plan is in the job summary.`);
  else
    core.warning(`The plan comment could not be written: ${result.reason}. The plan is in the job summary.`);
}

/** Cuts the summary at a section boundary when it would pass GitHub's limit, and says so. */
export function fitSummary(parts: readonly string[], limit = MAX_SUMMARY_BYTES): string {
  const note =
    "\n\n> [!NOTE]\n> The summary was cut to stay within GitHub's 1 MiB limit; the step log has everything.\n";
  let markdown = '';
  for (const part of parts) {
    const next = `${markdown}${markdown ? '\n\n' : ''}${part}`;
    if (Buffer.byteLength(next) + Buffer.byteLength(note) > limit) {
      const room = limit - Buffer.byteLength(markdown) - Buffer.byteLength(note) - 2;
      // A huge section is cut, never inside a UTF-16 pair, to fit in bytes.
      let head = room > 1_000 ? part.slice(0, room) : '';
      while (Buffer.byteLength(head) > room) head = head.slice(0, Math.floor(head.length * 0.9));
      head = head.replace(/[\uD800-\uDBFF]$/, '');
      return `${markdown}${head ? `\n\n${head}` : ''}${note}`;
    }
    markdown = next;
  }
  return `${markdown}\n`;
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it goes to the log instead. */
export async function writeSummary(parts: readonly string[]): Promise<void> {
  const markdown = fitSummary(parts);
  core.debug(
    `Job summary: ${Buffer.byteLength(markdown)} bytes${process.env.GITHUB_STEP_SUMMARY ? '' : ', to the log (no GITHUB_STEP_SUMMARY)'}`,
  );
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(markdown);
    return;
  }
  await core.summary.addRaw(markdown).write();
}
