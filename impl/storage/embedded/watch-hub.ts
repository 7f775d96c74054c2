/**
 * Watches of the embedded store: a bounded history of recent events (so a watch can start at a
 * past revision, like etcd's) and in-order delivery to each watcher.
 */
import { hasPrefix } from "../kv-bytes.js";
import { KvError } from "../kv-error.js";
import type { Watch, WatchEvent, WatchListener } from "../kv-store.js";

interface Watcher {
  readonly prefix: Uint8Array;
  readonly start: number;
  readonly listener: WatchListener;
  readonly queue: WatchEvent[];
  scheduled: boolean;
  cancelled: boolean;
}

function keyOf(event: WatchEvent): Uint8Array {
  return event.type === "put" ? event.kv.key : event.key;
}

/** A copy the listener may keep or change without touching the store. */
function copyEvent(event: WatchEvent): WatchEvent {
  if (event.type === "delete") return { ...event, key: event.key.slice() };
  return {
    ...event,
    kv: { ...event.kv, key: event.kv.key.slice(), value: event.kv.value.slice() },
  };
}

/** Fans events out to watchers, in revision order, after they are durable. */
export class WatchHub {
  readonly #history: WatchEvent[] = [];
  /** Every event with a revision ≥ this is in `#history`. */
  #historyFrom: number;
  readonly #historyLimit: number;
  readonly #watchers = new Set<Watcher>();

  /**
   * @param historyFrom the first revision whose events the hub will know (after a snapshot at
   *   revision S: S + 1)
   * @param historyLimit how many recent events to keep for watches that start in the past
   */
  constructor(historyFrom: number, historyLimit: number) {
    this.#historyFrom = historyFrom;
    this.#historyLimit = historyLimit;
  }

  /** Adds events to the history and delivers them to matching watchers. */
  publish(events: readonly WatchEvent[]): void {
    if (events.length === 0) return;
    this.#history.push(...events);
    this.#trim();
    for (const watcher of this.#watchers) this.#enqueue(watcher, events);
  }

  /**
   * Starts a watch on `prefix` from `startRevision` (default: `currentRevision + 1`);
   * `compacted` when that revision is older than the history kept.
   */
  subscribe(
    prefix: Uint8Array,
    listener: WatchListener,
    startRevision: number | undefined,
    currentRevision: number,
  ): Watch {
    const start = startRevision ?? currentRevision + 1;
    if (start < this.#historyFrom) {
      throw new KvError(
        "compacted",
        `revision ${start} is no longer available to watch (history starts at ${this.#historyFrom})`,
      );
    }
    const watcher: Watcher = {
      prefix,
      start,
      listener,
      queue: [],
      scheduled: false,
      cancelled: false,
    };
    this.#watchers.add(watcher);
    this.#enqueue(watcher, this.#history);
    return {
      startRevision: start,
      cancel: async () => {
        watcher.cancelled = true;
        watcher.queue.length = 0;
        this.#watchers.delete(watcher);
      },
    };
  }

  /** Stops every watch (the store is closing). */
  cancelAll(): void {
    for (const watcher of this.#watchers) {
      watcher.cancelled = true;
      watcher.queue.length = 0;
    }
    this.#watchers.clear();
  }

  #enqueue(watcher: Watcher, events: readonly WatchEvent[]): void {
    for (const event of events) {
      if (event.revision >= watcher.start && hasPrefix(keyOf(event), watcher.prefix)) {
        watcher.queue.push(event);
      }
    }
    if (watcher.queue.length > 0 && !watcher.scheduled) {
      watcher.scheduled = true;
      // Delivered from a microtask, never from inside the store call that caused the event.
      queueMicrotask(() => this.#drain(watcher));
    }
  }

  #drain(watcher: Watcher): void {
    watcher.scheduled = false;
    while (!watcher.cancelled && watcher.queue.length > 0) {
      const event = watcher.queue.shift() as WatchEvent;
      try {
        watcher.listener(copyEvent(event));
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Drops the oldest events beyond the limit, whole revisions at a time. */
  #trim(): void {
    const excess = this.#history.length - this.#historyLimit;
    // Trim in chunks (a quarter of the limit) so that publishing stays O(1) amortised.
    if (excess <= this.#historyLimit / 4) return;
    const keepFrom = (this.#history[excess] as WatchEvent).revision;
    let cut = excess;
    while (cut > 0 && (this.#history[cut - 1] as WatchEvent).revision === keepFrom) cut--;
    this.#history.splice(0, cut);
    this.#historyFrom = keepFrom;
  }
}
