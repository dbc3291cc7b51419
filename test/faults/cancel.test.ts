/**
 * Cancellation at each phase of a run: the runner sends SIGINT or SIGTERM and the step must stop
 * promptly, leaving a report that says which chunks went to Auth0 and which did not.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator/index.js';
import { runAction, type ActionOptions } from '../support/action.js';
import { eventFile, gitRepository } from '../support/git-repo.js';
import { importChecked, startTenant, THREE_CHUNKS, usersFile } from './tenant.js';
import { tenantInputs } from '../support/tenant-inputs.js';

interface Cancellation {
  /** Action options that arm it: once the action prints `after` (or from its start), poll `ready`. */
  options: Partial<ActionOptions>;
  /** When the signal was sent and when the action exited (ms). */
  times: { sentAt: number; exitedAt: number };
}

/** Sends `signal` to the action once it has printed `after` and `ready()` holds (checked every 20 ms). */
function cancelWhen(
  ready: () => boolean,
  { after, signal = 'SIGTERM' }: { after?: string; signal?: NodeJS.Signals } = {},
): Cancellation {
  const times = { sentAt: 0, exitedAt: 0 };
  const arm = (child: ChildProcess) => {
    const timer = setInterval(() => {
      if (!ready()) return;
      clearInterval(timer);
      times.sentAt = Date.now();
      child.kill(signal);
    }, 20);
    child.on('exit', () => {
      clearInterval(timer);
      times.exitedAt = Date.now();
    });
  };
  return { options: after ? { onOutput: { text: after, then: arm } } : { onStart: arm }, times };
}

/** The action stopped within 3 s of the signal. */
function expectPrompt({ times }: Cancellation): void {
  expect(times.sentAt, 'the signal was never sent').toBeGreaterThan(0);
  expect(times.exitedAt - times.sentAt).toBeLessThan(3_000);
}

function requestsOf(emulator: Emulator, route: string) {
  return emulator.state.requests.filter((request) => request.route === route);
}

describe.concurrent('cancellation', () => {
  it('stops while the token is being fetched: nothing submitted, every chunk says so', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.delay('token', 10_000, 1);
    const cancel = cancelWhen(() => emulator.state.counters.requestsByRoute.token > 0, {
      after: '::group::Connect to Auth0',
    });
    const { run } = await importChecked(emulator, THREE_CHUNKS, {}, cancel.options);
    expect(run.code).toBe(1);
    expectPrompt(cancel);
    expect(emulator.state.counters.requestsByRoute['create-job']).toBe(0);
    expect(run.summary).toContain('The run was cancelled');
    expect(run.summary.match(/\| not sent \|/g)).toHaveLength(3);
  });

  it('stops while looking the connection up by name: nothing submitted', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.delay('connections', 10_000, 1);
    const cancel = cancelWhen(() => emulator.state.counters.requestsByRoute.connections > 0, {
      after: '::group::Connect to Auth0',
    });
    const { run } = await importChecked(
      emulator,
      THREE_CHUNKS,
      { 'connection-id': '', 'connection-name': 'Username-Password-Authentication' },
      cancel.options,
    );
    expect(run.code).toBe(1);
    expectPrompt(cancel);
    expect(emulator.state.counters.requestsByRoute['create-job']).toBe(0);
    expect(run.summary).toContain('The run was cancelled');
  });

  it.for(['SIGTERM', 'SIGINT'] as const)(
    'stops on %s while waiting for a slot: two jobs named, the third not submitted',
    async (signal, context) => {
      const emulator = await startTenant(context);
      emulator.faults.keepProcessing('all');
      const cancel = cancelWhen(() => true, { after: 'Chunk 2: submitted', signal });
      const { run } = await importChecked(emulator, THREE_CHUNKS, {}, cancel.options);
      expect(run.code).toBe(1);
      expectPrompt(cancel);
      const ids = JSON.parse(run.outputs['job-ids']!) as string[];
      expect(ids).toEqual(emulator.state.jobs.map((job) => job.id));
      expect(run.stdout).toContain(`chunk 1: ${ids[0]} — `);
      expect(run.stdout).toContain(`chunk 2: ${ids[1]} — `);
      expect(run.summary).toMatch(/\| — \| 3: users\.json:\d+-\d+ \| \d+ \| not sent \|/);
      expect(run.summary).toContain(
        '❌ Import did not complete cleanly (10 users sent in 2 jobs: 0 inserted, 0 updated, 0 failed; 2 users not sent)',
      );
    },
  );

  it('stops while polling: the jobs keep running in Auth0 and the report names them', async (context) => {
    const emulator = await startTenant(context);
    emulator.faults.keepProcessing('all');
    const cancel = cancelWhen(() => requestsOf(emulator, 'job-status').length >= 2);
    const { run } = await importChecked(emulator, usersFile(6), {}, cancel.options);
    expect(run.code).toBe(1);
    expectPrompt(cancel);
    expect(run.summary).toContain('The run was cancelled. 2 jobs still running in Auth0 with 6 users');
    expect(run.summary).toContain(
      'Do not run again yet: 2 jobs of this run are still importing 6 users in Auth0',
    );
    expect(JSON.parse(run.outputs['job-ids']!)).toHaveLength(2);
  });

  it('stops during a create whose job Auth0 has made: that chunk is unknown, not "not submitted"', async (context) => {
    const emulator = await startTenant(context);
    // The job is created at once and its answer held back: the signal comes while the request is out.
    emulator.faults.delay('create-job', 10_000, 1);
    const cancel = cancelWhen(() => emulator.state.counters.jobsCreated === 1);
    const { run } = await importChecked(emulator, THREE_CHUNKS, {}, cancel.options);
    expect(run.code).toBe(1);
    expectPrompt(cancel);
    expect(run.summary).toMatch(/\| — \| 1: users\.json:\d+-\d+ \| \d+ \| unknown \(answer lost\) \|/);
    expect(run.stdout).toContain('chunk 1: external_id acme/identity@0123456#1 — unknown');
  });
});

describe('cancellation while reading git history', () => {
  it("stops during only-changed's git reads and says nothing was sent", async (context) => {
    const emulator = await startTenant(context);
    const { workspace, shas } = await gitRepository([
      { 'users.json': usersFile(2) },
      { 'users.json': usersFile(4) },
    ]);
    // A git that takes its time, and says when it started.
    const shim = await mkdtemp(path.join(tmpdir(), 'slow-git-'));
    const started = path.join(shim, 'started');
    await writeFile(
      path.join(shim, 'git'),
      `#!/bin/sh\ntouch '${started}'\nsleep 10\nexec '${execFileSync('which', ['git'], { encoding: 'utf8' }).trim()}' "$@"\n`,
      { mode: 0o755 },
    );
    const cancel = cancelWhen(() => existsSync(started));
    const run = await runAction({
      workspace,
      inputs: {
        'users-file': 'users.json',
        ...tenantInputs(emulator),
        'only-changed': 'true',
      },
      env: {
        PATH: `${shim}:${process.env.PATH ?? ''}`,
        GITHUB_EVENT_PATH: await eventFile(workspace, { before: shas[0] }),
      },
      ...cancel.options,
    });
    expect(run.code).toBe(1);
    expectPrompt(cancel);
    expect(emulator.state.requests).toEqual([]);
    expect(run.summary).toContain('❌ The run was cancelled before anything was sent.');
  });
});

// Alone: its checks hold the test process busy for seconds, which would skew the others' timings.
describe('cancellation during validation', () => {
  it('stops while validating a large file, before any request', async (context) => {
    const emulator = await startTenant(context);
    const cancel = cancelWhen(() => true, { after: '::group::Validate users files' });
    const { run } = await importChecked(
      emulator,
      // Large enough that validating it outlasts the signal's way here on a busy machine.
      usersFile(450_000),
      { 'max-chunk-bytes': '500000' },
      cancel.options,
    );
    expect(run.code).toBe(1);
    expectPrompt(cancel);
    expect(emulator.state.requests).toEqual([]);
    expect(run.summary).toContain('❌ The run was cancelled before anything was sent.');
  });
});
