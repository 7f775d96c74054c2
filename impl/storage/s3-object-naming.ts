/**
 * Where a file's bytes live in object storage (DESIGN §3): the names of the objects a chunk
 * info covers. The client's data path writes and reads these objects; a metaserver's trash
 * task deletes them. Both must compute the same names, so they share this module. Pure.
 *
 * A chunk info `{chunk_id C, compaction K, offset, len}` covers the file range
 * [offset, offset + len) inside one chunk. That range is stored as one object per touched
 * block, named `<fsId>_<inodeId>_<C>_<blockIndex>_<K>` (with an optional directory prefix,
 * `ObjectPrefixScheme`). The first object holds the data from the range's start inside its
 * block (objects are not left-aligned); later objects start at their block boundary.
 */
import { ObjectPrefixScheme } from "../gen/curve/common/v1/common_pb.js";

/** The fs-wide settings that decide object names and extents. */
export interface ObjectLayout {
  readonly fsId: number;
  readonly chunkSize: number;
  readonly blockSize: number;
  readonly prefix: ObjectPrefixScheme;
}

/** The identity of one chunk info, as far as naming goes. */
export interface ChunkRange {
  readonly chunkId: bigint;
  readonly compaction: bigint;
  /** File offset of the first byte. */
  readonly offset: number;
  /** Length in bytes, > 0. */
  readonly len: number;
}

/** One object of a chunk range: its name and which file bytes it holds. */
export interface RangeObject {
  readonly key: string;
  readonly blockIndex: number;
  /** File offset of the object's first byte. */
  readonly fileOffset: number;
  /** The object's length in bytes (≤ block size). */
  readonly length: number;
}

/** The object name of one block of a chunk range. */
export function objectKey(
  layout: ObjectLayout,
  inodeId: bigint,
  chunkId: bigint,
  blockIndex: number,
  compaction: bigint,
): string {
  const base = `${layout.fsId}_${inodeId}_${chunkId}_${blockIndex}_${compaction}`;
  switch (layout.prefix) {
    case ObjectPrefixScheme.INODE_THOUSANDS:
      return `${layout.fsId}/${inodeId / 1_000_000n}/${inodeId / 1000n}/${base}`;
    case ObjectPrefixScheme.INODE_HASH:
      return `${layout.fsId}/${inodeId % 256n}/${inodeId / 1000n}/${base}`;
    default:
      return base;
  }
}

/** The objects that hold a chunk range, in file order. */
export function rangeObjects(
  layout: ObjectLayout,
  inodeId: bigint,
  range: ChunkRange,
): RangeObject[] {
  const objects: RangeObject[] = [];
  const end = range.offset + range.len;
  let position = range.offset;
  while (position < end) {
    const chunkPos = position % layout.chunkSize;
    const blockIndex = Math.floor(chunkPos / layout.blockSize);
    const blockEnd = position - (chunkPos % layout.blockSize) + layout.blockSize;
    const length = Math.min(end, blockEnd) - position;
    const key = objectKey(layout, inodeId, range.chunkId, blockIndex, range.compaction);
    objects.push({ key, blockIndex, fileOffset: position, length });
    position += length;
  }
  return objects;
}
