import { describe, expect, it } from 'vitest';
import { firstWatch, type JobWatch } from '../../src/auth0/poller.js';
import { JobSlots } from '../../src/auth0/slots.js';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';

const watch = (endsBy?: number): JobWatch => ({
  at: 0,
  interval: 1_000,
  failures: 0,
  endsBy,
  endsAfter: endsBy && endsBy - 1_000,
});

describe('JobSlots', () => {
  it('lets a create go only while fewer jobs than max-concurrent-jobs are in flight', () => {
    const slots = new JobSlots<string>(2);
    slots.occupy('a', firstWatch(0, DEFAULT_TIMING));
    expect(slots.mayCreate(0)).toBe(true);
    slots.occupy('b', firstWatch(0, DEFAULT_TIMING));
    expect(slots.mayCreate(0)).toBe(false);
    slots.release('a', 0);
    expect(slots.mayCreate(0)).toBe(true);
  });

  it("counts a job whose estimated end has passed as ended, at Auth0's limit of 2", () => {
    const slots = new JobSlots<string>(2);
    slots.occupy('a', watch(5_000));
    slots.occupy('b', watch(9_000));
    expect(slots.busy(4_999)).toBe(2);
    expect(slots.busy(5_000)).toBe(1);
    expect(slots.mayCreate(5_000)).toBe(true);
    // Still watched until it is seen to end.
    expect(slots.size).toBe(2);
  });

  it('waits to see a job end below that limit: max-concurrent-jobs 1 is ours, not guarded by Auth0', () => {
    const slots = new JobSlots<string>(1);
    slots.occupy('a', watch(5_000));
    expect(slots.mayCreate(60_000)).toBe(false);
    expect(slots.nextCreateAt(60_000)).toBeUndefined();
  });

  it('names the next estimated end as when a full set of slots frees', () => {
    const slots = new JobSlots<string>(2);
    slots.occupy('a', watch(9_000));
    slots.occupy('b', watch(7_000));
    expect(slots.nextCreateAt(1_000)).toBe(7_000);
  });

  it('backs creates off longer after each job-limit refusal', () => {
    const slots = new JobSlots<string>(2);
    const waits = [0, 1, 2].map(() => slots.jobLimitReached(0, DEFAULT_TIMING, 1));
    expect(waits).toEqual([2_000, 4_000, 8_000]);
    expect(slots.mayCreate(7_999)).toBe(false);
    expect(slots.mayCreate(8_000)).toBe(true);
  });

  it('lets a create go at once when one of our jobs ends during a job-limit backoff', () => {
    const slots = new JobSlots<string>(2);
    slots.occupy('a', watch());
    slots.jobLimitReached(1_000, DEFAULT_TIMING, 1);
    expect(slots.nextCreateAt(1_000)).toBe(3_000);
    slots.release('a', 1_500);
    expect(slots.mayCreate(1_500)).toBe(true);
  });

  it('starts the backoff over once Auth0 accepts a create', () => {
    const slots = new JobSlots<string>(2);
    slots.jobLimitReached(0, DEFAULT_TIMING, 1);
    slots.jobLimitReached(0, DEFAULT_TIMING, 1);
    slots.occupy('a', watch());
    expect(slots.jobLimitReached(0, DEFAULT_TIMING, 1)).toBe(2_000);
  });
});
