import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { FsType, PartitionStatus } from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import {
  FileType,
  S3ChunkInfoAppendSchema,
  S3ChunkInfoSchema,
  VolumeExtentSchema,
} from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  AppendS3ChunkInfoRequestSchema,
  type AppendS3ChunkInfoResponse,
  BatchGetInodeAttrRequestSchema,
  CreateInodeRequestSchema,
  type CreateInodeResponse,
  CreateManageInodeRequestSchema,
  type CreateManageInodeResponse,
  CreateRootInodeRequestSchema,
  DeleteInodeRequestSchema,
  GetInodeRequestSchema,
  GetVolumeExtentRequestSchema,
  ManageInodeType,
  ParentListSchema,
  UpdateInodeRequestSchema,
  type UpdateInodeResponse,
  UpdateVolumeExtentRequestSchema,
  XattrsSchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { OpType, op } from "../../impl/metaserver/ops.js";
import { expectError, expectThrows, FS, Harness, ok, PART, ts, withRoot } from "./harness.js";

const getInode = (h: Harness, inodeId: bigint) =>
  h.partition.getInode(create(GetInodeRequestSchema, { fsId: FS, partitionId: PART, inodeId }));

const update = (inodeId: bigint, fields: Record<string, unknown>) =>
  op(
    OpType.UPDATE_INODE,
    create(UpdateInodeRequestSchema, {
      fsId: FS,
      partitionId: PART,
      inodeId,
      time: ts(5000),
      ...fields,
    }),
  );

const chunk = (chunkId: bigint, offset = 0n, len = 4096n) =>
  create(S3ChunkInfoSchema, { chunkId, offset, len, size: len });

const append = (inodeId: bigint, chunkIndex: bigint, ids: bigint[], returnChunkInfos = false) =>
  op(
    OpType.APPEND_S3_CHUNK_INFO,
    create(AppendS3ChunkInfoRequestSchema, {
      fsId: FS,
      partitionId: PART,
      inodeId,
      returnChunkInfos,
      appends: [create(S3ChunkInfoAppendSchema, { chunkIndex, infos: ids.map((id) => chunk(id)) })],
    }),
  );

describe("CreateInode", () => {
  it("hands out ids from max(start, 3) with the type's nlink and length", () => {
    const h = withRoot();
    const file = ok<CreateInodeResponse>(h.createInode(FileType.REGULAR, 1n)).attr;
    const dir = ok<CreateInodeResponse>(h.createInode(FileType.DIRECTORY, 1n)).attr;
    const link = ok<CreateInodeResponse>(
      h.createInode(FileType.SYMLINK, 1n, { symlinkTarget: "héllo" }),
    ).attr;
    expect([file?.inodeId, dir?.inodeId, link?.inodeId]).toEqual([3n, 4n, 5n]);
    expect([file?.nlink, file?.length]).toEqual([1, 0n]);
    expect([dir?.nlink, dir?.length]).toEqual([2, 4096n]);
    expect([link?.length, link?.symlinkTarget]).toEqual([6n, "héllo"]);
    expect(file?.parentInodeIds).toEqual([1n]);
    expect(file?.mtime?.seconds).toBe(2000n);
    expect(h.partition.nextId).toBe(6n);
  });

  it("starts at the partition's start when that is above 3", () => {
    const h = new Harness();
    ok(h.createPartition(1000n, 1999n));
    expect(h.newInodeId()).toBe(1000n);
  });

  it("the call that hands out the last id succeeds and turns the partition read-only", () => {
    const h = new Harness();
    ok(h.createPartition(0n, 4n));
    expect(h.newInodeId()).toBe(3n);
    expect(h.partition.status).toBe(PartitionStatus.READ_WRITE);
    expect(h.newInodeId()).toBe(4n);
    expect(h.partition.status).toBe(PartitionStatus.READ_ONLY);
    expect(h.partition.info().status).toBe(PartitionStatus.READ_ONLY);
    expectError(h.createInode(), ErrorReason.PARTITION_READ_ONLY);
  });

  it("a read-only partition still accepts UpdateInode and CreateDentry", () => {
    const h = new Harness();
    ok(h.createPartition(0n, 3n));
    h.createRoot();
    const id = h.newInodeId();
    expect(h.partition.status).toBe(PartitionStatus.READ_ONLY);
    ok(h.run(update(id, { length: 10n })));
    ok(h.createDentry("f", id));
  });

  it("xattrs over 65536 bytes of names plus values are TOO_LARGE", () => {
    const h = withRoot();
    const result = h.run(
      op(
        OpType.CREATE_INODE,
        create(CreateInodeRequestSchema, {
          fsId: FS,
          partitionId: PART,
          parentInodeId: 1n,
          type: FileType.REGULAR,
          time: ts(1),
          xattrs: { a: new Uint8Array(65536) },
        }),
      ),
    );
    expectError(result, ErrorReason.TOO_LARGE);
    expect(h.partition.nextId).toBe(3n);
  });

  it("is not idempotent: a retry creates a second inode", () => {
    const h = withRoot();
    expect([h.newInodeId(), h.newInodeId()]).toEqual([3n, 4n]);
  });

  it("keeps rdev and xattrs", () => {
    const h = withRoot();
    const r = h.run(
      op(
        OpType.CREATE_INODE,
        create(CreateInodeRequestSchema, {
          fsId: FS,
          partitionId: PART,
          parentInodeId: 1n,
          type: FileType.CHAR_DEVICE,
          rdev: 259n,
          time: ts(1),
          xattrs: { "user.a": new Uint8Array([1, 2]) },
        }),
      ),
    );
    const attr = ok<CreateInodeResponse>(r).attr;
    expect(attr?.rdev).toBe(259n);
    expect(attr?.xattrs).toEqual({ "user.a": new Uint8Array([1, 2]) });
  });

  it("a wrong fs id is PARTITION_MISMATCH", () => {
    const h = withRoot();
    const r = h.run(
      op(
        OpType.CREATE_INODE,
        create(CreateInodeRequestSchema, {
          fsId: FS + 1,
          partitionId: PART,
          parentInodeId: 1n,
          type: FileType.REGULAR,
          time: ts(1),
        }),
      ),
    );
    expectError(r, ErrorReason.PARTITION_MISMATCH);
  });

  it("an unknown partition is PARTITION_NOT_FOUND", () => {
    const h = new Harness();
    expectError(h.createInode(), ErrorReason.PARTITION_NOT_FOUND);
  });
});

describe("CreateRootInode and CreateManageInode", () => {
  const root = (mode: number) =>
    op(
      OpType.CREATE_ROOT_INODE,
      create(CreateRootInodeRequestSchema, { fsId: FS, partitionId: PART, mode, time: ts(9) }),
    );
  const recycle = (mode: number) =>
    op(
      OpType.CREATE_MANAGE_INODE,
      create(CreateManageInodeRequestSchema, {
        fsId: FS,
        partitionId: PART,
        manageType: ManageInodeType.RECYCLE,
        mode,
        time: ts(9),
      }),
    );

  it("the root is inode 1, a directory with nlink 2 and no parents; same attributes repeat OK", () => {
    const h = new Harness();
    ok(h.createPartition());
    const [first, second] = h.twice(root(0o755));
    expect(ok<CreateManageInodeResponse>(first).attr).toMatchObject({
      inodeId: 1n,
      type: FileType.DIRECTORY,
      nlink: 2,
      length: 4096n,
      parentInodeIds: [],
    });
    expect(ok<CreateManageInodeResponse>(second).attr?.inodeId).toBe(1n);
    expectError(h.run(root(0o700)), ErrorReason.INODE_ALREADY_EXISTS);
  });

  it("the root needs a range containing 1", () => {
    const h = new Harness();
    ok(h.createPartition(10n, 20n));
    expectError(h.run(root(0o755)), ErrorReason.PARTITION_MISMATCH);
  });

  it("the recycle directory is inode 2 with parent 1; idempotent; other attributes conflict", () => {
    const h = withRoot();
    const [first, second] = h.twice(recycle(0o700));
    expect(ok<CreateManageInodeResponse>(first).attr).toMatchObject({
      inodeId: 2n,
      parentInodeIds: [1n],
      nlink: 2,
    });
    expect(ok<CreateManageInodeResponse>(second).attr?.inodeId).toBe(2n);
    expectError(h.run(recycle(0o755)), ErrorReason.INODE_ALREADY_EXISTS);
  });

  it("the recycle directory needs a range containing 2", () => {
    const h = new Harness();
    ok(h.createPartition(3n, 20n));
    expectError(h.run(recycle(0o700)), ErrorReason.PARTITION_MISMATCH);
  });
});

describe("UpdateInode", () => {
  it("changes exactly the attributes present", () => {
    const h = withRoot();
    const id = h.newInodeId();
    const before = getInode(h, id).inode?.attr;
    const attr = ok<UpdateInodeResponse>(
      h.run(update(id, { length: 4096n, mtime: ts(77, 5) })),
    ).attr;
    expect(attr?.length).toBe(4096n);
    expect(attr?.mtime).toEqual(ts(77, 5));
    expect({ ...attr, length: 0n, mtime: undefined }).toEqual({
      ...before,
      length: 0n,
      mtime: undefined,
    });
  });

  it("xattrs and parents: present replaces (empty clears), absent leaves", () => {
    const h = withRoot();
    const id = h.newInodeId();
    ok(
      h.run(
        update(id, {
          xattrs: create(XattrsSchema, { entries: { a: new Uint8Array([1]) } }),
          parents: create(ParentListSchema, { inodeIds: [1n, 1n, 9n] }),
        }),
      ),
    );
    let attr = getInode(h, id).inode?.attr;
    expect(attr?.xattrs).toEqual({ a: new Uint8Array([1]) });
    expect(attr?.parentInodeIds).toEqual([1n, 1n, 9n]);
    ok(h.run(update(id, { uid: 5 })));
    attr = getInode(h, id).inode?.attr;
    expect(attr?.xattrs).toEqual({ a: new Uint8Array([1]) });
    ok(
      h.run(
        update(id, {
          xattrs: create(XattrsSchema, {}),
          parents: create(ParentListSchema, { inodeIds: [] }),
        }),
      ),
    );
    attr = getInode(h, id).inode?.attr;
    expect(attr?.xattrs).toEqual({});
    expect(attr?.parentInodeIds).toEqual([]);
  });

  it("nlink 0 moves the inode to the trash with dtime := time; it stays readable", () => {
    const h = withRoot();
    const id = h.newInodeId();
    ok(h.run(update(id, { nlink: 0 })));
    const attr = getInode(h, id).inode?.attr;
    expect(attr?.nlink).toBe(0);
    expect(attr?.dtime).toEqual(ts(5000));
    expect(h.partition.trashEntries().map((e) => e.inodeId)).toEqual([id]);
    // Setting 0 again changes nothing, not even dtime.
    ok(
      h.run(
        op(
          OpType.UPDATE_INODE,
          create(UpdateInodeRequestSchema, {
            fsId: FS,
            partitionId: PART,
            inodeId: id,
            time: ts(9999),
            nlink: 0,
          }),
        ),
      ),
    );
    expect(getInode(h, id).inode?.attr?.dtime).toEqual(ts(5000));
    // Still updatable (an open file), but the nlink cannot be raised.
    ok(h.run(update(id, { length: 1n })));
    expectError(h.run(update(id, { nlink: 1 })), ErrorReason.INODE_IN_TRASH);
  });

  it("a missing inode is INODE_NOT_FOUND; an id outside the range is PARTITION_MISMATCH", () => {
    const h = withRoot();
    expectError(h.run(update(50n, { uid: 1 })), ErrorReason.INODE_NOT_FOUND);
    expectError(h.run(update(1n << 21n, { uid: 1 })), ErrorReason.PARTITION_MISMATCH);
  });

  it("is idempotent: the same update twice leaves the same state", () => {
    const h = withRoot();
    const id = h.newInodeId();
    const u = update(id, {
      length: 9n,
      s3ChunkInfoAppends: [create(S3ChunkInfoAppendSchema, { chunkIndex: 0n, infos: [chunk(5n)] })],
    });
    ok(h.run(u));
    const once = getInode(h, id);
    ok(h.run(u));
    expect(getInode(h, id)).toEqual(once);
    expect(getInode(h, id).inode?.attr?.s3ChunkInfoCount).toBe(1n);
  });

  it("chunk infos on a directory are INODE_TYPE_MISMATCH and change nothing", () => {
    const h = withRoot();
    const r = h.run(
      update(1n, {
        length: 1n,
        s3ChunkInfoAppends: [
          create(S3ChunkInfoAppendSchema, { chunkIndex: 0n, infos: [chunk(1n)] }),
        ],
      }),
    );
    expectError(r, ErrorReason.INODE_TYPE_MISMATCH);
    expect(getInode(h, 1n).inode?.attr?.length).toBe(4096n);
  });

  it("chunk infos on a VOLUME file system are FS_TYPE_MISMATCH", () => {
    const h = withRoot(FsType.VOLUME);
    const id = h.newInodeId();
    const r = h.run(
      update(id, {
        s3ChunkInfoAppends: [
          create(S3ChunkInfoAppendSchema, { chunkIndex: 0n, infos: [chunk(1n)] }),
        ],
      }),
    );
    expectError(r, ErrorReason.FS_TYPE_MISMATCH);
  });

  it("xattrs over 65536 bytes are TOO_LARGE", () => {
    const h = withRoot();
    const id = h.newInodeId();
    const r = h.run(
      update(id, { xattrs: create(XattrsSchema, { entries: { ab: new Uint8Array(65535) } }) }),
    );
    expectError(r, ErrorReason.TOO_LARGE);
  });
});

describe("DeleteInode", () => {
  const del = (inodeId: bigint) =>
    op(
      OpType.DELETE_INODE,
      create(DeleteInodeRequestSchema, { fsId: FS, partitionId: PART, inodeId }),
    );

  it("removes the inode whatever its nlink; a repeat (absent inode) is OK", () => {
    const h = withRoot();
    const id = h.newInodeId();
    const [first, second] = h.twice(del(id));
    ok(first);
    ok(second);
    expectThrows(() => getInode(h, id), ErrorReason.INODE_NOT_FOUND);
  });

  it("removes a trashed inode from the trash", () => {
    const h = withRoot();
    const id = h.newInodeId();
    ok(h.run(update(id, { nlink: 0 })));
    ok(h.run(del(id)));
    expect(h.partition.trashEntries()).toEqual([]);
  });

  it("refuses the root and recycle inodes", () => {
    const h = withRoot();
    expectError(h.run(del(1n)), ErrorReason.INVALID_ARGUMENT);
  });

  it("the trash task purges only inodes in the trash", () => {
    const h = withRoot();
    const linked = h.newInodeId();
    const trashed = h.newInodeId();
    ok(h.run(update(trashed, { nlink: 0 })));
    const purge = (inodeId: bigint) =>
      op(
        OpType.TRASH_PURGE_INODE,
        create(DeleteInodeRequestSchema, { fsId: FS, partitionId: PART, inodeId }),
      );
    ok(h.run(purge(linked)));
    ok(h.run(purge(trashed)));
    ok(h.run(purge(trashed)));
    expect(getInode(h, linked).inode).toBeDefined();
    expectThrows(() => getInode(h, trashed), ErrorReason.INODE_NOT_FOUND);
  });
});

describe("AppendS3ChunkInfo", () => {
  it("appends in order, skips chunk ids already present per chunk index, returns lists", () => {
    const h = withRoot();
    const id = h.newInodeId();
    const first = ok<AppendS3ChunkInfoResponse>(h.run(append(id, 0n, [1n, 2n])));
    expect(first.appendedCount).toBe(2);
    const again = ok<AppendS3ChunkInfoResponse>(h.run(append(id, 0n, [2n, 3n], true)));
    expect(again.appendedCount).toBe(1);
    expect(again.s3ChunkInfos["0"]?.infos.map((i) => i.chunkId)).toEqual([1n, 2n, 3n]);
    // The same chunk id in another chunk index is a different info.
    expect(ok<AppendS3ChunkInfoResponse>(h.run(append(id, 1n, [1n]))).appendedCount).toBe(1);
    const inode = getInode(h, id).inode;
    expect(inode?.attr?.s3ChunkInfoCount).toBe(4n);
    expect(Object.keys(inode?.s3ChunkInfos ?? {})).toEqual(["0", "1"]);
  });

  it("a retry of the same append appends nothing", () => {
    const h = withRoot();
    const id = h.newInodeId();
    const [a, b] = h.twice(append(id, 0n, [7n]));
    expect(ok<AppendS3ChunkInfoResponse>(a).appendedCount).toBe(1);
    expect(ok<AppendS3ChunkInfoResponse>(b).appendedCount).toBe(0);
  });

  it("errors: missing inode, VOLUME fs, non-regular inode", () => {
    const h = withRoot();
    expectError(h.run(append(99n, 0n, [1n])), ErrorReason.INODE_NOT_FOUND);
    expectError(h.run(append(1n, 0n, [1n])), ErrorReason.INODE_TYPE_MISMATCH);
    const v = withRoot(FsType.VOLUME);
    const id = v.newInodeId();
    expectError(v.run(append(id, 0n, [1n])), ErrorReason.FS_TYPE_MISMATCH);
  });

  it("more than 100,000 infos per inode is S3_CHUNK_INFO_TOO_LARGE and appends nothing", () => {
    const h = withRoot();
    const id = h.newInodeId();
    let next = 1n;
    for (let index = 0n; index < 400n; index++) {
      const ids = Array.from({ length: 250 }, () => next++);
      ok(h.run(append(id, index, ids)));
    }
    expect(getInode(h, id).inode?.attr?.s3ChunkInfoCount).toBe(100_000n);
    const r = h.run(append(id, 0n, [next, next + 1n]));
    expectError(r, ErrorReason.S3_CHUNK_INFO_TOO_LARGE);
    // Only duplicates: nothing new, so it fits.
    expect(ok<AppendS3ChunkInfoResponse>(h.run(append(id, 0n, [1n]))).appendedCount).toBe(0);
  });
});

describe("volume extents", () => {
  const record = (inodeId: bigint, extents: [bigint, bigint, bigint][]) =>
    op(
      OpType.UPDATE_VOLUME_EXTENT,
      create(UpdateVolumeExtentRequestSchema, {
        fsId: FS,
        partitionId: PART,
        inodeId,
        extents: extents.map(([fileOffset, volumeOffset, length]) =>
          create(VolumeExtentSchema, { fileOffset, volumeOffset, length, written: true }),
        ),
      }),
    );
  const read = (
    h: Harness,
    inodeId: bigint,
    offset = 0n,
    length = 0n,
    pageSize = 0,
    pageToken = "",
  ) =>
    h.partition.getVolumeExtent(
      create(GetVolumeExtentRequestSchema, {
        fsId: FS,
        partitionId: PART,
        inodeId,
        offset,
        length,
        pageSize,
        pageToken,
      }),
    );
  const triples = (extents: { fileOffset: bigint; volumeOffset: bigint; length: bigint }[]) =>
    extents.map((e) => [e.fileOffset, e.volumeOffset, e.length]);

  it("a new extent replaces what it covers, trimming and splitting; replay is idempotent", () => {
    const h = withRoot(FsType.VOLUME);
    const id = h.newInodeId();
    ok(h.run(record(id, [[0n, 1000n, 100n]])));
    const [a, b] = h.twice(record(id, [[40n, 5000n, 20n]]));
    ok(a);
    ok(b);
    expect(triples(read(h, id).extents)).toEqual([
      [0n, 1000n, 40n],
      [40n, 5000n, 20n],
      [60n, 1060n, 40n],
    ]);
  });

  it("reads overlapping extents whole, paged by file offset", () => {
    const h = withRoot(FsType.VOLUME);
    const id = h.newInodeId();
    ok(
      h.run(
        record(id, [
          [0n, 0n, 10n],
          [10n, 100n, 10n],
          [20n, 200n, 10n],
          [30n, 300n, 10n],
        ]),
      ),
    );
    expect(triples(read(h, id, 15n, 10n).extents)).toEqual([
      [10n, 100n, 10n],
      [20n, 200n, 10n],
    ]);
    const page1 = read(h, id, 0n, 0n, 3);
    expect(page1.extents.length).toBe(3);
    const page2 = read(h, id, 0n, 0n, 3, page1.nextPageToken);
    expect(triples(page2.extents)).toEqual([[30n, 300n, 10n]]);
    expect(page2.nextPageToken).toBe("");
    expectThrows(() => read(h, id, 0n, 0n, 3, "junk"), ErrorReason.INVALID_ARGUMENT);
  });

  it("errors: S3 fs, missing inode, non-regular inode", () => {
    const s3 = withRoot();
    const id = s3.newInodeId();
    expectError(s3.run(record(id, [[0n, 0n, 1n]])), ErrorReason.FS_TYPE_MISMATCH);
    expectThrows(() => read(s3, id), ErrorReason.FS_TYPE_MISMATCH);
    const v = withRoot(FsType.VOLUME);
    expectError(v.run(record(77n, [[0n, 0n, 1n]])), ErrorReason.INODE_NOT_FOUND);
    expectThrows(() => read(v, 77n), ErrorReason.INODE_NOT_FOUND);
    expectError(v.run(record(1n, [[0n, 0n, 1n]])), ErrorReason.INODE_TYPE_MISMATCH);
  });
});

describe("BatchGetInodeAttr", () => {
  it("returns existing attrs in request order and lists the missing ids", () => {
    const h = withRoot();
    const a = h.newInodeId();
    const b = h.newInodeId();
    const r = h.partition.batchGetInodeAttr(
      create(BatchGetInodeAttrRequestSchema, {
        fsId: FS,
        partitionId: PART,
        inodeIds: [b, 99n, a],
      }),
    );
    expect(r.attrs.map((x) => x.inodeId)).toEqual([b, a]);
    expect(r.missingInodeIds).toEqual([99n]);
    expect(r.unprocessedInodeIds).toEqual([]);
  });

  it("an id outside the range fails the whole call with PARTITION_MISMATCH", () => {
    const h = withRoot();
    expectThrows(
      () =>
        h.partition.batchGetInodeAttr(
          create(BatchGetInodeAttrRequestSchema, {
            fsId: FS,
            partitionId: PART,
            inodeIds: [1n, 1n << 30n],
          }),
        ),
      ErrorReason.PARTITION_MISMATCH,
    );
  });
});
