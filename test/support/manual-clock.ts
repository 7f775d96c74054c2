import type { Clock, Timer } from "../../impl/storage/clock.js";

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. `advance` fires due timers one at a time, in time order
 * (ties in scheduling order), and lets pending promise callbacks and I/O completions run after
 * each, so async work a timer starts (a keep-alive, a lease expiry) settles before the next fires.
 */
export class ManualClock implements Clock {
  #now = 0;
  #seq = 0;
  #timers: Scheduled[] = [];

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): Timer {
    const timer: Scheduled = {
      at: this.#now + Math.max(0, ms),
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#nextDue(target);
      if (!next) break;
      this.#now = next.at;
      next.cancelled = true;
      next.callback();
    }
    this.#now = target;
    await settle();
  }

  #nextDue(target: number): Scheduled | undefined {
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    let next: Scheduled | undefined;
    for (const t of this.#timers) {
      if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)))
        next = t;
    }
    return next;
  }
}

/** Lets queued promise callbacks and completed I/O (an fsync) run: a few macrotask turns. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
