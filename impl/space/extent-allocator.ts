/**
 * The extent allocator of one volume (SpaceAllocService, space.proto): the rules of
 * AllocateSpace, DeallocateSpace and StatSpace over a free-extent map, in bytes at the edges and
 * in blocks inside. Pure: no IO, no clock; the space repository persists what it changes.
 */

import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { AllocationKind } from "../gen/curve/space/v1/space_pb.js";
import { type BlockRun, FreeExtentMap } from "./free-extent-map.js";

/** Most extents one AllocateSpace returns (space.proto). */
export const MAX_EXTENTS_PER_ALLOCATION = 1024;

/**
 * With ALLOCATION_KIND_UNSPECIFIED, an allocation of at most this fraction of an extent group is
 * treated as SMALL: it fits in the unused part of a partly used group, so packing it there keeps
 * unused groups whole for big allocations.
 */
const SMALL_ALLOCATION_GROUP_FRACTION = 4;

/** The shape of a volume, as VolumeInfo gives it. */
export interface VolumeGeometry {
  readonly volumeSize: bigint;
  readonly blockSize: number;
  readonly extentGroupSize: bigint;
}

/** A byte range of the volume. */
export interface ByteExtent {
  readonly offset: bigint;
  readonly length: bigint;
}

/** What AllocateSpace asks for. */
export interface AllocationRequest {
  readonly size: bigint;
  readonly kind?: AllocationKind;
  readonly leftOffset?: bigint;
  readonly rightOffset?: bigint;
}

/** The usage figures of StatSpace (SpaceInfo without fs id and volume). */
export interface SpaceUsage {
  readonly allocatedBytes: bigint;
  readonly freeBytes: bigint;
  readonly extentGroupCount: bigint;
  readonly unusedExtentGroupCount: bigint;
  readonly largestFreeExtent: bigint;
}

/** Allocation state of one volume. */
export class ExtentAllocator {
  readonly geometry: VolumeGeometry;
  readonly #map: FreeExtentMap;
  readonly #block: bigint;
  readonly #groupBlocks: number;

  /** An allocator over `map` (default: every block free). */
  constructor(geometry: VolumeGeometry, map?: FreeExtentMap) {
    this.geometry = geometry;
    this.#block = BigInt(geometry.blockSize);
    this.#groupBlocks = Number(geometry.extentGroupSize / this.#block);
    const totalBlocks = Number(geometry.volumeSize / this.#block);
    this.#map = map ?? FreeExtentMap.allFree(totalBlocks);
    if (this.#map.totalBlocks !== totalBlocks) {
      throw new RangeError("the free-extent map does not match the volume");
    }
  }

  /**
   * Allocates `size` bytes, all or nothing, by the rules of AllocateSpace: block-aligned,
   * disjoint, sorted, non-touching extents summing to `size`, at most 1024 of them; an exact
   * hint placement when the hinted range is wholly free.
   * @throws CurveError EXTENT_INVALID (misaligned size or hint), NO_SPACE.
   */
  allocate(request: AllocationRequest): ByteExtent[] {
    const size = this.#blocksOf(request.size, "size");
    const left = this.#hintBlock(request.leftOffset, "hint.left_offset");
    const right = this.#hintBlock(request.rightOffset, "hint.right_offset");
    if (size === 0) throw extentInvalid("size must be greater than 0", {});
    const runs = this.#plan(size, request.kind ?? AllocationKind.UNSPECIFIED, left, right);
    for (const run of runs) this.#map.take(run.start, run.length);
    return runs.map((run) => this.#toBytes(run));
  }

  /**
   * Frees `extents`, all or nothing, by the rules of DeallocateSpace; returns the bytes freed.
   * @throws CurveError EXTENT_INVALID with `metadata.extent_index` = the first bad extent.
   */
  deallocate(extents: readonly ByteExtent[]): bigint {
    const runs = this.#checkDeallocation(extents);
    let freed = 0n;
    for (const run of runs) {
      this.#map.give(run.start, run.length);
      freed += BigInt(run.length) * this.#block;
    }
    return freed;
  }

  /** The block runs `extents` would free, checked (EXTENT_INVALID) but not freed. */
  #checkDeallocation(extents: readonly ByteExtent[]): BlockRun[] {
    const accepted: BlockRun[] = []; // sorted by start, to find overlaps in the request
    const runs: BlockRun[] = [];
    extents.forEach((extent, index) => {
      const bad = (why: string) =>
        extentInvalid(`extent ${index}: ${why}`, { extent_index: `${index}` });
      if (extent.length <= 0n) throw bad("its length must be greater than 0");
      if (extent.offset % this.#block !== 0n || extent.length % this.#block !== 0n) {
        throw bad(`not aligned to the block size ${this.#block}`);
      }
      if (extent.offset + extent.length > this.geometry.volumeSize) {
        throw bad("it lies beyond the end of the volume");
      }
      const run = this.#toBlocks(extent);
      const at = insertionIndex(accepted, run.start);
      const previous = accepted[at - 1];
      const next = accepted[at];
      if (
        (previous && previous.start + previous.length > run.start) ||
        (next && run.start + run.length > next.start)
      ) {
        throw bad("it overlaps another extent of the request");
      }
      if (this.#map.anyFree(run.start, run.length)) throw bad("it covers bytes that are free");
      accepted.splice(at, 0, run);
      runs.push(run);
    });
    return runs;
  }

  /** The usage figures of StatSpace. */
  usage(): SpaceUsage {
    const freeBytes = BigInt(this.#map.freeBlocks) * this.#block;
    let unusedGroups = 0;
    for (const run of this.#map.runs()) {
      const firstWhole = Math.ceil(run.start / this.#groupBlocks);
      const endWhole = Math.floor((run.start + run.length) / this.#groupBlocks);
      unusedGroups += Math.max(0, endWhole - firstWhole);
    }
    return {
      allocatedBytes: this.geometry.volumeSize - freeBytes,
      freeBytes,
      extentGroupCount: this.geometry.volumeSize / this.geometry.extentGroupSize,
      unusedExtentGroupCount: BigInt(unusedGroups),
      largestFreeExtent: BigInt(this.#map.largestRun()) * this.#block,
    };
  }

  /** The free runs, in blocks. */
  freeRuns(): BlockRun[] {
    return this.#map.runs();
  }

  /** The free map itself, to read (persistence); it changes only through this allocator. */
  freeMap(): FreeExtentMap {
    return this.#map;
  }

  #plan(size: number, kind: AllocationKind, left?: number, right?: number): BlockRun[] {
    const map = this.#map;
    if (map.freeBlocks < size) throw noSpace(`${size} blocks asked, ${map.freeBlocks} free`);
    if (left !== undefined && left + size <= map.totalBlocks && map.isFree(left, size)) {
      return [{ start: left, length: size }];
    }
    if (right !== undefined && right >= size && map.isFree(right - size, size)) {
      return [{ start: right - size, length: size }];
    }
    const anchor = left ?? (right === undefined ? 0 : Math.max(0, right - size));
    const small =
      kind === AllocationKind.SMALL ||
      (kind === AllocationKind.UNSPECIFIED &&
        size * SMALL_ALLOCATION_GROUP_FRACTION <= this.#groupBlocks);
    const single = small ? this.#bestFit(size, anchor) : this.#inUnusedGroup(size, anchor);
    if (single) return [single];
    return this.#gather(size);
  }

  /** The smallest free run that holds `size` (nearest after `anchor` among equals), at its start. */
  #bestFit(size: number, anchor: number): BlockRun | undefined {
    let best: BlockRun | undefined;
    for (const run of this.#map.runsFrom(anchor)) {
      if (run.length >= size && (!best || run.length < best.length)) best = run;
      if (best?.length === size) break;
    }
    return best && { start: best.start, length: size };
  }

  /**
   * `size` blocks starting at the first block of an unused extent group, searching from
   * `anchor`; else the first free run from `anchor` that holds `size`.
   */
  #inUnusedGroup(size: number, anchor: number): BlockRun | undefined {
    let firstFit: BlockRun | undefined;
    for (const run of this.#map.runsFrom(anchor)) {
      const end = run.start + run.length;
      const groupStart = Math.ceil(run.start / this.#groupBlocks) * this.#groupBlocks;
      // The group starting there is unused when the run covers it whole.
      const unusedGroup = groupStart + this.#groupBlocks <= end;
      if (unusedGroup && groupStart + size <= end) return { start: groupStart, length: size };
      if (!firstFit && run.length >= size) firstFit = { start: run.start, length: size };
    }
    return firstFit;
  }

  /** `size` blocks from the largest free runs, in as few extents as possible. */
  #gather(size: number): BlockRun[] {
    const bySize = this.#map.runs().sort((a, b) => b.length - a.length || a.start - b.start);
    const taken: BlockRun[] = [];
    let remaining = size;
    for (const run of bySize) {
      if (remaining === 0) break;
      if (taken.length === MAX_EXTENTS_PER_ALLOCATION) {
        throw noSpace(`${size} blocks would take more than ${MAX_EXTENTS_PER_ALLOCATION} extents`);
      }
      const length = Math.min(run.length, remaining);
      taken.push({ start: run.start, length });
      remaining -= length;
    }
    return taken.sort((a, b) => a.start - b.start);
  }

  #blocksOf(bytes: bigint, field: string): number {
    if (bytes % this.#block !== 0n) {
      throw extentInvalid(`${field} ${bytes} is not a multiple of the block size ${this.#block}`, {
        field,
      });
    }
    return Number(bytes / this.#block);
  }

  #hintBlock(offset: bigint | undefined, field: string): number | undefined {
    if (offset === undefined) return undefined;
    if (offset > this.geometry.volumeSize) {
      throw extentInvalid(`${field} ${offset} lies beyond the end of the volume`, { field });
    }
    return this.#blocksOf(offset, field);
  }

  #toBlocks(extent: ByteExtent): BlockRun {
    return {
      start: Number(extent.offset / this.#block),
      length: Number(extent.length / this.#block),
    };
  }

  #toBytes(run: BlockRun): ByteExtent {
    return { offset: BigInt(run.start) * this.#block, length: BigInt(run.length) * this.#block };
  }
}

/** Index at which a run starting at `start` goes in `runs` sorted by start. */
function insertionIndex(runs: readonly BlockRun[], start: number): number {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((runs[mid] as BlockRun).start < start) low = mid + 1;
    else high = mid;
  }
  return low;
}

function extentInvalid(message: string, metadata: Record<string, string>): CurveError {
  return new CurveError(ErrorReason.EXTENT_INVALID, message, { metadata });
}

function noSpace(message: string): CurveError {
  // retry_after_ms 0: retrying helps only after space was freed (space.proto).
  return new CurveError(ErrorReason.NO_SPACE, message);
}
