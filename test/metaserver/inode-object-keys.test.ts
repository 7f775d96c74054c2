import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ObjectPrefixScheme, S3InfoSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import { InodeAttrSchema, InodeSchema } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  holdsObjects,
  inodeObjectKeys,
  objectLayoutOf,
} from "../../impl/metaserver/trash/inode-object-keys.js";

const s3 = create(S3InfoSchema, {
  endpoint: "http://127.0.0.1:9000",
  bucket: "curve",
  accessKey: "k",
  blockSize: 65536n,
  chunkSize: 262144n,
  objectPrefix: ObjectPrefixScheme.UNSPECIFIED,
});

const info = (chunkId: bigint, offset: bigint, len: bigint, zero = false) => ({
  chunkId,
  offset,
  len,
  size: zero ? 0n : len,
  zero,
});

describe("inode object keys", () => {
  it("names one object per touched block of every non-zero info, each once", () => {
    const inode = create(InodeSchema, {
      attr: create(InodeAttrSchema, { inodeId: 9n, fsId: 3 }),
      s3ChunkInfos: {
        "0": { infos: [info(5n, 65000n, 1000n), info(6n, 0n, 4096n, true)] },
        "1": { infos: [info(7n, 262144n + 131072n, 10n, false)] },
      },
    });
    expect(holdsObjects(inode)).toBe(true);
    expect(inodeObjectKeys(objectLayoutOf(3, s3), inode)).toEqual([
      "3_9_5_0_0",
      "3_9_5_1_0",
      "3_9_7_2_0",
    ]);
  });

  it("an inode with only zero infos, or none, holds no objects", () => {
    const holes = create(InodeSchema, {
      attr: create(InodeAttrSchema, { inodeId: 9n, fsId: 3 }),
      s3ChunkInfos: { "0": { infos: [info(6n, 0n, 4096n, true)] } },
    });
    expect(holdsObjects(holes)).toBe(false);
    expect(inodeObjectKeys(objectLayoutOf(3, s3), holes)).toEqual([]);
    expect(holdsObjects(create(InodeSchema, {}))).toBe(false);
  });

  it("uses the fs's prefix scheme", () => {
    const inode = create(InodeSchema, {
      attr: create(InodeAttrSchema, { inodeId: 1234n, fsId: 3 }),
      s3ChunkInfos: { "0": { infos: [info(5n, 0n, 1n)] } },
    });
    const hashed = objectLayoutOf(3, { ...s3, objectPrefix: ObjectPrefixScheme.INODE_THOUSANDS });
    expect(inodeObjectKeys(hashed, inode)).toEqual(["3/0/1/3_1234_5_0_0"]);
  });
});
