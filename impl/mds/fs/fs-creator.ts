/**
 * CreateFs (mds.proto): check the storage, store the record NEW, create the partitions, the
 * root directory and the recycle directory, mark it INITED; roll back on failure; resume a
 * NEW fs on an identical retry.
 */
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { CurveError } from "../../errors.js";
import { FsType, type PartitionInfo } from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { type CreateFsRequest, type FsInfo, FsStatus } from "../../gen/curve/mds/v1/mds_pb.js";
import { FileType } from "../../gen/curve/metaserver/v1/inode_pb.js";
import { ManageInodeType } from "../../gen/curve/metaserver/v1/metaserver_pb.js";
import type { FsDeps } from "./fs-deps.js";
import { changeFs, fsNotFound } from "./fs-lookup.js";
import type { StoredFs } from "./fs-repository.js";
import {
  newFsRecord,
  RECYCLE_DIR_NAME,
  RECYCLE_INODE_ID,
  ROOT_INODE_ID,
  sameSettings,
} from "./fs-settings.js";

/** The root directory: uid 0, gid 0, mode 01777 (sticky, world-writable), as in Curve. */
const ROOT_MODE = 0o1777;
/** The recycle directory: only its owner (root) may change it. */
const RECYCLE_MODE = 0o755;
/** A concurrent create that took the name first is compared with this request this often. */
const MAX_CREATE_ATTEMPTS = 3;
/** Rollback waits this many rounds for a metaserver to empty and remove a partition. */
const ROLLBACK_DELETE_ROUNDS = 5;

/** Creates (or finds, or resumes) the fs of `request`; returns it INITED. */
export function createFs(deps: FsDeps, request: CreateFsRequest): Promise<FsInfo> {
  return deps.nameLocks.run(request.fsName, () => createUnderNameLock(deps, request));
}

async function createUnderNameLock(deps: FsDeps, request: CreateFsRequest): Promise<FsInfo> {
  for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
    const existing = await deps.repo.getByName(request.fsName);
    if (existing) {
      if (!sameSettings(existing.info, request)) {
        throw new CurveError(
          ErrorReason.FS_ALREADY_EXISTS,
          `file system "${request.fsName}" exists with other settings`,
          { metadata: { fs_name: request.fsName, fs_id: String(existing.info.fsId) } },
        );
      }
      if (existing.info.status === FsStatus.INITED) return existing.info;
      return finishCreate(deps, existing);
    }
    await checkStorage(deps, request);
    const fsId = Number(await deps.ctx.ids.next("fs"));
    const stored = await deps.repo.insert(newFsRecord(fsId, request));
    if (stored) return finishCreate(deps, stored);
    // Another MDS (an earlier leader) took the name meanwhile: compare with what it stored.
  }
  throw new CurveError(ErrorReason.STORAGE_FAILURE, `the name "${request.fsName}" kept changing`);
}

/** Step (1): the storage settings must work before anything is stored. */
async function checkStorage(deps: FsDeps, request: CreateFsRequest): Promise<void> {
  if (request.detail.case === "s3Info") {
    await deps.probe.probeS3(request.detail.value, request.fsName);
    return;
  }
  if (request.detail.case === "volumeInfo") {
    const volumeName = request.detail.value.volumeName;
    const all = await deps.repo.listAll();
    const user = all.find(
      (fs) =>
        fs.info.detail.case === "volumeInfo" && fs.info.detail.value.volumeName === volumeName,
    );
    if (user) {
      throw new CurveError(
        ErrorReason.VOLUME_INFO_INVALID,
        `volume "${volumeName}" already backs file system ${user.info.fsId}`,
        { metadata: { volume_name: volumeName } },
      );
    }
  }
}

/** Steps (3) to (5) for a NEW fs, each idempotent; rolls back on failure. */
async function finishCreate(deps: FsDeps, stored: StoredFs): Promise<FsInfo> {
  const { info } = stored;
  try {
    const partitions = await deps.partitions.createInitial(
      info.fsId,
      info.fsType,
      deps.ctx.config.partitionsPerFs,
    );
    await createRootDirectories(deps, info, partitions);
    if (info.detail.case === "volumeInfo") await deps.spaces.init(info.fsId, info.detail.value);
    return await markInited(deps, info.fsId);
  } catch (error) {
    if (error instanceof CurveError && error.reason === ErrorReason.NOT_LEADER) throw error;
    await rollback(deps, info).catch((rollbackError: unknown) => {
      deps.ctx.logger.warn(
        { fsId: info.fsId, err: rollbackError },
        "CreateFs rollback did not finish; the fs stays NEW",
      );
    });
    throw error;
  }
}

/** Step (4): inode 1, and with a recycle bin inode 2 and its dentry ".recycle" in the root. */
async function createRootDirectories(
  deps: FsDeps,
  info: FsInfo,
  partitions: readonly PartitionInfo[],
): Promise<void> {
  const first = partitions.find((p) => p.start <= ROOT_INODE_ID && ROOT_INODE_ID <= p.end);
  if (!first) {
    throw new CurveError(ErrorReason.INTERNAL, `no partition of fs ${info.fsId} holds inode 1`);
  }
  const location = await deps.partitions.locate(first);
  const time = timestampFromMs(Date.now());
  const target = { fsId: info.fsId, partitionId: first.partitionId };
  await deps.metaServers.createRootInode(location, {
    ...target,
    uid: 0,
    gid: 0,
    mode: ROOT_MODE,
    time,
  });
  if (info.recycleTimeHours === 0) return;
  await deps.metaServers.createManageInode(location, {
    ...target,
    manageType: ManageInodeType.RECYCLE,
    uid: 0,
    gid: 0,
    mode: RECYCLE_MODE,
    time,
  });
  await deps.metaServers.createDentry(location, {
    ...target,
    parentInodeId: ROOT_INODE_ID,
    name: RECYCLE_DIR_NAME,
    inodeId: RECYCLE_INODE_ID,
    type: FileType.DIRECTORY,
    time,
    txId: 0n,
  });
}

/** Step (5). */
function markInited(deps: FsDeps, fsId: number): Promise<FsInfo> {
  return changeFs(
    deps.repo,
    async () => {
      const current = await deps.repo.getById(fsId);
      if (!current || current.info.status === FsStatus.DELETING) {
        throw fsNotFound(`file system ${fsId} was deleted while it was created`, {
          fs_id: String(fsId),
        });
      }
      return current;
    },
    (current) => {
      if (current.info.status === FsStatus.INITED) return { result: current.info };
      const inited = { ...current.info, status: FsStatus.INITED };
      return { write: inited, result: inited };
    },
  );
}

/**
 * Deletes what the create made: the partitions (on the metaservers, which drop the root and
 * recycle inodes with them, then in the topology), the volume's space, and the record with its
 * name. Throws when a step cannot finish: the record then stays NEW.
 */
async function rollback(deps: FsDeps, info: FsInfo): Promise<void> {
  for (const partition of await deps.partitions.list(info.fsId)) {
    const location = await deps.partitions.locate(partition);
    let removed = false;
    for (let round = 0; round < ROLLBACK_DELETE_ROUNDS && !removed; round++) {
      if (round > 0) await sleep(deps.ctx.config.metaServerRetryIntervalMs);
      removed = (
        await deps.metaServers.deletePartition(location, {
          fsId: info.fsId,
          partitionId: partition.partitionId,
        })
      ).removed;
    }
    if (!removed) throw new Error(`partition ${partition.partitionId} is still being emptied`);
    await deps.partitions.remove(partition);
  }
  if (info.fsType === FsType.VOLUME) await deps.spaces.destroy(info.fsId);
  const current = await deps.repo.getById(info.fsId);
  if (current && current.info.status === FsStatus.NEW && !(await deps.repo.remove(current))) {
    throw new Error("the record changed during the rollback");
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
