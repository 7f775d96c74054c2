import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChunkInfo } from "../../../impl/client/data/file-data-port.js";
import { planRead } from "../../../impl/client/data/read-plan.js";
import { ObjectPrefixScheme } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { rangeObjects } from "../../../impl/storage/s3-object-naming.js";

const MiB = 1024 * 1024;
const INODE = 9n;

/** Small sizes: the plan does not depend on them, and many boundaries fit in a short file. */
const small = { fsId: 3, chunkSize: 64, blockSize: 16, prefix: ObjectPrefixScheme.UNSPECIFIED };
const real = { ...small, chunkSize: 64 * MiB, blockSize: 4 * MiB };

function info(chunkId: bigint, offset: number, len: number, zero = false): ChunkInfo {
  return { chunkId, compaction: 0n, offset, len, size: zero ? 0 : len, zero };
}

/**
 * What each byte reads in the model: the newest info covering it, as "<key>@<byte in object>",
 * or "0" for zeros. Built byte by byte from rangeObjects, independently of the plan's interval
 * arithmetic.
 */
function modelBytes(infos: readonly ChunkInfo[], offset: number, length: number): string[] {
  const bytes: string[] = [];
  for (let position = offset; position < offset + length; position++) {
    let value = "0";
    for (let i = infos.length - 1; i >= 0; i--) {
      const candidate = infos[i] as ChunkInfo;
      if (position < candidate.offset || position >= candidate.offset + candidate.len) continue;
      if (!candidate.zero) {
        const object = rangeObjects(small, INODE, candidate).find(
          (o) => position >= o.fileOffset && position < o.fileOffset + o.length,
        );
        value = `${object?.key}@${position - (object?.fileOffset ?? 0)}`;
      }
      break;
    }
    bytes.push(value);
  }
  return bytes;
}

function planBytes(infos: readonly ChunkInfo[], offset: number, length: number): string[] {
  const bytes = new Array<string>(length).fill("0");
  const byIndex = new Map<number, ChunkInfo[]>();
  for (const i of infos) {
    const index = Math.floor(i.offset / small.chunkSize);
    byIndex.set(index, [...(byIndex.get(index) ?? []), i]);
  }
  let previousEnd = offset;
  for (const slice of planRead(small, INODE, byIndex, offset, length)) {
    expect(slice.fileOffset).toBeGreaterThanOrEqual(previousEnd);
    previousEnd = slice.fileOffset + slice.length;
    for (let k = 0; k < slice.length; k++) {
      bytes[slice.fileOffset - offset + k] = `${slice.key}@${slice.objectOffset + k}`;
    }
  }
  expect(previousEnd).toBeLessThanOrEqual(offset + length);
  return bytes;
}

/** An info that lies inside one chunk of the small layout (chunk indexes 0..3). */
const infoArbitrary = fc
  .record({
    chunkIndex: fc.integer({ min: 0, max: 3 }),
    start: fc.integer({ min: 0, max: small.chunkSize - 1 }),
    len: fc.integer({ min: 1, max: small.chunkSize }),
    zero: fc.boolean(),
  })
  .map(({ chunkIndex, start, len, zero }) => ({
    offset: chunkIndex * small.chunkSize + start,
    len: Math.min(len, small.chunkSize - start),
    zero,
  }));

describe("the newest-first read plan", () => {
  it("agrees byte for byte with the newest covering info, for random info lists", () => {
    fc.assert(
      fc.property(
        fc.array(infoArbitrary, { maxLength: 12 }),
        fc.integer({ min: 0, max: 4 * small.chunkSize }),
        fc.integer({ min: 0, max: 4 * small.chunkSize }),
        (specs, offset, length) => {
          const infos = specs.map((s, i) => info(BigInt(i + 1), s.offset, s.len, s.zero));
          expect(planBytes(infos, offset, length)).toEqual(modelBytes(infos, offset, length));
        },
      ),
    );
  });

  it("reads a later overwrite inside an older range from the later object", () => {
    const infos = new Map([[0, [info(1n, 0, 64), info(2n, 20, 10)]]]);
    expect(planRead(small, INODE, infos, 0, 64)).toEqual([
      { key: "3_9_1_0_0", objectOffset: 0, fileOffset: 0, length: 16 },
      { key: "3_9_1_1_0", objectOffset: 0, fileOffset: 16, length: 4 },
      { key: "3_9_2_1_0", objectOffset: 0, fileOffset: 20, length: 10 },
      { key: "3_9_1_1_0", objectOffset: 14, fileOffset: 30, length: 2 },
      { key: "3_9_1_2_0", objectOffset: 0, fileOffset: 32, length: 16 },
      { key: "3_9_1_3_0", objectOffset: 0, fileOffset: 48, length: 16 },
    ]);
  });

  it("a zero info hides older data; holes need no object", () => {
    const infos = new Map([[0, [info(1n, 0, 32), info(2n, 8, 8, true)]]]);
    expect(planRead(small, INODE, infos, 0, 64)).toEqual([
      { key: "3_9_1_0_0", objectOffset: 0, fileOffset: 0, length: 8 },
      { key: "3_9_1_1_0", objectOffset: 0, fileOffset: 16, length: 16 },
    ]);
  });

  it("finds the byte offset inside an object that does not start at its block (4 MiB blocks)", () => {
    const start = 64 * MiB + 4 * MiB - 1;
    const infos = new Map([[1, [info(5n, start, 4 * MiB + 2)]]]);
    expect(planRead(real, INODE, infos, 64 * MiB + 4 * MiB, 4 * MiB + 1)).toEqual([
      { key: "3_9_5_1_0", objectOffset: 0, fileOffset: 68 * MiB, length: 4 * MiB },
      { key: "3_9_5_2_0", objectOffset: 0, fileOffset: 72 * MiB, length: 1 },
    ]);
    expect(planRead(real, INODE, infos, start, 1)).toEqual([
      { key: "3_9_5_0_0", objectOffset: 0, fileOffset: start, length: 1 },
    ]);
  });
});
