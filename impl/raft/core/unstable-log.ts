/**
 * The part of the log the core holds that is not durable yet: entries appended since the last
 * `advance()` (or handed out in the Ready being persisted), and a snapshot received from the
 * leader. `offset` is the index of the first unstable entry; everything below it is read from
 * `LogStorage`.
 */
import type { Entry, Snapshot } from "./types.js";

export class UnstableLog {
  snapshot: Snapshot | undefined = undefined;
  entries: Entry[] = [];

  constructor(public offset: number) {}

  /** The first index this part knows when it holds a snapshot, else undefined. */
  firstIndex(): number | undefined {
    return this.snapshot === undefined ? undefined : this.snapshot.meta.index + 1;
  }

  lastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot?.meta.index;
  }

  term(index: number): number | undefined {
    if (index < this.offset) {
      return this.snapshot?.meta.index === index ? this.snapshot.meta.term : undefined;
    }
    return this.entries[index - this.offset]?.term;
  }

  /** Entries up to `index` (with term `term`) are durable now and readable from storage. */
  stableTo(index: number, term: number): void {
    // A conflicting append may have replaced the persisted entries meanwhile; then the newer
    // ones are still unstable and stay here.
    if (index < this.offset || this.term(index) !== term) return;
    this.entries = this.entries.slice(index + 1 - this.offset);
    this.offset = index + 1;
  }

  stableSnapshotTo(index: number): void {
    if (this.snapshot?.meta.index === index) this.snapshot = undefined;
  }

  restore(snapshot: Snapshot): void {
    this.offset = snapshot.meta.index + 1;
    this.entries = [];
    this.snapshot = snapshot;
  }

  /** Appends `entries`, first dropping any entries at or after `entries[0].index`. */
  truncateAndAppend(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    if (first.index === this.offset + this.entries.length) {
      this.entries.push(...entries);
    } else if (first.index <= this.offset) {
      // Replaces everything unstable, and tells the runtime to truncate its durable log there.
      this.offset = first.index;
      this.entries = [...entries];
    } else {
      this.entries = [...this.entries.slice(0, first.index - this.offset), ...entries];
    }
  }

  /** Entries `lo .. hi - 1`, all at or above `offset`. */
  slice(lo: number, hi: number): Entry[] {
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
