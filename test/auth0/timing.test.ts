import { describe, expect, it } from 'vitest';
import { nextPollDelay } from '../../src/auth0/schedule.js';
import { backoffMs, DEFAULT_TIMING } from '../../src/auth0/timing.js';

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

describe('nextPollDelay', () => {
  it('backs off exponentially up to the cap while Auth0 gives no estimate', () => {
    const delays: number[] = [];
    let interval = DEFAULT_TIMING.pollInitialMs;
    for (let i = 0; i < 6; i++) delays.push((interval = nextPollDelay(interval, undefined, DEFAULT_TIMING)));
    expect(delays).toEqual([2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
  });

  it("follows Auth0's time_left_seconds, within the poll bounds", () => {
    expect(nextPollDelay(1_000, 5, DEFAULT_TIMING)).toBe(5_000 - DEFAULT_TIMING.pollEarlyMs);
    expect(nextPollDelay(1_000, 600, DEFAULT_TIMING)).toBe(15_000);
  });

  it('polls a 60 s job at most 8 times (the first poll comes 1 s after creation)', () => {
    let elapsed = DEFAULT_TIMING.pollInitialMs;
    let interval = DEFAULT_TIMING.pollInitialMs;
    let polls = 1;
    while (elapsed < 60_000) {
      interval = nextPollDelay(interval, undefined, DEFAULT_TIMING);
      elapsed += interval;
      polls++;
    }
    expect(polls).toBeLessThanOrEqual(8);
  });
});
