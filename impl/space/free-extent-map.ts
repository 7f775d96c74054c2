/**
 * The free space of one volume, in blocks: a sorted list of free runs that are disjoint and
 * never touch (touching runs are always merged). Pure data structure, no policy: the allocator
 * (extent-allocator.ts) decides where to take space, this file only keeps the runs exact.
 *
 * Block numbers are JS numbers: a volume has at most 2^64 / 4096 = 2^52 blocks (the smallest
 * block is 4 KiB), which is within Number.MAX_SAFE_INTEGER.
 */

/** A run of blocks: [start, start + length). */
export interface BlockRun {
  readonly start: number;
  readonly length: number;
}

interface Run {
  start: number;
  /** Exclusive. */
  end: number;
}

/** The free runs of a volume of `totalBlocks` blocks. */
export class FreeExtentMap {
  readonly totalBlocks: number;
  #runs: Run[];
  #freeBlocks: number;

  /**
   * A map with the given free runs (any order; touching runs are merged). Throws RangeError when
   * a run is empty, outside the volume, or overlaps another.
   */
  constructor(totalBlocks: number, runs: Iterable<BlockRun> = []) {
    if (!Number.isSafeInteger(totalBlocks) || totalBlocks < 0) {
      throw new RangeError(`bad block count ${totalBlocks}`);
    }
    this.totalBlocks = totalBlocks;
    const sorted = [...runs]
      .map((r) => ({ start: r.start, end: r.start + r.length }))
      .sort((a, b) => a.start - b.start);
    this.#runs = [];
    this.#freeBlocks = 0;
    for (const run of sorted) {
      if (!Number.isSafeInteger(run.start) || run.start < 0 || run.end <= run.start) {
        throw new RangeError(`bad free run at ${run.start}`);
      }
      if (run.end > totalBlocks)
        throw new RangeError(`free run at ${run.start} exceeds the volume`);
      const last = this.#runs[this.#runs.length - 1];
      if (last && run.start < last.end) throw new RangeError(`free runs overlap at ${run.start}`);
      if (last && run.start === last.end) last.end = run.end;
      else this.#runs.push({ ...run });
      this.#freeBlocks += run.end - run.start;
    }
  }

  /** A map of a volume whose every block is free. */
  static allFree(totalBlocks: number): FreeExtentMap {
    return new FreeExtentMap(
      totalBlocks,
      totalBlocks > 0 ? [{ start: 0, length: totalBlocks }] : [],
    );
  }

  /** Free blocks in total. */
  get freeBlocks(): number {
    return this.#freeBlocks;
  }

  /** Number of free runs. */
  get runCount(): number {
    return this.#runs.length;
  }

  /** The free runs in ascending order. */
  runs(): BlockRun[] {
    return this.#runs.map(toBlockRun);
  }

  /** The free runs clipped to [from, to), in ascending order. */
  runsWithin(from: number, to: number): BlockRun[] {
    const result: BlockRun[] = [];
    for (let i = this.#firstEndingAfter(from); i < this.#runs.length; i++) {
      const run = this.#runs[i] as Run;
      if (run.start >= to) break;
      const start = Math.max(run.start, from);
      result.push({ start, length: Math.min(run.end, to) - start });
    }
    return result;
  }

  /** The free runs in ascending order, starting with the first that ends after `block`, then wrapping around. */
  *runsFrom(block: number): Generator<BlockRun> {
    const first = this.#firstEndingAfter(block);
    for (let i = 0; i < this.#runs.length; i++) {
      yield toBlockRun(this.#runs[(first + i) % this.#runs.length] as Run);
    }
  }

  /** Length of the longest free run (0 when nothing is free). */
  largestRun(): number {
    let largest = 0;
    for (const run of this.#runs) largest = Math.max(largest, run.end - run.start);
    return largest;
  }

  /** True when every block of [start, start + length) is free. */
  isFree(start: number, length: number): boolean {
    const run = this.#runs[this.#firstEndingAfter(start)];
    return run !== undefined && run.start <= start && start + length <= run.end;
  }

  /** True when some block of [start, start + length) is free. */
  anyFree(start: number, length: number): boolean {
    const run = this.#runs[this.#firstEndingAfter(start)];
    return run !== undefined && run.start < start + length;
  }

  /** Marks [start, start + length) allocated. Throws RangeError unless it is wholly free. */
  take(start: number, length: number): void {
    const index = this.#firstEndingAfter(start);
    const run = this.#runs[index];
    if (length <= 0 || !run || run.start > start || start + length > run.end) {
      throw new RangeError(`blocks [${start}, ${start + length}) are not wholly free`);
    }
    const pieces: Run[] = [];
    if (run.start < start) pieces.push({ start: run.start, end: start });
    if (start + length < run.end) pieces.push({ start: start + length, end: run.end });
    this.#runs.splice(index, 1, ...pieces);
    this.#freeBlocks -= length;
  }

  /** Marks [start, start + length) free. Throws RangeError unless it is wholly allocated. */
  give(start: number, length: number): void {
    const end = start + length;
    if (length <= 0 || start < 0 || end > this.totalBlocks || this.anyFree(start, length)) {
      throw new RangeError(`blocks [${start}, ${end}) are not wholly allocated`);
    }
    const index = this.#firstEndingAfter(start);
    const before = this.#runs[index - 1];
    const after = this.#runs[index];
    const mergeBefore = before !== undefined && before.end === start;
    const mergeAfter = after !== undefined && after.start === end;
    if (mergeBefore && mergeAfter) {
      before.end = after.end;
      this.#runs.splice(index, 1);
    } else if (mergeBefore) {
      before.end = end;
    } else if (mergeAfter) {
      after.start = start;
    } else {
      this.#runs.splice(index, 0, { start, end });
    }
    this.#freeBlocks += length;
  }

  /** A copy that changes independently. */
  clone(): FreeExtentMap {
    return new FreeExtentMap(this.totalBlocks, this.runs());
  }

  /** Index of the first run whose end is after `block` (runs.length when none). */
  #firstEndingAfter(block: number): number {
    let low = 0;
    let high = this.#runs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#runs[mid] as Run).end <= block) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function toBlockRun(run: Run): BlockRun {
  return { start: run.start, length: run.end - run.start };
}
