import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (it must run on old Node), without type declarations.
import { nodeVersionProblem } from '../scripts/check-node.mjs';

describe('the Node.js check before npm start, npm run emulator and npm run bench', () => {
  it('says how to get Node.js 24 when an older Node runs the scripts', () => {
    const problem = (nodeVersionProblem as (version: string) => string | undefined)('20.20.2');
    expect(problem).toContain('This needs Node.js 24 or later; this is Node.js 20.20.2.');
    expect(problem).toContain('npm rebuild node');
  });

  it('passes Node.js 24 and later', () => {
    expect((nodeVersionProblem as (version: string) => string | undefined)('24.0.0')).toBeUndefined();
    expect((nodeVersionProblem as (version: string) => string | undefined)('26.1.0')).toBeUndefined();
  });

  it('exits 0 when run by this Node', () => {
    expect(execFileSync(process.execPath, ['scripts/check-node.mjs'], { encoding: 'utf8' })).toBe('');
  });
});
