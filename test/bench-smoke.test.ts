import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderComparison } from '../bench/compare.js';
import { figure } from '../bench/figures.js';
import { machineResultsFile } from '../bench/machine.js';

const root = path.resolve(import.meta.dirname, '..');

describe('npm run bench -- --smoke', () => {
  it('runs every measurement on tiny sizes and prints the table of figures and targets', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', './scripts/ts-hooks.mjs', 'bench/index.ts', '--smoke'],
      { cwd: root },
    );
    expect(stdout).toMatch(/^\| figure +\| +value \| +target \| met\? +\|$/m);
    expect(stdout).toMatch(/^Machine: .+, \d+ cores, [\d.]+ GiB, Node v\d+\.\d+\.\d+, \w+ \w+$/m);
    expect(stdout).not.toContain('dry run of 1 user / bare node');
    for (const measured of [
      'start-up: dry run of 1 user / hello-world action',
      'dist/ size (index.js and its chunks)',
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

describe('npm run bench:compare', () => {
  const machine = (cpuModel: string) => ({
    cpuModel,
    cores: 2,
    node: 'v24.21.0',
    os: 'linux x64',
    memoryGiB: 8,
  });
  it('sets each machine beside the others and names a target met on one and not another', () => {
    const text = renderComparison([
      {
        file: 'a-2c.json',
        date: '2026-12-01',
        machine: machine('Intel Xeon'),
        figures: [figure('dry run / ajv', 0.8, '×', { op: '≤', limit: 1 })],
      },
      {
        file: 'b-2c.json',
        date: '2026-12-02',
        machine: machine('AMD EPYC'),
        figures: [figure('dry run / ajv', 1.63, '×', { op: '≤', limit: 1 })],
      },
    ]);
    expect(text).toContain('A: Intel Xeon, 2 cores, 8 GiB, Node v24.21.0, linux x64');
    expect(text).toContain('| dry run / ajv | ≤ 1.00× | 0.80× met | 1.63× NOT met |');
    expect(text).toContain('Met on one machine and not on another: dry run / ajv.');
  });

  it('keeps one results file per kind of machine, named for its CPU and cores', () => {
    const file = machineResultsFile({
      ...machine('Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz'),
      cores: 4,
    });
    expect(path.relative(root, file)).toBe('bench/results/intel-xeon-platinum-8370c-cpu-2-80ghz-4c.json');
  });
});
