import { describe, expect, it } from 'vitest';
import { RateLimitPacer } from '../../src/auth0/pacer.js';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';
import { virtualClock } from '../support/virtual-clock.js';

/** A pacer on virtual time (jitter 0.5), at a whole second of it. */
function pacer() {
  const clock = virtualClock(100_000);
  return { clock, pacer: new RateLimitPacer(clock, DEFAULT_TIMING) };
}

const bucket = (remaining: number, resetSeconds: number, limit = 10) => ({
  'x-ratelimit-limit': String(limit),
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': String(resetSeconds),
});

describe('RateLimitPacer', () => {
  it('keeps what the last answer said of the bucket, and counts its refill from then', () => {
    const { pacer: bucketOf } = pacer();
    bucketOf.noteAnswer(bucket(4, 105));
    expect(bucketOf.quota).toEqual({ limit: 10, remaining: 4, reset: 105, at: 100_000 });
    expect(bucketOf.spare(102_500)).toBe(7);
    expect(bucketOf.quietUntil).toBe(0);
  });

  it('holds the next request back for one request’s share of the refill when the bucket is empty', () => {
    const { pacer: bucketOf } = pacer();
    // Full again in 5 s, 10 requests: one comes back every 500 ms; the jitter adds up to 10 %.
    expect(bucketOf.noteAnswer(bucket(0, 105))).toBe(525);
    expect(bucketOf.quietUntil).toBe(100_525);
  });

  it('takes an answer without the headers as saying nothing', () => {
    const { pacer: bucketOf } = pacer();
    expect(bucketOf.noteAnswer({})).toBeUndefined();
    expect(bucketOf.quota).toBeUndefined();
    expect(bucketOf.spare(100_000)).toBe(Infinity);
  });

  it('waits after a 429 as long as Retry-After says, with a little jitter', () => {
    const { pacer: bucketOf } = pacer();
    expect(bucketOf.rateLimited({ 'retry-after': '3' }, 1)).toBe(3_300);
    expect(bucketOf.quietUntil).toBe(103_300);
  });

  it('reads Retry-After as an HTTP date too', () => {
    const { clock, pacer: bucketOf } = pacer();
    const at = new Date(clock.now() + 2_000).toUTCString();
    expect(bucketOf.rateLimited({ 'retry-after': at }, 1)).toBe(2_300);
  });

  it('falls back to x-ratelimit-reset, then to a growing backoff', () => {
    const { pacer: bucketOf } = pacer();
    expect(bucketOf.rateLimited({ 'x-ratelimit-reset': '104' }, 1)).toBe(4_300);
    expect(bucketOf.rateLimited({}, 1)).toBe(750);
    expect(bucketOf.rateLimited({}, 3)).toBe(3_000);
  });

  it('never waits more than a minute, whatever the answer says', () => {
    const { pacer: bucketOf } = pacer();
    expect(bucketOf.rateLimited({ 'retry-after': '3600' }, 1)).toBe(60_300);
  });
});
