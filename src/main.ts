/**
 * The run, as a table of contents: inputs -> users -> baseline -> plan -> reviewed plan -> chunks
 * -> jobs -> reconcile -> access -> deployment record -> report.
 */
import * as core from '@actions/core';
import type { ImportEdge, ImportResult } from './auth0/import.js';
import type { Tenant } from './auth0/tenant.js';
import { DEFAULT_TIMING, systemClock, type Clock, type TimingPolicy } from './auth0/timing.js';
import { watchSignals, type Cancellation } from './cancellation.js';
import { deploymentSite } from './github/deployments.js';
import { pullRequestToComment, readEvent } from './github/event.js';
import { recordRun } from './github/record-run.js';
import { compareWithReview } from './github/reviewed-plan.js';
import { externalIdPrefix, workflowRun } from './github/workflow.js';
import { InputError, readSettings } from './inputs.js';
import { forgiveDuplicates } from './plan/applied.js';
import { planDigest, type PlanDigest } from './plan/digest.js';
import {
  CancelledBeforeSending,
  hasProblems,
  planAgainst,
  readBaseline,
  validateFiles,
  type PlanEdge,
} from './plan/index.js';
import { addedUsers } from './plan/reconcile.js';
import { tenantBaseline } from './plan/tenant-baseline.js';
import { planComment } from './report/comment.js';
import { planDebugLines, settingsDebugLine } from './report/debug.js';
import { publish, type Publication } from './report/publish.js';
import {
  failurePublication,
  importPublication,
  refusedPublication,
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
    if (error instanceof Error && error.stack) core.debug(error.stack);
    await publish(failurePublication(cancelled ? new CancelledBeforeSending().message : message));
  } finally {
    cancellation.dispose();
  }
}

async function runSteps(
  { clock, timing, workspace }: RunEnvironment,
  cancellation: Cancellation,
): Promise<void> {
  const event = readEvent(process.env);
  const settings = readSettings((name) => core.getInput(name), core.setSecret, event.name);
  core.debug(settingsDebugLine(settings));
  for (const warning of settings.notes.warnings) core.warning(warning);
  const workflow = workflowRun(process.env);
  const log = (message: string) => core.info(message);
  const warn = (message: string) => core.warning(message);
  const deployments = deploymentSite(settings, workflow.repository, cancellation.signal);
  const planEdge: PlanEdge = {
    workspace,
    ...(deployments ? { deployments } : {}),
    event,
    ...(workflow.sha ? { sha: workflow.sha } : {}),
    ...(workflow.repository ? { repository: workflow.repository } : {}),
    signal: cancellation.signal,
    externalIdPrefix: externalIdPrefix(settings.externalId, workflow),
    log,
    warn,
    notice: (message) => core.notice(message),
  };
  const files = await core.group('Validate users files', () => validateFiles(settings, planEdge));
  // Loaded only with an access file: other runs never pay for the YAML parser.
  const accessRun = settings.access ? await import('./access/index.js') : undefined;
  const accessFile =
    settings.access &&
    accessRun &&
    (await core.group('Read the access file', () =>
      accessRun.readAccessFile(workspace, settings.access!.file),
    ));

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
    debug: core.debug,
    warn,
    setSecret: core.setSecret,
    phase: (name, work) => core.group(name, work),
  };
  const scopes = target && requiredScopes(settings, target);
  if (accessRun && accessFile?.missing && settings.access?.writeAccessFile && !hasProblems(files)) {
    if (event.name !== 'workflow_dispatch' || !target || !scopes || !auth0)
      throw new InputError('write-access-file: runs only on workflow_dispatch, with the tenant credentials');
    const adopting = await auth0.openTenant(target, scopes, edge);
    try {
      const adopted = await core.group('Read roles and organizations', () =>
        accessRun.readAdopted(adopting.api, files.validation.users),
      );
      return await publish(await accessRun.writeAdopted(workspace, settings.access.file, adopted));
    } finally {
      await adopting.close();
    }
  }
  // Against the tenant, the connection is opened first (to read it) and kept for the import.
  let tenant: Tenant | undefined;
  const readsTenant = settings.baseline === 'tenant' || accessFile?.access !== undefined;
  if (readsTenant && target && scopes && auth0 && !hasProblems(files))
    tenant = await auth0.openTenant(target, scopes, edge);
  try {
    const against = await core.group('Read the baseline', () => readBaseline(settings, planEdge));
    const baseline =
      settings.baseline === 'tenant' && tenant && auth0
        ? {
            ...against,
            baseline: tenantBaseline(
              {
                connection: tenant.connectionName ?? tenant.connectionId,
                ...(await auth0.readTenant(tenant, edge)),
              },
              {
                applied: against.deployment ? against.baseline : undefined,
                resendUnseen: settings.upsert,
              },
            ),
          }
        : against;
    const usersPlan = planAgainst(files, baseline, settings, planEdge);
    // Access is planned before anything is sent: its problems and guards stop the run like the users files'.
    const access =
      tenant && accessFile?.access && accessRun
        ? await core.group('Plan access', () =>
            accessRun.planTenantAccess(tenant!.api, accessFile.access!, files.validation.users, {
              ...settings.access!,
              protectedUsers: settings.protectedUsers ?? [],
            }),
          )
        : undefined;
    const accessProblems = [...(accessFile?.problems ?? []), ...(access?.problems ?? [])];
    const report = { ...usersPlan, problems: [...usersPlan.problems, ...accessProblems] };
    for (const line of planDebugLines(report, settings)) core.debug(line);
    // Made only when a comment carries it or a merge compares it: a large plan costs a walk.
    let digest: PlanDigest | undefined;
    const digestOf = () =>
      (digest ??= planDigest(report, settings, access && accessRun ? accessRun.digestEntries(access) : []));
    const pullRequest = pullRequestToComment(settings.commentOnPr, event);
    const withComment = (publication: Publication): Publication => {
      const comment = planComment(
        report,
        {
          verdict: publication.outcome.verdict,
          ...(publication.headline ? { headline: publication.headline } : {}),
        },
        {
          ...(access && accessRun ? { sections: [accessRun.renderAccess(access)] } : {}),
          usersFiles: settings.usersFiles,
          settings: settingsLine(settings, report.plan.baseline?.description),
          ...(settings.githubToken ? { token: settings.githubToken } : {}),
          ...(workflow.repository ? { repository: workflow.repository } : {}),
          ...(workflow.links.run ? { runUrl: workflow.links.run } : {}),
          pullRequest,
          ...(pullRequest !== undefined ? { digest: digestOf() } : {}),
          signal: cancellation.signal,
        },
      );
      return comment ? { ...publication, comment } : publication;
    };
    const record = (state: 'success' | 'failure', description: string, result?: ImportResult) =>
      recordRun(deployments, workflow, report, state, description, result, core);
    const applying = Boolean(target && auth0 && scopes && !settings.dryRun);
    const nothingToDo =
      report.chunks.length === 0 && report.reconcile.length === 0 && (access?.actions.length ?? 0) === 0;
    if (!target || !auth0 || !scopes || settings.dryRun || report.problems.length > 0 || nothingToDo) {
      const validated = validationPublication(report, settings.dryRun);
      const publication = accessRun ? accessRun.withAccess(validated, access) : validated;
      // Refused before sending: the next run still plans against what this one planned against.
      if (!applying || report.problems.length === 0) return await publish(withComment(publication));
      const recorded = await record(
        'failure',
        `Refused before sending: ${report.problems.length} problems in the users files`,
      );
      return await publish(withComment({ ...publication, sections: [...publication.sections, recorded] }));
    }

    const review = await core.group('Compare with the reviewed plan', () =>
      compareWithReview(
        settings,
        workflow.repository,
        workflow.sha,
        event.name,
        digestOf,
        cancellation.signal,
        core,
      ),
    );
    if (review.refused) {
      const recorded = await record('failure', `Refused before sending: ${review.verdict}`);
      const publication = refusedPublication(report, settings, review);
      return await publish({ ...publication, sections: [...publication.sections, recorded] });
    }

    core.info(targetLine(target));
    const result = await auth0.importChunks(
      tenant ?? { settings: target, requiredScopes: scopes },
      {
        ...target,
        reconcile: report.reconcile,
        isAdded: addedUsers(report.plan),
        alreadyThere: settings.reconcile ? 'reconcile' : settings.onRemoved === 'block' ? 'blocked' : 'off',
      },
      report.chunks,
      edge,
    );
    // Before anything follows the outcome: a user an earlier run imported is not a failure.
    const forgiven = forgiveDuplicates(result, report.against.deployment?.payload.unknown ?? []);
    if (forgiven > 0)
      core.info(
        `${forgiven} DUPLICATED_USER answers were for users whose earlier import had an unknown outcome: they count as already imported.`,
      );
    // After the import, following each user's outcome; not at all when the import could not finish.
    const applied =
      access && accessRun && tenant
        ? result.fatal || result.stop
          ? accessRun.notApplied(access)
          : await core.group('Apply access', () =>
              accessRun.applyAccess(tenant!.api, access, {
                heldBack: accessRun.heldBackBy(result.results),
                ...(tenant!.connectionName ? { connection: tenant!.connectionName } : {}),
                log,
              }),
            )
        : undefined;
    const recorded = result.fatal
      ? await record('failure', `Stopped before sending: ${result.fatal}`)
      : await record('success', '', result);
    const imported = importPublication(report, target, result, workflow);
    const publication = accessRun ? accessRun.withAccess(imported, access, applied) : imported;
    await publish(withComment({ ...publication, sections: [...publication.sections, recorded] }));
  } finally {
    await tenant?.close();
  }
}
