/**
 * A task a leader runs periodically (session expiry, fs deletion): one run at a time, every
 * `intervalMs` on the MDS clock, or sooner when kicked; it ends when its term's signal aborts.
 */
import type { Logger } from "pino";
import type { Clock, Timer } from "../storage/clock.js";

export interface BackgroundLoopOptions {
  readonly name: string;
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** One pass; a failure is logged and the next pass runs at the next interval. */
  readonly run: (signal: AbortSignal) => Promise<void>;
}

/** A running loop. */
export interface BackgroundLoop {
  /** Runs a pass as soon as the current one (if any) is done. */
  kick(): void;
  /** Resolves when the pass in progress (if any) is done; for tests. */
  idle(): Promise<void>;
}

export function startBackgroundLoop(options: BackgroundLoopOptions): BackgroundLoop {
  const { clock, signal, logger } = options;
  let timer: Timer | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const schedule = (ms: number): void => {
    timer?.cancel();
    if (!signal.aborted) timer = clock.setTimer(ms, () => pass());
  };
  const pass = (): void => {
    if (signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    timer?.cancel();
    running = options
      .run(signal)
      .catch((error: unknown) => {
        if (!signal.aborted)
          logger.warn({ err: error, task: options.name }, "background pass failed");
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          pass();
        } else schedule(options.intervalMs);
      });
  };
  signal.addEventListener("abort", () => timer?.cancel(), { once: true });
  schedule(options.intervalMs);
  return {
    kick: () => pass(),
    idle: async () => {
      while (running) await running;
    },
  };
}
