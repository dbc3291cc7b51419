/**
 * The record of what was applied: one GitHub deployment per applying run, to an environment named
 * for the tenant and connection, whose payload says which commit was applied, against which base,
 * and which users were not. Octokit loads only here (and in the other GitHub modules).
 */
import type { Settings } from '../inputs.js';

/** Where deployments are read and written. */
export interface DeploymentSite {
  token: string;
  /** owner/name */
  repository: string;
  environment: string;
  signal: AbortSignal;
}

/** What a deployment's payload holds (task `deploy`). */
export interface AppliedPayload {
  /** The commit applied. */
  sha: string;
  /** The commit the run planned against; null when it had none (every user was new). */
  base: string | null;
  /** Users Auth0 rejected or that were never sent: the next run plans them again. */
  notApplied: string[];
  /** Users sent whose outcome is unknown (a lost answer, a job still running): sent again, a duplicate counts as imported. */
  unknown: string[];
  /** Users whose block or delete did not happen: the next run removes them again. */
  notRemoved: string[];
}

export interface PastDeployment {
  id: number;
  sha: string;
  createdAt: string;
  /** The newest status's state; undefined when it has none. */
  state?: string;
  /** success now, or inactive after a success (auto_inactive). */
  succeeded: boolean;
  payload: AppliedPayload;
}

/** The deployment a plan compares with, when the environment has any. */
export type AppliedBase =
  | { kind: 'applied'; deployment: PastDeployment }
  /** None succeeded: nothing after the base the earliest failed one planned against was applied. */
  | { kind: 'never-applied'; base: string | null; deployment: PastDeployment }
  | { kind: 'none' };

/** The task every deployment of this action carries, so other deployments of the environment are left alone. */
export const TASK = 'deploy';

/** GitHub answered with an error, or could not be reached: the message says which permission helps. */
export class DeploymentsError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

async function client(site: DeploymentSite) {
  const [owner, repo, ...rest] = site.repository.split('/');
  if (!owner || !repo || rest.length > 0)
    throw new DeploymentsError(`repository "${site.repository}" is not owner/name`);
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(site.token);
  octokit.hook.before('request', (options) => {
    options.request = { ...options.request, signal: site.signal };
  });
  return { octokit, owner, repo };
}

function failure(error: unknown, step: string): DeploymentsError {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  return new DeploymentsError(
    `GitHub answered ${status ?? 'nothing'} (${message}) when ${step}`,
    typeof status === 'number' ? status : undefined,
  );
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * A payload as we wrote it; GitHub may hand back a string for a payload written as one. Undefined
 * for a deployment this action did not make (a job's `environment:` makes its own, task deploy too).
 */
export function readPayload(raw: unknown, sha: string): AppliedPayload | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      value = {};
    }
  }
  const given = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof given.sha !== 'string' || !Array.isArray(given.notApplied)) return undefined;
  return {
    sha: given.sha || sha,
    base: typeof given.base === 'string' ? given.base : null,
    notApplied: strings(given.notApplied),
    unknown: strings(given.unknown),
    notRemoved: strings(given.notRemoved),
  };
}

/** Every deployment of the environment made by this action, newest first (sorted here: GitHub documents no order). */
export async function listDeployments(site: DeploymentSite): Promise<PastDeployment[]> {
  const { octokit, owner, repo } = await client(site);
  const step = `listing the deployments to ${site.environment}`;
  try {
    const found = await octokit.paginate(octokit.rest.repos.listDeployments, {
      owner,
      repo,
      environment: site.environment,
      task: TASK,
      per_page: 100,
    });
    const deployments: PastDeployment[] = [];
    for (const deployment of found) {
      const payload = readPayload(deployment.payload, deployment.sha);
      if (!payload) continue;
      // Newest first in practice; sorted anyway, and only the newest decides the state.
      const statuses = (
        await octokit.paginate(octokit.rest.repos.listDeploymentStatuses, {
          owner,
          repo,
          deployment_id: deployment.id,
          per_page: 100,
        })
      ).toSorted((a, b) => b.id - a.id);
      const state = statuses[0]?.state;
      const succeeded =
        state === 'success' ||
        (state === 'inactive' && statuses.some((status) => status.state === 'success'));
      deployments.push({
        id: deployment.id,
        sha: deployment.sha,
        createdAt: deployment.created_at,
        ...(state ? { state } : {}),
        succeeded,
        payload,
      });
    }
    return deployments.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  } catch (error) {
    throw failure(error, step);
  }
}

/**
 * The newest deployment that succeeded; else the base the earliest failed one planned against
 * (nothing after it was applied); else none.
 */
export function appliedBase(deployments: readonly PastDeployment[]): AppliedBase {
  const applied = deployments.find((deployment) => deployment.succeeded);
  if (applied) return { kind: 'applied', deployment: applied };
  const failed = deployments.filter(
    (deployment) => deployment.state === 'failure' || deployment.state === 'error',
  );
  const earliest = failed.at(-1);
  if (earliest) return { kind: 'never-applied', base: earliest.payload.base, deployment: earliest };
  return { kind: 'none' };
}

/** GitHub's limit for a deployment status description. */
const DESCRIPTION_LIMIT = 140;

export interface DeploymentRecord {
  payload: AppliedPayload;
  state: 'success' | 'failure';
  /** Why, in a few words (cut to GitHub's 140 characters). */
  description: string;
  /** The workflow run. */
  logUrl?: string;
}

/**
 * Creates the deployment of `payload.sha` (never auto-merged, waiting for no status check) with the
 * payload, marks it in progress, then success or failure. Returns its id.
 */
export async function recordDeployment(site: DeploymentSite, record: DeploymentRecord): Promise<number> {
  const { octokit, owner, repo } = await client(site);
  let step = `creating a deployment to ${site.environment}`;
  try {
    const created = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: record.payload.sha,
      task: TASK,
      environment: site.environment,
      // The payload is written once: GitHub cannot change it, so the deployment is made once the
      // run knows which users were applied.
      payload: { ...record.payload },
      description: cut(record.description),
      auto_merge: false,
      required_contexts: [],
      production_environment: false,
    });
    if (created.status !== 201)
      throw new DeploymentsError(
        `GitHub made no deployment (${created.status}): ${JSON.stringify(created.data)}`,
      );
    const id = created.data.id;
    for (const state of ['in_progress', record.state] as const) {
      step = `marking deployment ${id} ${state}`;
      await octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
        state,
        description: cut(record.description),
        ...(record.logUrl ? { log_url: record.logUrl } : {}),
      });
    }
    return id;
  } catch (error) {
    if (error instanceof DeploymentsError) throw error;
    throw failure(error, step);
  }
}

function cut(text: string): string {
  const characters = [...text];
  return characters.length <= DESCRIPTION_LIMIT
    ? text
    : `${characters.slice(0, DESCRIPTION_LIMIT - 1).join('')}…`;
}

/** `auth0/<tenant host>/<connection>`, or the name given. */
export function environmentName(
  given: string | undefined,
  target: { host: string; connection: string } | undefined,
) {
  if (given) return given;
  return target ? `auth0/${target.host}/${target.connection}` : undefined;
}

/** Where this run's deployment is read and recorded: needs a token, the repository and an environment. */
export function deploymentSite(
  settings: Settings,
  repository: string | undefined,
  signal: AbortSignal,
): DeploymentSite | undefined {
  const { githubToken: token, deploymentEnvironment: environment } = settings;
  return token && repository && environment ? { token, repository, environment, signal } : undefined;
}
