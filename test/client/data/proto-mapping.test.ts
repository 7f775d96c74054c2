import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  appendsToProto,
  chunkInfoFromProto,
  dataSnapshotFromInode,
} from "../../../impl/client/data/proto-mapping.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { InodeSchema } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";

describe("mapping the data path's types to the spec's messages", () => {
  it("reads the length and per-index infos of a GetInode answer", () => {
    const inode = create(InodeSchema, {
      attr: { inodeId: 5n, length: 70n * 1024n * 1024n },
      s3ChunkInfos: {
        "1": {
          infos: [
            { chunkId: 3n, offset: 64n * 1024n * 1024n, len: 10n, size: 10n },
            { chunkId: 4n, offset: 64n * 1024n * 1024n + 2n, len: 3n, zero: true },
          ],
        },
      },
    });
    const snapshot = dataSnapshotFromInode(inode);
    expect(snapshot.length).toBe(70 * 1024 * 1024);
    expect(snapshot.chunkInfos.get(1)).toEqual([
      { chunkId: 3n, compaction: 0n, offset: 64 * 1024 * 1024, len: 10, size: 10, zero: false },
      { chunkId: 4n, compaction: 0n, offset: 64 * 1024 * 1024 + 2, len: 3, size: 0, zero: true },
    ]);
  });

  it("writes appends that read back to the same infos", () => {
    const info = { chunkId: 9n, compaction: 1n, offset: 123, len: 45, size: 45, zero: false };
    const [append] = appendsToProto([{ chunkIndex: 0, infos: [info] }]);
    expect(append?.chunkIndex).toBe(0n);
    expect(append?.infos.map(chunkInfoFromProto)).toEqual([info]);
  });

  it("refuses offsets a JavaScript number cannot hold exactly", () => {
    const inode = create(InodeSchema, { attr: { length: 2n ** 53n } });
    expect(() => dataSnapshotFromInode(inode)).toThrow(
      expect.objectContaining({ reason: ErrorReason.TOO_LARGE }),
    );
  });
});
