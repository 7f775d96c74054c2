/**
 * Linearizable reads in flight: registered with the core's read index, confirmed by a
 * `ReadState` (leadership proven at some commit index), served once the state machine has
 * applied that index.
 */
import type { ReadState } from "../core/index.js";

interface PendingRead<Machine> {
  readonly run: (machine: Machine) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** The index to wait for; undefined until the core confirms leadership. */
  index: number | undefined;
}

export class ReadTracker<Machine> {
  private readonly pending = new Map<string, PendingRead<Machine>>();
  private nextId = 0;

  /** A fresh request id and the promise its read resolves with. */
  register<T>(run: (machine: Machine) => T | Promise<T>): { id: string; result: Promise<T> } {
    const id = `read-${++this.nextId}`;
    const result = new Promise<T>((resolve, reject) => {
      this.pending.set(id, {
        run,
        resolve: resolve as (value: unknown) => void,
        reject,
        index: undefined,
      });
    });
    return { id, result };
  }

  /** Drops a read the core refused (the caller rejects its promise). */
  cancel(id: string, error: unknown): void {
    this.pending.get(id)?.reject(error);
    this.pending.delete(id);
  }

  confirm(states: readonly ReadState[]): void {
    for (const state of states) {
      const read = this.pending.get(state.requestId);
      if (read !== undefined) read.index = state.index;
    }
  }

  /** Runs every confirmed read whose index is applied. */
  serve(applied: number, machine: Machine): void {
    for (const [id, read] of this.pending) {
      if (read.index === undefined || read.index > applied) continue;
      this.pending.delete(id);
      try {
        Promise.resolve(read.run(machine)).then(read.resolve, read.reject);
      } catch (error) {
        read.reject(error);
      }
    }
  }

  /**
   * Fails the reads leadership was not confirmed for (after leadership is lost the core never
   * confirms them). Confirmed ones stay: their index was proven while this node led, so serving
   * them once applied is still linearizable.
   */
  rejectUnconfirmed(error: unknown): void {
    for (const [id, read] of this.pending) {
      if (read.index !== undefined) continue;
      this.pending.delete(id);
      read.reject(error);
    }
  }

  rejectAll(error: unknown): void {
    for (const read of this.pending.values()) read.reject(error);
    this.pending.clear();
  }
}
