/** MetaServerService GetInode, BatchGetInodeAttr, CreateInode, UpdateInode, DeleteInode. */
import { Code } from "@connectrpc/connect";
import { FsType, PartitionStatus } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { type ExpectedError, expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  at,
  createInode,
  createLinked,
  extraPartition,
  newPartition,
  on,
  UNKNOWN_PARTITION_ID,
} from "./partition-fixture.js";

const m = MetaServerService.method;
const inodeNotFound: ExpectedError = { code: Code.NotFound, reason: ErrorReason.INODE_NOT_FOUND };
const inTrash: ExpectedError = {
  code: Code.FailedPrecondition,
  reason: ErrorReason.INODE_IN_TRASH,
};
const tooLarge: ExpectedError = { code: Code.InvalidArgument, reason: ErrorReason.TOO_LARGE };

/** xattrs of `count` × ~(name + 4000 bytes): 17 of them exceed 65536 bytes in total. */
function bigXattrs(count: number): Record<string, Uint8Array> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`user.k${i}`, new Uint8Array(4000)]),
  );
}

const base = { fsId: 1, partitionId: 1, parentInodeId: 1n, mode: 0o644, time: at(0) };

export const inodeCases: ConformanceCase[] = [
  rejects({
    id: "metaserver.create_inode.symlink_without_target",
    method: m.createInode,
    spec: "a symlink needs a target, and only a symlink has one (rule create_inode_request.symlink_target).",
    request: { ...base, type: FileType.SYMLINK },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.create_inode.target_on_regular_file",
    method: m.createInode,
    spec: "The symlink target: 1 to 4095 bytes for FILE_TYPE_SYMLINK, empty for every other type.",
    request: { ...base, type: FileType.REGULAR, symlinkTarget: "/etc" },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.create_inode.rdev_on_regular_file",
    method: m.createInode,
    spec: "rdev may only be set for character and block devices (rule create_inode_request.rdev_only_for_devices).",
    request: { ...base, type: FileType.REGULAR, rdev: 5n },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.create_inode.mode_too_large",
    method: m.createInode,
    spec: "Permission, set-id and sticky bits: 0 to 0o7777 (4095).",
    request: { ...base, type: FileType.REGULAR, mode: 0o10000 },
    expect: invalidArgument("mode"),
  }),
  rejects({
    id: "metaserver.create_inode.type_unspecified",
    method: m.createInode,
    spec: "The kind of inode; a defined value other than FILE_TYPE_UNSPECIFIED.",
    request: { ...base, type: FileType.UNSPECIFIED },
    expect: invalidArgument("type"),
  }),
  rejects({
    id: "metaserver.create_inode.time_missing",
    method: m.createInode,
    spec: "The time of the operation: atime, mtime and ctime of the new inode. Required.",
    request: { fsId: 1, partitionId: 1, parentInodeId: 1n, type: FileType.REGULAR },
    expect: invalidArgument("time"),
  }),
  rejects({
    id: "metaserver.create_inode.symlink_target_too_long",
    method: m.createInode,
    spec: "The symlink target: 1 to 4095 bytes for FILE_TYPE_SYMLINK",
    request: { ...base, type: FileType.SYMLINK, symlinkTarget: "t".repeat(4096) },
    expect: invalidArgument("symlink_target"),
  }),
  rejects({
    id: "metaserver.create_inode.unknown_partition",
    method: m.createInode,
    spec: "`not_found` ERROR_REASON_PARTITION_NOT_FOUND: … The caller's route is stale: refresh it from the MDS and retry.",
    request: { ...base, partitionId: UNKNOWN_PARTITION_ID, type: FileType.REGULAR },
    expect: { code: Code.NotFound, reason: ErrorReason.PARTITION_NOT_FOUND },
  }),
  rejects({
    id: "metaserver.get_inode.inode_id_zero",
    method: m.getInode,
    spec: "The inode; > 0.",
    request: { fsId: 1, partitionId: 1, inodeId: 0n },
    expect: invalidArgument("inode_id"),
  }),
  rejects({
    id: "metaserver.batch_get_inode_attr.no_ids",
    method: m.batchGetInodeAttr,
    spec: "The inodes: 1 to 1000 distinct ids, each > 0.",
    request: { fsId: 1, partitionId: 1, inodeIds: [] },
    expect: invalidArgument("inode_ids"),
  }),
  rejects({
    id: "metaserver.batch_get_inode_attr.duplicate_ids",
    method: m.batchGetInodeAttr,
    spec: "The inodes: 1 to 1000 distinct ids, each > 0.",
    request: { fsId: 1, partitionId: 1, inodeIds: [3n, 3n] },
    expect: invalidArgument("inode_ids"),
  }),
  rejects({
    id: "metaserver.update_inode.time_missing",
    method: m.updateInode,
    spec: "The time of the operation. Required.",
    request: { fsId: 1, partitionId: 1, inodeId: 3n, length: 1n },
    expect: invalidArgument("time"),
  }),
  rejects({
    id: "metaserver.update_inode.duplicate_chunk_index",
    method: m.updateInode,
    spec: "each chunk index may appear once (rule update_inode_request.chunk_indexes_unique).",
    request: {
      fsId: 1,
      partitionId: 1,
      inodeId: 3n,
      time: at(0),
      s3ChunkInfoAppends: [
        { chunkIndex: 0n, infos: [{ chunkId: 1n, len: 10n, size: 10n }] },
        { chunkIndex: 0n, infos: [{ chunkId: 2n, len: 10n, size: 10n }] },
      ],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.delete_inode.root",
    method: m.deleteInode,
    spec: "The inode to delete; > 0, never 1 (root) or 2 (recycle).",
    request: { fsId: 1, partitionId: 1, inodeId: 1n },
    expect: invalidArgument("inode_id"),
  }),
  rejects({
    id: "metaserver.delete_inode.recycle",
    method: m.deleteInode,
    spec: "The inode to delete; > 0, never 1 (root) or 2 (recycle).",
    request: { fsId: 1, partitionId: 1, inodeId: 2n },
    expect: invalidArgument("inode_id"),
  }),
  steps({
    id: "metaserver.get_inode.root_directory",
    method: m.getInode,
    spec: "Creates the root directory of a file system: inode 1, FILE_TYPE_DIRECTORY, … nlink 2, length 4096, an empty parent list",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: 1n });
      const attr = inode?.attr;
      check(attr?.type === FileType.DIRECTORY, `root type ${attr?.type}`);
      check(
        attr.nlink === 2 && attr.length === 4096n,
        `root nlink ${attr.nlink}, length ${attr.length}`,
      );
      check(
        attr.parentInodeIds.length === 0 && attr.fsId === p.fsId,
        "root has parents or another fs id",
      );
    },
  }),
  steps({
    id: "metaserver.get_inode.not_found",
    method: m.getInode,
    spec: "`not_found` ERROR_REASON_INODE_NOT_FOUND: no inode has this id.",
    reasons: [ErrorReason.INODE_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(p.meta.getInode({ ...on(p), inodeId: 4242n }), inodeNotFound);
    },
  }),
  steps({
    id: "metaserver.get_inode.out_of_range",
    method: m.getInode,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: … the routed inode id … lies outside the partition's range.",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(p.meta.getInode({ ...on(p), inodeId: p.end + 1n }), {
        code: Code.InvalidArgument,
        reason: ErrorReason.PARTITION_MISMATCH,
      });
    },
  }),
  steps({
    id: "metaserver.batch_get_inode_attr.order_and_missing",
    method: m.batchGetInodeAttr,
    spec: "the response holds the attributes of the ids that exist, in the order of the request, and lists the ids that do not exist in `missing_inode_ids`",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const a = await createInode(p);
      const b = await createInode(p);
      const reply = await p.meta.batchGetInodeAttr({
        ...on(p),
        inodeIds: [b.inodeId, 9999n, 1n, a.inodeId],
      });
      const got = reply.attrs.map((attr) => attr.inodeId).join(",");
      check(got === `${b.inodeId},1,${a.inodeId}`, `attrs ${got}`);
      check(
        reply.missingInodeIds.join(",") === "9999",
        `missing ${reply.missingInodeIds.join(",")}`,
      );
      check(reply.unprocessedInodeIds.length === 0, "small attributes left unprocessed ids");
    },
  }),
  steps({
    id: "metaserver.batch_get_inode_attr.one_out_of_range",
    method: m.batchGetInodeAttr,
    spec: "All ids must lie in the partition's range: one that does not fails the whole call with PARTITION_MISMATCH.",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(p.meta.batchGetInodeAttr({ ...on(p), inodeIds: [1n, p.end + 1n] }), {
        code: Code.InvalidArgument,
        reason: ErrorReason.PARTITION_MISMATCH,
      });
    },
  }),
  steps({
    id: "metaserver.create_inode.regular_file_attributes",
    method: m.createInode,
    spec: "The inode gets `type`, `mode`, `uid`, `gid`, …, parent list [`parent_inode_id`], atime = mtime = ctime = `time`, nlink 2 for a directory and 1 otherwise, and length 4096 for a directory, the target's byte length for a symlink, 0 otherwise.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p, { mode: 0o640, uid: 7, gid: 8, time: at(4000) });
      check(
        file.type === FileType.REGULAR && file.mode === 0o640 && file.uid === 7 && file.gid === 8,
        "type/mode/uid/gid not as requested",
      );
      check(file.nlink === 1 && file.length === 0n, `nlink ${file.nlink}, length ${file.length}`);
      check(file.parentInodeIds.join(",") === "1", `parents ${file.parentInodeIds.join(",")}`);
      const t = at(4000).seconds;
      check(
        file.atime?.seconds === t && file.mtime?.seconds === t && file.ctime?.seconds === t,
        "times are not the request's time",
      );
      const dir = await createInode(p, { type: FileType.DIRECTORY });
      check(
        dir.nlink === 2 && dir.length === 4096n,
        `directory nlink ${dir.nlink}, length ${dir.length}`,
      );
      const link = await createInode(p, { type: FileType.SYMLINK, symlinkTarget: "ünï/x" });
      check(
        link.length === BigInt(Buffer.byteLength("ünï/x")),
        `symlink length ${link.length}, expected the target's byte length`,
      );
      check(link.symlinkTarget === "ünï/x", "symlink target not stored");
    },
  }),
  steps({
    id: "metaserver.create_inode.ids_in_range_never_reused",
    method: m.createInode,
    spec: "Inside the Raft apply the partition hands out its next id (the first is max(start, 3) …) … Not idempotent: a retry after a lost reply creates a second inode",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const first = await createInode(p);
      const second = await createInode(p);
      check(
        first.inodeId >= 3n && first.inodeId >= p.start && first.inodeId <= p.end,
        `first id ${first.inodeId} outside [max(start,3), end]`,
      );
      check(second.inodeId !== first.inodeId, "two CreateInode calls returned the same id");
    },
  }),
  steps({
    id: "metaserver.create_inode.read_only_after_last_id",
    method: m.createInode,
    spec: "Id exhaustion: the call that hands out the partition's last id (`end`) succeeds and, in the same entry, turns the partition READ_ONLY … Later calls fail with PARTITION_READ_ONLY",
    reasons: [ErrorReason.PARTITION_READ_ONLY],
    run: async (ctx) => {
      const p = await extraPartition(ctx, await newPartition(ctx), {
        start: 1n << 40n,
        end: (1n << 40n) + 1n,
      });
      await createInode(p);
      const last = await createInode(p);
      check(last.inodeId === p.end, `the last id handed out is ${last.inodeId}, expected ${p.end}`);
      await expectError(createInode(p), {
        code: Code.FailedPrecondition,
        reason: ErrorReason.PARTITION_READ_ONLY,
      });
      const status = await p.meta.createPartition({
        partition: {
          fsId: p.fsId,
          poolId: p.poolId,
          copysetId: p.copysetId,
          partitionId: p.partitionId,
          start: p.start,
          end: p.end,
        },
        fsType: FsType.S3,
      });
      check(
        status.partition?.status === PartitionStatus.READ_ONLY,
        `partition status ${status.partition?.status}, expected READ_ONLY`,
      );
    },
  }),
  steps({
    id: "metaserver.create_inode.xattrs_too_large",
    method: m.createInode,
    spec: "`invalid_argument` ERROR_REASON_TOO_LARGE: the xattrs total more than 65536 bytes of names plus values.",
    reasons: [ErrorReason.TOO_LARGE],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(createInode(p, { xattrs: bigXattrs(17) }), tooLarge);
      await createInode(p, { xattrs: bigXattrs(16) });
    },
  }),
  steps({
    id: "metaserver.update_inode.sets_present_fields_only",
    method: m.updateInode,
    spec: "Changes exactly the attributes present in the request … Absent fields are left as they are. `xattrs` and `parents` are wrapper messages: present (even with an empty list) replaces the whole map / list, absent leaves it.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p, {
        mode: 0o600,
        uid: 5,
        xattrs: { "user.a": new Uint8Array([1]) },
      });
      const { attr } = await p.meta.updateInode({
        ...on(p),
        inodeId: file.inodeId,
        time: at(9000),
        length: 12345n,
        mtime: at(9000),
        parents: { inodeIds: [1n, 1n] },
      });
      check(
        attr?.length === 12345n && attr.mtime?.seconds === at(9000).seconds,
        "length or mtime not set",
      );
      check(attr.mode === 0o600 && attr.uid === 5, "absent mode/uid changed");
      check(attr.parentInodeIds.join(",") === "1,1", `parents ${attr.parentInodeIds.join(",")}`);
      check(Object.keys(attr.xattrs).join(",") === "user.a", "absent xattrs changed");
      const cleared = await p.meta.updateInode({
        ...on(p),
        inodeId: file.inodeId,
        time: at(9001),
        xattrs: { entries: {} },
      });
      check(
        Object.keys(cleared.attr?.xattrs ?? {}).length === 0,
        "an empty xattrs wrapper did not remove them",
      );
    },
  }),
  steps({
    id: "metaserver.update_inode.nlink_zero_enters_trash",
    method: m.updateInode,
    spec: "when the request sets nlink to 0 on an inode whose nlink is > 0, the inode enters the partition's trash with `dtime` := `time`. It stays readable and updatable (an open file), but its nlink can never be raised again.",
    reasons: [ErrorReason.INODE_IN_TRASH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p);
      const { attr } = await p.meta.updateInode({
        ...on(p),
        inodeId: file.inodeId,
        nlink: 0,
        time: at(7000),
      });
      check(
        attr?.nlink === 0 && attr.dtime?.seconds === at(7000).seconds,
        "dtime is not the request's time",
      );
      await p.meta.updateInode({ ...on(p), inodeId: file.inodeId, length: 10n, time: at(7100) });
      await expectError(
        p.meta.updateInode({ ...on(p), inodeId: file.inodeId, nlink: 1, time: at(7200) }),
        inTrash,
      );
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: file.inodeId });
      check(
        inode?.attr?.length === 10n && inode.attr.nlink === 0,
        "the trashed inode is not readable as updated",
      );
    },
  }),
  steps({
    id: "metaserver.update_inode.not_found",
    method: m.updateInode,
    spec: "`not_found` ERROR_REASON_INODE_NOT_FOUND: no inode has this id.",
    reasons: [ErrorReason.INODE_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.updateInode({ ...on(p), inodeId: 5555n, length: 1n, time: at(1) }),
        inodeNotFound,
      );
    },
  }),
  steps({
    id: "metaserver.update_inode.xattrs_too_large_changes_nothing",
    method: m.updateInode,
    spec: "`invalid_argument` ERROR_REASON_TOO_LARGE: the new xattrs total more than 65536 bytes of names plus values. Nothing is changed when the call fails.",
    reasons: [ErrorReason.TOO_LARGE],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p);
      await expectError(
        p.meta.updateInode({
          ...on(p),
          inodeId: file.inodeId,
          time: at(1),
          length: 99n,
          xattrs: { entries: bigXattrs(17) },
        }),
        tooLarge,
      );
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: file.inodeId });
      check(inode?.attr?.length === 0n, "a failed UpdateInode changed the length");
    },
  }),
  steps({
    id: "metaserver.update_inode.chunk_infos_on_directory",
    method: m.updateInode,
    spec: "`failed_precondition` ERROR_REASON_INODE_TYPE_MISMATCH: chunk infos were given for an inode that is not a regular file.",
    reasons: [ErrorReason.INODE_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const dir = await createInode(p, { type: FileType.DIRECTORY });
      await expectError(
        p.meta.updateInode({
          ...on(p),
          inodeId: dir.inodeId,
          time: at(1),
          s3ChunkInfoAppends: [{ chunkIndex: 0n, infos: [{ chunkId: 1n, len: 4n, size: 4n }] }],
        }),
        { code: Code.FailedPrecondition, reason: ErrorReason.INODE_TYPE_MISMATCH },
      );
    },
  }),
  steps({
    id: "metaserver.update_inode.flush_is_idempotent",
    method: m.updateInode,
    spec: "appends S3 chunk infos (as AppendS3ChunkInfo does, same rules), so that a flush records its data, the new length and mtime atomically. … Idempotent: every field sets an absolute value and appends skip chunk ids already present",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p);
      const flush = {
        ...on(p),
        inodeId: file.inodeId,
        time: at(2),
        length: 100n,
        mtime: at(2),
        s3ChunkInfoAppends: [
          { chunkIndex: 0n, infos: [{ chunkId: 41n, offset: 0n, len: 100n, size: 100n }] },
        ],
      };
      await p.meta.updateInode(flush);
      await p.meta.updateInode(flush);
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: file.inodeId });
      const infos = inode?.s3ChunkInfos["0"]?.infos ?? [];
      check(
        infos.length === 1 && infos[0]?.chunkId === 41n,
        `chunk index 0 holds ${infos.length} infos after a repeated flush`,
      );
      check(
        inode?.attr?.length === 100n && inode.attr.s3ChunkInfoCount === 1n,
        "length or s3_chunk_info_count wrong",
      );
    },
  }),
  steps({
    id: "metaserver.delete_inode.then_gone_and_repeat_ok",
    method: m.deleteInode,
    spec: "Deletes an inode record … whatever its nlink. … Idempotent: deleting an inode that does not exist returns OK.",
    reasons: [ErrorReason.INODE_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "linked");
      await p.meta.deleteInode({ ...on(p), inodeId: file.inodeId });
      await expectError(p.meta.getInode({ ...on(p), inodeId: file.inodeId }), inodeNotFound);
      await p.meta.deleteInode({ ...on(p), inodeId: file.inodeId });
      const { dentry } = await p.meta.getDentry({ ...on(p), parentInodeId: 1n, name: "linked" });
      check(dentry?.inodeId === file.inodeId, "DeleteInode touched the dentry");
    },
  }),
  steps({
    id: "metaserver.delete_inode.wrong_fs",
    method: m.deleteInode,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: `fs_id` differs from the partition's",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p);
      await expectError(p.meta.deleteInode({ ...on(p), fsId: p.fsId + 1, inodeId: file.inodeId }), {
        code: Code.InvalidArgument,
        reason: ErrorReason.PARTITION_MISMATCH,
      });
      await p.meta.getInode({ ...on(p), inodeId: file.inodeId });
    },
  }),
];
