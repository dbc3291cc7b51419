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
    for (const measured of ['validate 300 users', 'import, 60 ms jobs', 'chunk 300 users', 'start-up']) {
      expect(stdout).toContain(measured);
    }
    expect(stdout).toContain('bench/results.json left alone');
  });
});
