/** The run, as a table of contents: inputs -> users -> baseline -> plan -> chunks -> jobs -> reconcile -> report. */
import * as core from './runner.js';
import type { ImportEdge } from './auth0/import.js';
import type { Tenant } from './auth0/tenant.js';
import { DEFAULT_TIMING, systemClock, type Clock, type TimingPolicy } from './auth0/timing.js';
import { watchSignals, type Cancellation } from './cancellation.js';
import { pullRequestToComment, readEvent } from './github/event.js';
import { externalIdPrefix, workflowRun } from './github/workflow.js';
import { InputError, readSettings } from './inputs.js';
import {
  CancelledBeforeSending,
  hasProblems,
  planAgainst,
  readGitBaseline,
  validateFiles,
  type PlanEdge,
} from './plan/index.js';
import { tenantBaseline } from './plan/tenant-baseline.js';
import { planComment } from './report/comment.js';
import { publish, type Publication } from './report/publish.js';
import {
  failurePublication,
  importPublication,
  settingsLine,
  targetLine,
  validationPublication,
} from './report/run.js';
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
  const log = (message: string) => core.info(message);
  const warn = (message: string) => core.warning(message);
  const planEdge: PlanEdge = {
    workspace,
    event,
    ...(workflow.sha ? { sha: workflow.sha } : {}),
    ...(workflow.repository ? { repository: workflow.repository } : {}),
    signal: cancellation.signal,
    externalIdPrefix: externalIdPrefix(settings.externalId, workflow),
    log,
    warn,
  };
  const files = await core.group('Validate users files', () => validateFiles(settings, planEdge));

  const target = settings.import;
  // Loaded only when Auth0 is called: a dry run against git never pays for undici.
  const auth0 = target ? await import('./auth0/import.js') : undefined;
  const edge: ImportEdge = {
    clock,
    timing,
    context: {
      signal: cancellation.signal,
      deadline: clock.now() + (target?.waitTimeoutSeconds ?? 0) * 1000,
    },
    log,
    warn,
    setSecret: core.setSecret,
    phase: (name, work) => core.group(name, work),
  };
  const scopes = target && requiredScopes(settings, target);
  // Against the tenant, the connection is opened first (to read it) and kept for the import.
  let tenant: Tenant | undefined;
  if (settings.baseline === 'tenant' && target && scopes && auth0 && !hasProblems(files))
    tenant = await auth0.openTenant(target, scopes, edge);
  try {
    const baseline =
      tenant && auth0
        ? {
            baseline: tenantBaseline({
              connection: tenant.connectionName ?? tenant.connectionId,
              ...(await auth0.readTenant(tenant, edge)),
            }),
          }
        : await core.group('Read the base commit', () => readGitBaseline(settings, planEdge));
    const report = planAgainst(files, baseline, settings, planEdge);
    const withComment = (publication: Publication): Publication => {
      const comment = planComment(
        report,
        {
          verdict: publication.outcome.verdict,
          ...(publication.headline ? { headline: publication.headline } : {}),
        },
        {
          usersFiles: settings.usersFiles,
          settings: settingsLine(settings),
          ...(settings.githubToken ? { token: settings.githubToken } : {}),
          ...(workflow.repository ? { repository: workflow.repository } : {}),
          ...(workflow.links.run ? { runUrl: workflow.links.run } : {}),
          pullRequest: pullRequestToComment(settings.commentOnPr, event),
          signal: cancellation.signal,
        },
      );
      return comment ? { ...publication, comment } : publication;
    };
    const nothingToDo = report.chunks.length === 0 && report.reconcile.length === 0;
    if (!target || !auth0 || !scopes || settings.dryRun || report.problems.length > 0 || nothingToDo) {
      return await publish(withComment(validationPublication(report, settings.dryRun)));
    }

    core.info(targetLine(target));
    const result = await auth0.importChunks(
      tenant ?? { settings: target, requiredScopes: scopes },
      { ...target, reconcile: report.reconcile },
      report.chunks,
      edge,
    );
    await publish(withComment(importPublication(report, target, result, workflow)));
  } finally {
    await tenant?.close();
  }
}
