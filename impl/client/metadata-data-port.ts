/**
 * The metadata side of the data path's port (data/file-data-port.ts), over the SDK's RPC layer:
 * chunk ids from the MDS, chunk infos and attributes from and to the inode's partition.
 */
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import type { DataCommit, FileDataPort, FileDataSnapshot } from "./data/file-data-port.js";
import { appendsToProto, dataSnapshotFromInode } from "./data/proto-mapping.js";
import type { MdsCaller } from "./mds-caller.js";
import type { Namespace } from "./namespace.js";

export class MetadataDataPort implements FileDataPort {
  constructor(
    private readonly ns: Namespace,
    private readonly mds: MdsCaller,
    /** Told how many bytes each commit stored, for the session's used-bytes report. */
    private readonly onStored: (bytes: number) => void,
  ) {}

  async allocateChunkIds(count: number): Promise<bigint> {
    // Not idempotent, but a repeat only skips ids (mds.proto AllocateS3Chunk): safe to retry.
    const response = await this.mds.call(
      ({ mds }, timeoutMs) => mds.allocateS3Chunk({ fsId: this.ns.fsId, count }, { timeoutMs }),
      true,
    );
    if (response.beginChunkId < 1n) {
      throw new CurveError(ErrorReason.INTERNAL, "AllocateS3Chunk returned chunk id 0");
    }
    return response.beginChunkId;
  }

  async loadData(inodeId: bigint): Promise<FileDataSnapshot> {
    return dataSnapshotFromInode(await this.ns.getInode(inodeId));
  }

  async commit(inodeId: bigint, commit: DataCommit): Promise<void> {
    const appends = appendsToProto(commit.appends);
    if (commit.length !== undefined || commit.mtime !== undefined) {
      await this.ns.updateInode(inodeId, {
        s3ChunkInfoAppends: appends,
        ...(commit.length === undefined ? {} : { length: BigInt(commit.length) }),
        ...(commit.mtime === undefined ? {} : { mtime: commit.mtime, ctime: commit.mtime }),
      });
    } else if (appends.length > 0) {
      const partition = await this.ns.partitions.partitionOf(inodeId);
      await this.ns.partitions.call(
        partition,
        (client, timeoutMs) =>
          client.appendS3ChunkInfo(
            { fsId: this.ns.fsId, partitionId: partition.partitionId, inodeId, appends },
            { timeoutMs },
          ),
        true,
      );
    }
    let stored = 0;
    for (const append of commit.appends) for (const info of append.infos) stored += info.size;
    if (stored > 0) this.onStored(stored);
  }
}
