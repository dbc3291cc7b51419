/** What the workflow run says about itself: where to link, and how to name this run's jobs in Auth0. */

export interface WorkflowRun {
  /** owner/name, when running in a workflow. */
  repository?: string;
  /** The commit being run, full SHA. */
  sha?: string;
  links: { commit?: string; run?: string };
}

export function workflowRun(env: NodeJS.ProcessEnv): WorkflowRun {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY || undefined;
  const sha = env.GITHUB_SHA || undefined;
  const runId = env.GITHUB_RUN_ID;
  const links: WorkflowRun['links'] = {};
  if (server && repository) {
    if (sha) links.commit = `${server}/${repository}/commit/${sha}`;
    if (runId) links.run = `${server}/${repository}/actions/runs/${runId}`;
  }
  return { ...(repository ? { repository } : {}), ...(sha ? { sha } : {}), links };
}

/** `external-id`, or `<repository>@<short sha>`: what the tenant's logs show for this run's jobs. */
export function externalIdPrefix(given: string | undefined, run: WorkflowRun): string {
  if (given) return given;
  const sha = (run.sha ?? '').slice(0, 7);
  return `${run.repository ?? 'local'}${sha ? `@${sha}` : ''}`;
}

export function renderLinks(run: WorkflowRun): string | undefined {
  const links = [
    run.links.commit ? `[commit](${run.links.commit})` : '',
    run.links.run ? `[workflow run](${run.links.run})` : '',
  ].filter(Boolean);
  return links.length > 0 ? `From ${links.join(' · ')}.` : undefined;
}
