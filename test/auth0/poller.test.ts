import { describe, expect, it } from 'vitest';
import {
  dueNarrowingLook,
  firstWatch,
  mayLookEarly,
  mayNarrow,
  watchAfterFailure,
  watchNext,
  type JobWatch,
} from '../../src/auth0/poller.js';
import { DEFAULT_TIMING } from '../../src/auth0/timing.js';

const watch = (fields: Partial<JobWatch> = {}): JobWatch => ({
  at: 0,
  interval: 1_000,
  failures: 0,
  ...fields,
});
const never = () => false;

describe('a job watch', () => {
  it('first looks at a new job after pollInitialMs', () => {
    expect(firstWatch(10_000, DEFAULT_TIMING)).toEqual({ at: 11_000, interval: 1_000, failures: 0 });
  });

  it('keeps what the poller says of the next look and of the end', () => {
    const job = watch();
    watchNext(job, { delay: 750, endsAfter: 14_000, endsBy: 15_000, narrows: true }, 10_000);
    expect(job).toMatchObject({
      at: 10_750,
      interval: 750,
      endsAfter: 14_000,
      endsBy: 15_000,
      narrows: true,
    });
  });

  it('looks again later after each look that got no answer', () => {
    const job = watch();
    const gaps = [1, 2, 3].map(() => (watchAfterFailure(job, 0, DEFAULT_TIMING, 1), job.at));
    expect(gaps).toEqual([1_000, 2_000, 4_000]);
    expect(job.failures).toBe(3);
  });
});

describe('mayLookEarly', () => {
  it('allows an early look only while the bucket holds a look and a create for every slot, and one more', () => {
    expect(mayLookEarly(5, 2)).toBe(true);
    expect(mayLookEarly(4, 2)).toBe(false);
    expect(mayLookEarly(Infinity, 2)).toBe(true);
  });
});

describe('mayNarrow', () => {
  const job = watch({ endsAfter: 14_000, endsBy: 15_000, narrows: true });

  it('narrows freely while the bucket holds a request more', () => {
    const soon = watch({ endsBy: 10_500 });
    expect(mayNarrow(job, [job, soon], 10_000, 2, never)).toBe(true);
  });

  it('never narrows while an ended job waits to be read', () => {
    expect(mayNarrow(job, [job, watch()], 10_000, 10, (other) => other !== job)).toBe(false);
  });

  it('with the bucket at its last request, holds back for a job due to end within 750 ms', () => {
    expect(mayNarrow(job, [job, watch({ endsBy: 10_700 })], 10_000, 1, never)).toBe(false);
    expect(mayNarrow(job, [job, watch({ endsBy: 10_800 })], 10_000, 1, never)).toBe(true);
  });

  it('with the bucket at its last request, narrows the end known least closely first', () => {
    const vaguer = watch({ endsAfter: 13_000, endsBy: 15_000, narrows: true });
    expect(mayNarrow(job, [job, vaguer], 10_000, 1, never)).toBe(false);
    expect(mayNarrow(vaguer, [job, vaguer], 10_000, 1, never)).toBe(true);
  });
});

describe('dueNarrowingLook', () => {
  const end = { endsAfter: 14_000, endsBy: 15_000 };
  const pacing = { sendsAt: 10_500, lookEarly: true };

  it('goes out now when now still narrows and nothing is held back', () => {
    expect(dueNarrowingLook(end, 10_500, DEFAULT_TIMING, pacing, () => true)).toBe('now');
  });

  it('moves a little later, while that still narrows, when it would hold something back', () => {
    expect(dueNarrowingLook(end, 10_500, DEFAULT_TIMING, pacing, never)).toEqual({
      delay: 200,
      narrows: true,
      ...end,
    });
  });

  it('moves past a pause for the rate limit, without asking whether it may narrow', () => {
    const next = dueNarrowingLook(end, 10_500, DEFAULT_TIMING, { ...pacing, sendsAt: 10_700 }, () => {
      throw new Error('not asked');
    });
    expect(next).toMatchObject({ delay: 200, narrows: true });
  });

  it('looks at the end as usual (pollEarlyMs before it) once no whole second is left to narrow it', () => {
    expect(
      dueNarrowingLook(end, 14_200, DEFAULT_TIMING, { sendsAt: 14_200, lookEarly: true }, never),
    ).toEqual({
      delay: 550,
      ...end,
    });
  });
});
