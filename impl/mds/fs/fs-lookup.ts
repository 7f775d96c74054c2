/**
 * Finding a file system the way the RPCs name it, with the spec's errors, and changing a record
 * with a read → decide → compare-and-swap loop.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { type FsInfo, FsStatus } from "../../gen/curve/mds/v1/mds_pb.js";
import type { FsRepository, StoredFs } from "./fs-repository.js";

/** A change of a record lost to a concurrent write this many times in a row is given up. */
const MAX_UPDATE_ATTEMPTS = 16;

/** The fs with this id, in any status, or `not_found` FS_NOT_FOUND. */
export async function requireFsById(repo: FsRepository, fsId: number): Promise<StoredFs> {
  const fs = await repo.getById(fsId);
  if (!fs) throw fsNotFound(`no file system has id ${fsId}`, { fs_id: String(fsId) });
  return fs;
}

/** The NEW or INITED fs with this name, or `not_found` FS_NOT_FOUND. */
export async function requireFsByName(repo: FsRepository, fsName: string): Promise<StoredFs> {
  const fs = await repo.getByName(fsName);
  if (!fs) throw fsNotFound(`no file system is named "${fsName}"`, { fs_name: fsName });
  return fs;
}

/** `failed_precondition` FS_NOT_INITED / FS_DELETING unless the fs is INITED. */
export function requireInited(info: FsInfo): void {
  if (info.status === FsStatus.INITED) return;
  if (info.status === FsStatus.DELETING) {
    throw new CurveError(ErrorReason.FS_DELETING, `file system ${info.fsId} is being deleted`, {
      metadata: { fs_id: String(info.fsId) },
    });
  }
  throw new CurveError(
    ErrorReason.FS_NOT_INITED,
    `file system "${info.fsName}" is still being created`,
    {
      metadata: { fs_name: info.fsName },
    },
  );
}

export function fsNotFound(message: string, metadata: Record<string, string>): CurveError {
  return new CurveError(ErrorReason.FS_NOT_FOUND, message, { metadata });
}

/** What a change decides, given the current record. */
export type FsChange<T> =
  /** Write `next` and return `result`. */
  | { readonly write: FsInfo; readonly result: T }
  /** Write nothing and return `result`. */
  | { readonly result: T };

/**
 * Applies `decide` to the current record and writes its outcome if the record did not change
 * meanwhile; on a lost race it reads again and decides again. `decide` may throw a CurveError
 * (the state forbids the change). `load` reads the record (and fails when it is gone).
 */
export async function changeFs<T>(
  repo: FsRepository,
  load: () => Promise<StoredFs>,
  decide: (current: StoredFs) => FsChange<T> | Promise<FsChange<T>>,
): Promise<T> {
  for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
    const current = await load();
    const change = await decide(current);
    if (!("write" in change)) return change.result;
    if (await repo.update(current, change.write)) return change.result;
  }
  throw new CurveError(
    ErrorReason.STORAGE_FAILURE,
    "the file system record kept changing; nothing was written",
  );
}
