import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FsStatus, MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { fsNameInvalid, fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, mountpoint, s3FsRequest, UNKNOWN_FS_ID } from "../fixtures.js";

const method = MdsService.method.deleteFs;

export const deleteFsCases: ConformanceCase[] = [
  rejects({
    id: "mds.delete_fs.unknown_name",
    method,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: without `fs_id`, no NEW or INITED fs has this name",
    request: (ctx) => ({ fsName: ctx.unique("nofs") }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.delete_fs.unknown_id",
    method,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: … with `fs_id`, no fs has this id.",
    request: (ctx) => ({ fsName: ctx.unique("nofs"), fsId: UNKNOWN_FS_ID }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.delete_fs.invalid_name",
    method,
    spec: "A violation on a field named `fs_name` is reported as ERROR_REASON_FS_NAME_INVALID instead.",
    request: { fsName: "-fs" },
    expect: fsNameInvalid,
  }),
  rejects({
    id: "mds.delete_fs.zero_id",
    method,
    spec: "The id the caller expects the fs to have … Greater than 0.",
    request: (ctx) => ({ fsName: ctx.unique("nofs"), fsId: 0 }),
    expect: invalidArgument("fs_id"),
  }),
  steps({
    id: "mds.delete_fs.frees_name_and_retry_with_id_ok",
    method,
    spec: "the name is free at once: a CreateFs of the same name succeeds right after. … With `fs_id` it is idempotent: a retry on the fs that is already DELETING returns OK",
    requires: ["metaserver", "s3"],
    reasons: [ErrorReason.FS_NOT_FOUND],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const deleted = await ctx.mds.deleteFs({ fsName: fs.fsName, fsId: fs.fsId });
      check(deleted.fsInfo?.status === FsStatus.DELETING, "DeleteFs did not return DELETING");
      await ctx.mds.deleteFs({ fsName: fs.fsName, fsId: fs.fsId });
      await expectError(ctx.mds.getFsInfo({ fsName: fs.fsName }), {
        code: Code.NotFound,
        reason: ErrorReason.FS_NOT_FOUND,
      });
      const again = await ctx.mds.createFs(s3FsRequest(ctx, fs.fsName));
      check(again.fsInfo?.fsId !== fs.fsId, "the new fs reused the deleted fs's id");
    },
  }),
  steps({
    id: "mds.delete_fs.busy_while_mounted",
    method,
    spec: "`failed_precondition` ERROR_REASON_FS_BUSY: the fs has at least one mount point.",
    requires: ["metaserver", "s3"],
    reasons: [ErrorReason.FS_BUSY],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      await ctx.mds.mountFs({ fsName: fs.fsName, mountpoint: mountpoint(ctx) });
      await expectError(ctx.mds.deleteFs({ fsName: fs.fsName }), {
        code: Code.FailedPrecondition,
        reason: ErrorReason.FS_BUSY,
      });
    },
  }),
  steps({
    id: "mds.delete_fs.id_name_mismatch",
    method,
    spec: "`invalid_argument` ERROR_REASON_FS_ID_NAME_MISMATCH: the fs with `fs_id` has another name.",
    requires: ["metaserver", "s3"],
    reasons: [ErrorReason.FS_ID_NAME_MISMATCH],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      await expectError(ctx.mds.deleteFs({ fsName: ctx.unique("other"), fsId: fs.fsId }), {
        code: Code.InvalidArgument,
        reason: ErrorReason.FS_ID_NAME_MISMATCH,
      });
    },
  }),
];
