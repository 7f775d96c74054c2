/**
 * GetFsInfo, ListFs and UpdateFs (mds.proto): looking file systems up and changing the settings
 * that may change after creation.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { FsInfo, UpdateFsRequest } from "../../gen/curve/mds/v1/mds_pb.js";
import type { FsDeps } from "./fs-deps.js";
import { changeFs, requireFsById, requireFsByName, requireInited } from "./fs-lookup.js";

/** One page of ListFs. */
export interface FsListing {
  readonly fileSystems: readonly FsInfo[];
  /** Empty when no fs follows. */
  readonly nextPageToken: string;
}

/** GetFsInfo: by id (any status), by name (NEW or INITED), or by both (which must agree). */
export async function getFsInfo(
  deps: FsDeps,
  fsId: number | undefined,
  fsName: string | undefined,
): Promise<FsInfo> {
  if (fsId === undefined) return (await requireFsByName(deps.repo, fsName ?? "")).info;
  const { info } = await requireFsById(deps.repo, fsId);
  if (fsName !== undefined && info.fsName !== fsName) {
    throw new CurveError(
      ErrorReason.FS_ID_NAME_MISMATCH,
      `file system ${fsId} is named "${info.fsName}", not "${fsName}"`,
      { metadata: { fs_id: String(fsId), fs_name: fsName } },
    );
  }
  return info;
}

/** ListFs: file systems in ascending id order, after the page token's id. */
export async function listFs(
  deps: FsDeps,
  pageSize: number,
  pageToken: string,
): Promise<FsListing> {
  const afterId = pageToken === "" ? 0 : parsePageToken(pageToken);
  const limit = pageSize === 0 ? deps.ctx.config.listFsDefaultPageSize : pageSize;
  const page = await deps.repo.list(afterId, limit);
  const last = page.items.at(-1);
  return {
    fileSystems: page.items.map((fs) => fs.info),
    nextPageToken: page.more && last ? pageTokenAfter(last.info.fsId) : "",
  };
}

/** UpdateFs: sets the capacity and/or owner of an INITED fs. */
export function updateFs(deps: FsDeps, request: UpdateFsRequest): Promise<FsInfo> {
  return changeFs(
    deps.repo,
    () => requireFsByName(deps.repo, request.fsName),
    ({ info }) => {
      requireInited(info);
      const capacity = request.capacity ?? info.capacity;
      if (capacity < info.usedBytes) {
        throw new CurveError(
          ErrorReason.CAPACITY_TOO_SMALL,
          `capacity ${capacity} is below the ${info.usedBytes} bytes in use`,
          { metadata: { fs_name: info.fsName } },
        );
      }
      const owner = request.owner ?? info.owner;
      if (capacity === info.capacity && owner === info.owner) return { result: info };
      const next = { ...info, capacity, owner };
      return { write: next, result: next };
    },
  );
}

/** Page tokens: base64url of "fs:<last id returned>". Opaque to callers; checked when parsed. */
const TOKEN_PATTERN = /^fs:(\d{1,10})$/;

function pageTokenAfter(fsId: number): string {
  return Buffer.from(`fs:${fsId}`).toString("base64url");
}

function parsePageToken(token: string): number {
  const match = TOKEN_PATTERN.exec(Buffer.from(token, "base64url").toString("utf8"));
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id) || id > 0xffff_ffff || pageTokenAfter(id) !== token) {
    throw new CurveError(ErrorReason.INVALID_ARGUMENT, "page_token was not returned by ListFs", {
      metadata: { field: "page_token" },
    });
  }
  return id;
}
