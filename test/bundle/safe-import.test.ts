/**
 * An import that outlives its token or its wait: tokens of a few seconds are renewed ahead of their
 * expiry, and a run that stops waiting while its jobs still run never advises running again.
 * Driven through `node dist/index.js` against the emulator.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { makeWorkspace, runAction, shownText } from '../support/action.js';
import { databaseOf, tenantInputs } from '../support/tenant-inputs.js';

function usersText(count: number): string {
  const users = Array.from({ length: count }, (_, i) => ({
    email: `user${i}@example.com`,
    user_metadata: { note: 'x'.repeat(200) },
  }));
  return `${JSON.stringify(users, null, 2)}\n`;
}

async function withTenant(
  options: EmulatorOptions,
  work: (emulator: Emulator) => Promise<void>,
): Promise<void> {
  const emulator = await startEmulator(options);
  try {
    await work(emulator);
  } finally {
    await emulator.close();
  }
}

async function importInto(emulator: Emulator, text: string, inputs: Record<string, string> = {}) {
  return runAction({
    workspace: await makeWorkspace({ 'users.json': text }),
    inputs: { 'users-file': 'users.json', ...tenantInputs(emulator), ...inputs },
  });
}

describe('tokens that expire mid-run', () => {
  it('imports every chunk with 3-second tokens, renewing each before it expires', async () => {
    await withTenant(
      { tokenExpiresIn: 3, jobTiming: { pendingMs: 300, processingMs: 2_200 } },
      async (emulator) => {
        const run = await importInto(emulator, usersText(12), {
          'max-chunk-bytes': '2000',
          'max-concurrent-jobs': '1',
        });
        expect(run.code).toBe(0);
        expect(emulator.state.jobs.length).toBeGreaterThanOrEqual(3);
        expect(emulator.state.users(databaseOf(emulator).id)).toHaveLength(12);
        const { requests } = emulator.state;
        // The run outlived two tokens at least, and Auth0 never had to refuse one.
        expect(requests.filter((request) => request.route === 'token').length).toBeGreaterThanOrEqual(3);
        expect(requests.filter((request) => request.status === 401)).toEqual([]);
      },
    );
  });
});

describe('advice after a timeout with jobs still running', () => {
  it('names the running jobs and says to wait for them, never to run again while they run', async () => {
    await withTenant({}, async (emulator) => {
      emulator.faults.keepProcessing('all');
      const run = await importInto(emulator, usersText(3), { 'wait-timeout-seconds': '2' });
      expect(run.code).toBe(1);
      const [job] = emulator.state.jobs;
      expect(run.summary).toContain(
        `Do not run again yet: 1 job of this run is still importing 3 users in Auth0 (${job!.id}; also in the job-ids output). Wait until it ends`,
      );
      expect(run.summary).not.toMatch(/Re-run|Run again to continue/);
    });
  });
});

describe('resume against the tenant, which cannot show factors or hashes', () => {
  it('sends again a user whose MFA factors failed, saying there is no applied baseline; a bcrypt-only user stays unchanged', async () => {
    await withTenant(
      { clients: [{ scopes: ['create:users', 'read:connections', 'read:users'] }] },
      async (emulator) => {
        const withFactors = {
          email: 'ada@example.com',
          mfa_factors: [{ totp: { secret: 'JBSWY3DPEHPK3PXP' } }],
        };
        const hashed = { email: 'alan@example.com', password_hash: `$2b$10$${'A'.repeat(53)}` };
        const text = `${JSON.stringify([withFactors, hashed], null, 2)}\n`;
        const inputs = { baseline: 'tenant', upsert: 'true' };
        emulator.faults.failMfaFactors(['ada@example.com']);
        const first = await importInto(emulator, text, inputs);
        expect(first.code).toBe(1);
        expect(shownText(first.summary)).toContain('- `ada@example.com` users.json:2: MFA_FACTORS_FAILED: ');
        emulator.faults.clear();

        const jobsBefore = emulator.state.jobs.length;
        const second = await importInto(emulator, text, inputs);
        expect(second.code).toBe(0);
        const resent = emulator.state.jobs
          .slice(jobsBefore)
          .flatMap((job) =>
            (JSON.parse(job.usersBytes.toString()) as { email: string }[]).map((user) => user.email),
          );
        expect(resent).toEqual(['ada@example.com']);
        expect(second.outputs).toMatchObject({ modified: '1', skipped: '1' });
        // Ada's own line says why she was sent again; Alan counts as unchanged.
        const shown = shownText(second.summary);
        expect(shown).toMatch(
          /^- `ada@example\.com` users\.json:2: .*mfa_factors: cannot tell from the tenant \(it never shows it\), and there is no applied baseline to compare with: sent again.* → ✓ done$/m,
        );
        expect(shown).toContain('✅ Outcome: **1 changed** · 1 unchanged');
      },
    );
  });
});
