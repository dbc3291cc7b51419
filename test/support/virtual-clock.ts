import type { Clock } from '../../src/auth0/timing.js';

/**
 * Time that passes only when the client sleeps: hand it to both the client and the emulator, and a
 * one-hour import runs in milliseconds with every wait still accounted for.
 */
export interface VirtualClock extends Clock {
  /** Total time the client spent sleeping. */
  slept(): number;
}

export function virtualClock(start = Date.parse('2026-11-26T12:00:00Z')): VirtualClock {
  let time = start;
  return {
    now: () => time,
    sleep: async (ms, signal) => {
      if (!signal?.aborted && ms > 0) time += ms;
      // Let sockets and timers run, as a real sleep would.
      await new Promise((resolve) => setImmediate(resolve));
    },
    random: () => 0.5,
    slept: () => time - start,
  };
}
