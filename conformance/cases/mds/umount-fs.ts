import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { fsNameInvalid, fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, mountpoint } from "../fixtures.js";

const method = MdsService.method.umountFs;

export const umountFsCases: ConformanceCase[] = [
  rejects({
    id: "mds.umount_fs.unknown_name",
    method,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no NEW or INITED fs has this name.",
    request: (ctx) => ({ fsName: ctx.unique("nofs"), mountpoint: mountpoint(ctx) }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.umount_fs.invalid_name",
    method,
    spec: "A violation on a field named `fs_name` is reported as ERROR_REASON_FS_NAME_INVALID instead.",
    request: (ctx) => ({ fsName: "", mountpoint: mountpoint(ctx) }),
    expect: fsNameInvalid,
  }),
  rejects({
    id: "mds.umount_fs.mountpoint_missing",
    method,
    spec: "The mount point: hostname, port and path must match; `cto` is ignored. Required.",
    request: (ctx) => ({ fsName: ctx.unique("nofs") }),
    expect: invalidArgument(),
  }),
  steps({
    id: "mds.umount_fs.mount_umount_repeat_not_found",
    method,
    spec: "a repeated call changes nothing more, but it answers `not_found` ERROR_REASON_MOUNTPOINT_NOT_FOUND",
    requires: ["metaserver", "s3"],
    reasons: [ErrorReason.MOUNTPOINT_NOT_FOUND],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const point = mountpoint(ctx);
      await ctx.mds.mountFs({ fsName: fs.fsName, mountpoint: point });
      await ctx.mds.umountFs({ fsName: fs.fsName, mountpoint: { ...point, cto: undefined } });
      const { fsInfo } = await ctx.mds.getFsInfo({ fsId: fs.fsId });
      check(fsInfo?.mountpoints.length === 0, "the mount point is still listed");
      await expectError(ctx.mds.umountFs({ fsName: fs.fsName, mountpoint: point }), {
        code: Code.NotFound,
        reason: ErrorReason.MOUNTPOINT_NOT_FOUND,
      });
    },
  }),
];
