/** The run, as a table of contents: inputs -> users -> chunks -> jobs -> report. */
import * as core from './runner.js';
import { DEFAULT_TIMING, systemClock, type Clock, type TimingPolicy } from './auth0/timing.js';
import { watchSignals, type Cancellation } from './cancellation.js';
import { externalIdPrefix, workflowRun } from './github/workflow.js';
import { readSettings } from './inputs.js';
import { planRun } from './plan/index.js';
import { publish } from './report/publish.js';
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
    await publish(failurePublication(error instanceof Error ? error.message : String(error)));
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
  const prefix = externalIdPrefix(settings.externalId, workflow);

  const report = await core.group('Validate users files', () =>
    planRun(settings, {
      workspace,
      env: process.env,
      signal: cancellation.signal,
      externalIdPrefix: prefix,
      log: (message) => core.info(message),
      warn: (message) => core.warning(message),
    }),
  );
  if (!settings.import || report.problems.length > 0 || report.chunks.length === 0) {
    return publish(validationPublication(report, settings.dryRun));
  }

  const target = settings.import;
  core.info(targetLine(target));
  // Loaded only now: a dry run never pays for undici and the Management API client.
  const { importChunks } = await import('./auth0/import.js');
  const result = await importChunks({ ...target, requiredScopes: requiredScopes(target) }, report.chunks, {
    clock,
    timing,
    context: { signal: cancellation.signal, deadline: clock.now() + target.waitTimeoutSeconds * 1000 },
    log: (message) => core.info(message),
    warn: (message) => core.warning(message),
    setSecret: core.setSecret,
    phase: (name, work) => core.group(name, work),
  });
  await publish(importPublication(report, target, result, workflow));
}
