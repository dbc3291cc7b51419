/** The run, as a table of contents: inputs -> users -> plan -> chunks -> jobs -> report. */
import * as core from '@actions/core';
import { DEFAULT_TIMING, systemClock, type Clock, type TimingPolicy } from './auth0/timing.js';
import { watchSignals, type Cancellation } from './cancellation.js';
import { pullRequestToComment, readEvent } from './github/event.js';
import { externalIdPrefix, workflowRun, type WorkflowRun } from './github/workflow.js';
import { InputError, readSettings, type Settings } from './inputs.js';
import { CancelledBeforeSending, planRun, type RunPlan } from './plan/index.js';
import { renderComment } from './report/comment.js';
import { publish, type CommentRequest, type Publication } from './report/publish.js';
import { failurePublication, importPublication, targetLine, validationPublication } from './report/run.js';
import { requiredScopes } from './scopes.js';

/** What the edge hands in: the clock and timing (scaled by the bench), the workspace. */
export interface RunEnvironment {
  clock: Clock;
  timing: TimingPolicy;
  workspace: string;
}

export async function run(
  environment: RunEnvironment = {
    clock: systemClock,
    timing: DEFAULT_TIMING,
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
  },
): Promise<void> {
  const cancellation = watchSignals(process, (message) => core.warning(message));
  try {
    await runSteps(environment, cancellation);
  } catch (error) {
    // Anything that stops the run before the import (which reports itself) sent nothing.
    const cancelled = cancellation.received() && !(error instanceof InputError);
    const message = error instanceof Error ? error.message : String(error);
    await publish(failurePublication(cancelled ? new CancelledBeforeSending().message : message));
  } finally {
    cancellation.dispose();
  }
}

async function runSteps(
  { clock, timing, workspace }: RunEnvironment,
  cancellation: Cancellation,
): Promise<void> {
  const settings = readSettings((name) => core.getInput(name), core.setSecret);
  const workflow = workflowRun(process.env);
  const event = readEvent(process.env);

  const report = await core.group('Validate users files and plan', () =>
    planRun(settings, {
      workspace,
      event,
      ...(workflow.sha ? { sha: workflow.sha } : {}),
      ...(workflow.repository ? { repository: workflow.repository } : {}),
      signal: cancellation.signal,
      externalIdPrefix: externalIdPrefix(settings.externalId, workflow),
      log: (message) => core.info(message),
      warn: (message) => core.warning(message),
    }),
  );
  const pullRequest = pullRequestToComment(settings.commentOnPr, event);
  const withComment = (publication: Publication): Publication =>
    withPlanComment(publication, report, settings, workflow, pullRequest, cancellation.signal);
  if (
    !settings.import ||
    report.problems.length > 0 ||
    (report.chunks.length === 0 && report.reconcile.length === 0)
  ) {
    return publish(withComment(validationPublication(report, settings.dryRun)));
  }

  const target = settings.import;
  core.info(targetLine(target));
  // Loaded only now: a dry run never pays for undici and the Management API client.
  const { importChunks } = await import('./auth0/import.js');
  const result = await importChunks(
    { ...target, requiredScopes: requiredScopes(settings, target), reconcile: report.reconcile },
    report.chunks,
    {
      clock,
      timing,
      context: { signal: cancellation.signal, deadline: clock.now() + target.waitTimeoutSeconds * 1000 },
      log: (message) => core.info(message),
      warn: (message) => core.warning(message),
      setSecret: core.setSecret,
      phase: (name, work) => core.group(name, work),
    },
  );
  await publish(withComment(importPublication(report, target, result, workflow)));
}

function withPlanComment(
  publication: Publication,
  report: RunPlan,
  settings: Settings,
  workflow: WorkflowRun,
  pullRequest: number | undefined,
  signal: AbortSignal,
): Publication {
  if (pullRequest === undefined || !settings.githubToken || !workflow.repository) return publication;
  const title = settings.usersFiles.join(', ');
  const comment: CommentRequest = {
    token: settings.githubToken,
    repository: workflow.repository,
    pullRequest,
    key: title,
    body: renderComment({
      title,
      verdict: publication.outcome.verdict,
      report,
      ...(workflow.links.run ? { runUrl: workflow.links.run } : {}),
    }),
    signal,
  };
  return { ...publication, comment };
}
