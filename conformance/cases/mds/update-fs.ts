import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { fsNameInvalid, fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs } from "../fixtures.js";

const method = MdsService.method.updateFs;

export const updateFsCases: ConformanceCase[] = [
  rejects({
    id: "mds.update_fs.unknown_name",
    method,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no NEW or INITED fs has this name.",
    request: (ctx) => ({ fsName: ctx.unique("nofs"), owner: "someone" }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.update_fs.invalid_name",
    method,
    spec: "A violation on a field named `fs_name` is reported as ERROR_REASON_FS_NAME_INVALID instead.",
    request: { fsName: "a--b", owner: "someone" },
    expect: fsNameInvalid,
  }),
  rejects({
    id: "mds.update_fs.no_setting",
    method,
    spec: "Only the fields present are changed; at least one must be present.",
    request: (ctx) => ({ fsName: ctx.unique("nofs") }),
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.update_fs.capacity_zero",
    method,
    spec: "The new quota in bytes; greater than 0 and not below the fs's `used_bytes`.",
    request: (ctx) => ({ fsName: ctx.unique("nofs"), capacity: 0n }),
    expect: invalidArgument("capacity"),
  }),
  rejects({
    id: "mds.update_fs.owner_empty",
    method,
    spec: "The new owner label, 1 to 128 bytes.",
    request: (ctx) => ({ fsName: ctx.unique("nofs"), owner: "" }),
    expect: invalidArgument("owner"),
  }),
  steps({
    id: "mds.update_fs.sets_owner_idempotent",
    method,
    spec: "Idempotent: it sets values, so a repeated call returns OK with the same result.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const first = await ctx.mds.updateFs({ fsName: fs.fsName, owner: "new-owner" });
      const again = await ctx.mds.updateFs({ fsName: fs.fsName, owner: "new-owner" });
      check(first.fsInfo?.owner === "new-owner", "the owner did not change");
      check(again.fsInfo?.owner === "new-owner", "the repeat returned another owner");
    },
  }),
];
