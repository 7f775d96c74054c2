import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  CreateDentryRequestSchema,
  DeleteInodeRequestSchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { decodeOp, encodeOp, LOG_ENTRY_VERSION, OpType, op } from "../../impl/metaserver/ops.js";
import { expectThrows, ts } from "./harness.js";

describe("log-entry envelope", () => {
  it("round-trips an op: version, type and request", () => {
    const request = create(CreateDentryRequestSchema, {
      fsId: 1,
      partitionId: 2,
      parentInodeId: 1n,
      name: "é",
      inodeId: 9n,
      type: FileType.REGULAR,
      time: ts(5, 6),
      txId: 3n,
    });
    const bytes = encodeOp(op(OpType.CREATE_DENTRY, request));
    expect([bytes[0], bytes[1] | (bytes[2] << 8)]).toEqual([LOG_ENTRY_VERSION, 1]);
    const decoded = decodeOp(bytes);
    expect(decoded.type).toBe(OpType.CREATE_DENTRY);
    expect(decoded.request).toEqual(request);
  });

  it("round-trips the internal ops with their reused request messages", () => {
    for (const type of [OpType.TRASH_PURGE_INODE, OpType.PARTITION_CLEANUP_INODE]) {
      const request = create(DeleteInodeRequestSchema, { fsId: 1, partitionId: 2, inodeId: 77n });
      expect(decodeOp(encodeOp(op(type, request)))).toEqual({ type, request });
    }
  });

  it("the op type numbers are stable", () => {
    expect([
      OpType.CREATE_DENTRY,
      OpType.DELETE_DENTRY,
      OpType.PREPARE_RENAME_TX,
      OpType.CREATE_INODE,
      OpType.UPDATE_INODE,
      OpType.DELETE_INODE,
      OpType.CREATE_ROOT_INODE,
      OpType.CREATE_MANAGE_INODE,
      OpType.APPEND_S3_CHUNK_INFO,
      OpType.UPDATE_VOLUME_EXTENT,
      OpType.CREATE_PARTITION,
      OpType.DELETE_PARTITION,
      OpType.TRASH_PURGE_INODE,
      OpType.PARTITION_CLEANUP_INODE,
      OpType.PARTITION_REMOVE,
    ]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100, 101, 102]);
  });

  it("rejects unknown versions, unknown op types, short entries and bad payloads", () => {
    const good = encodeOp(
      op(
        OpType.DELETE_INODE,
        create(DeleteInodeRequestSchema, { fsId: 1, partitionId: 1, inodeId: 3n }),
      ),
    );
    const badVersion = good.slice();
    badVersion[0] = 2;
    expectThrows(() => decodeOp(badVersion), ErrorReason.INTERNAL);
    const badType = good.slice();
    badType[1] = 0;
    expectThrows(() => decodeOp(badType), ErrorReason.INTERNAL);
    badType[1] = 55;
    expectThrows(() => decodeOp(badType), ErrorReason.INTERNAL);
    expectThrows(() => decodeOp(new Uint8Array([1, 1])), ErrorReason.INTERNAL);
    expectThrows(() => decodeOp(new Uint8Array([1, 1, 0, 0xff, 0xff])), ErrorReason.INTERNAL);
  });
});
