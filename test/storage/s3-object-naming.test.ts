import { describe, expect, it } from "vitest";
import { ObjectPrefixScheme } from "../../impl/gen/curve/common/v1/common_pb.js";
import { objectKey, rangeObjects } from "../../impl/storage/s3-object-naming.js";

const MiB = 1024 * 1024;
const layout = {
  fsId: 7,
  chunkSize: 64 * MiB,
  blockSize: 4 * MiB,
  prefix: ObjectPrefixScheme.UNSPECIFIED,
};

describe("object names", () => {
  it("names a block fs_inode_chunk_block_compaction without a prefix", () => {
    expect(objectKey(layout, 1234567n, 9n, 3, 0n)).toBe("7_1234567_9_3_0");
  });

  it("adds the inode-thousands and inode-hash directory prefixes", () => {
    const thousands = { ...layout, prefix: ObjectPrefixScheme.INODE_THOUSANDS };
    const hash = { ...layout, prefix: ObjectPrefixScheme.INODE_HASH };
    expect(objectKey(thousands, 1234567n, 9n, 3, 1n)).toBe("7/1/1234/7_1234567_9_3_1");
    expect(objectKey(hash, 1234567n, 9n, 3, 1n)).toBe(`7/${1234567 % 256}/1234/7_1234567_9_3_1`);
  });
});

describe("the objects of a chunk range", () => {
  it("stores a range inside one block as one object starting at the range", () => {
    const objects = rangeObjects(layout, 5n, { chunkId: 1n, compaction: 0n, offset: MiB, len: 10 });
    expect(objects).toEqual([{ key: "7_5_1_0_0", blockIndex: 0, fileOffset: MiB, length: 10 }]);
  });

  it("splits at block boundaries: the first object is not left-aligned, later ones are", () => {
    const start = 64 * MiB + 4 * MiB - 1; // chunk 1, last byte of block 0
    const objects = rangeObjects(layout, 5n, {
      chunkId: 2n,
      compaction: 0n,
      offset: start,
      len: 4 * MiB + 2,
    });
    expect(objects.map((o) => [o.blockIndex, o.fileOffset, o.length])).toEqual([
      [0, start, 1],
      [1, start + 1, 4 * MiB],
      [2, start + 1 + 4 * MiB, 1],
    ]);
  });

  it("covers the range exactly: lengths sum to len and each object stays in its block", () => {
    for (const [offset, len] of [
      [0, 1],
      [3, 64 * MiB - 3],
      [4 * MiB, 4 * MiB],
      [123_456, 9 * MiB + 7],
    ] as const) {
      const objects = rangeObjects(layout, 1n, { chunkId: 1n, compaction: 0n, offset, len });
      expect(objects.reduce((sum, o) => sum + o.length, 0)).toBe(len);
      for (const o of objects) {
        const blockStart = Math.floor(o.fileOffset / layout.blockSize) * layout.blockSize;
        expect(o.fileOffset + o.length).toBeLessThanOrEqual(blockStart + layout.blockSize);
      }
    }
  });
});
