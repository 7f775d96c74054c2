/**
 * The unflushed writes of one open file: byte extents at any offsets, merged in memory, plus
 * the holes that must be hidden when the file grows over stale data. Pure (no IO).
 *
 * Extents never overlap, never cross a chunk boundary (so each one becomes exactly one chunk
 * info at flush time) and are merged with every extent they overlap or touch inside the same
 * chunk. Appending to the end of an extent grows its storage geometrically, so a sequence of
 * small sequential writes costs amortised O(bytes), not O(bytes²).
 */
import { type ChunkPiece, chunkIndexOf, splitAtChunks } from "./chunk-geometry.js";

/** Buffered bytes of a range inside one chunk. */
export interface BufferedExtent {
  readonly offset: number;
  readonly data: Uint8Array;
}

interface Extent {
  offset: number;
  length: number;
  /** Storage; `length` ≤ `storage.length` ≤ bytes left in the chunk from `offset`. */
  storage: Uint8Array;
}

export class WriteBuffer {
  private extents: Extent[] = [];
  private holes: ChunkPiece[] = [];
  private size = 0;

  constructor(private readonly chunkSize: number) {}

  /** Buffered data bytes (holes take no memory). */
  get bytes(): number {
    return this.size;
  }

  /** Buffered extents: each becomes one chunk info (and at least one object) at flush. */
  get extentCount(): number {
    return this.extents.length;
  }

  /** True when there is nothing to flush. */
  get isEmpty(): boolean {
    return this.extents.length === 0 && this.holes.length === 0;
  }

  /** Buffers a copy of `data` at file offset `offset`, over any earlier bytes there. */
  write(offset: number, data: Uint8Array): void {
    let consumed = 0;
    for (const piece of splitAtChunks(offset, data.length, this.chunkSize)) {
      this.writePiece(piece, data.subarray(consumed, consumed + piece.length));
      consumed += piece.length;
    }
  }

  /**
   * Records that [offset, offset + length) must read as zeros, below every later write. Holes
   * must lie beyond all buffered data (they come from the file growing), which keeps them
   * disjoint from the extents that exist now.
   */
  zero(offset: number, length: number): void {
    this.holes.push(...splitAtChunks(offset, length, this.chunkSize));
  }

  /** Drops every buffered byte and hole at or beyond `length`. */
  truncate(length: number): void {
    const kept: Extent[] = [];
    for (const extent of this.extents) {
      if (extent.offset >= length) {
        this.size -= extent.length;
        continue;
      }
      const end = extent.offset + extent.length;
      if (end > length) {
        this.size -= end - length;
        extent.length = length - extent.offset;
      }
      kept.push(extent);
    }
    this.extents = kept;
    this.holes = this.holes.flatMap((hole) =>
      hole.offset >= length
        ? []
        : [{ ...hole, length: Math.min(hole.length, length - hole.offset) }],
    );
  }

  /** The buffered extents in file order. The views share memory with the buffer. */
  dataExtents(): BufferedExtent[] {
    return this.extents.map((extent) => ({
      offset: extent.offset,
      data: extent.storage.subarray(0, extent.length),
    }));
  }

  /** The pending holes, each inside one chunk. */
  zeroRanges(): readonly ChunkPiece[] {
    return this.holes;
  }

  /** Forgets everything (after a successful flush). */
  clear(): void {
    this.extents = [];
    this.holes = [];
    this.size = 0;
  }

  /**
   * Applies the buffered state to `target`, which holds the stored bytes of the file from
   * offset `targetOffset`: holes first, then data (data is always newer than the holes it
   * overlaps).
   */
  overlay(target: Uint8Array, targetOffset: number): void {
    const targetEnd = targetOffset + target.length;
    for (const hole of this.holes) {
      const start = Math.max(hole.offset, targetOffset);
      const end = Math.min(hole.offset + hole.length, targetEnd);
      if (start < end) target.fill(0, start - targetOffset, end - targetOffset);
    }
    for (const extent of this.extents) {
      const start = Math.max(extent.offset, targetOffset);
      const end = Math.min(extent.offset + extent.length, targetEnd);
      if (start >= end) continue;
      const source = extent.storage.subarray(start - extent.offset, end - extent.offset);
      target.set(source, start - targetOffset);
    }
  }

  private writePiece(piece: ChunkPiece, data: Uint8Array): void {
    const start = piece.offset;
    const end = start + data.length;
    const { first, count } = this.touching(piece.chunkIndex, start, end);
    if (count === 0) {
      this.extents.splice(first, 0, { offset: start, length: data.length, storage: data.slice() });
      this.size += data.length;
      return;
    }
    const head = this.extents[first] as Extent;
    if (count === 1 && head.offset <= start) {
      const newLength = Math.max(head.length, end - head.offset);
      this.reserve(head, newLength);
      head.storage.set(data, start - head.offset);
      this.size += newLength - head.length;
      head.length = newLength;
      return;
    }
    const last = this.extents[first + count - 1] as Extent;
    const mergedStart = Math.min(start, head.offset);
    const mergedEnd = Math.max(end, last.offset + last.length);
    const storage = new Uint8Array(mergedEnd - mergedStart);
    for (const extent of this.extents.slice(first, first + count)) {
      storage.set(extent.storage.subarray(0, extent.length), extent.offset - mergedStart);
      this.size -= extent.length;
    }
    storage.set(data, start - mergedStart);
    this.size += storage.length;
    this.extents.splice(first, count, {
      offset: mergedStart,
      length: storage.length,
      storage,
    });
  }

  /** The run of extents of chunk `chunkIndex` that overlap or touch [start, end). */
  private touching(
    chunkIndex: number,
    start: number,
    end: number,
  ): { first: number; count: number } {
    let low = 0;
    let high = this.extents.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const extent = this.extents[middle] as Extent;
      if (extent.offset + extent.length < start) low = middle + 1;
      else high = middle;
    }
    let count = 0;
    for (let i = low; i < this.extents.length; i++) {
      const extent = this.extents[i] as Extent;
      if (extent.offset > end) break;
      const extentChunk = chunkIndexOf(extent.offset, this.chunkSize);
      if (extentChunk < chunkIndex) {
        // It ends exactly at `start`, the chunk boundary: touching, but not mergeable.
        low = i + 1;
        continue;
      }
      if (extentChunk > chunkIndex) break;
      count++;
    }
    return { first: low, count };
  }

  /** Grows an extent's storage to hold `length` bytes, doubling up to the chunk's end. */
  private reserve(extent: Extent, length: number): void {
    if (length <= extent.storage.length) return;
    const chunkEnd = (chunkIndexOf(extent.offset, this.chunkSize) + 1) * this.chunkSize;
    const capacity = Math.min(
      Math.max(length, extent.storage.length * 2),
      chunkEnd - extent.offset,
    );
    const storage = new Uint8Array(capacity);
    storage.set(extent.storage.subarray(0, extent.length));
    extent.storage = storage;
  }
}
