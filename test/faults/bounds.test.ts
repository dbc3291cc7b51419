/**
 * What an import costs the tenant: a free tenant's bucket holds 2 requests a second, shared with
 * the customer's own traffic, so the client must stay under it rather than run into it. Counted on
 * virtual time (client and emulator share the clock), with the real DEFAULT_TIMING policy.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { expectTenantAgrees, scheduleClaim } from '../support/invariants.js';
import { virtualClock } from '../support/virtual-clock.js';
import { chunksOf, scheduleAgainst } from '../support/client.js';
import { startTenant, usersFile } from './tenant.js';

/**
 * Polls one job may cost: a few while the interval grows from 1 s, then one per 15 s (pollMaxMs) at
 * most, however long the job runs.
 */
function pollBudget(jobMs: number): number {
  return 5 + Math.ceil(jobMs / DEFAULT_TIMING.pollMaxMs);
}
const TWENTY_CHUNKS = chunksOf(usersFile(96), 1700);

describe.concurrent('resource bounds', () => {
  it('plans the fixture as 20 chunks', () => {
    expect(TWENTY_CHUNKS).toHaveLength(20);
  });

  it.for([
    ['quick jobs', { pendingMs: 50, processingMs: 100 }],
    ['12-second jobs', { pendingMs: 2_000, processingMs: 10_000 }],
    ['2-minute jobs', { pendingMs: 10_000, processingMs: 110_000 }],
  ] as const)(
    'imports 20 chunks under a 2 requests/s bucket within a fixed request budget (%s)',
    async ([, jobTiming], context) => {
      const clock = virtualClock();
      const emulator = await startTenant(context, { clock, jobTiming, rateLimit: { rate: 2, burst: 2 } });
      const { result, api } = await scheduleAgainst(emulator, TWENTY_CHUNKS, {
        clock,
        timing: DEFAULT_TIMING,
      });

      expect(expectTenantAgrees(scheduleClaim(result), { tenants: [emulator] })).toEqual({
        everythingImported: true,
        reportedClean: true,
      });
      const polls = pollBudget(jobTiming.pendingMs + jobTiming.processingMs);
      const { requestsByRoute } = emulator.state.counters;
      const refused = emulator.state.requests.filter((request) => request.status === 429).length;
      // It keeps under the bucket by reading x-ratelimit-remaining/-reset, so it is seldom refused.
      expect(refused).toBeLessThanOrEqual(2);
      expect(requestsByRoute['create-job'] - refused).toBe(20);
      expect(requestsByRoute['job-status']).toBeLessThanOrEqual(20 * polls);
      expect(requestsByRoute['job-errors']).toBe(0);
      expect(requestsByRoute.token).toBe(1);
      const total = emulator.state.requests.length;
      expect(total).toBeLessThanOrEqual(1 + 20 * (1 + polls) + refused);
      // The client's own count agrees with the tenant's.
      expect(Object.values(api.stats.requests).reduce((sum, count) => sum + count, 0)).toBe(total);
      expect(api.stats.rateLimited).toBe(refused);
      context.annotate(`${total} requests: ${requestsByRoute['job-status']} polls, ${refused} refused`);
    },
  );
});
