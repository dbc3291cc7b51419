/**
 * What a workflow re-run with debug logging shows: `::debug::` lines, which the runner prints only
 * then. @actions/core writes them; these hold the run to saying what it read and decided.
 */
import { describe, expect, it } from 'vitest';
import { makeWorkspace, runAction } from '../support/action.js';

const VALID = `[
  { "email": "ada@example.com", "name": "Ada" },
  { "email": "alan@example.com", "name": "Alan" }
]
`;
const GITHUB_TOKEN = 'ghp_notARealToken0123456789abcdefABCDEF';

function debugLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::debug::'));
}

describe('debug log', () => {
  it("says what the run read and decided: its settings, each chunk, why nothing is sent, the summary's size", async () => {
    const workspace = await makeWorkspace({ 'users/all.json': VALID });
    const run = await runAction({
      workspace,
      inputs: { 'users-file': 'users/*.json', 'dry-run': 'true', 'github-token': GITHUB_TOKEN },
    });
    expect(run.code).toBe(0);
    const lines = debugLines(run.stdout);
    expect(lines[0]).toMatch(/^::debug::Settings: \{"usersFiles":\["users\/\*\.json"\],"dryRun":true,/);
    expect(lines[0]).toContain('"githubToken":"given"');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^::debug::Chunk 1: 2 user\(s\), \d+ bytes of users, users\/all\.json:2-3, external_id /,
      ),
    );
    expect(lines).toContain('::debug::No import: no tenant to import into (dry run without credentials).');
    expect(lines).toContainEqual(expect.stringMatching(/^::debug::Job summary: \d+ bytes$/));
    // The token is only ever the runner's mask command.
    expect(run.stdout.split(GITHUB_TOKEN)).toHaveLength(2);
    expect(run.stdout).toContain(`::add-mask::${GITHUB_TOKEN}`);
  });

  it('puts the stack of what stopped the run in the debug log, its message in the error', async () => {
    const workspace = await makeWorkspace({ 'users.json': VALID });
    const run = await runAction({
      workspace,
      inputs: { 'users-file': 'users.json', 'max-chunk-bytes': 'lots' },
    });
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(/^::error::.*max-chunk-bytes/);
    expect(debugLines(run.stdout)).toContainEqual(
      expect.stringMatching(/^::debug::\w*Error: .*max-chunk-bytes.*%0A +at /),
    );
  });
});
