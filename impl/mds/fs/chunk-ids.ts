/**
 * AllocateS3Chunk (mds.proto): fresh S3 chunk ids from the one cluster-wide "chunk" counter
 * (IdAllocator: bundles reserved by a checked, fenced compare-and-swap; first id 1; never twice).
 */
import { CurveError } from "../../errors.js";
import { FsType } from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { FsDeps } from "./fs-deps.js";
import { requireFsById, requireInited } from "./fs-lookup.js";

/** The first of `count` fresh chunk ids for an INITED S3 fs. */
export async function allocateS3Chunk(deps: FsDeps, fsId: number, count: number): Promise<bigint> {
  const { info } = await requireFsById(deps.repo, fsId);
  requireInited(info);
  if (info.fsType !== FsType.S3) {
    throw new CurveError(
      ErrorReason.FS_TYPE_MISMATCH,
      `file system ${fsId} is not an S3 file system`,
      {
        metadata: { fs_id: String(fsId) },
      },
    );
  }
  return deps.ctx.ids.next("chunk", count);
}
