/** Where reports go on a runner: annotations, the step log and the job summary. */
import * as core from '@actions/core';
import type { Problem } from '../users/problem.js';
import { failedUserPlace, hintFor } from './import.js';
import type { FailedUser } from './redact.js';
import { problemLine } from './validation.js';

/** GitHub shows at most 10 error annotations per step; the rest would be dropped silently. */
export const MAX_ANNOTATIONS = 10;

export function emitProblems(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  problems.slice(0, MAX_ANNOTATIONS).forEach((problem) => {
    const message = `${problem.path ? `${problem.path}: ` : ''}${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`;
    core.error(message, { file: problem.file, startLine: problem.line, startColumn: problem.column });
  });
  core.startGroup(`All ${problems.length} problem(s)`);
  for (const problem of problems) core.info(problemLine(problem));
  core.endGroup();
  if (problems.length > MAX_ANNOTATIONS) {
    core.info(
      `Annotated the first ${MAX_ANNOTATIONS} problems (GitHub's limit per step); all are listed above and in the job summary.`,
    );
  }
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it goes to the log instead. */
export async function writeSummary(parts: readonly string[]): Promise<void> {
  const markdown = `${parts.join('\n\n')}\n`;
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(markdown);
    return;
  }
  await core.summary.addRaw(markdown).write();
}

/** Annotates the first rejected users on their lines and lists them all in the log. */
export function emitFailedUsers(users: readonly FailedUser[]): void {
  if (users.length === 0) return;
  users.slice(0, MAX_ANNOTATIONS).forEach((user) => {
    const message = `Auth0 rejected ${user.email ?? user.userId ?? 'a user'}: ${user.codes.join(', ')}: ${user.messages.join('; ')} (${hintFor(user.codes)})`;
    core.error(message, user.file ? { file: user.file, startLine: user.line ?? 1 } : {});
  });
  core.startGroup(`All ${users.length} rejected user(s)`);
  for (const user of users) {
    core.info(
      `${failedUserPlace(user)} ${user.email ?? user.userId ?? ''} [job ${user.jobId}] ${user.codes.join(', ')}: ${user.messages.join('; ')}`,
    );
  }
  core.endGroup();
}
