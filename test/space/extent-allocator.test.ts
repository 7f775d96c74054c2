/**
 * The extent allocator of SpaceAllocService, checked against space.proto's rules directly and
 * against a block bitmap model with fast-check.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { AllocationKind } from "../../impl/gen/curve/space/v1/space_pb.js";
import {
  type ByteExtent,
  ExtentAllocator,
  MAX_EXTENTS_PER_ALLOCATION,
  type VolumeGeometry,
} from "../../impl/space/extent-allocator.js";
import { FreeExtentMap } from "../../impl/space/free-extent-map.js";

const KiB = 1024n;
const BLOCK = 4096;
/** A small volume: 64 blocks in 4 extent groups of 16 blocks. */
const small: VolumeGeometry = {
  volumeSize: 64n * 4n * KiB,
  blockSize: BLOCK,
  extentGroupSize: 16n * 4n * KiB,
};

function blocks(n: number): bigint {
  return BigInt(n) * BigInt(BLOCK);
}

function extent(startBlock: number, lengthBlocks: number): ByteExtent {
  return { offset: blocks(startBlock), length: blocks(lengthBlocks) };
}

function reasonOf(action: () => unknown): ErrorReason | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CurveError) return error.reason;
    throw error;
  }
  return undefined;
}

function errorOf(action: () => unknown): CurveError {
  try {
    action();
  } catch (error) {
    if (error instanceof CurveError) return error;
    throw error;
  }
  throw new Error("no error");
}

/** Extents are block-aligned, inside the volume, sorted, disjoint and not touching. */
function expectWellFormed(extents: readonly ByteExtent[], geometry: VolumeGeometry): void {
  const block = BigInt(geometry.blockSize);
  let previousEnd = -1n;
  for (const e of extents) {
    expect(e.length > 0n).toBe(true);
    expect(e.offset % block).toBe(0n);
    expect(e.length % block).toBe(0n);
    expect(e.offset + e.length <= geometry.volumeSize).toBe(true);
    expect(e.offset > previousEnd).toBe(true); // sorted, disjoint and not touching
    previousEnd = e.offset + e.length;
  }
}

function total(extents: readonly ByteExtent[]): bigint {
  return extents.reduce((sum, e) => sum + e.length, 0n);
}

describe("AllocateSpace rules", () => {
  it("allocates exactly the size asked for, well formed", () => {
    const allocator = new ExtentAllocator(small);
    const extents = allocator.allocate({ size: blocks(5) });
    expectWellFormed(extents, small);
    expect(total(extents)).toBe(blocks(5));
    expect(allocator.usage().allocatedBytes).toBe(blocks(5));
  });

  it("honours a left hint whose range is wholly free with exactly that extent", () => {
    const allocator = new ExtentAllocator(small);
    expect(allocator.allocate({ size: blocks(3), leftOffset: blocks(10) })).toEqual([
      extent(10, 3),
    ]);
  });

  it("falls back to the right hint when the left one is taken", () => {
    const allocator = new ExtentAllocator(small);
    allocator.allocate({ size: blocks(2), leftOffset: blocks(20) });
    const extents = allocator.allocate({
      size: blocks(4),
      leftOffset: blocks(21),
      rightOffset: blocks(40),
    });
    expect(extents).toEqual([extent(36, 4)]);
  });

  it("places elsewhere when neither hinted range is free", () => {
    const allocator = new ExtentAllocator(small);
    allocator.allocate({ size: blocks(64) - blocks(60), leftOffset: 0n });
    const extents = allocator.allocate({ size: blocks(2), leftOffset: blocks(1) });
    expectWellFormed(extents, small);
    expect(total(extents)).toBe(blocks(2));
    expect(extents[0]?.offset).toBe(blocks(4));
  });

  it("puts a BIG allocation at the start of an unused extent group", () => {
    const allocator = new ExtentAllocator(small);
    allocator.allocate({ size: blocks(1), leftOffset: blocks(3) });
    expect(allocator.allocate({ size: blocks(8), kind: AllocationKind.BIG })).toEqual([
      extent(16, 8),
    ]);
  });

  it("packs a SMALL allocation into a partly used extent group", () => {
    const allocator = new ExtentAllocator(small);
    allocator.allocate({ size: blocks(16), leftOffset: 0n }); // group 0 full
    allocator.allocate({ size: blocks(4), leftOffset: blocks(16) }); // group 1 partly used
    const extents = allocator.allocate({ size: blocks(2), kind: AllocationKind.SMALL });
    expect(extents).toEqual([extent(20, 2)]);
    expect(allocator.usage().unusedExtentGroupCount).toBe(2n);
  });

  it("splits an allocation over several free runs when no single run holds it", () => {
    const allocator = new ExtentAllocator(small);
    for (let b = 0; b < 64; b += 8) allocator.allocate({ size: blocks(1), leftOffset: blocks(b) });
    const extents = allocator.allocate({ size: blocks(20) });
    expectWellFormed(extents, small);
    expect(total(extents)).toBe(blocks(20));
    expect(extents.length).toBe(3);
  });

  it("refuses a size that is not a multiple of the block size with EXTENT_INVALID", () => {
    const allocator = new ExtentAllocator(small);
    expect(reasonOf(() => allocator.allocate({ size: 100n }))).toBe(ErrorReason.EXTENT_INVALID);
  });

  it("refuses a misaligned hint or one beyond the volume with EXTENT_INVALID", () => {
    const allocator = new ExtentAllocator(small);
    expect(reasonOf(() => allocator.allocate({ size: blocks(1), leftOffset: 1n }))).toBe(
      ErrorReason.EXTENT_INVALID,
    );
    expect(
      reasonOf(() =>
        allocator.allocate({ size: blocks(1), rightOffset: small.volumeSize + blocks(1) }),
      ),
    ).toBe(ErrorReason.EXTENT_INVALID);
  });

  it("a hint at the very end of the volume is valid", () => {
    const allocator = new ExtentAllocator(small);
    expect(allocator.allocate({ size: blocks(2), rightOffset: small.volumeSize })).toEqual([
      extent(62, 2),
    ]);
  });

  it("answers NO_SPACE and allocates nothing when fewer bytes are free", () => {
    const allocator = new ExtentAllocator(small);
    allocator.allocate({ size: blocks(60) });
    expect(reasonOf(() => allocator.allocate({ size: blocks(5) }))).toBe(ErrorReason.NO_SPACE);
    expect(allocator.usage().freeBytes).toBe(blocks(4));
  });

  it("answers NO_SPACE when the free space would take more than 1024 extents", () => {
    const geometry: VolumeGeometry = {
      volumeSize: blocks(4096),
      blockSize: BLOCK,
      extentGroupSize: blocks(256),
    };
    const allocator = new ExtentAllocator(geometry);
    // Every other block allocated: 2048 free runs of one block.
    for (let b = 0; b < 4096; b += 2)
      allocator.allocate({ size: blocks(1), leftOffset: blocks(b) });
    expect(
      reasonOf(() => allocator.allocate({ size: blocks(MAX_EXTENTS_PER_ALLOCATION + 1) })),
    ).toBe(ErrorReason.NO_SPACE);
    expect(allocator.allocate({ size: blocks(MAX_EXTENTS_PER_ALLOCATION) })).toHaveLength(
      MAX_EXTENTS_PER_ALLOCATION,
    );
  });
});

describe("DeallocateSpace rules", () => {
  it("frees any aligned sub-range of allocated space", () => {
    const allocator = new ExtentAllocator(small);
    allocator.allocate({ size: blocks(10), leftOffset: 0n });
    expect(allocator.deallocate([extent(2, 3), extent(7, 1)])).toBe(blocks(4));
    expect(allocator.freeRuns()).toEqual([
      { start: 2, length: 3 },
      { start: 7, length: 1 },
      { start: 10, length: 54 },
    ]);
  });

  it.each([
    ["misaligned", [extent(0, 1), { offset: 10n, length: blocks(1) }], 1],
    ["beyond the volume", [extent(60, 8)], 0],
    ["overlapping another extent of the request", [extent(0, 4), extent(6, 1), extent(3, 2)], 2],
    ["covering free bytes", [extent(0, 2), extent(9, 2)], 1],
  ])(
    "refuses an extent %s with EXTENT_INVALID naming it, freeing nothing",
    (_what, extents, index) => {
      const allocator = new ExtentAllocator(small);
      allocator.allocate({ size: blocks(10), leftOffset: 0n });
      const before = allocator.freeRuns();
      const error = errorOf(() => allocator.deallocate(extents));
      expect(error.reason).toBe(ErrorReason.EXTENT_INVALID);
      expect(error.metadata.extent_index).toBe(`${index}`);
      expect(allocator.freeRuns()).toEqual(before);
    },
  );
});

describe("StatSpace figures", () => {
  it("reports allocated, free, groups and the largest free extent", () => {
    const allocator = new ExtentAllocator(small);
    allocator.allocate({ size: blocks(4), leftOffset: blocks(16) });
    expect(allocator.usage()).toEqual({
      allocatedBytes: blocks(4),
      freeBytes: blocks(60),
      extentGroupCount: 4n,
      unusedExtentGroupCount: 3n,
      largestFreeExtent: blocks(44),
    });
  });
});

/** One step of a random workload. */
type Step =
  | { kind: "allocate"; size: number; allocKind: AllocationKind; left?: number; right?: number }
  | { kind: "free"; pick: number; from: number; length: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record(
    {
      kind: fc.constant("allocate" as const),
      size: fc.integer({ min: 1, max: 24 }),
      allocKind: fc.constantFrom(
        AllocationKind.UNSPECIFIED,
        AllocationKind.SMALL,
        AllocationKind.BIG,
      ),
      left: fc.integer({ min: 0, max: 64 }),
      right: fc.integer({ min: 0, max: 64 }),
    },
    { requiredKeys: ["kind", "size", "allocKind"] },
  ),
  fc.record({
    kind: fc.constant("free" as const),
    pick: fc.nat(),
    from: fc.nat(),
    length: fc.integer({ min: 1, max: 16 }),
  }),
);

describe("allocator properties (fast-check, against a block bitmap)", () => {
  it("never hands out a byte twice, frees exactly what it is given, and stat stays consistent", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        const allocator = new ExtentAllocator(small);
        const used = new Array<boolean>(64).fill(false);
        const held: ByteExtent[] = [];
        for (const step of steps) {
          if (step.kind === "allocate") {
            const request = {
              size: blocks(step.size),
              kind: step.allocKind,
              ...(step.left === undefined ? {} : { leftOffset: blocks(step.left) }),
              ...(step.right === undefined ? {} : { rightOffset: blocks(step.right) }),
            };
            const free = used.filter((u) => !u).length;
            let extents: ByteExtent[];
            try {
              extents = allocator.allocate(request);
            } catch (error) {
              expect((error as CurveError).reason).toBe(ErrorReason.NO_SPACE);
              expect(free).toBeLessThan(step.size);
              continue;
            }
            expectWellFormed(extents, small);
            expect(total(extents)).toBe(blocks(step.size));
            if (step.left !== undefined && step.left + step.size <= 64) {
              const hintFree = used.slice(step.left, step.left + step.size).every((u) => !u);
              if (hintFree) expect(extents).toEqual([extent(step.left, step.size)]);
            }
            for (const e of extents) {
              for (let b = Number(e.offset) / BLOCK; b < Number(e.offset + e.length) / BLOCK; b++) {
                expect(used[b]).toBe(false); // never overlaps what is allocated
                used[b] = true;
              }
              held.push(e);
            }
          } else if (held.length > 0) {
            // Free an aligned sub-range of something held.
            const index = step.pick % held.length;
            const e = held[index] as ByteExtent;
            const lengthBlocks = Number(e.length) / BLOCK;
            const from = step.from % lengthBlocks;
            const length = Math.min(step.length, lengthBlocks - from);
            const start = Number(e.offset) / BLOCK + from;
            expect(allocator.deallocate([extent(start, length)])).toBe(blocks(length));
            for (let b = start; b < start + length; b++) used[b] = false;
            held.splice(index, 1);
            if (from > 0) held.push(extent(Number(e.offset) / BLOCK, from));
            if (from + length < lengthBlocks)
              held.push(extent(start + length, lengthBlocks - from - length));
          }
          expectConsistent(allocator, used);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("deallocate(allocate(x)) restores the free space exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(AllocationKind.UNSPECIFIED, AllocationKind.SMALL, AllocationKind.BIG),
        (before, size, kind) => {
          const allocator = new ExtentAllocator(small);
          for (const s of before) {
            try {
              allocator.allocate({ size: blocks(s) });
            } catch {
              // full: fine, the property is about what follows
            }
          }
          const runs = allocator.freeRuns();
          let extents: ByteExtent[];
          try {
            extents = allocator.allocate({ size: blocks(size), kind });
          } catch {
            return;
          }
          expect(allocator.deallocate(extents)).toBe(blocks(size));
          expect(allocator.freeRuns()).toEqual(runs);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function expectConsistent(allocator: ExtentAllocator, used: readonly boolean[]): void {
  const usage = allocator.usage();
  const usedBlocks = used.filter((u) => u).length;
  expect(usage.allocatedBytes).toBe(blocks(usedBlocks));
  expect(usage.allocatedBytes + usage.freeBytes).toBe(small.volumeSize);
  let unused = 0;
  for (let g = 0; g < 4; g++) if (used.slice(g * 16, g * 16 + 16).every((u) => !u)) unused++;
  expect(usage.unusedExtentGroupCount).toBe(BigInt(unused));
  let longest = 0;
  let run = 0;
  for (const u of used) {
    run = u ? 0 : run + 1;
    longest = Math.max(longest, run);
  }
  expect(usage.largestFreeExtent).toBe(blocks(longest));
  // The free runs are the complement of the bitmap, coalesced.
  const expected = new FreeExtentMap(
    64,
    used.flatMap((u, b) => (u ? [] : [{ start: b, length: 1 }])),
  ).runs();
  expect(allocator.freeRuns()).toEqual(expected);
}
