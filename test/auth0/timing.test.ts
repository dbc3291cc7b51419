import { describe, expect, it } from 'vitest';
import { lookAt, nextPoll } from '../../src/auth0/poller.js';
import { backoffMs, DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { spareRequests } from '../../src/auth0/pacer.js';

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
    expect(nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING)).toMatchObject({
      delay: 5_000 - pollEarlyMs,
      endsBy: 15_000,
    });
    // A long job: within the cap, at the moment that halves what is open, (609,000, 610,000].
    expect(nextPoll({ interval: 1_000 }, 600, 10_000, DEFAULT_TIMING).delay).toBe(14_500);
  });

  it('looks again right at that second, not a second later, when the job is still running', () => {
    const early = nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING);
    const now = 10_000 + early.delay + 20;
    // Still running 230 ms before the end: time_left_seconds says 1 again, but the end is known.
    expect(nextPoll({ interval: early.delay, ...early }, 1, now, DEFAULT_TIMING)).toMatchObject({
      delay: 15_000 - now,
      endsBy: 15_000,
    });
  });

  it('goes straight to that second when the rate limit leaves no request for an early look', () => {
    expect(nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING, { lookEarly: false })).toMatchObject({
      delay: 5_000,
      endsBy: 15_000,
    });
  });

  it('keeps the tighter end when a later answer rounds up past it', () => {
    // At 12,900 the job said 3 s (ends by 15,900), but an answer at 10,000 said it ends by 15,000.
    expect(nextPoll({ interval: 1_000, endsBy: 15_000 }, 3, 12_900, DEFAULT_TIMING).endsBy).toBe(15_000);
  });

  it('takes a new estimate once the old second has passed', () => {
    expect(nextPoll({ interval: 250, endsBy: 15_000 }, 2, 15_100, DEFAULT_TIMING)).toMatchObject({
      delay: 2_000 - pollEarlyMs,
      endsAfter: 16_100,
      endsBy: 17_100,
    });
  });

  it('keeps what two answers say together: ended after the later start, by the earlier second', () => {
    // At 10,000: 5 s left, so the end is in (14,000, 15,000]; at 11,600: 4 s left, so in (14,600, 15,600].
    const first = nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING);
    expect(first).toMatchObject({ endsAfter: 14_000, endsBy: 15_000 });
    expect(nextPoll({ interval: 1_000, ...first }, 4, 11_600, DEFAULT_TIMING)).toMatchObject({
      endsAfter: 14_600,
      endsBy: 15_000,
    });
  });

  it('counts from when the request went out: Auth0 answered between then and now', () => {
    // Sent at 9,700 (after a wait for the rate limit), answered at 10,000 with 5 s left.
    expect(nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING, { sentAt: 9_700 })).toMatchObject({
      endsAfter: 13_700,
      endsBy: 15_000,
    });
  });

  it('with narrow, looks a whole number of seconds before the middle of what is open', () => {
    const next = nextPoll({ interval: 1_000 }, 5, 10_000, DEFAULT_TIMING, { narrow: true });
    // Open: (14,000, 15,000]; its middle 14,500 less 4 s is the first such moment 200 ms ahead.
    expect(next).toMatchObject({ delay: 500, narrows: true });
    // There Auth0 says 5 s if the end is after 14,500, 4 s if not: either way half is left.
    expect(nextPoll({ interval: 500, ...next }, 5, 10_500, DEFAULT_TIMING)).toMatchObject({
      endsAfter: 14_500,
      endsBy: 15_000,
    });
    expect(nextPoll({ interval: 500, ...next }, 4, 10_500, DEFAULT_TIMING)).toMatchObject({
      endsAfter: 14_000,
      endsBy: 14_500,
    });
  });

  it('stops narrowing once the end is known within 125 ms, or no whole second is left before it', () => {
    const known = { endsAfter: 14_900, endsBy: 15_000 };
    expect(lookAt(known, 10_000, DEFAULT_TIMING, { narrow: true }).narrows).toBeUndefined();
    // (14,000, 15,000] at 13,600: a second before its middle half, [13,250, 13,750], is past.
    const close = { endsAfter: 14_000, endsBy: 15_000 };
    expect(lookAt(close, 13_600, DEFAULT_TIMING, { narrow: true, lookEarly: false })).toEqual({
      delay: 1_400,
    });
  });

  it('takes the latest answer alone when it cannot hold with the earlier ones (the estimate moved)', () => {
    // (14,000, 15,000] before; at 12,000 the job says 6 s more: (17,000, 18,000].
    expect(
      nextPoll({ interval: 1_000, endsAfter: 14_000, endsBy: 15_000 }, 6, 12_000, DEFAULT_TIMING),
    ).toMatchObject({ endsAfter: 17_000, endsBy: 18_000 });
  });

  it('knows the end of a 60 s job within 125 ms by its last look, with no look more than the poll cap makes', () => {
    // A job that ends at 60,370 ms, not on a whole second of its first answer; Auth0 rounds up.
    const end = 60_370;
    let last: Parameters<typeof nextPoll>[0] = { interval: pollInitialMs };
    let at = pollInitialMs;
    const looks = [at];
    while (at < end) {
      const { delay, ...known } = nextPoll(last, Math.ceil((end - at) / 1000), at, DEFAULT_TIMING, {
        lookEarly: false,
      });
      last = { interval: delay, ...known };
      at += delay;
      looks.push(at);
    }
    expect(at - end).toBeLessThanOrEqual(125);
    // 1 s, four looks at the 15 s cap, and the end.
    expect(looks.length).toBeLessThanOrEqual(6);
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
