/**
 * Runs the bundle on input that must be refused: as a real import (dry-run false, credentials for a
 * live emulator), so a file that slipped through would show up as requests. Nothing may be sent.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { startEmulator } from '../emulator/index.js';
import { runAction, type ActionRun } from '../support/action.js';
import { expectNoSecrets, maskedValues } from '../support/secrets.js';

/** A problem as the log lists it: `users.json:12:5 [3].email: message (hint)`. */
export interface LoggedProblem {
  file: string;
  line: number;
  column: number;
  text: string;
}

/** A fresh workspace holding the given files (text or bytes). */
export async function workspaceWith(files: Record<string, string | Buffer>): Promise<string> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'hostile-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
    await writeFile(path.join(workspace, name), content);
  }
  return workspace;
}

/** The problems the run listed in its log, each with its place. */
export function loggedProblems(run: ActionRun): LoggedProblem[] {
  const problems: LoggedProblem[] = [];
  for (const line of run.stdout.split('\n')) {
    const match = /^([^\s:][^:]*):(\d+):(\d+)(?: |: )(.*)$/.exec(line);
    if (!match) continue;
    const [, file, number, column, text] = match;
    problems.push({ file: file!, line: Number(number), column: Number(column), text: text! });
  }
  return problems;
}

/**
 * Runs the action on `workspace` as an import against a live emulator and checks that it failed,
 * sent nothing and leaked no credential.
 */
export async function expectRefused(
  workspace: string,
  usersFile: string,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  const emulator = await startEmulator();
  try {
    const run = await runAction({
      workspace,
      inputs: {
        'users-file': usersFile,
        'dry-run': 'false',
        domain: emulator.url,
        'client-id': emulator.clientId,
        'client-secret': emulator.clientSecret,
        'connection-id': emulator.connections[0]!.id,
        ...inputs,
      },
    });
    expect(run.code, run.stdout.slice(-2000)).toBe(1);
    expect(emulator.state.requests, 'a refused file caused requests').toEqual([]);
    expect(emulator.state.counters.requestsByRoute).toMatchObject({ token: 0, 'create-job': 0 });
    await expectNoSecrets(run, { credentials: [emulator.clientSecret, ...maskedValues(run)] });
    return run;
  } finally {
    await emulator.close();
  }
}
