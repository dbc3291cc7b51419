import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readSettings } from '../../src/inputs.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Starts `npm run emulator`'s script with these arguments and returns what it printed before Ctrl-C. */
async function startCli(...args: string[]): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', './scripts/ts-hooks.mjs', 'test/emulator/cli.ts', '--port', '0', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ctrl-C')) resolve();
    });
    child.on('exit', () => reject(new Error(`the emulator exited: ${output}`)));
  });
  child.kill('SIGTERM');
  return output;
}

it('grants every scope the action can ask for by default, and prints them', async () => {
  const output = await startCli();
  expect(output).toContain(
    '  scopes:         create:users read:connections read:users update:users delete:users',
  );
});

it('grants only the scopes given with --scopes', async () => {
  const output = await startCli('--scopes', 'create:users read:users');
  expect(output).toMatch(/^ {2}scopes: +create:users read:users$/m);
});

it('prints a domain the action accepts as its domain input', async () => {
  const output = await startCli();
  const domain = /^ {2}domain: +(\S+)$/m.exec(output)![1]!;
  const inputs: Record<string, string> = {
    'users-file': 'users.json',
    domain,
    'client-id': 'id',
    'client-secret': 'secret',
    'connection-id': 'con_ABCDEFGHIJ123456',
  };
  const settings = readSettings(
    (name) => inputs[name] ?? '',
    () => {},
  );
  expect(settings.import?.origin).toBe(domain);
  expect(domain).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});
