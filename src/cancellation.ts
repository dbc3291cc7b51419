/**
 * SIGINT / SIGTERM (a cancelled workflow) in any phase of the run: the run stops what it waits for
 * and still reports what it did, instead of dying with nothing written.
 */

export interface Cancellation {
  signal: AbortSignal;
  /** The signal's name once one arrived. */
  received(): string | undefined;
  dispose(): void;
}

export function watchSignals(
  target: Pick<NodeJS.Process, 'on' | 'off'>,
  warn: (message: string) => void,
): Cancellation {
  const controller = new AbortController();
  let received: string | undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      if (received) return;
      received = name;
      warn(`Received ${name}: stopping; jobs already submitted keep running in Auth0.`);
      controller.abort();
    };
    target.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const [name, handler] of handlers) target.off(name, handler);
    },
  };
}
