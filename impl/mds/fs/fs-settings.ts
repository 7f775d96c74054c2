/**
 * The settings of a file system as CreateFs sees them: building the record of a new fs, the
 * "identical" rule of CreateFs's idempotency, and what a caller may see of a record.
 */
import { create, equals } from "@bufbuild/protobuf";
import {
  FsType,
  type S3Info,
  S3InfoSchema,
  type VolumeInfo,
  VolumeInfoSchema,
} from "../../gen/curve/common/v1/common_pb.js";
import {
  type CreateFsRequest,
  type FsInfo,
  FsInfoSchema,
  FsStatus,
} from "../../gen/curve/mds/v1/mds_pb.js";

/** The root directory of every fs. */
export const ROOT_INODE_ID = 1n;
/** The recycle directory, when the recycle bin is enabled. */
export const RECYCLE_INODE_ID = 2n;
/** The recycle directory's name in the root. */
export const RECYCLE_DIR_NAME = ".recycle";
/** S3 signs with this region when none is given. */
const DEFAULT_S3_REGION = "us-east-1";

/** The fs type a request asks for (which storage settings it carries). */
export function fsTypeOf(request: Pick<CreateFsRequest, "detail">): FsType {
  switch (request.detail.case) {
    case "s3Info":
      return FsType.S3;
    case "volumeInfo":
      return FsType.VOLUME;
    default:
      return FsType.UNSPECIFIED;
  }
}

/** The NEW record of a file system about to be created. */
export function newFsRecord(fsId: number, request: CreateFsRequest): FsInfo {
  const detail: FsInfo["detail"] =
    request.detail.case === "s3Info"
      ? {
          case: "s3Info",
          value: create(S3InfoSchema, { ...request.detail.value, secretKeySet: true }),
        }
      : request.detail.case === "volumeInfo"
        ? { case: "volumeInfo", value: request.detail.value }
        : { case: undefined };
  return create(FsInfoSchema, {
    fsId,
    fsName: request.fsName,
    status: FsStatus.NEW,
    rootInodeId: ROOT_INODE_ID,
    capacity: request.capacity,
    blockSize: request.blockSize,
    fsType: fsTypeOf(request),
    detail,
    mountpoints: [],
    enableSumInDir: request.enableSumInDir,
    owner: request.owner,
    txSequence: 0n,
    txOwner: "",
    recycleTimeHours: request.recycleTimeHours ?? 0,
    usedBytes: 0n,
  });
}

/**
 * CreateFs's "identical" (mds.proto): the storage type, `block_size`, `recycle_time_hours`
 * (absent = 0) and every field of the storage settings (an empty S3 region = "us-east-1").
 * Capacity, owner and enable_sum_in_dir are not compared: they may have changed since.
 */
export function sameSettings(stored: FsInfo, request: CreateFsRequest): boolean {
  if (stored.fsType !== fsTypeOf(request)) return false;
  if (stored.blockSize !== request.blockSize) return false;
  if (stored.recycleTimeHours !== (request.recycleTimeHours ?? 0)) return false;
  if (stored.detail.case === "s3Info" && request.detail.case === "s3Info") {
    return sameS3(stored.detail.value, request.detail.value);
  }
  if (stored.detail.case === "volumeInfo" && request.detail.case === "volumeInfo") {
    return sameVolume(stored.detail.value, request.detail.value);
  }
  return false;
}

function sameS3(a: S3Info, b: S3Info): boolean {
  return (
    a.endpoint === b.endpoint &&
    a.bucket === b.bucket &&
    a.accessKey === b.accessKey &&
    a.secretKey === b.secretKey &&
    a.blockSize === b.blockSize &&
    a.chunkSize === b.chunkSize &&
    a.objectPrefix === b.objectPrefix &&
    (a.region || DEFAULT_S3_REGION) === (b.region || DEFAULT_S3_REGION)
  );
}

function sameVolume(a: VolumeInfo, b: VolumeInfo): boolean {
  return equals(VolumeInfoSchema, a, b);
}

/** The record as callers may see it: the S3 secret key cleared, `secret_key_set` true. */
export function redactFs(info: FsInfo): FsInfo {
  if (info.detail.case !== "s3Info") return info;
  return {
    ...info,
    detail: { case: "s3Info", value: { ...info.detail.value, secretKey: "", secretKeySet: true } },
  };
}
