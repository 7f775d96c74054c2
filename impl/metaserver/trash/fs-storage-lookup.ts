/**
 * How a metaserver learns where a file system keeps its data: the trash task needs an fs's
 * S3 settings (endpoint, bucket, block and chunk size, object prefix scheme) to name and delete
 * the objects of an inode, and partitions know only their fs id.
 *
 * Implementations: `MdsFsStorageLookup` (asks the MDS, the normal case) and
 * `StaticFsStorageLookup` (a fixed table, for standalone hosts and tests).
 */
import { CurveError } from "../../errors.js";
import type { S3Info } from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";

/** The port the trash task reads fs storage settings through. */
export interface FsStorageLookup {
  /**
   * The S3 settings of an S3 file system (without its secret key: the object store resolver
   * supplies secrets from the metaserver's own configuration).
   * @throws CurveError FS_NOT_FOUND when the fs is unknown, FS_TYPE_MISMATCH when it is not an
   *   S3 fs, or an unavailability of the source; the caller retries later.
   */
  s3InfoOf(fsId: number): Promise<S3Info>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** A fixed table of fs id → S3 settings. */
export class StaticFsStorageLookup implements FsStorageLookup {
  readonly #byFs: ReadonlyMap<number, S3Info>;

  constructor(byFs: ReadonlyMap<number, S3Info> = new Map()) {
    this.#byFs = byFs;
  }

  async s3InfoOf(fsId: number): Promise<S3Info> {
    const info = this.#byFs.get(fsId);
    if (info === undefined) {
      throw new CurveError(ErrorReason.FS_NOT_FOUND, `no S3 settings configured for fs ${fsId}`, {
        metadata: { fs_id: String(fsId) },
      });
    }
    return info;
  }

  async close(): Promise<void> {}
}
