/**
 * Conversions between the data path's plain types (file-data-port.ts) and the spec's messages,
 * for the metadata side's port implementation. File offsets are numbers here and `uint64`
 * bigints on the wire; a value beyond 2^53 - 1 cannot be represented and is rejected rather than
 * rounded.
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import {
  type Inode,
  type S3ChunkInfo,
  type S3ChunkInfoAppend,
  S3ChunkInfoAppendSchema,
  S3ChunkInfoSchema,
} from "../../gen/curve/metaserver/v1/inode_pb.js";
import type { ChunkInfo, ChunkInfoAppend, FileDataSnapshot } from "./file-data-port.js";

/** The length and chunk infos of a `GetInode` answer. */
export function dataSnapshotFromInode(inode: Inode): FileDataSnapshot {
  const chunkInfos = new Map<number, ChunkInfo[]>();
  for (const [index, list] of Object.entries(inode.s3ChunkInfos)) {
    chunkInfos.set(toSafeNumber(BigInt(index), "chunk index"), list.infos.map(chunkInfoFromProto));
  }
  return { length: toSafeNumber(inode.attr?.length ?? 0n, "length"), chunkInfos };
}

/** One chunk info of the wire. */
export function chunkInfoFromProto(info: S3ChunkInfo): ChunkInfo {
  return {
    chunkId: info.chunkId,
    compaction: info.compaction,
    offset: toSafeNumber(info.offset, "chunk info offset"),
    len: toSafeNumber(info.len, "chunk info len"),
    size: toSafeNumber(info.size, "chunk info size"),
    zero: info.zero,
  };
}

/** The `s3_chunk_info_appends` / `appends` field of a commit. */
export function appendsToProto(appends: readonly ChunkInfoAppend[]): S3ChunkInfoAppend[] {
  return appends.map((append) =>
    create(S3ChunkInfoAppendSchema, {
      chunkIndex: BigInt(append.chunkIndex),
      infos: append.infos.map(chunkInfoToProto),
    }),
  );
}

/** One chunk info for the wire. */
export function chunkInfoToProto(info: ChunkInfo): S3ChunkInfo {
  return create(S3ChunkInfoSchema, {
    chunkId: info.chunkId,
    compaction: info.compaction,
    offset: BigInt(info.offset),
    len: BigInt(info.len),
    size: BigInt(info.size),
    zero: info.zero,
  });
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CurveError(
      ErrorReason.TOO_LARGE,
      `${what} ${value} is beyond what this client supports (2^53 - 1)`,
    );
  }
  return Number(value);
}
