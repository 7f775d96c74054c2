import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { fsNameInvalid, fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, UNKNOWN_FS_ID } from "../fixtures.js";

const method = MdsService.method.getFsInfo;
const NOT_FOUND = "`not_found` ERROR_REASON_FS_NOT_FOUND: no such fs.";

export const getFsInfoCases: ConformanceCase[] = [
  rejects({
    id: "mds.get_fs_info.unknown_id",
    method,
    spec: NOT_FOUND,
    request: { fsId: UNKNOWN_FS_ID },
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.get_fs_info.unknown_name",
    method,
    spec: NOT_FOUND,
    request: (ctx) => ({ fsName: ctx.unique("nofs") }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.get_fs_info.unknown_id_and_name",
    method,
    spec: `both: the fs with \`fs_id\`, which must carry \`fs_name\`. ${NOT_FOUND}`,
    request: (ctx) => ({ fsId: UNKNOWN_FS_ID, fsName: ctx.unique("nofs") }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.get_fs_info.invalid_name",
    method,
    spec: "The fs name; follows the name rule when present.",
    request: { fsName: "My_fs" },
    expect: fsNameInvalid,
  }),
  rejects({
    id: "mds.get_fs_info.empty_name",
    method,
    spec: "The fs name; follows the name rule when present.",
    request: { fsName: "" },
    expect: fsNameInvalid,
  }),
  rejects({
    id: "mds.get_fs_info.name_too_long",
    method,
    spec: "The fs name; follows the name rule when present.",
    request: { fsName: "a".repeat(129) },
    expect: fsNameInvalid,
  }),
  rejects({
    id: "mds.get_fs_info.zero_id",
    method,
    spec: "The fs id; greater than 0 when present.",
    request: { fsId: 0 },
    expect: invalidArgument("fs_id"),
  }),
  rejects({
    id: "mds.get_fs_info.neither_id_nor_name",
    method,
    spec: "At least one of `fs_id` and `fs_name` is required.",
    request: {},
    expect: invalidArgument(),
  }),
  steps({
    id: "mds.get_fs_info.by_id_and_name_ok",
    method,
    spec: "Returns one file system, looked up by id, by name, or by both.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const lookups = [
        { fsId: fs.fsId },
        { fsName: fs.fsName },
        { fsId: fs.fsId, fsName: fs.fsName },
      ];
      for (const request of lookups) {
        const { fsInfo } = await ctx.mds.getFsInfo(request);
        check(fsInfo?.fsId === fs.fsId, `looked up ${JSON.stringify(request)}, got another fs`);
      }
    },
  }),
  steps({
    id: "mds.get_fs_info.id_name_mismatch",
    method,
    spec: "`invalid_argument` ERROR_REASON_FS_ID_NAME_MISMATCH: both were given and the fs with `fs_id` has another name.",
    requires: ["metaserver", "s3"],
    reasons: [ErrorReason.FS_ID_NAME_MISMATCH],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      await expectError(ctx.mds.getFsInfo({ fsId: fs.fsId, fsName: ctx.unique("other") }), {
        code: Code.InvalidArgument,
        reason: ErrorReason.FS_ID_NAME_MISMATCH,
      });
    },
  }),
];
