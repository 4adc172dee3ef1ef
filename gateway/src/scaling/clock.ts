/** Time as a dependency, so scaling decisions and loops can be driven by a fake clock in tests. */

/** Milliseconds since the epoch, and a sleep that an abort signal can cut short. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      // Unref'd: a scaling loop must never be what keeps a process alive.
      const t = setTimeout(done, ms);
      t.unref();
      function done(): void {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
