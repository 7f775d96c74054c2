/**
 * DeleteFs (mds.proto) and the background deletion of DELETING file systems: each partition is
 * deleted on its metaservers (polled until they report it removed) and then in the topology;
 * when none is left, the space of a VOLUME fs, the committed tx ids and finally the record go.
 */
import { CurveError } from "../../errors.js";
import { FsType, PartitionStatus } from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { type FsInfo, FsStatus } from "../../gen/curve/mds/v1/mds_pb.js";
import { type BackgroundLoop, startBackgroundLoop } from "../background-loop.js";
import type { FsDeps } from "./fs-deps.js";
import { requireFsById, requireFsByName } from "./fs-lookup.js";
import type { StoredFs } from "./fs-repository.js";
import type { TxIdRepository } from "./tx-id-repository.js";

/** A DeleteFs that keeps losing to concurrent changes of the record gives up after this. */
const MAX_DELETE_ATTEMPTS = 16;

/** DeleteFs: turns the fs DELETING and frees its name; returns it. */
export function deleteFs(deps: FsDeps, fsName: string, fsId: number | undefined): Promise<FsInfo> {
  return deps.nameLocks.run(fsName, async () => {
    for (let attempt = 0; attempt < MAX_DELETE_ATTEMPTS; attempt++) {
      const current = await findForDeletion(deps, fsName, fsId);
      if (current.info.status === FsStatus.DELETING) return current.info;
      if (current.info.mountpoints.length > 0) {
        throw new CurveError(
          ErrorReason.FS_BUSY,
          `file system "${fsName}" has ${current.info.mountpoints.length} mount point(s)`,
          { metadata: { fs_name: fsName } },
        );
      }
      const deleting = { ...current.info, status: FsStatus.DELETING };
      if (await deps.repo.markDeleting(current, deleting)) return deleting;
    }
    throw new CurveError(ErrorReason.STORAGE_FAILURE, `file system "${fsName}" kept changing`);
  });
}

async function findForDeletion(
  deps: FsDeps,
  fsName: string,
  fsId: number | undefined,
): Promise<StoredFs> {
  if (fsId === undefined) return requireFsByName(deps.repo, fsName);
  const fs = await requireFsById(deps.repo, fsId);
  if (fs.info.fsName !== fsName) {
    throw new CurveError(
      ErrorReason.FS_ID_NAME_MISMATCH,
      `file system ${fsId} is named "${fs.info.fsName}", not "${fsName}"`,
      { metadata: { fs_id: String(fsId), fs_name: fsName } },
    );
  }
  return fs;
}

/** Starts the leader's background deletion; `kick()` it after a DeleteFs. */
export function startFsDeletion(
  deps: FsDeps,
  txIds: TxIdRepository,
  signal: AbortSignal,
): BackgroundLoop {
  const { clock, config, logger } = deps.ctx;
  return startBackgroundLoop({
    name: "fs-deletion",
    clock,
    logger,
    signal,
    intervalMs: config.fsDeletionIntervalMs,
    run: async () => {
      for (const fs of await deps.repo.listAll()) {
        if (signal.aborted) return;
        if (fs.info.status !== FsStatus.DELETING) continue;
        await advanceDeletion(deps, txIds, fs.info.fsId).catch((error: unknown) => {
          if (!signal.aborted) {
            logger.warn({ fsId: fs.info.fsId, err: error }, "fs deletion did not finish this pass");
          }
        });
      }
    },
  });
}

/** One step of the deletion of one DELETING fs; removes the record once nothing is left. */
async function advanceDeletion(deps: FsDeps, txIds: TxIdRepository, fsId: number): Promise<void> {
  for (const partition of await deps.partitions.list(fsId)) {
    const location = await deps.partitions.locate(partition);
    const { removed } = await deps.metaServers.deletePartition(location, {
      fsId,
      partitionId: partition.partitionId,
    });
    if (removed) await deps.partitions.remove(partition);
    else if (partition.status !== PartitionStatus.DELETING) {
      await deps.partitions.markDeleting(partition);
    }
  }
  if ((await deps.partitions.list(fsId)).length > 0) return;
  const fs = await deps.repo.getById(fsId);
  if (!fs || fs.info.status !== FsStatus.DELETING) return;
  if (fs.info.fsType === FsType.VOLUME) await deps.spaces.destroy(fsId);
  await txIds.removeAll(fsId);
  // A record that changed meanwhile is looked at again by the next pass.
  if (!(await deps.repo.remove(fs))) return;
  deps.ctx.logger.info({ fsId, fsName: fs.info.fsName }, "file system deleted");
}
