/**
 * Time as the storage layer sees it: injectable, so lease expiry and keep-alives can be driven
 * by a manual clock in tests instead of by real waiting.
 */

/** A scheduled callback that can be cancelled. */
export interface Timer {
  cancel(): void;
}

/** Milliseconds and timers. */
export interface Clock {
  /** Milliseconds on a monotonic-enough scale (only differences are used). */
  now(): number;
  /** Runs `callback` once after `ms` milliseconds. */
  setTimer(ms: number, callback: () => void): Timer;
}

/**
 * Real time. Timers are unref'd: a pending keep-alive or lease expiry alone must not keep a
 * process (or a test worker) alive.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, callback) {
    const handle = setTimeout(callback, Math.max(0, ms));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
