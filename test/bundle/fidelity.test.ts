/**
 * Auth0 as it really answers: the 512,000-byte limit counts the whole request body, password_hash
 * takes bcrypt cost 10 only, emails are checked as Auth0's server checks them.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { buildChunks } from '../../src/users/chunks.js';
import { validateRun } from '../../src/users/validate.js';
import { startEmulator } from '../emulator/index.js';
import { importInto, startTenant } from '../faults/tenant.js';
import { makeWorkspace, runAction } from '../support/action.js';
import { scheduleAgainst } from '../support/client.js';
import { virtualClock } from '../support/virtual-clock.js';

/** `count` users of about `size` bytes each. */
function bigUsers(count: number, size: number): string {
  const lines = Array.from(
    { length: count },
    (_, i) => `  {"email":"user${i}@example.com","user_metadata":{"pad":"${'x'.repeat(size - 60)}"}}`,
  );
  return `[\n${lines.join(',\n')}\n]\n`;
}

describe('the whole-body limit', () => {
  it('imports with max-chunk-bytes: 512000 against an emulator that counts the whole body, packing tight', async (context) => {
    const emulator = await startTenant(context);
    // 140 users of about 8 KB: three bodies, the first two filled to within a user of the limit.
    const run = await importInto(emulator, bigUsers(140, 8_000), { 'max-chunk-bytes': '512000' });
    expect(run.code).toBe(0);
    expect(run.outputs.inserted).toBe('140');
    const bodies = emulator.state.requests
      .filter((request) => request.route === 'create-job')
      .map((request) => request.bodyBytes ?? 0);
    expect(bodies).toHaveLength(3);
    expect(Math.max(...bodies)).toBeLessThanOrEqual(512_000);
    expect(bodies[0]).toBeGreaterThan(512_000 - 8_100);
    expect(emulator.state.requests.filter((request) => request.status === 413)).toEqual([]);
  });

  it('splits a chunk Auth0 refuses as too large and sends the halves, saying so', async () => {
    const clock = virtualClock();
    const emulator = await startEmulator({ clock });
    try {
      // A chunk planned past the limit, as a plan with a wrong envelope estimate would make it.
      const text = bigUsers(80, 8_000);
      const { users } = validateRun([{ file: 'users.json', text }]);
      const chunks = buildChunks(users, [{ first: 0, count: users.length, bytes: 0 }], 'split');
      const { result, logs } = await scheduleAgainst(emulator, chunks, { clock, timing: DEFAULT_TIMING });
      expect(result.results.map((chunk) => [chunk.chunk.label, chunk.status])).toEqual([
        ['1.1', 'completed'],
        ['1.2', 'completed'],
      ]);
      expect(result.results[0]?.note).toContain(
        'Half of chunk 1, which Auth0 refused as too large (413, nothing created).',
      );
      expect(logs).toContain(
        'Chunk 1: Auth0 refused it as too large (413, nothing created); sending it as 1.1 and 1.2',
      );
      expect(
        emulator.state.requests.filter((request) => request.route === 'create-job').map((r) => r.status),
      ).toEqual([413, 202, 202]);
      expect(emulator.state.users('Username-Password-Authentication')).toHaveLength(80);
    } finally {
      await emulator.close();
    }
  });
});

describe('validation as strict as the server', () => {
  it('refuses bcrypt cost 12 in password_hash and the emails Auth0 refuses, in a dry run', async () => {
    const users = [
      { email: 'ada@example.com', password_hash: `$2b$12$${'A'.repeat(53)}` },
      { email: '.casey@example.com' },
      { email: 'casey.@example.com' },
      { email: 'casey..jones@example.com' },
      { email: 'casey@-example.com' },
    ];
    const workspace = await makeWorkspace({ 'users.json': JSON.stringify(users, null, 2) });
    const run = await runAction({ workspace, inputs: { 'users-file': 'users.json', 'dry-run': 'true' } });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('### Problems (5)');
    expect(run.stdout).toMatch(
      /\[0\]\.password_hash: .*cost 12.*custom_password_hash with algorithm "bcrypt"/,
    );
    for (const index of [1, 2, 3, 4]) expect(run.stdout).toContain(`[${index}].email: `);
  });
});
