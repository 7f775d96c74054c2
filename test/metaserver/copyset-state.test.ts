import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FsType, PartitionStatus } from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import {
  FileType,
  S3ChunkInfoAppendSchema,
  S3ChunkInfoSchema,
} from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  AppendS3ChunkInfoRequestSchema,
  CreateDentryRequestSchema,
  CreateInodeRequestSchema,
  type CreatePartitionResponse,
  DeleteDentryRequestSchema,
  DeleteInodeRequestSchema,
  DeletePartitionRequestSchema,
  type DeletePartitionResponse,
  PrepareRenameTxRequestSchema,
  RenameTxAction,
  RenameTxEntrySchema,
  UpdateInodeRequestSchema,
  XattrsSchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { CopysetState } from "../../impl/metaserver/copyset-state.js";
import { encodeOp, type Op, OpType, op } from "../../impl/metaserver/ops.js";
import {
  COPYSET,
  expectError,
  expectThrows,
  FS,
  Harness,
  ok,
  PART,
  POOL,
  ts,
  withRoot,
} from "./harness.js";

const deletePartition = (partitionId = PART, fsId = FS, type = OpType.DELETE_PARTITION) =>
  op(
    type as OpType.DELETE_PARTITION,
    create(DeletePartitionRequestSchema, { fsId, poolId: POOL, copysetId: COPYSET, partitionId }),
  );

describe("CreatePartition", () => {
  it("starts READ_WRITE, empty, tx id 0, next id max(start, 3); a same repeat is OK", () => {
    const h = new Harness();
    const [a, b] = [h.createPartition(0n, 99n), h.createPartition(0n, 99n)];
    expect(ok<CreatePartitionResponse>(a).partition).toMatchObject({
      status: PartitionStatus.READ_WRITE,
      nextId: 3n,
      txId: 0n,
      inodeCount: 0n,
    });
    expect(ok<CreatePartitionResponse>(b).partition?.partitionId).toBe(PART);
  });

  it("another range, fs type or fs id, or an overlap, is PARTITION_ALREADY_EXISTS", () => {
    const h = new Harness();
    ok(h.createPartition(0n, 99n));
    expectError(h.createPartition(0n, 100n), ErrorReason.PARTITION_ALREADY_EXISTS);
    expectError(h.createPartition(0n, 99n, FsType.VOLUME), ErrorReason.PARTITION_ALREADY_EXISTS);
    expectError(
      h.createPartition(50n, 150n, FsType.S3, PART + 1),
      ErrorReason.PARTITION_ALREADY_EXISTS,
    );
    ok(h.createPartition(50n, 150n, FsType.S3, PART + 2, FS + 1));
  });

  it("a partition being deleted is PARTITION_DELETING; another copyset is GROUP_NOT_FOUND", () => {
    const h = withRoot();
    ok(h.run(deletePartition()));
    expectError(h.createPartition(), ErrorReason.PARTITION_DELETING);
    const other = new Harness(new CopysetState(POOL, COPYSET + 1));
    expectError(other.createPartition(), ErrorReason.GROUP_NOT_FOUND);
  });
});

describe("DeletePartition", () => {
  it("an empty partition is removed at once; a gone one answers removed", () => {
    const h = new Harness();
    ok(h.createPartition());
    const [a, b] = h.twice(deletePartition());
    expect(ok<DeletePartitionResponse>(a).removed).toBe(true);
    expect(ok<DeletePartitionResponse>(b).removed).toBe(true);
  });

  it("a non-empty one turns DELETING, rejects other calls, is emptied by cleanup ops, then removed", () => {
    const h = withRoot();
    const id = h.file("f");
    const [a, b] = h.twice(deletePartition());
    expect(ok<DeletePartitionResponse>(a).removed).toBe(false);
    expect(ok<DeletePartitionResponse>(b).removed).toBe(false);
    expect(h.partition.status).toBe(PartitionStatus.DELETING);
    expect(h.partition.dentries.size).toBe(0);
    expectError(h.createInode(), ErrorReason.PARTITION_DELETING);
    expect(
      ok<DeletePartitionResponse>(h.run(deletePartition(PART, FS, OpType.PARTITION_REMOVE)))
        .removed,
    ).toBe(false);
    for (const inodeId of h.partition.inodeIds(10)) {
      ok(
        h.run(
          op(
            OpType.PARTITION_CLEANUP_INODE,
            create(DeleteInodeRequestSchema, { fsId: FS, partitionId: PART, inodeId }),
          ),
        ),
      );
    }
    expect(
      ok<DeletePartitionResponse>(h.run(deletePartition(PART, FS, OpType.PARTITION_REMOVE)))
        .removed,
    ).toBe(true);
    expectThrows(() => h.partition, ErrorReason.PARTITION_NOT_FOUND);
    void id;
  });

  it("another fs id is PARTITION_MISMATCH", () => {
    const h = withRoot();
    expectError(h.run(deletePartition(PART, FS + 1)), ErrorReason.PARTITION_MISMATCH);
  });
});

describe("replay and snapshots", () => {
  it("replaying an applied log index is a no-op", () => {
    const h = withRoot();
    const entry = op(
      OpType.CREATE_INODE,
      create(CreateInodeRequestSchema, {
        fsId: FS,
        partitionId: PART,
        parentInodeId: 1n,
        type: FileType.REGULAR,
        time: ts(1),
      }),
    );
    ok(h.state.apply(entry, 10n));
    const before = h.state.checksum();
    expect(h.state.apply(entry, 10n)).toBeUndefined();
    expect(h.state.applyEntry(encodeOp(entry), 9n)).toBeUndefined();
    expect(h.state.checksum()).toBe(before);
    expect(h.partition.nextId).toBe(4n);
  });

  it("restore(snapshot()) holds the same state: equal checksums and bytes", () => {
    const h = withRoot();
    const dir = h.file("dir", 1n, FileType.DIRECTORY);
    for (let i = 0; i < 50; i++) h.file(`f${i}`, dir);
    const bytes = h.state.snapshot();
    const restored = CopysetState.restore(bytes);
    expect(restored.checksum()).toBe(h.state.checksum());
    expect(restored.snapshot()).toEqual(bytes);
    expect(restored.appliedIndex).toBe(h.state.appliedIndex);
  });

  it("a corrupted, truncated or foreign snapshot is rejected with a typed error", () => {
    const h = withRoot();
    h.file("f");
    const bytes = h.state.snapshot();
    const flipped = bytes.slice();
    flipped[30] ^= 0x40;
    expectThrows(() => CopysetState.restore(flipped), ErrorReason.DATA_CORRUPTED);
    expectThrows(() => CopysetState.restore(bytes.subarray(0, 40)), ErrorReason.DATA_CORRUPTED);
    expectThrows(() => CopysetState.restore(new Uint8Array(3)), ErrorReason.DATA_CORRUPTED);
  });
});

/** A random op over a small namespace, built from generated numbers. */
function randomOp(kind: number, a: number, b: number, time: number): Op {
  const name = `n${a % 12}`;
  const inodeId = BigInt(3 + (b % 20));
  const base = { fsId: FS, partitionId: PART };
  switch (kind % 7) {
    case 0:
      return op(
        OpType.CREATE_INODE,
        create(CreateInodeRequestSchema, {
          ...base,
          parentInodeId: 1n,
          type: a % 2 ? FileType.DIRECTORY : FileType.REGULAR,
          time: ts(time),
          xattrs: b % 3 === 0 ? { [`x${b}`]: new Uint8Array([b & 0xff]) } : {},
        }),
      );
    case 1:
      return op(
        OpType.CREATE_DENTRY,
        create(CreateDentryRequestSchema, {
          ...base,
          parentInodeId: 1n,
          name,
          inodeId,
          type: FileType.REGULAR,
          time: ts(time),
          txId: BigInt(b % 4),
        }),
      );
    case 2:
      return op(
        OpType.DELETE_DENTRY,
        create(DeleteDentryRequestSchema, {
          ...base,
          parentInodeId: 1n,
          name,
          time: ts(time),
          txId: BigInt(b % 4),
        }),
      );
    case 3:
      return op(
        OpType.UPDATE_INODE,
        create(UpdateInodeRequestSchema, {
          ...base,
          inodeId,
          time: ts(time),
          nlink: a % 3,
          length: BigInt(a * 100),
          xattrs:
            a % 2
              ? create(XattrsSchema, { entries: { k: new Uint8Array([a & 0xff]) } })
              : undefined,
        }),
      );
    case 4:
      return op(
        OpType.APPEND_S3_CHUNK_INFO,
        create(AppendS3ChunkInfoRequestSchema, {
          ...base,
          inodeId,
          appends: [
            create(S3ChunkInfoAppendSchema, {
              chunkIndex: BigInt(a % 3),
              infos: [
                create(S3ChunkInfoSchema, { chunkId: BigInt(1 + (b % 9)), len: 10n, size: 10n }),
              ],
            }),
          ],
        }),
      );
    case 5:
      return op(
        OpType.PREPARE_RENAME_TX,
        create(PrepareRenameTxRequestSchema, {
          ...base,
          txId: BigInt(1 + (a % 4)),
          txSequence: BigInt(b % 3),
          entries: [
            create(RenameTxEntrySchema, {
              action: b % 2 ? RenameTxAction.PUT : RenameTxAction.DELETE,
              parentInodeId: 1n,
              name,
              inodeId,
              type: FileType.REGULAR,
            }),
          ],
        }),
      );
    default:
      return op(OpType.DELETE_INODE, create(DeleteInodeRequestSchema, { ...base, inodeId }));
  }
}

describe("determinism", () => {
  it("a replica restored from a midway snapshot reaches the same checksum", () => {
    const opArb = fc.tuple(fc.nat(6), fc.nat(1000), fc.nat(1000), fc.nat(100000));
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 120 }), fc.nat(), (ops, cut) => {
        const a = withRoot();
        const b = withRoot();
        const mid = cut % ops.length;
        let restored: CopysetState | undefined;
        ops.forEach(([k, x, y, t], i) => {
          const entry = randomOp(k, x, y, t);
          const index = BigInt(100 + i);
          a.state.apply(entry, index);
          if (restored) restored.applyEntry(encodeOp(entry), index);
          else b.state.apply(entry, index);
          if (i === mid) restored = CopysetState.restore(b.state.snapshot());
        });
        expect(restored?.checksum()).toBe(a.state.checksum());
        expect(restored?.snapshot()).toEqual(a.state.snapshot());
      }),
      { numRuns: 150 },
    );
  });
});
