import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FsStatus, MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { fsNameInvalid, invalidArgument } from "../expected.js";
import { createS3Fs, MIB, s3FsRequest } from "../fixtures.js";

const method = MdsService.method.createFs;
const NAME_RULE =
  'a file system name matches `^([a-z0-9]+-?)+$` (… "", "-fs", "a--b", "My_fs" are not) and is 1 to 128 bytes long.';

const badNames: ReadonlyArray<[string, string]> = [
  ["invalid_name_uppercase", "My_fs"],
  ["invalid_name_empty", ""],
  ["invalid_name_leading_dash", "-fs"],
  ["invalid_name_double_dash", "a--b"],
  ["invalid_name_space", "my fs"],
  ["invalid_name_unicode", "fs-é"],
  ["invalid_name_too_long", "a".repeat(129)],
];

export const createFsCases: ConformanceCase[] = [
  ...badNames.map(([rule, fsName]) =>
    rejects({
      id: `mds.create_fs.${rule}`,
      method,
      spec: `${NAME_RULE} Errors: \`invalid_argument\` ERROR_REASON_FS_NAME_INVALID: the name breaks the name rule.`,
      request: (ctx) => s3FsRequest(ctx, fsName),
      expect: fsNameInvalid,
    }),
  ),
  rejects({
    id: "mds.create_fs.block_size_too_large",
    method,
    spec: "The block size in bytes reported to applications: a multiple of 4096 from 4 KiB to 64 MiB.",
    request: (ctx) => ({ ...s3FsRequest(ctx, ctx.unique("fs")), blockSize: BigInt(128 * MIB) }),
    expect: invalidArgument("block_size"),
  }),
  rejects({
    id: "mds.create_fs.block_size_not_multiple_of_4k",
    method,
    spec: "The block size in bytes reported to applications: a multiple of 4096 from 4 KiB to 64 MiB.",
    request: (ctx) => ({ ...s3FsRequest(ctx, ctx.unique("fs")), blockSize: 4096n + 512n }),
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.create_fs.capacity_zero",
    method,
    spec: "The quota in bytes; greater than 0.",
    request: (ctx) => ({ ...s3FsRequest(ctx, ctx.unique("fs")), capacity: 0n }),
    expect: invalidArgument("capacity"),
  }),
  rejects({
    id: "mds.create_fs.owner_empty",
    method,
    spec: "A free-form owner label, 1 to 128 bytes.",
    request: (ctx) => ({ ...s3FsRequest(ctx, ctx.unique("fs")), owner: "" }),
    expect: invalidArgument("owner"),
  }),
  rejects({
    id: "mds.create_fs.owner_too_long",
    method,
    spec: "A free-form owner label, 1 to 128 bytes.",
    request: (ctx) => ({ ...s3FsRequest(ctx, ctx.unique("fs")), owner: "o".repeat(129) }),
    expect: invalidArgument("owner"),
  }),
  rejects({
    id: "mds.create_fs.recycle_time_too_long",
    method,
    spec: "How long deleted entries stay in the recycle directory, in hours, at most 8760 (a year).",
    request: (ctx) => ({ ...s3FsRequest(ctx, ctx.unique("fs")), recycleTimeHours: 8761 }),
    expect: invalidArgument("recycle_time_hours"),
  }),
  rejects({
    id: "mds.create_fs.storage_missing",
    method,
    spec: "Where file data lives; exactly one is required, and it sets the fs type.",
    request: (ctx) => ({ ...s3FsRequest(ctx, ctx.unique("fs")), detail: { case: undefined } }),
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.create_fs.s3_secret_key_missing",
    method,
    spec: "An S3 file system (FS_TYPE_S3). `secret_key` is required here; it is stored and never returned.",
    request: (ctx) => s3FsRequest(ctx, ctx.unique("fs"), { secretKey: "" }),
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.create_fs.s3_bucket_invalid",
    method,
    spec: "The bucket name (3–63 characters, S3 naming rules).",
    request: (ctx) => s3FsRequest(ctx, ctx.unique("fs"), { bucket: "B" }),
    expect: invalidArgument("s3_info.bucket"),
  }),
  steps({
    id: "mds.create_fs.s3_unreachable_stores_nothing",
    method,
    spec: "`invalid_argument` ERROR_REASON_S3_INFO_INVALID: the probe object could not be written to or deleted from the bucket (bad endpoint, credentials, bucket or region; …). No record is stored.",
    reasons: [ErrorReason.S3_INFO_INVALID, ErrorReason.FS_NOT_FOUND],
    run: async (ctx) => {
      const fsName = ctx.unique("fs");
      // Port 9 (discard) on the loopback: nothing listens, the probe fails at once.
      await expectError(
        ctx.mds.createFs(s3FsRequest(ctx, fsName, { endpoint: "http://127.0.0.1:9" })),
        { code: Code.InvalidArgument, reason: ErrorReason.S3_INFO_INVALID },
      );
      await expectError(ctx.mds.getFsInfo({ fsName }), {
        code: Code.NotFound,
        reason: ErrorReason.FS_NOT_FOUND,
      });
    },
  }),
  steps({
    id: "mds.create_fs.s3_wrong_secret_key",
    method,
    spec: "`invalid_argument` ERROR_REASON_S3_INFO_INVALID: the probe object could not be written to or deleted from the bucket (bad endpoint, credentials, bucket or region; the S3 error is in `message`). No record is stored.",
    requires: ["s3"],
    reasons: [ErrorReason.S3_INFO_INVALID],
    run: async (ctx) => {
      const request = s3FsRequest(ctx, ctx.unique("fs"), { secretKey: "not-the-secret-key" });
      await expectError(ctx.mds.createFs(request), {
        code: Code.InvalidArgument,
        reason: ErrorReason.S3_INFO_INVALID,
      });
    },
  }),
  steps({
    id: "mds.create_fs.s3_ok",
    method,
    spec: "Creates a file system and returns it INITED. … Every `FsInfo` in a response has an empty `s3_info.secret_key` and `s3_info.secret_key_set` = true.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      check(fs.fsId >= 1, `fs_id ${fs.fsId} is not ≥ 1`);
      check(fs.rootInodeId === 1n, `root_inode_id is ${fs.rootInodeId}, not 1`);
      check(fs.detail.case === "s3Info", "fs_info has no s3_info");
      check(fs.detail.value.secretKey === "", "s3_info.secret_key is returned");
      check(fs.detail.value.secretKeySet, "s3_info.secret_key_set is false");
    },
  }),
  steps({
    id: "mds.create_fs.duplicate_identical_ok",
    method,
    spec: "identical and INITED: OK with the existing fs; nothing changes, no probe is made. … A retry after a lost reply therefore sees OK with the same fs id.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const request = s3FsRequest(ctx, ctx.unique("fs"));
      const first = await ctx.mds.createFs(request);
      const again = await ctx.mds.createFs({ ...request, capacity: 1n, owner: "someone-else" });
      check(again.fsInfo?.fsId === first.fsInfo?.fsId, "the repeat returned another fs id");
      check(again.fsInfo?.status === FsStatus.INITED, "the repeat did not return an INITED fs");
      check(
        again.fsInfo?.capacity === first.fsInfo?.capacity,
        "the repeat applied its capacity (not compared, not applied)",
      );
    },
  }),
  steps({
    id: "mds.create_fs.duplicate_different_already_exists",
    method,
    spec: "`already_exists` ERROR_REASON_FS_ALREADY_EXISTS: the name belongs to a NEW or INITED fs whose settings are not identical.",
    requires: ["metaserver", "s3"],
    reasons: [ErrorReason.FS_ALREADY_EXISTS],
    run: async (ctx) => {
      const request = s3FsRequest(ctx, ctx.unique("fs"));
      await ctx.mds.createFs(request);
      await expectError(ctx.mds.createFs({ ...request, blockSize: 2n * BigInt(MIB) }), {
        code: Code.AlreadyExists,
        reason: ErrorReason.FS_ALREADY_EXISTS,
      });
    },
  }),
];
