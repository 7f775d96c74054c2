/**
 * The volume extents of one inode (VOLUME file systems): non-overlapping file ranges, sorted by
 * file offset. Recording an extent replaces whatever it covers, trimming or splitting the
 * extents it overlaps.
 */
import type { VolumeExtent } from "../gen/curve/metaserver/v1/inode_pb.js";

/** One extent as stored. */
export interface ExtentRecord {
  readonly fileOffset: bigint;
  readonly volumeOffset: bigint;
  readonly length: bigint;
  readonly written: boolean;
}

/** The index of the first extent of `extents` that ends after `offset`. */
export function firstEndingAfter(extents: readonly ExtentRecord[], offset: bigint): number {
  let low = 0;
  let high = extents.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const e = extents[mid];
    if (e.fileOffset + e.length <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Returns a new list: `extents` with `added` recorded in order, each replacing what it covers. */
export function recordExtents(
  extents: readonly ExtentRecord[],
  added: readonly VolumeExtent[],
): ExtentRecord[] {
  const result = extents.slice();
  for (const next of added) {
    const start = next.fileOffset;
    const end = next.fileOffset + next.length;
    const from = firstEndingAfter(result, start);
    let to = from;
    const kept: ExtentRecord[] = [];
    while (to < result.length && result[to].fileOffset < end) {
      const old = result[to];
      const oldEnd = old.fileOffset + old.length;
      if (old.fileOffset < start) kept.push({ ...old, length: start - old.fileOffset });
      if (oldEnd > end) {
        const cut = end - old.fileOffset;
        kept.push({
          fileOffset: end,
          volumeOffset: old.volumeOffset + cut,
          length: oldEnd - end,
          written: old.written,
        });
      }
      to++;
    }
    const record: ExtentRecord = {
      fileOffset: next.fileOffset,
      volumeOffset: next.volumeOffset,
      length: next.length,
      written: next.written,
    };
    // kept holds at most a left piece (before `start`) and a right piece (after `end`).
    const left = kept.filter((k) => k.fileOffset < start);
    const right = kept.filter((k) => k.fileOffset >= end);
    result.splice(from, to - from, ...left, record, ...right);
  }
  return result;
}
