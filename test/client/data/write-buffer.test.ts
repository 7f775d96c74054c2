import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WriteBuffer } from "../../../impl/client/data/write-buffer.js";

const CHUNK = 32;
const FILE = 4 * CHUNK;

/** Buffer operations; holes only beyond every byte written so far, as the handle uses them. */
type Op =
  | { kind: "write"; offset: number; length: number; fill: number }
  | { kind: "truncate"; length: number }
  | { kind: "zero"; length: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("write" as const),
      offset: fc.integer({ min: 0, max: FILE }),
      length: fc.integer({ min: 0, max: 2 * CHUNK }),
      fill: fc.integer({ min: 1, max: 255 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("truncate" as const), length: fc.nat(FILE) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("zero" as const), length: fc.nat(CHUNK) }),
  },
);

/**
 * The model: per byte, undefined (not buffered: the stored byte shows), 0 (a hole) or the
 * written value.
 */
function runModel(ops: readonly Op[]): { buffer: WriteBuffer; model: (number | undefined)[] } {
  const buffer = new WriteBuffer(CHUNK);
  const model: (number | undefined)[] = [];
  let end = 0;
  for (const op of ops) {
    if (op.kind === "write") {
      buffer.write(op.offset, new Uint8Array(op.length).fill(op.fill));
      for (let i = 0; i < op.length; i++) model[op.offset + i] = op.fill;
      if (op.length > 0) end = Math.max(end, op.offset + op.length);
    } else if (op.kind === "truncate") {
      buffer.truncate(op.length);
      model.length = Math.min(model.length, op.length);
      end = Math.min(end, op.length);
    } else {
      buffer.zero(end, op.length);
      for (let i = 0; i < op.length; i++) model[end + i] = 0;
      end += op.length;
    }
  }
  return { buffer, model };
}

describe("the write buffer", () => {
  it("overlays exactly the model's bytes, with disjoint sorted extents inside chunks", () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 30 }), (ops) => {
        const { buffer, model } = runModel(ops);
        const size = FILE + 3 * CHUNK;
        const target = new Uint8Array(size).fill(0xee);
        buffer.overlay(target, 0);
        const expected = Array.from({ length: size }, (_, i) => model[i] ?? 0xee);
        expect(Array.from(target)).toEqual(expected);

        let previousEnd = -1;
        let total = 0;
        for (const extent of buffer.dataExtents()) {
          // Disjoint, and merged when touching inside one chunk.
          if (extent.offset % CHUNK === 0)
            expect(extent.offset).toBeGreaterThanOrEqual(previousEnd);
          else expect(extent.offset).toBeGreaterThan(previousEnd);
          expect(Math.floor(extent.offset / CHUNK)).toBe(
            Math.floor((extent.offset + extent.data.length - 1) / CHUNK),
          );
          previousEnd = extent.offset + extent.data.length;
          total += extent.data.length;
        }
        expect(buffer.bytes).toBe(total);
        for (const hole of buffer.zeroRanges()) {
          expect(Math.floor(hole.offset / CHUNK)).toBe(hole.chunkIndex);
          expect(Math.floor((hole.offset + hole.length - 1) / CHUNK)).toBe(hole.chunkIndex);
        }
      }),
    );
  });

  it("merges touching writes inside a chunk and keeps chunk boundaries apart", () => {
    const buffer = new WriteBuffer(CHUNK);
    buffer.write(4, new Uint8Array(4).fill(1));
    buffer.write(8, new Uint8Array(4).fill(2));
    buffer.write(0, new Uint8Array(4).fill(3));
    buffer.write(CHUNK - 2, new Uint8Array(4).fill(4));
    expect(buffer.dataExtents().map((e) => [e.offset, Array.from(e.data)])).toEqual([
      [0, [3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2]],
      [CHUNK - 2, [4, 4]],
      [CHUNK, [4, 4]],
    ]);
    expect(buffer.bytes).toBe(16);
  });

  it("copies the caller's bytes", () => {
    const buffer = new WriteBuffer(CHUNK);
    const data = new Uint8Array([1, 2, 3]);
    buffer.write(0, data);
    data.fill(9);
    expect(Array.from(buffer.dataExtents()[0]?.data ?? [])).toEqual([1, 2, 3]);
  });

  it("counts overwritten bytes once", () => {
    const buffer = new WriteBuffer(CHUNK);
    for (let i = 0; i < 10; i++) buffer.write(0, new Uint8Array(CHUNK).fill(i));
    expect(buffer.bytes).toBe(CHUNK);
    buffer.truncate(5);
    expect(buffer.bytes).toBe(5);
    buffer.clear();
    expect(buffer.isEmpty).toBe(true);
  });
});
