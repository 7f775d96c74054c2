/**
 * The log as the core sees it: the durable part (read through `LogStorage`) followed by the
 * unstable part (appended but not yet persisted), plus the commit and applied indexes.
 *
 * Indexes between `applied` and `committed` are committed entries not yet handed to the state
 * machine. Committed entries are never truncated; the core treats an attempt as a bug and throws.
 */
import type { LogStorage } from "./log-storage.js";
import type { Entry, Snapshot } from "./types.js";
import { UnstableLog } from "./unstable-log.js";

/** An index and the term of the entry there. */
export interface LogPosition {
  readonly index: number;
  readonly term: number;
}

export class RaftLog {
  readonly unstable: UnstableLog;
  /** The highest index known to be committed. */
  committed: number;
  /** The highest index handed to the state machine (applied once the Ready is advanced). */
  applied: number;

  constructor(readonly storage: LogStorage) {
    this.unstable = new UnstableLog(storage.lastIndex() + 1);
    this.committed = storage.firstIndex() - 1;
    this.applied = storage.firstIndex() - 1;
  }

  firstIndex(): number {
    return this.unstable.firstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.lastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** The term at `index`, or undefined when it is compacted away or beyond the end. */
  term(index: number): number | undefined {
    if (index < this.firstIndex() - 1 || index > this.lastIndex()) return undefined;
    return this.unstable.term(index) ?? this.storage.term(index);
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /**
   * Raft's up-to-date check (§5.4.1): a candidate whose last entry has a higher term, or the same
   * term and an index at least as high, is at least as up to date as this log.
   */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ownTerm = this.lastTerm();
    return lastTerm > ownTerm || (lastTerm === ownTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Appends the entries of an AppendEntries that follows `prev` if the log matches there.
   * Returns the last index the request proved to match, or undefined on a mismatch.
   */
  maybeAppend(prev: LogPosition, entries: readonly Entry[]): number | undefined {
    if (!this.matchTerm(prev.index, prev.term)) return undefined;
    const lastNew = prev.index + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new Error(`raft log: entry ${conflict} conflicts with the committed log`);
      }
      this.append(entries.slice(conflict - (prev.index + 1)));
    }
    return lastNew;
  }

  /** Appends entries (the first may overwrite an uncommitted suffix); returns the last index. */
  append(entries: readonly Entry[]): number {
    const first = entries[0];
    if (first === undefined) return this.lastIndex();
    if (first.index - 1 < this.committed) {
      throw new Error(`raft log: appending at ${first.index} would truncate committed entries`);
    }
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /**
   * The index of the first entry whose term differs from the log's (or that the log does not
   * have yet), or 0 when the log already holds all of them.
   */
  findConflict(entries: readonly Entry[]): number {
    for (const entry of entries) {
      if (!this.matchTerm(entry.index, entry.term)) return entry.index;
    }
    return 0;
  }

  /**
   * The back-off hint (etcd raft's fast log rejection): the largest index at or below `index`
   * whose term is at most `term`, and that term. A follower answers a rejected append with it;
   * the leader runs the same search on its own log to skip a whole conflicting term per round
   * trip.
   *
   * The search cannot look below the compaction point. When the answer lies there, the result is
   * an index below the compaction point with term 0, which makes the leader send a snapshot. (A
   * follower never gets there: the leader probes at or above the follower's commit index, and
   * the leader's terms there are at least the follower's snapshot term.)
   */
  findConflictByTerm(index: number, term: number): LogPosition {
    const floor = this.firstIndex() - 1;
    let at = Math.min(index, this.lastIndex());
    if (at < floor) return { index: at, term: 0 };
    for (; at >= floor; at--) {
      const atTerm = this.term(at) ?? 0;
      if (atTerm <= term) return { index: at, term: atTerm };
    }
    return { index: floor - 1, term: 0 };
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) {
      throw new Error(`raft log: commit ${index} is beyond the last index ${this.lastIndex()}`);
    }
    this.committed = index;
  }

  appliedTo(index: number): void {
    this.applied = Math.max(this.applied, index);
  }

  /** Entries `lo .. hi - 1` across storage and the unstable part, limited as `LogStorage`. */
  slice(lo: number, hi: number, maxBytes: number, maxCount = Number.POSITIVE_INFINITY): Entry[] {
    if (lo < this.firstIndex() || hi > this.lastIndex() + 1) {
      throw new Error(`raft log: slice [${lo}, ${hi}) is out of bounds`);
    }
    if (lo >= hi) return [];
    const boundary = this.unstable.offset;
    let entries: Entry[] = [];
    if (lo < boundary) {
      const storageHi = Math.min(hi, boundary);
      entries = this.storage.entries(lo, storageHi, maxBytes);
      if (entries.length < storageHi - lo) return limit(entries, maxBytes, maxCount);
    }
    if (hi > boundary) entries = entries.concat(this.unstable.slice(Math.max(lo, boundary), hi));
    return limit(entries, maxBytes, maxCount);
  }

  /**
   * The entries from `index` on, limited for one AppendEntries; undefined when `index` was
   * compacted away (the peer then needs a snapshot).
   */
  entriesFrom(index: number, maxBytes: number, maxCount: number): Entry[] | undefined {
    if (index < this.firstIndex()) return undefined;
    if (index > this.lastIndex()) return [];
    return this.slice(index, this.lastIndex() + 1, maxBytes, maxCount);
  }

  hasNextCommittedEntries(): boolean {
    return this.committed > Math.max(this.applied, this.firstIndex() - 1);
  }

  /** The committed entries not yet handed to the state machine, at most about `maxBytes`. */
  nextCommittedEntries(maxBytes: number): Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed < lo) return [];
    return this.slice(lo, this.committed + 1, maxBytes);
  }

  /** The index up to which entries are durable (everything before the unstable part). */
  lastPersistedIndex(): number {
    return this.unstable.entries.length > 0 ? this.unstable.offset - 1 : this.lastIndex();
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Replaces the whole log by a snapshot received from the leader. */
  restore(snapshot: Snapshot): void {
    this.committed = snapshot.meta.index;
    this.unstable.restore(snapshot);
  }
}

/** Cuts `entries` at `maxCount` entries and about `maxBytes` of data, keeping at least one. */
export function limit(entries: Entry[], maxBytes: number, maxCount: number): Entry[] {
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    bytes += entries[i]?.data.byteLength ?? 0;
    if (i > 0 && (i >= maxCount || bytes > maxBytes)) return entries.slice(0, i);
  }
  return entries;
}
