/**
 * The runner's side of an action: inputs from INPUT_* variables, the log and its workflow commands
 * (annotations, groups, masks), outputs and the job summary through the files the runner names.
 * The part of @actions/core this action uses, written the same way byte for byte
 * (test/runner.test.ts holds it to @actions/core). @actions/core itself is not imported because
 * its entry point loads @actions/http-client, and with it undici, for OIDC tokens, and
 * @actions/exec for `platform`: about a bare node start-up's worth of time on every run, dry runs
 * included, for code this action never calls.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { access, appendFile, constants } from 'node:fs/promises';
import { EOL } from 'node:os';

export const ExitCode = { Success: 0, Failure: 1 } as const;

/** Where an annotation points; GitHub shows it on that line of the file's diff. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

/** Strings as they are, anything else as JSON, null and undefined as nothing. */
function commandValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function escapeData(value: unknown): string {
  return commandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: unknown): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::command key=value,...::message`; properties without a value are left out. */
function issueCommand(command: string, properties: Record<string, unknown>, message: unknown): void {
  const entries = Object.entries(properties);
  const set = entries.filter(([, value]) => value).map(([key, value]) => `${key}=${escapeProperty(value)}`);
  // As @actions/core writes it: a space after the command whenever properties were given at all.
  const head = entries.length > 0 ? `${command} ${set.join(',')}` : command;
  process.stdout.write(`::${head}::${escapeData(message)}${EOL}`);
}

function annotation(properties: AnnotationProperties): Record<string, unknown> {
  if (Object.keys(properties).length === 0) return {};
  return {
    title: properties.title,
    file: properties.file,
    line: properties.startLine,
    endLine: properties.endLine,
    col: properties.startColumn,
    endColumn: properties.endColumn,
  };
}

/** An input as the runner passes it, trimmed; '' when not given. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

/** From now on the runner prints `***` wherever the log would show `secret`. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

/** Shown only when the workflow runs with debug logging (ACTIONS_STEP_DEBUG). */
export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', annotation(properties), message);
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('notice', annotation(properties), message);
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', annotation(properties), message);
}

export function setFailed(message: string): void {
  process.exitCode = ExitCode.Failure;
  error(message);
}

export function startGroup(name: string): void {
  issueCommand('group', {}, name);
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '');
}

/** Runs `work` inside a collapsible group of the log. */
export async function group<T>(name: string, work: () => Promise<T>): Promise<T> {
  startGroup(name);
  try {
    return await work();
  } finally {
    endGroup();
  }
}

/** A step output, written to $GITHUB_OUTPUT between delimiters no value can contain. */
export function setOutput(name: string, value: unknown): void {
  const file = process.env.GITHUB_OUTPUT || '';
  if (!file) {
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, commandValue(value));
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const text = commandValue(value);
  if (name.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (text.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

export interface Summary {
  addRaw(text: string): Summary;
  write(): Promise<void>;
}

let summaryBuffer = '';

/** The job summary: markdown gathered with addRaw, appended to $GITHUB_STEP_SUMMARY by write. */
export const summary: Summary = {
  addRaw(text) {
    summaryBuffer += text;
    return summary;
  },
  async write(): Promise<void> {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) {
      throw new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
      );
    }
    try {
      await access(file, constants.R_OK | constants.W_OK);
    } catch {
      throw new Error(
        `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`,
      );
    }
    await appendFile(file, summaryBuffer, { encoding: 'utf8' });
    summaryBuffer = '';
  },
};
