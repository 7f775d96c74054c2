/**
 * An in-memory `LogStorage`: the reference implementation of the interface, the storage of the
 * core's tests and the simulator, and a ready-made read view that a disk-backed runtime can feed
 * with what it has made durable.
 *
 * The entries are kept after a compaction point (`offset`, whose term is remembered), which is at
 * or below the latest snapshot's index.
 */
import type { LogStorage } from "./log-storage.js";
import { limit } from "./raft-log.js";
import type { ConfState, Entry, HardState, Snapshot } from "./types.js";

const EMPTY = new Uint8Array(0);

export class MemoryStorage implements LogStorage {
  private hardState: HardState = { term: 0, vote: "", commit: 0 };
  private latestSnapshot: Snapshot;
  /** Entries `offset + 1 ..`, contiguous. */
  private log: Entry[] = [];
  private offset = 0;
  private offsetTerm = 0;

  /** A new log whose bootstrap configuration is `conf` (empty for a peer waiting to be added). */
  constructor(conf: ConfState = { voters: [] }) {
    this.latestSnapshot = { meta: { index: 0, term: 0, conf }, data: EMPTY };
  }

  initialState(): HardState {
    return this.hardState;
  }

  setHardState(hardState: HardState): void {
    this.hardState = hardState;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.log.length;
  }

  term(index: number): number {
    if (index === this.offset) return this.offsetTerm;
    const entry = this.log[index - this.offset - 1];
    if (entry === undefined) {
      throw new RangeError(`memory storage: no term for index ${index}`);
    }
    return entry.term;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo <= this.offset || hi > this.lastIndex() + 1 || lo > hi) {
      throw new RangeError(`memory storage: entries [${lo}, ${hi}) out of bounds`);
    }
    return limit(
      this.log.slice(lo - this.offset - 1, hi - this.offset - 1),
      maxBytes,
      Number.POSITIVE_INFINITY,
    );
  }

  snapshot(): Snapshot {
    return this.latestSnapshot;
  }

  /**
   * Appends durable entries. They must start at or before `lastIndex() + 1`; any stored entries
   * from their first index on are replaced (the core sends a conflicting suffix this way), and
   * entries at or below the compaction point are ignored.
   */
  append(entries: readonly Entry[]): void {
    const kept = entries.filter((entry) => entry.index > this.offset);
    const first = kept[0];
    if (first === undefined) return;
    if (first.index > this.lastIndex() + 1) {
      throw new RangeError(
        `memory storage: append at ${first.index} leaves a gap after ${this.lastIndex()}`,
      );
    }
    if (first.index === this.lastIndex() + 1) {
      // The common case (a durable log growing at its end): no copy of the whole log per append.
      for (const entry of kept) this.log.push(entry);
      return;
    }
    this.log = [...this.log.slice(0, first.index - this.offset - 1), ...kept];
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(snapshot: Snapshot): void {
    if (snapshot.meta.index < this.latestSnapshot.meta.index) {
      throw new RangeError("memory storage: snapshot is older than the current one");
    }
    this.latestSnapshot = snapshot;
    this.log = [];
    this.offset = snapshot.meta.index;
    this.offsetTerm = snapshot.meta.term;
  }

  /**
   * Records a snapshot the state machine took at `index` (at most the applied index), with
   * `conf` the configuration in force at that index. Compaction is separate (`compact`), so that
   * recent entries can stay for followers that are only slightly behind.
   */
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.latestSnapshot.meta.index) {
      throw new RangeError(
        `memory storage: snapshot at ${index} is not newer than the current one`,
      );
    }
    if (index > this.lastIndex()) {
      throw new RangeError(`memory storage: snapshot at ${index} is beyond the last index`);
    }
    this.latestSnapshot = { meta: { index, term: this.term(index), conf }, data };
    return this.latestSnapshot;
  }

  /**
   * Drops the entries up to and including `index`, which must be covered by the latest snapshot
   * (so the leader can always send that snapshot to a peer that needs a dropped entry).
   */
  compact(index: number): void {
    if (index <= this.offset) return;
    if (index > this.latestSnapshot.meta.index) {
      throw new RangeError(
        `memory storage: compacting to ${index} needs a snapshot at or after it first`,
      );
    }
    this.offsetTerm = this.term(index);
    this.log = this.log.slice(index - this.offset);
    this.offset = index;
  }
}
