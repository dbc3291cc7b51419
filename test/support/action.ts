/** Runs the built action (`node dist/index.js`) the way a runner does, and collects what it left behind. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DIST = path.resolve(import.meta.dirname, '../../dist/index.js');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow commands (`::error file=…::message`) printed to stdout. */
  errors: string[];
  runnerTemp: string;
}

export interface ActionOptions {
  inputs: Record<string, string>;
  workspace: string;
  env?: Record<string, string>;
  /** Called once the process has started, e.g. to send it a signal. */
  onStart?: (child: ReturnType<typeof spawn>) => void;
  /** Also copy the action's stdout and stderr to this process's, as it runs. */
  echo?: boolean;
  /** Resolves when stdout has printed this text, then calls `onOutput`. */
  onOutput?: { text: string; then: (child: ReturnType<typeof spawn>) => void };
}

/** Parses the GITHUB_OUTPUT file format (`name<<delimiter` heredocs). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

export async function runAction(options: ActionOptions): Promise<ActionRun> {
  const runnerDir = await mkdtemp(path.join(tmpdir(), 'runner-'));
  const runnerTemp = path.join(runnerDir, 'temp');
  await mkdir(runnerTemp);
  const outputFile = path.join(runnerDir, 'output');
  const summaryFile = path.join(runnerDir, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const inputEnv = Object.fromEntries(
    Object.entries(options.inputs).map(([name, value]) => [
      `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
      value,
    ]),
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/identity',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    // Neutral: an event with no base of its own (push and pull_request tests give theirs).
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    RUNNER_TEMP: runnerTemp,
    ...inputEnv,
    ...options.env,
  };
  const child = spawn(process.execPath, [DIST], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let triggered = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.echo) process.stdout.write(chunk);
    if (options.onOutput && !triggered && stdout.includes(options.onOutput.text)) {
      triggered = true;
      options.onOutput.then(child);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (options.echo) process.stderr.write(chunk);
  });
  options.onStart?.(child);
  const code = await new Promise<number | null>((resolve) =>
    child.on('close', (exitCode) => resolve(exitCode)),
  );
  const summary = await readFile(summaryFile, 'utf8');
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary,
    errors: stdout.split('\n').filter((line) => line.startsWith('::error')),
    runnerTemp,
  };
}

/** Markdown with its backslash escapes removed: the words a reader sees. */
export function shownText(markdown: string): string {
  return markdown.replace(/\\([\\`*_[\]|~#+=.()!-])/g, '$1');
}

/** A fresh workspace holding the given files. */
export async function makeWorkspace(files: Record<string, string>): Promise<string> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'workspace-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
    await writeFile(path.join(workspace, name), content);
  }
  return workspace;
}
