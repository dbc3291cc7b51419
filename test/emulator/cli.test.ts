import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readSettings } from '../../src/inputs.js';

const root = path.resolve(import.meta.dirname, '../..');

it('prints a domain the action accepts as its domain input', async () => {
  const child = spawn(
    process.execPath,
    ['--import', './scripts/ts-hooks.mjs', 'test/emulator/cli.ts', '--port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const domain = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /^ {2}domain: +(\S+)$/m.exec(output);
      if (match && output.includes('Ctrl-C')) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`the emulator exited: ${output}`)));
  });
  child.kill('SIGTERM');
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
