import { describe, expect, it } from 'vitest';
import { nextPoll } from '../../src/auth0/schedule.js';
import { backoffMs, DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { spareRequests } from '../../src/auth0/http.js';

describe('backoffMs', () => {
  it('doubles from the initial wait and never exceeds the cap', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffMs(attempt, 500, 3_000, 1))).toEqual([
      500, 1_000, 2_000, 3_000, 3_000,
    ]);
  });

  it('keeps at least half the wait whatever the jitter', () => {
    expect(backoffMs(2, 500, 30_000, 0)).toBe(1_000);
  });
});

describe('nextPoll', () => {
  const { pollEarlyMs, pollInitialMs } = DEFAULT_TIMING;

  it('backs off exponentially up to the cap while Auth0 gives no estimate', () => {
    const delays: number[] = [];
    let interval = pollInitialMs;
    for (let i = 0; i < 6; i++)
      delays.push((interval = nextPoll({ interval }, undefined, 0, DEFAULT_TIMING).delay));
    expect(delays).toEqual([2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
  });

  it('looks a little before the whole second time_left_seconds gives, within the poll cap', () => {
    expect(nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING)).toEqual({
      delay: 5_000 - pollEarlyMs,
      endsBy: 15_000,
    });
    expect(nextPoll({ interval: 1_000 }, 600, 10_000, DEFAULT_TIMING).delay).toBe(15_000);
  });

  it('looks again right at that second, not a second later, when the job is still running', () => {
    const early = nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING);
    const now = 10_000 + early.delay + 20;
    // Still running 230 ms before the end: time_left_seconds says 1 again, but the end is known.
    expect(nextPoll({ interval: early.delay, ...early }, 1, now, DEFAULT_TIMING)).toEqual({
      delay: 15_000 - now,
      endsBy: 15_000,
    });
  });

  it('goes straight to that second when the rate limit leaves no request for an early look', () => {
    expect(nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING, false)).toEqual({
      delay: 5_000,
      endsBy: 15_000,
    });
  });

  it('keeps the tighter end when a later answer rounds up past it', () => {
    // At 12,900 the job said 3 s (ends by 15,900), but an answer at 10,000 said it ends by 15,000.
    expect(nextPoll({ interval: 1_000, endsBy: 15_000 }, 3, 12_900, DEFAULT_TIMING).endsBy).toBe(15_000);
  });

  it('takes a new estimate once the old second has passed', () => {
    expect(nextPoll({ interval: 250, endsBy: 15_000 }, 2, 15_100, DEFAULT_TIMING)).toEqual({
      delay: 2_000 - pollEarlyMs,
      endsBy: 17_100,
    });
  });

  it('polls a 60 s job at most 8 times (the first poll comes 1 s after creation)', () => {
    let elapsed = pollInitialMs;
    let interval = pollInitialMs;
    let polls = 1;
    while (elapsed < 60_000) {
      interval = nextPoll({ interval }, undefined, elapsed, DEFAULT_TIMING).delay;
      elapsed += interval;
      polls++;
    }
    expect(polls).toBeLessThanOrEqual(8);
  });
});

describe('spareRequests', () => {
  // Read at 10 s: 0 of 10 left, full again at 15 s (x-ratelimit-reset in unix seconds).
  const quota = { limit: 10, remaining: 0, reset: 15, at: 10_000 };

  it('refills evenly from the answer that said so until the bucket is full', () => {
    expect(spareRequests(quota, 10_000)).toBe(0);
    expect(spareRequests(quota, 12_500)).toBe(5);
    expect(spareRequests(quota, 14_999)).toBe(9);
    expect(spareRequests(quota, 15_000)).toBe(10);
    expect(spareRequests(quota, 60_000)).toBe(10);
  });

  it('holds nothing back when Auth0 has not said', () => {
    expect(spareRequests(undefined, 0)).toBe(Infinity);
  });
});
