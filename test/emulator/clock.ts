/** Where the emulator reads the time: job life cycle, job expiry, token expiry and the rate-limit bucket. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A clock that moves only when told: steps jobs, tokens and the rate-limit bucket without sleeping. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Starts at `start` (default: the real time now) and stays there until `advance` is called. */
export function manualClock(start: number = Date.now()): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}
