import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

describe('npm run bench -- --smoke', () => {
  it('runs every measurement on tiny sizes and prints the table of figures and targets', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', './scripts/ts-hooks.mjs', 'bench/index.ts', '--smoke'],
      { cwd: root },
    );
    expect(stdout).toMatch(/^\| figure +\| +value \| +target \| met\? +\|$/m);
    for (const measured of [
      'start-up: dry run of 1 user / bare node',
      'dry run of 300 users',
      'dry run / ajv',
      'dry run, peak RSS / file size',
      'import of 300 users',
      'import, 5 s jobs, 2 requests/s',
      'import, 60 s jobs (virtual clock)',
      'chunk 300 users',
      'read a 1,000-user export',
      'access for 20 people, 3 roles, 2 organizations, 20 requests/s: requests / fewest possible',
    ]) {
      expect(stdout).toContain(measured);
    }
    expect(stdout).toContain('bench/results.json left alone');
  });
});
