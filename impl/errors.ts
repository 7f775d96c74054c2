/**
 * The one place that turns domain errors into Connect codes plus a `curve.common.v1.ErrorInfo`
 * detail (DESIGN §2). Domain modules throw `CurveError`; the server's error interceptor calls
 * `toConnectError` on everything a handler throws.
 */

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema, ErrorReason } from "./gen/curve/common/v1/error_pb.js";

/** Optional context of a `CurveError`. */
export interface CurveErrorOptions {
  /** With NOT_LEADER: the address of the server believed to lead. */
  readonly leaderHint?: string;
  /** With OVERLOADED and other resource_exhausted reasons: when to retry. */
  readonly retryAfterMs?: number;
  /** Structured context for logs and tools, e.g. `{ fs_name: "a" }`. */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/** A failure with a stable reason from the spec. */
export class CurveError extends Error {
  override readonly name = "CurveError";
  readonly leaderHint: string;
  readonly retryAfterMs: number;
  readonly metadata: Readonly<Record<string, string>>;

  constructor(
    readonly reason: ErrorReason,
    message: string,
    options: CurveErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.leaderHint = options.leaderHint ?? "";
    this.retryAfterMs = options.retryAfterMs ?? 0;
    this.metadata = options.metadata ?? {};
  }

  /** The Connect code this error is reported with. */
  get code(): Code {
    return codeOf(this.reason);
  }
}

/**
 * The fixed reason → code mapping. It must agree with the first word of each value's comment
 * in error.proto (a test holds the two together).
 */
const codeByReason: ReadonlyMap<ErrorReason, Code> = new Map([
  [ErrorReason.INVALID_ARGUMENT, Code.InvalidArgument],
  [ErrorReason.NOT_LEADER, Code.Unavailable],
  [ErrorReason.LEADER_UNKNOWN, Code.Unavailable],
  [ErrorReason.OVERLOADED, Code.ResourceExhausted],
  [ErrorReason.TOO_LARGE, Code.InvalidArgument],
  [ErrorReason.STORAGE_FAILURE, Code.Internal],
  [ErrorReason.DATA_CORRUPTED, Code.DataLoss],
  [ErrorReason.NOT_READY, Code.Unavailable],
  [ErrorReason.INTERNAL, Code.Internal],
  [ErrorReason.FS_NOT_FOUND, Code.NotFound],
  [ErrorReason.FS_ALREADY_EXISTS, Code.AlreadyExists],
  [ErrorReason.FS_NAME_INVALID, Code.InvalidArgument],
  [ErrorReason.FS_NOT_INITED, Code.FailedPrecondition],
  [ErrorReason.FS_DELETING, Code.FailedPrecondition],
  [ErrorReason.FS_BUSY, Code.FailedPrecondition],
  [ErrorReason.FS_ID_NAME_MISMATCH, Code.InvalidArgument],
  [ErrorReason.S3_INFO_INVALID, Code.InvalidArgument],
  [ErrorReason.VOLUME_INFO_INVALID, Code.InvalidArgument],
  [ErrorReason.MOUNTPOINT_CONFLICT, Code.AlreadyExists],
  [ErrorReason.MOUNTPOINT_NOT_FOUND, Code.NotFound],
  [ErrorReason.CAPACITY_TOO_SMALL, Code.InvalidArgument],
  [ErrorReason.TX_LOCK_TIMEOUT, Code.DeadlineExceeded],
  [ErrorReason.TX_LOCK_NOT_OWNED, Code.Aborted],
  [ErrorReason.TX_SEQUENCE_MISMATCH, Code.Aborted],
  [ErrorReason.TX_ID_BACKWARDS, Code.InvalidArgument],
  [ErrorReason.METASERVER_NOT_FOUND, Code.NotFound],
  [ErrorReason.CHUNKSERVER_NOT_FOUND, Code.NotFound],
  [ErrorReason.SERVER_ADDRESS_IN_USE, Code.AlreadyExists],
  [ErrorReason.SERVER_TOKEN_MISMATCH, Code.PermissionDenied],
  [ErrorReason.SERVER_IN_USE, Code.FailedPrecondition],
  [ErrorReason.POOL_NOT_FOUND, Code.NotFound],
  [ErrorReason.ZONE_NOT_FOUND, Code.NotFound],
  [ErrorReason.TOPOLOGY_NAME_TAKEN, Code.AlreadyExists],
  [ErrorReason.NOT_ENOUGH_SERVERS, Code.FailedPrecondition],
  [ErrorReason.COPYSET_NOT_FOUND, Code.NotFound],
  [ErrorReason.PARTITION_NOT_FOUND, Code.NotFound],
  [ErrorReason.SERVER_ADDRESS_MISMATCH, Code.PermissionDenied],
  [ErrorReason.INODE_NOT_FOUND, Code.NotFound],
  [ErrorReason.INODE_ALREADY_EXISTS, Code.AlreadyExists],
  [ErrorReason.DENTRY_NOT_FOUND, Code.NotFound],
  [ErrorReason.DENTRY_ALREADY_EXISTS, Code.AlreadyExists],
  [ErrorReason.PARTITION_MISMATCH, Code.InvalidArgument],
  [ErrorReason.PARTITION_READ_ONLY, Code.FailedPrecondition],
  [ErrorReason.PARTITION_DELETING, Code.FailedPrecondition],
  [ErrorReason.SYMLINK_TARGET_EMPTY, Code.InvalidArgument],
  [ErrorReason.TX_CONFLICT, Code.Aborted],
  [ErrorReason.S3_CHUNK_INFO_TOO_LARGE, Code.InvalidArgument],
  [ErrorReason.FS_TYPE_MISMATCH, Code.FailedPrecondition],
  [ErrorReason.PARTITION_ALREADY_EXISTS, Code.AlreadyExists],
  [ErrorReason.INODE_TYPE_MISMATCH, Code.FailedPrecondition],
  [ErrorReason.INODE_IN_TRASH, Code.FailedPrecondition],
  [ErrorReason.SPACE_NOT_INITED, Code.FailedPrecondition],
  [ErrorReason.SPACE_ALREADY_INITED, Code.AlreadyExists],
  [ErrorReason.NO_SPACE, Code.ResourceExhausted],
  [ErrorReason.EXTENT_INVALID, Code.InvalidArgument],
  [ErrorReason.SPACE_IN_USE, Code.FailedPrecondition],
  [ErrorReason.CHUNK_NOT_FOUND, Code.NotFound],
  [ErrorReason.CHUNK_ALREADY_EXISTS, Code.AlreadyExists],
  [ErrorReason.CHUNK_RANGE_INVALID, Code.InvalidArgument],
  [ErrorReason.SEQUENCE_BACKWARD, Code.FailedPrecondition],
  [ErrorReason.EPOCH_TOO_OLD, Code.FailedPrecondition],
  [ErrorReason.SNAPSHOT_CONFLICT, Code.FailedPrecondition],
  [ErrorReason.CHUNKSERVER_FULL, Code.ResourceExhausted],
  [ErrorReason.CLONE_SOURCE_INVALID, Code.FailedPrecondition],
  [ErrorReason.GROUP_NOT_FOUND, Code.NotFound],
  [ErrorReason.PEER_MISMATCH, Code.FailedPrecondition],
  [ErrorReason.CONF_CHANGE_IN_PROGRESS, Code.FailedPrecondition],
  [ErrorReason.PEER_ALREADY_MEMBER, Code.AlreadyExists],
  [ErrorReason.PEER_NOT_MEMBER, Code.NotFound],
  [ErrorReason.LEADER_TRANSFERRING, Code.Unavailable],
  [ErrorReason.GROUP_ALREADY_EXISTS, Code.AlreadyExists],
  [ErrorReason.CONF_CHANGE_INVALID, Code.InvalidArgument],
  [ErrorReason.SNAPSHOT_TRANSFER_INVALID, Code.FailedPrecondition],
  [ErrorReason.PEER_CATCHUP_FAILED, Code.Unavailable],
  [ErrorReason.GROUP_HEALTHY, Code.FailedPrecondition],
]);

/** The Connect code of a reason; `internal` for a reason this build does not know. */
export function codeOf(reason: ErrorReason): Code {
  return codeByReason.get(reason) ?? Code.Internal;
}

/**
 * The reason reported for a ConnectError raised below the domain (by Connect itself, e.g. a
 * request over `readMaxBytes`, or by the validation interceptor), so that every failure still
 * carries an ErrorInfo.
 */
function reasonForCode(code: Code): ErrorReason {
  switch (code) {
    case Code.InvalidArgument:
      return ErrorReason.INVALID_ARGUMENT;
    case Code.ResourceExhausted:
      return ErrorReason.OVERLOADED;
    case Code.Unavailable:
      return ErrorReason.NOT_READY;
    default:
      return ErrorReason.INTERNAL;
  }
}

/** Converts anything a handler threw into a ConnectError that carries exactly one ErrorInfo. */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof CurveError) {
    const info = create(ErrorInfoSchema, {
      reason: error.reason,
      message: error.message,
      leaderHint: error.leaderHint,
      retryAfterMs: error.retryAfterMs,
      metadata: { ...error.metadata },
    });
    return new ConnectError(
      error.message,
      error.code,
      undefined,
      [{ desc: ErrorInfoSchema, value: info }],
      error,
    );
  }
  const connectError =
    error instanceof ConnectError
      ? error
      : new ConnectError(
          error instanceof Error ? error.message : String(error),
          Code.Internal,
          undefined,
          [],
          error,
        );
  if (connectError.findDetails(ErrorInfoSchema).length > 0) return connectError;
  const info = create(ErrorInfoSchema, {
    reason: reasonForCode(connectError.code),
    message: connectError.rawMessage,
  });
  connectError.details.push({ desc: ErrorInfoSchema, value: info });
  return connectError;
}

/** Reads the ErrorInfo of a failed call on the client side (undefined when there is none). */
export function errorInfoOf(error: unknown) {
  return ConnectError.from(error).findDetails(ErrorInfoSchema)[0];
}
