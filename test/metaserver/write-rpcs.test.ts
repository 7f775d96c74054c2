/**
 * Every write RPC of MetaServerService over the wire (Connect, one metaserver leading a
 * one-voter copyset): its success path and its documented errors as Connect code plus
 * ErrorInfo reason; partition id exhaustion turning READ_ONLY; and rename transactions that
 * conflict, as two clients would drive them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoOf } from "../../impl/errors.js";
import {
  FsType,
  PartitionInfoSchema,
  PartitionStatus,
} from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  ManageInodeType,
  RenameTxAction,
  type RenameTxEntry,
  RenameTxEntrySchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { COPYSET, FS, PART, POOL, ts } from "./harness.js";
import {
  copysetClient,
  createFileInNewPartition,
  leaderOf,
  metaClient,
} from "./metaserver-cluster.js";

const VOLUME_FS = FS + 1;
const VOLUME_PART = PART + 1;
/** A partition of FS with two inode ids only. */
const TINY_PART = PART + 2;
const TINY_START = 1n << 20n;

let host: MetaserverHost;
let dataDir: string;
const client = () => metaClient(host);
let fileId = 0n;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "curve-write-rpcs-"));
  host = await MetaserverHost.start({ host: "127.0.0.1", port: 0, dataDir, tickMs: 25 });
  await copysetClient(host).createCopysetNode({
    copysets: [{ poolId: POOL, copysetId: COPYSET, peers: [{ address: host.address }] }],
  });
  await leaderOf([host]);
  fileId = await createFileInNewPartition(client(), "a.txt");
  await client().createPartition({
    partition: partition(VOLUME_FS, VOLUME_PART, 0n, (1n << 20n) - 1n),
    fsType: FsType.VOLUME,
  });
  await client().createRootInode({
    fsId: VOLUME_FS,
    partitionId: VOLUME_PART,
    mode: 0o755,
    time: ts(1),
  });
});

afterAll(async () => {
  await host.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function partition(fsId: number, partitionId: number, start: bigint, end: bigint) {
  return create(PartitionInfoSchema, {
    fsId,
    poolId: POOL,
    copysetId: COPYSET,
    partitionId,
    start,
    end,
  });
}

/** Awaits a call that must fail with `code` and `reason`. */
async function expectFailure(call: Promise<unknown>, code: Code, reason: ErrorReason) {
  const error = await call.then(
    () => {
      throw new Error(`the call succeeded; expected ${ErrorReason[reason]}`);
    },
    (e: unknown) => ConnectError.from(e),
  );
  expect(`${Code[error.code]} ${ErrorReason[errorInfoOf(error)?.reason ?? 0]}`).toBe(
    `${Code[code]} ${ErrorReason[reason]}`,
  );
}

async function newInode(type = FileType.REGULAR, partitionId = PART, fsId = FS) {
  const { attr } = await client().createInode({
    fsId,
    partitionId,
    parentInodeId: 1n,
    type,
    mode: 0o644,
    time: ts(10),
  });
  return attr?.inodeId ?? 0n;
}

const s3Append = (chunkIndex: bigint, chunkId: bigint) => ({
  chunkIndex,
  infos: [{ chunkId, offset: chunkIndex * (64n << 20n), len: 100n, size: 100n }],
});

describe("write RPCs", () => {
  it("CreateDentry: creates, repeats idempotently, refuses another inode and a missing parent", async () => {
    const id = await newInode();
    const request = {
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
      name: "d1",
      inodeId: id,
      type: FileType.REGULAR,
      time: ts(20),
    };
    const created = await client().createDentry(request);
    expect(created.dentry?.inodeId).toBe(id);
    expect(created.parent?.mtime?.seconds).toBe(20n);
    const again = await client().createDentry({ ...request, time: ts(21) });
    expect(again.parent?.mtime?.seconds).toBe(20n);
    await expectFailure(
      client().createDentry({ ...request, inodeId: fileId }),
      Code.AlreadyExists,
      ErrorReason.DENTRY_ALREADY_EXISTS,
    );
    await expectFailure(
      client().createDentry({ ...request, parentInodeId: 999n }),
      Code.NotFound,
      ErrorReason.INODE_NOT_FOUND,
    );
    await expectFailure(
      client().createDentry({ ...request, parentInodeId: fileId, name: "x" }),
      Code.FailedPrecondition,
      ErrorReason.INODE_TYPE_MISMATCH,
    );
    await expectFailure(
      client().createDentry({ ...request, fsId: FS + 50 }),
      Code.InvalidArgument,
      ErrorReason.PARTITION_MISMATCH,
    );
  });

  it("DeleteDentry: returns the removed entry; a repeat is DENTRY_NOT_FOUND", async () => {
    const request = { fsId: FS, partitionId: PART, parentInodeId: 1n, name: "d1", time: ts(30) };
    const removed = await client().deleteDentry(request);
    expect(removed.dentry?.name).toBe("d1");
    expect(removed.parent?.mtime?.seconds).toBe(30n);
    await expectFailure(
      client().deleteDentry(request),
      Code.NotFound,
      ErrorReason.DENTRY_NOT_FOUND,
    );
  });

  it("UpdateInode: sets what is present; missing inode, trash and type errors", async () => {
    const id = await newInode();
    const updated = await client().updateInode({
      fsId: FS,
      partitionId: PART,
      inodeId: id,
      time: ts(40),
      length: 4096n,
      mode: 0o600,
      s3ChunkInfoAppends: [s3Append(0n, 1n)],
    });
    expect(updated.attr?.length).toBe(4096n);
    expect(updated.attr?.mode).toBe(0o600);
    expect(updated.attr?.uid).toBe(0);
    expect(updated.attr?.s3ChunkInfoCount).toBe(1n);
    await expectFailure(
      client().updateInode({ fsId: FS, partitionId: PART, inodeId: 999n, time: ts(41) }),
      Code.NotFound,
      ErrorReason.INODE_NOT_FOUND,
    );
    await expectFailure(
      client().updateInode({
        fsId: FS,
        partitionId: PART,
        inodeId: 1n,
        time: ts(41),
        s3ChunkInfoAppends: [s3Append(0n, 2n)],
      }),
      Code.FailedPrecondition,
      ErrorReason.INODE_TYPE_MISMATCH,
    );
    const trashed = await client().updateInode({
      fsId: FS,
      partitionId: PART,
      inodeId: id,
      time: ts(42),
      nlink: 0,
    });
    expect(trashed.attr?.dtime?.seconds).toBe(42n);
    await expectFailure(
      client().updateInode({ fsId: FS, partitionId: PART, inodeId: id, time: ts(43), nlink: 1 }),
      Code.FailedPrecondition,
      ErrorReason.INODE_IN_TRASH,
    );
  });

  it("DeleteInode: deletes, repeats OK, refuses the root by validation", async () => {
    const id = await newInode();
    const request = { fsId: FS, partitionId: PART, inodeId: id };
    await client().deleteInode(request);
    await client().deleteInode(request);
    await expectFailure(client().getInode(request), Code.NotFound, ErrorReason.INODE_NOT_FOUND);
    await expectFailure(
      client().deleteInode({ ...request, inodeId: 1n }),
      Code.InvalidArgument,
      ErrorReason.INVALID_ARGUMENT,
    );
  });

  it("CreateRootInode and CreateManageInode: idempotent; other attributes already exist", async () => {
    const manage = {
      fsId: FS,
      partitionId: PART,
      manageType: ManageInodeType.RECYCLE,
      mode: 0o700,
      time: ts(50),
    };
    const recycle = await client().createManageInode(manage);
    expect(recycle.attr?.inodeId).toBe(2n);
    expect(recycle.attr?.parentInodeIds).toEqual([1n]);
    await client().createManageInode({ ...manage, time: ts(51) });
    await expectFailure(
      client().createManageInode({ ...manage, mode: 0o755 }),
      Code.AlreadyExists,
      ErrorReason.INODE_ALREADY_EXISTS,
    );
    await expectFailure(
      client().createRootInode({ fsId: FS, partitionId: PART, mode: 0o700, time: ts(52) }),
      Code.AlreadyExists,
      ErrorReason.INODE_ALREADY_EXISTS,
    );
  });

  it("AppendS3ChunkInfo: appends, skips known chunk ids, refuses VOLUME fs and non-files", async () => {
    const request = {
      fsId: FS,
      partitionId: PART,
      inodeId: fileId,
      appends: [s3Append(0n, 10n), s3Append(1n, 11n)],
      returnChunkInfos: true,
    };
    const first = await client().appendS3ChunkInfo(request);
    expect(first.appendedCount).toBe(2);
    expect(first.s3ChunkInfos["1"]?.infos.map((i) => i.chunkId)).toEqual([11n]);
    const retry = await client().appendS3ChunkInfo(request);
    expect(retry.appendedCount).toBe(0);
    await expectFailure(
      client().appendS3ChunkInfo({ ...request, inodeId: 1n }),
      Code.FailedPrecondition,
      ErrorReason.INODE_TYPE_MISMATCH,
    );
    const volumeFile = await newInode(FileType.REGULAR, VOLUME_PART, VOLUME_FS);
    await expectFailure(
      client().appendS3ChunkInfo({
        ...request,
        fsId: VOLUME_FS,
        partitionId: VOLUME_PART,
        inodeId: volumeFile,
      }),
      Code.FailedPrecondition,
      ErrorReason.FS_TYPE_MISMATCH,
    );
  });

  it("UpdateVolumeExtent: records extents on a VOLUME fs; FS_TYPE_MISMATCH on an S3 fs", async () => {
    const volumeFile = await newInode(FileType.REGULAR, VOLUME_PART, VOLUME_FS);
    const extents = [{ fileOffset: 0n, volumeOffset: 1n << 30n, length: 4096n, written: true }];
    await client().updateVolumeExtent({
      fsId: VOLUME_FS,
      partitionId: VOLUME_PART,
      inodeId: volumeFile,
      extents,
    });
    const read = await client().getVolumeExtent({
      fsId: VOLUME_FS,
      partitionId: VOLUME_PART,
      inodeId: volumeFile,
    });
    expect(read.extents.map((e) => [e.fileOffset, e.volumeOffset, e.length])).toEqual([
      [0n, 1n << 30n, 4096n],
    ]);
    await expectFailure(
      client().updateVolumeExtent({ fsId: FS, partitionId: PART, inodeId: fileId, extents }),
      Code.FailedPrecondition,
      ErrorReason.FS_TYPE_MISMATCH,
    );
  });

  it("CreatePartition: an overlapping range already exists; an unknown copyset is not found", async () => {
    await expectFailure(
      client().createPartition({
        partition: partition(FS, PART + 10, 5n, 100n),
        fsType: FsType.S3,
      }),
      Code.AlreadyExists,
      ErrorReason.PARTITION_ALREADY_EXISTS,
    );
    await expectFailure(
      client().createPartition({
        partition: { ...partition(FS, PART + 10, 0n, 100n), copysetId: COPYSET + 1 },
        fsType: FsType.S3,
      }),
      Code.NotFound,
      ErrorReason.GROUP_NOT_FOUND,
    );
  });

  it("DeletePartition: an empty one goes at once; a non-empty one turns DELETING", async () => {
    const spare = PART + 20;
    await client().createPartition({
      partition: partition(FS + 20, spare, 0n, 100n),
      fsType: FsType.S3,
    });
    const request = { fsId: FS + 20, poolId: POOL, copysetId: COPYSET, partitionId: spare };
    await expectFailure(
      client().deletePartition({ ...request, fsId: FS + 21 }),
      Code.InvalidArgument,
      ErrorReason.PARTITION_MISMATCH,
    );
    expect((await client().deletePartition(request)).removed).toBe(true);
    expect((await client().deletePartition(request)).removed).toBe(true);

    await client().createPartition({
      partition: partition(FS + 20, spare, 0n, 100n),
      fsType: FsType.S3,
    });
    await newInode(FileType.REGULAR, spare, FS + 20);
    expect((await client().deletePartition(request)).removed).toBe(false);
    await expectFailure(
      newInode(FileType.REGULAR, spare, FS + 20),
      Code.FailedPrecondition,
      ErrorReason.PARTITION_DELETING,
    );
  });
});

describe("partition id exhaustion", () => {
  it("the last id turns the partition READ_ONLY; then only CreateInode is refused", async () => {
    await client().createPartition({
      partition: partition(FS, TINY_PART, TINY_START, TINY_START + 1n),
      fsType: FsType.S3,
    });
    const status = async () =>
      (
        await copysetClient(host).getCopysetStatus({ poolId: POOL, copysetId: COPYSET })
      ).status?.partitions.find((p) => p.partitionId === TINY_PART);
    expect(await newInode(FileType.DIRECTORY, TINY_PART)).toBe(TINY_START);
    expect((await status())?.status).toBe(PartitionStatus.READ_WRITE);
    expect(await newInode(FileType.REGULAR, TINY_PART)).toBe(TINY_START + 1n);
    const info = await status();
    expect(info?.status).toBe(PartitionStatus.READ_ONLY);
    expect(info?.nextId).toBe(TINY_START + 2n);
    await expectFailure(
      newInode(FileType.REGULAR, TINY_PART),
      Code.FailedPrecondition,
      ErrorReason.PARTITION_READ_ONLY,
    );
    // Everything else still works on the read-only partition.
    await client().updateInode({
      fsId: FS,
      partitionId: TINY_PART,
      inodeId: TINY_START + 1n,
      time: ts(60),
      length: 1n,
    });
    await client().createDentry({
      fsId: FS,
      partitionId: TINY_PART,
      parentInodeId: TINY_START,
      name: "f",
      inodeId: TINY_START + 1n,
      type: FileType.REGULAR,
      time: ts(61),
    });
  });
});

describe("rename transactions that conflict", () => {
  const { PUT, DELETE } = RenameTxAction;
  let dir = 0n;
  let moved = 0n;
  const entry = (action: RenameTxAction, name: string): RenameTxEntry =>
    create(RenameTxEntrySchema, {
      action,
      parentInodeId: dir,
      name,
      inodeId: moved,
      type: FileType.REGULAR,
    });
  const prepare = (txId: bigint, txSequence: bigint, entries: RenameTxEntry[]) =>
    client().prepareRenameTx({ fsId: FS, partitionId: PART, txId, txSequence, entries });
  const lookup = (name: string, txId: bigint) =>
    client()
      .getDentry({ fsId: FS, partitionId: PART, parentInodeId: dir, name, txId })
      .then(
        (r) => r.dentry?.inodeId,
        (e: unknown) => ErrorReason[errorInfoOf(e)?.reason ?? 0],
      );
  const names = async (txId: bigint) =>
    (
      await client().listDentry({ fsId: FS, partitionId: PART, parentInodeId: dir, txId })
    ).dentries.map((d) => d.name);

  beforeAll(async () => {
    dir = await newInode(FileType.DIRECTORY);
    moved = await newInode();
    await client().createDentry({
      fsId: FS,
      partitionId: PART,
      parentInodeId: dir,
      name: "a",
      inodeId: moved,
      type: FileType.REGULAR,
      time: ts(70),
    });
  });

  it("readers see only the committed version until the caller's tx id includes the rename", async () => {
    await prepare(1n, 5n, [entry(DELETE, "a"), entry(PUT, "b")]);
    expect(await lookup("a", 0n)).toBe(moved);
    expect(await lookup("b", 0n)).toBe("DENTRY_NOT_FOUND");
    expect(await names(0n)).toEqual(["a"]);
    expect(await lookup("a", 1n)).toBe("DENTRY_NOT_FOUND");
    expect(await lookup("b", 1n)).toBe(moved);
    expect(await names(1n)).toEqual(["b"]);
  });

  it("plain writes to a name of the invisible pending transaction are aborted", async () => {
    const base = { fsId: FS, partitionId: PART, parentInodeId: dir, time: ts(71) };
    await expectFailure(
      client().createDentry({ ...base, name: "b", inodeId: moved, type: FileType.REGULAR }),
      Code.Aborted,
      ErrorReason.TX_CONFLICT,
    );
    await expectFailure(
      client().deleteDentry({ ...base, name: "a" }),
      Code.Aborted,
      ErrorReason.TX_CONFLICT,
    );
  });

  it("a second transaction on the same dentry: an older sequence is aborted, a newer one replaces", async () => {
    await expectFailure(
      prepare(1n, 4n, [entry(DELETE, "a"), entry(PUT, "c")]),
      Code.Aborted,
      ErrorReason.TX_CONFLICT,
    );
    // The first client's identical retry is still fine.
    await prepare(1n, 5n, [entry(DELETE, "a"), entry(PUT, "b")]);
    // A client holding a newer rename lock sequence rolls the first transaction back.
    await prepare(1n, 6n, [entry(DELETE, "a"), entry(PUT, "c")]);
    expect(await names(1n)).toEqual(["c"]);
    expect(await names(0n)).toEqual(["a"]);
  });

  it("prepare on a partition with a pending transaction folds it when its tx id is newer", async () => {
    await prepare(2n, 7n, [entry(DELETE, "c"), entry(PUT, "d")]);
    // Transaction 1 is folded: every reader now sees "c" (old versions are not kept)...
    expect(await names(0n)).toEqual(["c"]);
    // ...and transaction 2 only from tx id 2 on.
    expect(await names(2n)).toEqual(["d"]);
    const status = await copysetClient(host).getCopysetStatus({ poolId: POOL, copysetId: COPYSET });
    expect(status.status?.partitions.find((p) => p.partitionId === PART)?.txId).toBe(1n);
    // A tx id at or below the folded one is stale.
    await expectFailure(
      prepare(1n, 9n, [entry(DELETE, "c"), entry(PUT, "e")]),
      Code.Aborted,
      ErrorReason.TX_CONFLICT,
    );
  });
});
