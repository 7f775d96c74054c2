/**
 * The seam between the client's data path (this folder) and its metadata side (impl/client/).
 *
 * The data path buffers writes, stores file bytes as objects (DESIGN §3) and reads them back;
 * it never speaks RPC. Everything it needs from the cluster goes through `FileDataPort`, which
 * the metadata side implements with its RPC layer, one port per mounted fs:
 *
 * - `allocateChunkIds(count)` → `MdsService.AllocateS3Chunk { fs_id, count }` → `begin_chunk_id`.
 * - `loadData(inodeId)` → `MetaServerService.GetInode` → `dataSnapshotFromInode(inode)`
 *   (proto-mapping.ts).
 * - `commit(inodeId, commit)` → `MetaServerService.UpdateInode { s3_chunk_info_appends:
 *   appendsToProto(commit.appends), length, mtime, ctime = mtime, time }` when `length` or
 *   `mtime` is present, else `AppendS3ChunkInfo { appends }`. Both are idempotent on the server
 *   (an info whose chunk id is already in its chunk index is skipped), so the port may retry a
 *   commit whose reply was lost.
 *
 * The data path keeps the request limits of the spec: every commit has at most 256 chunk
 * indexes with at most 256 infos each, every info lies inside one chunk and is at most 1 GiB,
 * and `count` is 1 to 1000. It calls `commit` only after every object its infos name is stored,
 * so an info never points to a missing object.
 *
 * Usage from the metadata side: `new FileDataClient({ layout, store, port })` once per mount
 * (file-data-client.ts), then `client.open(inodeId)` per open file; the returned handle has
 * write/read/truncate/flush/close and streaming variants.
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";

/**
 * One S3 chunk info (inode.proto `S3ChunkInfo`), with file offsets as numbers: the data path
 * supports files up to 2^53 - 1 bytes.
 */
export interface ChunkInfo {
  readonly chunkId: bigint;
  readonly compaction: bigint;
  /** File offset of the first byte. */
  readonly offset: number;
  /** Logical length in bytes, > 0. */
  readonly len: number;
  /** Stored bytes: equal to `len` for data, 0 for a zero info. */
  readonly size: number;
  /** A hole: reads as zeros, no object exists. */
  readonly zero: boolean;
}

/** Per chunk index (file offset / chunk size), its infos oldest first. */
export type ChunkInfoMap = ReadonlyMap<number, readonly ChunkInfo[]>;

/** Infos to append to one chunk index, oldest first. */
export interface ChunkInfoAppend {
  readonly chunkIndex: number;
  readonly infos: readonly ChunkInfo[];
}

/** What the data path needs to know about a file when it opens it. */
export interface FileDataSnapshot {
  /** The file length (`InodeAttr.length`). */
  readonly length: number;
  readonly chunkInfos: ChunkInfoMap;
}

/** One atomic change of an inode's data: infos to append, then attributes to set. */
export interface DataCommit {
  /** May be empty (a truncate that only sets the length). */
  readonly appends: readonly ChunkInfoAppend[];
  /** New file length, when it changes. */
  readonly length?: number;
  /** New modification (and status change) time, when data or length changed. */
  readonly mtime?: Timestamp;
}

/** What the data path asks of the metadata side, for one mounted fs. */
export interface FileDataPort {
  /** Reserves `count` (1 to 1000) fresh chunk ids and returns the first one. */
  allocateChunkIds(count: number): Promise<bigint>;
  /** The current length and chunk infos of a regular file. */
  loadData(inodeId: bigint): Promise<FileDataSnapshot>;
  /** Appends the infos and sets the attributes of a regular file, atomically. */
  commit(inodeId: bigint, commit: DataCommit): Promise<void>;
}
