/**
 * The durable log as the core reads it. The core never writes: it hands entries, hard state and
 * snapshots out in a `Ready`, and the runtime, once they are durable, makes them visible here
 * before calling `advance()`.
 *
 * Every method is synchronous because the core is. A disk-backed implementation keeps what the
 * core reads in memory (the log tail and per-entry terms), or simply feeds a `MemoryStorage` with
 * what it has made durable and hands that to the core; it reloads it from disk on restart.
 *
 * Indexes: the log holds entries `firstIndex() .. lastIndex()`. Everything before was compacted
 * into the snapshot, whose index is `firstIndex() - 1` at most; `term(firstIndex() - 1)` is the
 * term of the compaction point and always answers. A brand-new log has `firstIndex() == 1`,
 * `lastIndex() == 0` and `term(0) == 0`.
 */
import type { Entry, HardState, Snapshot } from "./types.js";

export interface LogStorage {
  /** The durable term, vote and commit index; zeros and "" on a brand-new node. */
  initialState(): HardState;
  firstIndex(): number;
  lastIndex(): number;
  /** The term of entry `index`, for `firstIndex() - 1 <= index <= lastIndex()`. */
  term(index: number): number;
  /**
   * Entries `lo .. hi - 1` (`firstIndex() <= lo < hi <= lastIndex() + 1`), stopping early once
   * their data exceeds `maxBytes`, but always at least one entry.
   */
  entries(lo: number, hi: number, maxBytes: number): Entry[];
  /**
   * The latest snapshot. Its `meta.conf` is the configuration the node starts from: a new group
   * is bootstrapped with a snapshot at index 0, term 0 whose conf lists the initial voters (an
   * empty conf for a peer that waits to be added).
   */
  snapshot(): Snapshot;
}
