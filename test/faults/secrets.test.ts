/**
 * Credentials reach the log only as `::add-mask::` commands, and each is masked before it goes on
 * the wire: the runner hides a value only from the moment it reads that command.
 */
import { describe, expect, it } from 'vitest';
import { getToken } from '../emulator/contract-client.js';
import type { ActionRun } from '../support/action.js';
import { expectRunInvariants } from '../support/invariants.js';
import { maskedValues } from '../support/secrets.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { importInto, startTenant, THREE_CHUNKS } from './tenant.js';

/** The first request that carried each of `tokens` came after that token's `::add-mask::` line. */
function expectMaskedBeforeUse(proxy: RecordingProxy, tokens: readonly string[]): void {
  for (const token of tokens) {
    const first = proxy.requests.find((request) => request.token === token);
    expect(first, 'a token was never used').toBeDefined();
    expect(first!.stdoutBefore.split('\n')).toContain(`::add-mask::${token}`);
  }
}

describe.concurrent('masking before use', () => {
  it('masks the client secret before the first request and each token before its first use', async (context) => {
    const emulator = await startTenant(context);
    let stdout = '';
    const proxy = await startRecordingProxy(emulator.url, () => stdout);
    context.onTestFinished(() => proxy.close());
    // A refused token mid-run makes it fetch a second one, which must be masked as well.
    const run: ActionRun = await importInto(
      emulator,
      THREE_CHUNKS,
      { domain: proxy.url, audience: `${emulator.url}/api/v2/` },
      {
        onStart: (child) => child.stdout?.on('data', (chunk: Buffer | string) => (stdout += String(chunk))),
        onOutput: { text: 'Chunk 1: submitted', then: () => emulator.faults.revokeTokens() },
      },
    );
    expect(run.code).toBe(0);
    expect(proxy.issuedTokens).toHaveLength(2);
    expect(proxy.requests[0]?.stdoutBefore.split('\n')).toContain(`::add-mask::${emulator.clientSecret}`);
    expectMaskedBeforeUse(proxy, proxy.issuedTokens);
    await expectRunInvariants(run, {
      tenants: [emulator],
      usersText: THREE_CHUNKS,
      credentials: [emulator.clientSecret],
    });
    expect(maskedValues(run)).toEqual(expect.arrayContaining(proxy.issuedTokens));
  });

  it('masks a given Management API token before the first request', async (context) => {
    const emulator = await startTenant(context);
    const token = await getToken(emulator);
    let stdout = '';
    const proxy = await startRecordingProxy(emulator.url, () => stdout);
    context.onTestFinished(() => proxy.close());
    const run = await importInto(
      emulator,
      THREE_CHUNKS,
      { domain: proxy.url, 'client-id': '', 'client-secret': '', 'management-api-token': token },
      { onStart: (child) => child.stdout?.on('data', (chunk: Buffer | string) => (stdout += String(chunk))) },
    );
    expect(run.code).toBe(0);
    expect(proxy.issuedTokens).toEqual([]);
    expectMaskedBeforeUse(proxy, [token]);
    await expectRunInvariants(run, {
      tenants: [emulator],
      usersText: THREE_CHUNKS,
      credentials: [token],
      foreignTokens: 1,
    });
  });
});
