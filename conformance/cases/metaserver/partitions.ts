/**
 * MetaServerService CreatePartition, DeletePartition, CreateRootInode, CreateManageInode: the
 * calls an MDS makes. Partitions beyond the fixture's are created in the fixture's copyset with
 * fs ids of their own (partition-fixture.ts).
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { errorInfoOf } from "../../../impl/errors.js";
import { FsType, PartitionStatus } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  ManageInodeType,
  MetaServerService,
} from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { type ExpectedError, expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  at,
  createInode,
  extraPartition,
  type FsPartition,
  mdsFsPartition,
  newPartition,
  on,
  PARTITION_SIZE,
  UNKNOWN_PARTITION_ID,
} from "./partition-fixture.js";

const m = MetaServerService.method;
const partitionExists: ExpectedError = {
  code: Code.AlreadyExists,
  reason: ErrorReason.PARTITION_ALREADY_EXISTS,
};
const inodeExists: ExpectedError = {
  code: Code.AlreadyExists,
  reason: ErrorReason.INODE_ALREADY_EXISTS,
};
const mismatch: ExpectedError = {
  code: Code.InvalidArgument,
  reason: ErrorReason.PARTITION_MISMATCH,
};
/** A range no fixture partition uses. */
const FAR = 1n << 41n;

function partitionOf(
  p: FsPartition,
  fields: { partitionId?: number; start?: bigint; end?: bigint; fsId?: number } = {},
) {
  return {
    fsId: fields.fsId ?? p.fsId,
    poolId: p.poolId,
    copysetId: p.copysetId,
    partitionId: fields.partitionId ?? p.partitionId,
    start: fields.start ?? p.start,
    end: fields.end ?? p.end,
  };
}

async function recycle(p: FsPartition, mode = 0o700) {
  return p.meta.createManageInode({
    ...on(p),
    manageType: ManageInodeType.RECYCLE,
    uid: 0,
    gid: 0,
    mode,
    time: at(1),
  });
}

export const partitionCases: ConformanceCase[] = [
  rejects({
    id: "metaserver.create_partition.partition_missing",
    method: m.createPartition,
    spec: "The partition: … Required.",
    request: { fsType: FsType.S3 },
    expect: invalidArgument("partition"),
  }),
  rejects({
    id: "metaserver.create_partition.no_free_ids",
    method: m.createPartition,
    spec: "the range must contain an id >= 3 that CreateInode can hand out (rule create_partition_request.has_free_ids).",
    request: {
      partition: { fsId: 1, poolId: 1, copysetId: 1, partitionId: 1, start: 0n, end: 2n },
      fsType: FsType.S3,
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.create_partition.fs_type_unspecified",
    method: m.createPartition,
    spec: "The type of the partition's file system …; FS_TYPE_S3 or FS_TYPE_VOLUME.",
    request: {
      partition: { fsId: 1, poolId: 1, copysetId: 1, partitionId: 1, start: 0n, end: 100n },
    },
    expect: invalidArgument("fs_type"),
  }),
  rejects({
    id: "metaserver.create_partition.unknown_copyset",
    method: m.createPartition,
    spec: "`not_found` ERROR_REASON_GROUP_NOT_FOUND: (CreatePartition, DeletePartition) this server hosts no copyset with the given pool and copyset id.",
    request: {
      partition: {
        fsId: 1,
        poolId: 4_000_000_002,
        copysetId: UNKNOWN_PARTITION_ID,
        partitionId: 1,
        start: 0n,
        end: 100n,
      },
      fsType: FsType.S3,
    },
    expect: { code: Code.NotFound, reason: ErrorReason.GROUP_NOT_FOUND },
  }),
  rejects({
    id: "metaserver.delete_partition.unknown_copyset",
    method: m.deletePartition,
    spec: "`not_found` ERROR_REASON_GROUP_NOT_FOUND: (CreatePartition, DeletePartition) this server hosts no copyset with the given pool and copyset id.",
    request: { fsId: 1, poolId: 4_000_000_002, copysetId: UNKNOWN_PARTITION_ID, partitionId: 1 },
    expect: { code: Code.NotFound, reason: ErrorReason.GROUP_NOT_FOUND },
  }),
  rejects({
    id: "metaserver.delete_partition.partition_id_zero",
    method: m.deletePartition,
    spec: "The partition to delete; > 0.",
    request: { fsId: 1, poolId: 1, copysetId: 1, partitionId: 0 },
    expect: invalidArgument("partition_id"),
  }),
  rejects({
    id: "metaserver.create_root_inode.time_missing",
    method: m.createRootInode,
    spec: "The creation time: atime, mtime and ctime of the root. Required.",
    request: { fsId: 1, partitionId: 1, mode: 0o755 },
    expect: invalidArgument("time"),
  }),
  rejects({
    id: "metaserver.create_manage_inode.type_unspecified",
    method: m.createManageInode,
    spec: "Which management directory; a defined value other than MANAGE_INODE_TYPE_UNSPECIFIED.",
    request: {
      fsId: 1,
      partitionId: 1,
      manageType: ManageInodeType.UNSPECIFIED,
      mode: 0o700,
      time: at(0),
    },
    expect: invalidArgument("manage_type"),
  }),
  steps({
    id: "metaserver.create_partition.new_and_repeat",
    method: m.createPartition,
    spec: "The partition starts READ_WRITE, empty, with folded tx id 0 and next inode id max(start, 3). … Idempotent by partition id: if the partition exists with the same fs id, copyset, range and `fs_type`, returns OK with its current info.",
    run: async (ctx) => {
      const base = await newPartition(ctx);
      const p = await extraPartition(ctx, base, { start: FAR, end: FAR + 99n });
      const again = await p.meta.createPartition({ partition: partitionOf(p), fsType: FsType.S3 });
      const info = again.partition;
      check(info?.status === PartitionStatus.READ_WRITE, `status ${info?.status}`);
      check(
        info.txId === 0n && info.nextId === FAR && info.inodeCount === 0n,
        `tx_id ${info.txId}, next_id ${info.nextId}, inodes ${info.inodeCount}`,
      );
      const low = await extraPartition(ctx, base, { start: 0n, end: 99n });
      const lowInfo = await low.meta.createPartition({
        partition: partitionOf(low),
        fsType: FsType.S3,
      });
      check(
        lowInfo.partition?.nextId === 3n,
        `next_id ${lowInfo.partition?.nextId} of a range starting at 0, expected 3`,
      );
    },
  }),
  steps({
    id: "metaserver.create_partition.same_id_other_range",
    method: m.createPartition,
    spec: "`already_exists` ERROR_REASON_PARTITION_ALREADY_EXISTS: the partition id exists with another fs id, copyset, range or fs type",
    reasons: [ErrorReason.PARTITION_ALREADY_EXISTS],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), { start: FAR, end: FAR + 99n });
      await expectError(
        p.meta.createPartition({
          partition: partitionOf(p, { end: FAR + 199n }),
          fsType: FsType.S3,
        }),
        partitionExists,
      );
      await expectError(
        p.meta.createPartition({ partition: partitionOf(p), fsType: FsType.VOLUME }),
        partitionExists,
      );
    },
  }),
  steps({
    id: "metaserver.create_partition.overlapping_range",
    method: m.createPartition,
    spec: "or another partition of the same file system in this copyset overlaps the range.",
    reasons: [ErrorReason.PARTITION_ALREADY_EXISTS],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), { start: FAR, end: FAR + 99n });
      await expectError(
        p.meta.createPartition({
          partition: partitionOf(p, {
            partitionId: ctx.uniqueNumber(),
            start: FAR + 50n,
            end: FAR + 150n,
          }),
          fsType: FsType.S3,
        }),
        partitionExists,
      );
    },
  }),
  steps({
    id: "metaserver.delete_partition.empty_removed_and_repeat",
    method: m.deletePartition,
    spec: "If the partition is empty (no inode, no dentry) it is removed at once and the response says `removed`. … once it is gone (or if it never existed in this copyset) OK with `removed` true.",
    reasons: [ErrorReason.PARTITION_NOT_FOUND],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), { start: FAR, end: FAR + 99n });
      const request = {
        fsId: p.fsId,
        poolId: p.poolId,
        copysetId: p.copysetId,
        partitionId: p.partitionId,
      };
      check(
        (await p.meta.deletePartition(request)).removed,
        "an empty partition was not removed at once",
      );
      check((await p.meta.deletePartition(request)).removed, "a repeat did not answer removed");
      await expectError(p.meta.getInode({ ...on(p), inodeId: FAR }), {
        code: Code.NotFound,
        reason: ErrorReason.PARTITION_NOT_FOUND,
      });
      check(
        (await p.meta.deletePartition({ ...request, partitionId: ctx.uniqueNumber() })).removed,
        "a partition that never existed is not reported removed",
      );
    },
  }),
  steps({
    id: "metaserver.delete_partition.non_empty_turns_deleting",
    method: m.deletePartition,
    spec: "Otherwise a Raft entry turns it DELETING (every other RPC on it then fails with PARTITION_DELETING), the call returns OK with `removed` false … Idempotent: repeating the call while the partition is DELETING returns OK with `removed` false",
    reasons: [ErrorReason.PARTITION_DELETING],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), { start: FAR, end: FAR + 99n });
      const file = await createInode(p, { parentInodeId: FAR });
      const request = {
        fsId: p.fsId,
        poolId: p.poolId,
        copysetId: p.copysetId,
        partitionId: p.partitionId,
      };
      const first = await p.meta.deletePartition(request);
      check(!first.removed, "a partition holding an inode was removed at once");
      // The background task may finish at any time: then the partition is simply gone.
      const error = await p.meta.getInode({ ...on(p), inodeId: file.inodeId }).then(
        () => undefined,
        (thrown: unknown) => ConnectError.from(thrown),
      );
      const reason = error === undefined ? undefined : errorInfoOf(error)?.reason;
      check(
        reason === ErrorReason.PARTITION_DELETING || reason === ErrorReason.PARTITION_NOT_FOUND,
        `GetInode on a DELETING partition: ${error === undefined ? "OK" : `${error.code} ${reason}`}`,
      );
      await p.meta.deletePartition(request);
    },
  }),
  steps({
    id: "metaserver.delete_partition.emptied_in_background",
    method: m.deletePartition,
    spec: "the leader empties it in the background: it drops the dentries, deletes each inode's data (S3 objects or volume extents, as the trash does) and inode through Raft entries, and finally removes the partition … The MDS polls until `removed` is true.",
    requires: ["s3"],
    run: async (ctx) => {
      // The data of an S3 fs is deleted with the fs's S3 settings from the MDS: a real fs.
      const base = await mdsFsPartition(ctx);
      const p = await extraPartition(ctx, base, { fsId: base.fsId, start: FAR, end: FAR + 99n });
      await createInode(p, { parentInodeId: FAR });
      const request = {
        fsId: p.fsId,
        poolId: p.poolId,
        copysetId: p.copysetId,
        partitionId: p.partitionId,
      };
      const deadline = Date.now() + 15_000;
      while (!(await p.meta.deletePartition(request)).removed) {
        check(
          Date.now() < deadline,
          "a DELETING partition holding one empty inode was not removed within 15 s",
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  }),
  steps({
    id: "metaserver.delete_partition.wrong_fs",
    method: m.deletePartition,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: the partition exists here with another fs id, or in another copyset of this server.",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.deletePartition({
          fsId: p.fsId + 1,
          poolId: p.poolId,
          copysetId: p.copysetId,
          partitionId: p.partitionId,
        }),
        mismatch,
      );
    },
  }),
  steps({
    id: "metaserver.create_root_inode.repeat_identical_ok",
    method: m.createRootInode,
    spec: "Idempotent: if inode 1 exists with the same type, uid, gid and mode, returns OK with it (times are not compared), so the MDS can resume an interrupted creation.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: 1n });
      const root = inode?.attr;
      check(root !== undefined, "no root");
      const reply = await p.meta.createRootInode({
        ...on(p),
        uid: root.uid,
        gid: root.gid,
        mode: root.mode,
        time: at(99_000),
      });
      check(
        reply.attr?.inodeId === 1n && reply.attr.ctime?.seconds === root.ctime?.seconds,
        "the repeat changed or replaced the root",
      );
    },
  }),
  steps({
    id: "metaserver.create_root_inode.other_attributes",
    method: m.createRootInode,
    spec: "`already_exists` ERROR_REASON_INODE_ALREADY_EXISTS: inode 1 exists with other attributes.",
    reasons: [ErrorReason.INODE_ALREADY_EXISTS],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: 1n });
      const root = inode?.attr;
      await expectError(
        p.meta.createRootInode({
          ...on(p),
          uid: (root?.uid ?? 0) + 1,
          gid: root?.gid ?? 0,
          mode: root?.mode ?? 0,
          time: at(1),
        }),
        inodeExists,
      );
    },
  }),
  steps({
    id: "metaserver.create_root_inode.range_without_root",
    method: m.createRootInode,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: the range does not contain id 1.",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), { start: FAR, end: FAR + 99n });
      await expectError(p.meta.createRootInode({ ...on(p), mode: 0o755, time: at(1) }), mismatch);
    },
  }),
  steps({
    id: "metaserver.create_manage_inode.recycle_and_repeat",
    method: m.createManageInode,
    spec: "MANAGE_INODE_TYPE_RECYCLE: inode 2, FILE_TYPE_DIRECTORY, the given `uid`, `gid` and `mode`, nlink 2, length 4096, parent list [1] … Idempotent: if the reserved inode exists with the same type, uid, gid and mode, returns OK with it",
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), {
        start: 0n,
        end: PARTITION_SIZE - 1n,
      });
      const first = await recycle(p);
      const attr = first.attr;
      check(
        attr?.inodeId === 2n && attr.type === FileType.DIRECTORY,
        `inode ${attr?.inodeId} type ${attr?.type}`,
      );
      check(
        attr.nlink === 2 && attr.length === 4096n && attr.parentInodeIds.join(",") === "1",
        "recycle nlink/length/parents wrong",
      );
      const again = await recycle(p);
      check(again.attr?.inodeId === 2n, "the repeat did not return inode 2");
    },
  }),
  steps({
    id: "metaserver.create_manage_inode.other_attributes",
    method: m.createManageInode,
    spec: "`already_exists` ERROR_REASON_INODE_ALREADY_EXISTS: the reserved inode exists with other attributes.",
    reasons: [ErrorReason.INODE_ALREADY_EXISTS],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), {
        start: 0n,
        end: PARTITION_SIZE - 1n,
      });
      await recycle(p, 0o700);
      await expectError(recycle(p, 0o755), inodeExists);
    },
  }),
  steps({
    id: "metaserver.create_manage_inode.range_without_id",
    method: m.createManageInode,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: the range does not contain the reserved id.",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), { start: FAR, end: FAR + 99n });
      await expectError(recycle(p), mismatch);
    },
  }),
];
