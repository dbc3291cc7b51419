/** What each way a run can end publishes: its outcome, outputs and summary sections. */
import type { ImportResult } from '../auth0/import.js';
import { renderLinks, type WorkflowRun } from '../github/workflow.js';
import type { ImportSettings } from '../inputs.js';
import { renderImport } from './import.js';
import { cell } from './markdown.js';
import { importOutcome, type Outcome } from './outcome.js';
import type { Publication } from './publish.js';
import { renderValidation, totalUsers, validationVerdict, type ValidationReport } from './validation.js';

function validationOutputs(report: ValidationReport): Record<string, number> {
  const outputs: Record<string, number> = { total: totalUsers(report), chunks: report.chunks.length };
  if (report.changes) {
    const { added, modified, removed, unchanged } = report.changes.changes;
    Object.assign(outputs, {
      added: added.length,
      modified: modified.length,
      removed: removed.length,
      skipped: unchanged.length,
    });
  }
  return outputs;
}

/** A run that ends before importing: problems found, a dry run, or nothing to send. */
export function validationPublication(report: ValidationReport, dryRun: boolean): Publication {
  const verdict = validationVerdict(report, dryRun);
  const ok = report.problems.length === 0;
  const nothingToSend = ok && !dryRun && report.chunks.length === 0;
  return {
    outcome: { ok, verdict, failures: ok ? [] : [verdict], nextSteps: [] },
    sections: [renderValidation(report)],
    outputs: { ...validationOutputs(report), ...(nothingToSend ? { 'job-ids': '[]' } : {}) },
    problems: report.problems,
  };
}

/** Where the users go, as the summary and the log name it: the domain as given, so a secret one stays masked. */
export function targetLine(settings: ImportSettings, connection?: string): string {
  const named =
    connection ?? ('id' in settings.connection ? settings.connection.id : settings.connection.name);
  return `Tenant ${settings.domain} · connection ${named} · upsert ${settings.upsert ? 'on' : 'off'}`;
}

export function importPublication(
  report: ValidationReport,
  settings: ImportSettings,
  result: ImportResult,
  workflow: WorkflowRun,
): Publication {
  const outcome: Outcome = importOutcome({
    results: result.results,
    ...(result.stop ? { stop: result.stop } : {}),
    ...(result.fatal ? { fatal: result.fatal } : {}),
    waited: settings.wait,
    waitTimeoutSeconds: settings.waitTimeoutSeconds,
    upsert: settings.upsert,
    failOnUserErrors: settings.failOnUserErrors,
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
  return {
    outcome,
    sections: [
      cell(targetLine(settings, result.connection)),
      renderImport({
        results: result.results,
        failedUsers,
        ...(result.usersPerMinute !== undefined ? { usersPerMinute: result.usersPerMinute } : {}),
      }),
      renderValidation(report, false),
      ...(links ? [links] : []),
    ],
    outputs: {
      ...validationOutputs(report),
      'job-ids': JSON.stringify(result.results.flatMap((chunk) => (chunk.jobId ? [chunk.jobId] : []))),
      ...counts,
    },
    failedUsers,
    writeFailedUsersFile: true,
  };
}

/** A run stopped by an input error, a users-file error or a cancellation before anything was sent. */
export function failurePublication(message: string): Publication {
  const verdict = `❌ ${message}`;
  return { outcome: { ok: false, verdict, failures: [message], nextSteps: [] }, sections: [], outputs: {} };
}
