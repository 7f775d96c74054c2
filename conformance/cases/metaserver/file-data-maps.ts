/**
 * The data maps of regular files: AppendS3ChunkInfo (S3 file systems) and GetVolumeExtent /
 * UpdateVolumeExtent (VOLUME file systems, on a VOLUME partition made in the fixture's copyset).
 */
import { Code } from "@connectrpc/connect";
import { FsType } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import type { CaseContext } from "../../runner/case-context.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { type ExpectedError, expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  createInode,
  extraPartition,
  type FsPartition,
  newPartition,
  on,
} from "./partition-fixture.js";

const m = MetaServerService.method;
const fsTypeMismatch: ExpectedError = {
  code: Code.FailedPrecondition,
  reason: ErrorReason.FS_TYPE_MISMATCH,
};
const typeMismatch: ExpectedError = {
  code: Code.FailedPrecondition,
  reason: ErrorReason.INODE_TYPE_MISMATCH,
};
const inodeNotFound: ExpectedError = { code: Code.NotFound, reason: ErrorReason.INODE_NOT_FOUND };
const base = { fsId: 1, partitionId: 1, inodeId: 3n };

function info(chunkId: bigint, offset: bigint, len: bigint) {
  return { chunkId, offset, len, size: len };
}

/** A VOLUME partition in the fixture's copyset. */
async function volumePartition(ctx: CaseContext): Promise<FsPartition> {
  return extraPartition(ctx, await newPartition(ctx), { start: 1n << 42n, fsType: FsType.VOLUME });
}

async function extentsOf(p: FsPartition, inodeId: bigint): Promise<string> {
  const { extents } = await p.meta.getVolumeExtent({ ...on(p), inodeId });
  return extents.map((e) => `${e.fileOffset}+${e.length}@${e.volumeOffset}`).join(" ");
}

export const fileDataMapCases: ConformanceCase[] = [
  rejects({
    id: "metaserver.append_s3_chunk_info.no_appends",
    method: m.appendS3ChunkInfo,
    spec: "The infos to append: 1 to 256 chunk indexes, each at most once.",
    request: { ...base, appends: [] },
    expect: invalidArgument("appends"),
  }),
  rejects({
    id: "metaserver.append_s3_chunk_info.chunk_id_zero",
    method: m.appendS3ChunkInfo,
    spec: "The chunk id, allocated by MdsService.AllocateS3Chunk … Must be > 0.",
    request: { ...base, appends: [{ chunkIndex: 0n, infos: [info(0n, 0n, 4n)] }] },
    expect: invalidArgument("appends.infos.chunk_id"),
  }),
  rejects({
    id: "metaserver.append_s3_chunk_info.len_zero",
    method: m.appendS3ChunkInfo,
    spec: "The logical length of the range, in bytes: 1 to 1 GiB (1073741824).",
    request: { ...base, appends: [{ chunkIndex: 0n, infos: [info(5n, 0n, 0n)] }] },
    expect: invalidArgument("appends.infos.len"),
  }),
  rejects({
    id: "metaserver.append_s3_chunk_info.zero_info_with_size",
    method: m.appendS3ChunkInfo,
    spec: "a zero info has no object: size must be 0 (rule s3_chunk_info.zero_has_no_size).",
    request: {
      ...base,
      appends: [{ chunkIndex: 0n, infos: [{ ...info(5n, 0n, 8n), zero: true }] }],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.append_s3_chunk_info.duplicate_chunk_ids",
    method: m.appendS3ChunkInfo,
    spec: "the chunk ids of one append must be unique (rule s3_chunk_info_append.chunk_ids_unique).",
    request: {
      ...base,
      appends: [{ chunkIndex: 0n, infos: [info(5n, 0n, 8n), info(5n, 8n, 8n)] }],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.get_volume_extent.page_size_too_large",
    method: m.getVolumeExtent,
    spec: "The maximum number of extents to return: 0 means 1000; at most 10000.",
    request: { ...base, pageSize: 10001 },
    expect: invalidArgument("page_size"),
  }),
  rejects({
    id: "metaserver.update_volume_extent.no_extents",
    method: m.updateVolumeExtent,
    spec: "The extents to record, applied in order: 1 to 10000.",
    request: { ...base, extents: [] },
    expect: invalidArgument("extents"),
  }),
  rejects({
    id: "metaserver.update_volume_extent.length_zero",
    method: m.updateVolumeExtent,
    spec: "The number of bytes; > 0.",
    request: { ...base, extents: [{ fileOffset: 0n, volumeOffset: 0n, length: 0n }] },
    expect: invalidArgument("extents.length"),
  }),
  steps({
    id: "metaserver.append_s3_chunk_info.appends_in_order_and_skips_known_ids",
    method: m.appendS3ChunkInfo,
    spec: "Each info is appended at the end of its chunk index's list, so it wins over earlier infos where their ranges overlap. … Idempotent: an info whose chunk id was already appended to the same chunk index of the inode … is skipped",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p);
      const first = await p.meta.appendS3ChunkInfo({
        ...on(p),
        inodeId: file.inodeId,
        appends: [
          { chunkIndex: 0n, infos: [info(10n, 0n, 100n), info(11n, 50n, 10n)] },
          { chunkIndex: 2n, infos: [info(12n, 2n * 67108864n, 5n)] },
        ],
        returnChunkInfos: true,
      });
      check(first.appendedCount === 3, `appended_count ${first.appendedCount}, expected 3`);
      const order = first.s3ChunkInfos["0"]?.infos.map((i) => i.chunkId).join(",");
      check(order === "10,11", `chunk index 0 lists ${order}, expected 10,11 (oldest first)`);
      const retry = await p.meta.appendS3ChunkInfo({
        ...on(p),
        inodeId: file.inodeId,
        appends: [{ chunkIndex: 0n, infos: [info(11n, 50n, 10n), info(13n, 0n, 1n)] }],
        returnChunkInfos: true,
      });
      check(
        retry.appendedCount === 1,
        `a retry counted ${retry.appendedCount} appended, expected 1 (id 11 is known)`,
      );
      const after = retry.s3ChunkInfos["0"]?.infos.map((i) => i.chunkId).join(",");
      check(after === "10,11,13", `chunk index 0 lists ${after}, expected 10,11,13`);
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: file.inodeId });
      check(
        inode?.attr?.s3ChunkInfoCount === 4n,
        `s3_chunk_info_count ${inode?.attr?.s3ChunkInfoCount}, expected 4`,
      );
    },
  }),
  steps({
    id: "metaserver.append_s3_chunk_info.inode_missing",
    method: m.appendS3ChunkInfo,
    spec: "`not_found` ERROR_REASON_INODE_NOT_FOUND: no inode has this id.",
    reasons: [ErrorReason.INODE_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.appendS3ChunkInfo({
          ...on(p),
          inodeId: 4321n,
          appends: [{ chunkIndex: 0n, infos: [info(1n, 0n, 1n)] }],
        }),
        inodeNotFound,
      );
    },
  }),
  steps({
    id: "metaserver.append_s3_chunk_info.not_regular_file",
    method: m.appendS3ChunkInfo,
    spec: "`failed_precondition` ERROR_REASON_INODE_TYPE_MISMATCH: the inode is not a regular file.",
    reasons: [ErrorReason.INODE_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.appendS3ChunkInfo({
          ...on(p),
          inodeId: 1n,
          appends: [{ chunkIndex: 0n, infos: [info(1n, 0n, 1n)] }],
        }),
        typeMismatch,
      );
    },
  }),
  steps({
    id: "metaserver.append_s3_chunk_info.volume_fs",
    method: m.appendS3ChunkInfo,
    spec: "`failed_precondition` ERROR_REASON_FS_TYPE_MISMATCH: the file system is a VOLUME one.",
    reasons: [ErrorReason.FS_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await volumePartition(ctx);
      const file = await createInode(p);
      await expectError(
        p.meta.appendS3ChunkInfo({
          ...on(p),
          inodeId: file.inodeId,
          appends: [{ chunkIndex: 0n, infos: [info(1n, 0n, 1n)] }],
        }),
        fsTypeMismatch,
      );
    },
  }),
  steps({
    id: "metaserver.update_inode.chunk_infos_on_volume_fs",
    method: m.updateInode,
    spec: "`failed_precondition` ERROR_REASON_FS_TYPE_MISMATCH: chunk infos were given on a VOLUME file system.",
    reasons: [ErrorReason.FS_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await volumePartition(ctx);
      const file = await createInode(p);
      await expectError(
        p.meta.updateInode({
          ...on(p),
          inodeId: file.inodeId,
          time: file.ctime,
          s3ChunkInfoAppends: [{ chunkIndex: 0n, infos: [info(1n, 0n, 1n)] }],
        }),
        fsTypeMismatch,
      );
    },
  }),
  steps({
    id: "metaserver.get_volume_extent.s3_fs",
    method: m.getVolumeExtent,
    spec: "`failed_precondition` ERROR_REASON_FS_TYPE_MISMATCH: the file system is an S3 one.",
    reasons: [ErrorReason.FS_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p);
      await expectError(
        p.meta.getVolumeExtent({ ...on(p), inodeId: file.inodeId }),
        fsTypeMismatch,
      );
    },
  }),
  steps({
    id: "metaserver.get_volume_extent.inode_missing",
    method: m.getVolumeExtent,
    spec: "`not_found` ERROR_REASON_INODE_NOT_FOUND: no inode has this id.",
    reasons: [ErrorReason.INODE_NOT_FOUND],
    run: async (ctx) => {
      const p = await volumePartition(ctx);
      await expectError(
        p.meta.getVolumeExtent({ ...on(p), inodeId: p.start + 77n }),
        inodeNotFound,
      );
    },
  }),
  steps({
    id: "metaserver.update_volume_extent.s3_fs",
    method: m.updateVolumeExtent,
    spec: "`failed_precondition` ERROR_REASON_FS_TYPE_MISMATCH: the file system is an S3 one.",
    reasons: [ErrorReason.FS_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createInode(p);
      await expectError(
        p.meta.updateVolumeExtent({
          ...on(p),
          inodeId: file.inodeId,
          extents: [{ fileOffset: 0n, volumeOffset: 0n, length: 4096n }],
        }),
        fsTypeMismatch,
      );
    },
  }),
  steps({
    id: "metaserver.update_volume_extent.not_regular_file",
    method: m.updateVolumeExtent,
    spec: "`failed_precondition` ERROR_REASON_INODE_TYPE_MISMATCH: the inode is not a regular file.",
    reasons: [ErrorReason.INODE_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await volumePartition(ctx);
      const dir = await createInode(p, { type: FileType.DIRECTORY });
      await expectError(
        p.meta.updateVolumeExtent({
          ...on(p),
          inodeId: dir.inodeId,
          extents: [{ fileOffset: 0n, volumeOffset: 0n, length: 4096n }],
        }),
        typeMismatch,
      );
    },
  }),
  steps({
    id: "metaserver.update_volume_extent.replaces_range_idempotent",
    method: m.updateVolumeExtent,
    spec: "each extent replaces whatever the inode mapped in its file range (existing extents are trimmed or split), then is inserted. … Idempotent: replaying the same extents yields the same map.",
    run: async (ctx) => {
      const p = await volumePartition(ctx);
      const file = await createInode(p);
      const write = () =>
        p.meta.updateVolumeExtent({
          ...on(p),
          inodeId: file.inodeId,
          extents: [
            { fileOffset: 0n, volumeOffset: 1_048_576n, length: 12_288n, written: true },
            { fileOffset: 4096n, volumeOffset: 8_388_608n, length: 4096n, written: true },
          ],
        });
      await write();
      const once = await extentsOf(p, file.inodeId);
      check(
        once === "0+4096@1048576 4096+4096@8388608 8192+4096@1056768",
        `map after the split: ${once}`,
      );
      await write();
      const twice = await extentsOf(p, file.inodeId);
      check(twice === once, `a replay changed the map: ${twice}`);
    },
  }),
  steps({
    id: "metaserver.get_volume_extent.range_and_pages",
    method: m.getVolumeExtent,
    spec: "Returns the volume extents … that overlap the file range [`offset`, `offset` + `length`) …, whole (not clipped to the range), in ascending `file_offset` order, one page at a time.",
    run: async (ctx) => {
      const p = await volumePartition(ctx);
      const file = await createInode(p);
      await p.meta.updateVolumeExtent({
        ...on(p),
        inodeId: file.inodeId,
        extents: [0n, 1n, 2n, 3n].map((i) => ({
          fileOffset: i * 65536n,
          volumeOffset: (10n + i * 3n) * 65536n,
          length: 8192n,
        })),
      });
      const ranged = await p.meta.getVolumeExtent({
        ...on(p),
        inodeId: file.inodeId,
        offset: 70_000n,
        length: 70_000n,
      });
      const got = ranged.extents.map((e) => `${e.fileOffset}+${e.length}`).join(" ");
      check(got === "65536+8192 131072+8192", `range [70000, 140000) returned ${got}`);
      const seen: bigint[] = [];
      let pageToken = "";
      do {
        const page = await p.meta.getVolumeExtent({
          ...on(p),
          inodeId: file.inodeId,
          pageSize: 3,
          pageToken,
        });
        seen.push(...page.extents.map((e) => e.fileOffset));
        pageToken = page.nextPageToken;
      } while (pageToken !== "" && seen.length < 10);
      check(seen.join(",") === "0,65536,131072,196608", `pages returned ${seen.join(",")}`);
    },
  }),
];
