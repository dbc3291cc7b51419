/**
 * The run's record for the next one: a deployment of the commit it applied, with the users it did
 * not apply, made once the run knows them (GitHub cannot change a deployment's payload).
 */
import type { ImportResult } from '../auth0/import.js';
import { runRecord } from '../plan/applied.js';
import type { RunPlan } from '../plan/index.js';
import { cell } from '../report/markdown.js';
import { recordDeployment, type DeploymentSite } from './deployments.js';
import type { WorkflowRun } from './workflow.js';

export interface RecordLog {
  info: (message: string) => void;
  warning: (message: string) => void;
}

/**
 * Records the run as a deployment of its commit; a record that cannot be written is a warning that
 * says what the next run will do. Returns that, in a line, for the summary.
 */
export async function recordRun(
  site: DeploymentSite | undefined,
  workflow: WorkflowRun,
  report: RunPlan,
  state: 'success' | 'failure',
  description: string,
  result: ImportResult | undefined,
  log: RecordLog,
): Promise<string> {
  const sha = workflow.sha;
  const base = report.against.baseSha ?? null;
  const next =
    'the next run plans against the last recorded deployment and sends again what this run applied since';
  if (!site || !sha) {
    const warning = `This run's deployment is not recorded (${!sha ? 'GITHUB_SHA is not set' : 'it needs github-token and a target, with `permissions: deployments: write`'}): ${next}.`;
    log.warning(warning);
    return `> [!WARNING]\n> ${cell(warning)}`;
  }
  const made = result
    ? runRecord(sha, base, result)
    : {
        payload: { sha, base, notApplied: [], unknown: [], notRemoved: [] },
        complete: true,
        description,
      };
  try {
    const id = await recordDeployment(site, {
      payload: made.payload,
      state: made.complete ? state : 'failure',
      description: made.description,
      ...(workflow.links.run ? { logUrl: workflow.links.run } : {}),
    });
    log.info(
      `Recorded deployment ${id} to ${site.environment}: ${made.complete ? state : 'failure'}, ${made.description}.`,
    );
    if (!made.complete) log.warning(`${made.description}.`);
    const payload = made.payload;
    const again = [...payload.notApplied, ...payload.unknown, ...payload.notRemoved];
    const sendsAgain =
      again.length > 0
        ? ` The next run sends again: ${cell(again.slice(0, 50).join(', '))}${again.length > 50 ? ` and ${again.length - 50} more` : ''}.`
        : '';
    return `Recorded as deployment ${id} to ${cell(site.environment)} (${made.complete ? state : 'failure'}).${made.complete ? sendsAgain : ` ${cell(made.description)}.`}`;
  } catch (error) {
    const warning = `This run's deployment could not be recorded (${error instanceof Error ? error.message : String(error)}; the job needs \`permissions: deployments: write\`): ${next}.`;
    log.warning(warning);
    return `> [!WARNING]\n> ${cell(warning)}`;
  }
}
