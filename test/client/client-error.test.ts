import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ClientError, toClientError } from "../../impl/client/client-error.js";
import { CurveError } from "../../impl/errors.js";
import { ErrorInfoSchema, ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";

function remote(code: Code, reason: ErrorReason): ConnectError {
  return new ConnectError("server said no", code, undefined, [
    { desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason }) },
  ]);
}

describe("toClientError", () => {
  it.each([
    [ErrorReason.DENTRY_NOT_FOUND, Code.NotFound, "ENOENT"],
    [ErrorReason.INODE_NOT_FOUND, Code.NotFound, "ENOENT"],
    [ErrorReason.FS_NOT_FOUND, Code.NotFound, "ENOENT"],
    [ErrorReason.DENTRY_ALREADY_EXISTS, Code.AlreadyExists, "EEXIST"],
    [ErrorReason.INODE_TYPE_MISMATCH, Code.FailedPrecondition, "ENOTDIR"],
    [ErrorReason.INODE_IN_TRASH, Code.FailedPrecondition, "ENOENT"],
    [ErrorReason.FS_BUSY, Code.FailedPrecondition, "EBUSY"],
    [ErrorReason.TOO_LARGE, Code.InvalidArgument, "E2BIG"],
    [ErrorReason.S3_CHUNK_INFO_TOO_LARGE, Code.InvalidArgument, "EFBIG"],
    [ErrorReason.NOT_ENOUGH_SERVERS, Code.FailedPrecondition, "ENOSPC"],
    [ErrorReason.TX_LOCK_TIMEOUT, Code.DeadlineExceeded, "EAGAIN"],
    [ErrorReason.STORAGE_FAILURE, Code.Internal, "EIO"],
    [ErrorReason.NOT_LEADER, Code.Unavailable, "EIO"],
  ])("maps reason %s to its errno", (reason, code, errno) => {
    const error = toClientError(remote(code, reason), "stat", "fs1:/a");
    expect(error.code).toBe(errno);
    expect(error.reason).toBe(reason);
  });

  it("maps transport failures without ErrorInfo by their code", () => {
    expect(toClientError(new ConnectError("slow", Code.DeadlineExceeded), "read").code).toBe(
      "ETIMEDOUT",
    );
    expect(toClientError(new ConnectError("down", Code.Unavailable), "read").code).toBe("EIO");
  });

  it("maps a local CurveError by its reason", () => {
    expect(toClientError(new CurveError(ErrorReason.NO_SPACE, "full"), "create").code).toBe(
      "ENOSPC",
    );
  });

  it("names the operation and the path in the message, like Node's fs errors", () => {
    const error = toClientError(
      remote(Code.NotFound, ErrorReason.DENTRY_NOT_FOUND),
      "open",
      "fs1:/a/b",
    );
    expect(error.message).toBe("ENOENT: no such file or directory, open 'fs1:/a/b'");
  });

  it("lets a ClientError through unchanged", () => {
    const original = new ClientError("ENOTEMPTY", { syscall: "rmdir", path: "fs1:/d" });
    expect(toClientError(original, "rm", "fs1:/x")).toBe(original);
  });
});
