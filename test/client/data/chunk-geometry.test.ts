import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkIndexOf, splitAtChunks } from "../../../impl/client/data/chunk-geometry.js";

const MiB = 1024 * 1024;
const CHUNK = 64 * MiB;

describe("chunk arithmetic", () => {
  it("maps offsets at the 64 MiB boundaries to chunk indexes", () => {
    expect(chunkIndexOf(0, CHUNK)).toBe(0);
    expect(chunkIndexOf(CHUNK - 1, CHUNK)).toBe(0);
    expect(chunkIndexOf(CHUNK, CHUNK)).toBe(1);
    expect(chunkIndexOf(CHUNK + 1, CHUNK)).toBe(1);
    expect(chunkIndexOf(2 ** 53 - 1, CHUNK)).toBe(Math.floor((2 ** 53 - 1) / CHUNK));
  });

  it("cuts a write at chunk boundaries", () => {
    expect(splitAtChunks(CHUNK - 1, 2, CHUNK)).toEqual([
      { chunkIndex: 0, offset: CHUNK - 1, length: 1 },
      { chunkIndex: 1, offset: CHUNK, length: 1 },
    ]);
    expect(splitAtChunks(CHUNK, CHUNK, CHUNK)).toEqual([
      { chunkIndex: 1, offset: CHUNK, length: CHUNK },
    ]);
    expect(splitAtChunks(5, 0, CHUNK)).toEqual([]);
  });

  it("the pieces tile the range, each inside one chunk", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 4 * CHUNK }),
        (offset, length) => {
          const pieces = splitAtChunks(offset, length, CHUNK);
          let position = offset;
          for (const piece of pieces) {
            expect(piece.offset).toBe(position);
            expect(piece.length).toBeGreaterThan(0);
            expect(chunkIndexOf(piece.offset, CHUNK)).toBe(piece.chunkIndex);
            expect(chunkIndexOf(piece.offset + piece.length - 1, CHUNK)).toBe(piece.chunkIndex);
            position += piece.length;
          }
          expect(position).toBe(offset + length);
        },
      ),
    );
  });
});
