/**
 * The errors a user of the SDK sees: POSIX-style codes (ENOENT, EEXIST, …) with the operation
 * and the path in the message, like Node's own `fs` errors. Applications switch on `code`; the
 * spec's `ErrorReason`, when the failure came from a server, is kept in `reason` for logs.
 *
 * `toClientError` is the one place that maps the spec's reasons (error.proto) and transport
 * failures onto codes; the SDK raises its own checks (ENOTEMPTY, EISDIR, …) directly.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { CurveError, errorInfoOf } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";

/** The codes the SDK reports, with the text shown after them. */
export const ERRNO_TEXT = {
  ENOENT: "no such file or directory",
  EEXIST: "file already exists",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  ENOTEMPTY: "directory not empty",
  ENAMETOOLONG: "name too long",
  EINVAL: "invalid argument",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  E2BIG: "argument list too long",
  ELOOP: "too many levels of symbolic links",
  EBUSY: "resource busy",
  EAGAIN: "resource temporarily unavailable",
  EACCES: "permission denied",
  EBADF: "bad file descriptor",
  ENODATA: "no data available",
  ETIMEDOUT: "operation timed out",
  EIO: "input/output error",
} as const;

export type Errno = keyof typeof ERRNO_TEXT;

export interface ClientErrorOptions {
  /** The operation, e.g. "mkdir". */
  readonly syscall?: string;
  /** The path the operation was about, as the user wrote it. */
  readonly path?: string;
  /** The spec's reason when a server reported the failure. */
  readonly reason?: ErrorReason;
  /** Extra words after the code text, e.g. the server's message for EIO. */
  readonly detail?: string;
  readonly cause?: unknown;
}

/** A failed SDK call: `code` is a POSIX errno name. */
export class ClientError extends Error {
  override readonly name = "ClientError";
  readonly syscall: string;
  readonly path: string;
  readonly reason: ErrorReason;

  constructor(
    readonly code: Errno,
    options: ClientErrorOptions = {},
  ) {
    super(formatMessage(code, options), { cause: options.cause });
    this.syscall = options.syscall ?? "";
    this.path = options.path ?? "";
    this.reason = options.reason ?? ErrorReason.UNSPECIFIED;
  }
}

function formatMessage(code: Errno, options: ClientErrorOptions): string {
  let message = `${code}: ${ERRNO_TEXT[code]}`;
  if (options.detail) message += ` (${options.detail})`;
  if (options.syscall) message += `, ${options.syscall}`;
  if (options.path) message += ` '${options.path}'`;
  return message;
}

/** Reason → errno, for reasons that keep one meaning whatever the operation. */
const errnoByReason: ReadonlyMap<ErrorReason, Errno> = new Map([
  [ErrorReason.FS_NOT_FOUND, "ENOENT"],
  [ErrorReason.INODE_NOT_FOUND, "ENOENT"],
  [ErrorReason.DENTRY_NOT_FOUND, "ENOENT"],
  [ErrorReason.MOUNTPOINT_NOT_FOUND, "ENOENT"],
  // The parent directory was removed while we worked in it.
  [ErrorReason.INODE_IN_TRASH, "ENOENT"],
  [ErrorReason.FS_ALREADY_EXISTS, "EEXIST"],
  [ErrorReason.DENTRY_ALREADY_EXISTS, "EEXIST"],
  [ErrorReason.INODE_TYPE_MISMATCH, "ENOTDIR"],
  [ErrorReason.INVALID_ARGUMENT, "EINVAL"],
  [ErrorReason.FS_NAME_INVALID, "EINVAL"],
  [ErrorReason.FS_ID_NAME_MISMATCH, "EINVAL"],
  [ErrorReason.S3_INFO_INVALID, "EINVAL"],
  [ErrorReason.CAPACITY_TOO_SMALL, "EINVAL"],
  [ErrorReason.PARTITION_MISMATCH, "EINVAL"],
  [ErrorReason.TOO_LARGE, "E2BIG"],
  [ErrorReason.S3_CHUNK_INFO_TOO_LARGE, "EFBIG"],
  [ErrorReason.NO_SPACE, "ENOSPC"],
  [ErrorReason.NOT_ENOUGH_SERVERS, "ENOSPC"],
  [ErrorReason.PARTITION_READ_ONLY, "ENOSPC"],
  [ErrorReason.FS_BUSY, "EBUSY"],
  [ErrorReason.FS_NOT_INITED, "EBUSY"],
  [ErrorReason.FS_DELETING, "EBUSY"],
  [ErrorReason.MOUNTPOINT_CONFLICT, "EBUSY"],
  [ErrorReason.PARTITION_DELETING, "EBUSY"],
  [ErrorReason.TX_LOCK_TIMEOUT, "EAGAIN"],
  [ErrorReason.TX_LOCK_NOT_OWNED, "EAGAIN"],
  [ErrorReason.TX_SEQUENCE_MISMATCH, "EAGAIN"],
  [ErrorReason.TX_CONFLICT, "EAGAIN"],
  [ErrorReason.FS_TYPE_MISMATCH, "EINVAL"],
]);

/** Transport codes (no ErrorInfo: the call never reached a handler) → errno. */
function errnoOfCode(code: Code): Errno {
  switch (code) {
    case Code.DeadlineExceeded:
      return "ETIMEDOUT";
    case Code.PermissionDenied:
    case Code.Unauthenticated:
      return "EACCES";
    case Code.InvalidArgument:
      return "EINVAL";
    default:
      return "EIO";
  }
}

/** The reason a failure carries: a CurveError's own, or the ErrorInfo of a ConnectError. */
export function reasonOf(error: unknown): ErrorReason | undefined {
  if (error instanceof CurveError) return error.reason;
  if (error instanceof ConnectError) return errorInfoOf(error)?.reason;
  return undefined;
}

/**
 * Turns any failure of an SDK operation into a ClientError for `syscall` on `path`. A
 * ClientError passes through unchanged (it already names its path).
 */
export function toClientError(error: unknown, syscall: string, path?: string): ClientError {
  if (error instanceof ClientError) return error;
  const reason = reasonOf(error);
  const mapped = reason === undefined ? undefined : errnoByReason.get(reason);
  const code =
    mapped ?? (error instanceof ConnectError ? errnoOfCode(error.code) : ("EIO" as const));
  const detail = code === "EIO" || code === "EINVAL" ? messageOf(error) : undefined;
  return new ClientError(code, {
    syscall,
    ...(path === undefined ? {} : { path }),
    ...(reason === undefined ? {} : { reason }),
    ...(detail ? { detail } : {}),
    cause: error,
  });
}

function messageOf(error: unknown): string {
  if (error instanceof ConnectError) return error.rawMessage;
  return error instanceof Error ? error.message : String(error);
}
