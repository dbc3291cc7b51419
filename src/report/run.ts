/** What each way a run can end publishes: its outcome, outputs, summary sections, files and comment. */
import { appliedSettings } from '../plan/digest.js';
import type { ImportResult } from '../auth0/import.js';
import type { ReconcileResult } from '../auth0/reconcile.js';
import type { ReviewCheck } from '../github/reviewed-plan.js';
import { renderLinks, type WorkflowRun } from '../github/workflow.js';
import type { ImportSettings, Settings } from '../inputs.js';
import type { RunPlan } from '../plan/index.js';
import { countActions } from '../plan/plan.js';
import type { Problem } from '../users/problem.js';
import { renderImportAttention, renderJobs } from './import.js';
import { text } from './markdown.js';
import { importOutcome, type Outcome } from './outcome.js';
import { countPeople, peopleLine, peoplePolicy, runOutcomes, type RunOutcomes } from './people.js';
import { planFileContent } from './plan.js';
import { reconcileCounts, renderReconcile } from './reconcile.js';
import type { Publication } from './publish.js';
import { renderValidation, totalUsers, validationVerdict } from './validation.js';

function planOutputs(report: RunPlan): Record<string, number> {
  const outputs: Record<string, number> = { total: totalUsers(report), chunks: report.chunks.length };
  if (report.plan.baseline) {
    const counts = countActions(report.plan);
    Object.assign(outputs, {
      added: counts.add,
      modified: counts.update,
      removed: counts.remove,
      skipped: counts.unchanged,
      renamed: counts.rename,
      unapplied: counts.unapplied,
    });
  }
  return outputs;
}

/**
 * The verdict that leads every report: what the run does (a plan) or did (after a run) to people,
 * e.g. `✅ Plan: **2 added · 1 blocked · 1 left in Auth0** · 3 unchanged`. Only with a baseline:
 * without one every user is simply sent, and the outcome sentence says it all.
 */
export function peopleVerdict(
  report: RunPlan,
  ok: boolean,
  finished: boolean,
  outcomes?: RunOutcomes,
): string | undefined {
  if (!report.plan.baseline) return undefined;
  const counts = countPeople(report.plan.users, peoplePolicy(report.reconcile), outcomes);
  return `${ok ? '✅' : '❌'} ${finished ? 'Outcome' : 'Plan'}: ${peopleLine(counts)}`;
}

/** The settings a reviewer checks first: where the users go and what the merge may do to them. */
export function settingsLine(settings: Settings, baseline?: string): string {
  const applied = Object.entries(appliedSettings(settings)).map(([name, value]) => `${name}: ${value}`);
  return [settings.usersFiles.join(', '), ...applied, `baseline: ${baseline ?? settings.baseline}`]
    .map((part) => text(part))
    .join(' · ');
}

/** A run that ends before importing: problems found, a dry run, or nothing to send. */
export function validationPublication(report: RunPlan, dryRun: boolean): Publication {
  const verdict = validationVerdict(report, dryRun);
  const ok = report.problems.length === 0;
  const nothingToSend = ok && !dryRun && report.chunks.length === 0;
  const headline = peopleVerdict(report, ok, ok && !dryRun);
  return {
    outcome: { ok, verdict, failures: ok ? [] : [verdict], nextSteps: [] },
    ...(headline ? { headline } : {}),
    sections: [renderValidation(report)],
    outputs: { ...planOutputs(report), ...(nothingToSend ? { 'job-ids': '[]' } : {}) },
    problems: report.problems,
    warnings: report.warnings,
    planFile: planFileContent(report.plan),
  };
}

/** Where the users go, as the summary and the log name it: the domain as given, so a secret one stays masked. */
export function targetLine(settings: ImportSettings, connection?: string): string {
  const named =
    connection ?? ('id' in settings.connection ? settings.connection.id : settings.connection.name);
  return `Tenant ${settings.domain} · connection ${named} · upsert ${settings.upsert ? 'on' : 'off'}`;
}

export function importPublication(
  report: RunPlan,
  settings: ImportSettings,
  result: ImportResult,
  workflow: WorkflowRun,
): Publication {
  const outcome: Outcome = importOutcome({
    results: result.results,
    ...(result.reconcile ? { reconcile: result.reconcile.results } : {}),
    ...(result.stop ? { stop: result.stop } : {}),
    ...(result.fatal ? { fatal: result.fatal } : {}),
    waited: settings.wait,
    waitTimeoutSeconds: settings.waitTimeoutSeconds,
    upsert: settings.upsert,
    failOnUserErrors: settings.failOnUserErrors,
    baseline: report.plan.baseline?.kind === 'tenant' ? 'tenant' : 'git',
  });
  const failedUsers = result.results.flatMap((chunk) => chunk.failedUsers);
  const counts = { inserted: 0, updated: 0, failed: 0 };
  for (const chunk of result.results) {
    if (chunk.status !== 'completed' || !chunk.summary) continue;
    counts.inserted += chunk.summary.inserted;
    counts.updated += chunk.summary.updated;
    counts.failed += chunk.summary.failed;
  }
  const links = renderLinks(workflow);
  const summary = {
    results: result.results,
    failedUsers,
    ...(result.usersPerMinute !== undefined ? { usersPerMinute: result.usersPerMinute } : {}),
  };
  const outcomes = runOutcomes(result.results, result.reconcile?.results);
  const headline = peopleVerdict(report, outcome.ok, true, outcomes);
  return {
    outcome,
    ...(headline ? { headline } : {}),
    sections: [
      renderImportAttention(summary),
      renderValidation(report, { withChunkPlan: false, outcomes }),
      renderJobs(summary, text(targetLine(settings, result.connection))),
      ...(result.reconcile ? [renderReconcile(result.reconcile.results, result.reconcile.stopped)] : []),
      ...(links ? [links] : []),
    ],
    outputs: {
      ...planOutputs(report),
      'job-ids': JSON.stringify(result.results.flatMap((chunk) => (chunk.jobId ? [chunk.jobId] : []))),
      ...counts,
      ...(result.reconcile
        ? (({ reconciled, removedApplied }) => ({ reconciled, 'removed-applied': removedApplied }))(
            reconcileCounts(result.reconcile.results),
          )
        : {}),
    },
    problems: reconcileProblems(result.reconcile?.results ?? []),
    warnings: report.warnings,
    failedUsers,
    writeFailedUsersFile: true,
    planFile: planFileContent(report.plan),
  };
}

/** Reconcile actions that failed, on the lines of their users (removed users have none left). */
function reconcileProblems(results: readonly ReconcileResult[]): Problem[] {
  return results.flatMap((result): Problem[] => {
    const { action } = result;
    const listed = result.outcome === 'failed' || result.outcome === 'held-back';
    if (!listed || (action.kind !== 'update' && action.kind !== 'rename')) return [];
    return [
      {
        file: action.user.file,
        line: action.user.line,
        column: action.user.column,
        path: `[${action.user.index}]`,
        message: `Reconcile ${result.outcome === 'held-back' ? 'held back' : 'could not'} ${action.kind === 'rename' ? `rename ${action.from} to` : 'update'} ${action.email}: ${result.detail}`,
        hint:
          result.outcome === 'held-back'
            ? 'Fix what the import refused and run again: the change is applied once the import of this user succeeds.'
            : 'The import itself went on; run again once the user is as the message says, or fix it in the dashboard.',
      },
    ];
  });
}

/** A run stopped by an input error, a users-file error or a cancellation before anything was sent. */
export function failurePublication(message: string): Publication {
  const verdict = `❌ ${message}`;
  return { outcome: { ok: false, verdict, failures: [message], nextSteps: [] }, sections: [], outputs: {} };
}

/** A merge refused before any request to Auth0: what differs from the reviewed plan and how to apply it anyway. */
export function refusedPublication(report: RunPlan, settings: Settings, review: ReviewCheck): Publication {
  // The plan's own headline counts what the merge would have done: nothing was, so the verdict leads.
  const { headline: _wouldHaveDone, ...plan } = validationPublication(report, false);
  const verdict = `❌ Nothing was sent: ${review.verdict}.`;
  const shown = review.differences.slice(0, 200);
  const differences =
    review.differences.length > 0
      ? [
          `### What differs from the reviewed plan\n\n${shown.map((line) => `- ${text(line)}`).join('\n')}${review.differences.length > shown.length ? `\n- …and ${review.differences.length - shown.length} more` : ''}`,
        ]
      : [];
  const nextSteps = review.differences.length
    ? [
        "Review the plan as it is now: open a pull request (or re-run the pull request's check) so the comment shows it.",
        'To apply it as it is now anyway, run the workflow again with workflow_dispatch and on-plan-changed: warn.',
        'Branch protection with "Require branches to be up to date before merging" keeps a reviewed plan fresh.',
      ]
    : [
        settings.requireReviewedPlan
          ? 'Merge through a pull request whose plan comment the action wrote, or run with require-reviewed-plan: false.'
          : '',
      ].filter(Boolean);
  return {
    ...plan,
    outcome: { ok: false, verdict, failures: [verdict], nextSteps },
    sections: [...differences, ...plan.sections],
  };
}
