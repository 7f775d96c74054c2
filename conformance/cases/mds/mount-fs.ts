import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { fsNameInvalid, fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, mountpoint } from "../fixtures.js";

const method = MdsService.method.mountFs;

export const mountFsCases: ConformanceCase[] = [
  rejects({
    id: "mds.mount_fs.unknown_name",
    method,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no NEW or INITED fs has this name.",
    request: (ctx) => ({ fsName: ctx.unique("nofs"), mountpoint: mountpoint(ctx) }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.mount_fs.invalid_name",
    method,
    spec: "A violation on a field named `fs_name` is reported as ERROR_REASON_FS_NAME_INVALID instead.",
    request: (ctx) => ({ fsName: "My_fs", mountpoint: mountpoint(ctx) }),
    expect: fsNameInvalid,
  }),
  rejects({
    id: "mds.mount_fs.mountpoint_missing",
    method,
    spec: "The mount point. Required, with `cto` present.",
    request: (ctx) => ({ fsName: ctx.unique("nofs") }),
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.mount_fs.cto_missing",
    method,
    spec: "Close-to-open consistency of the client … Required (present) in MountFs and RefreshSession",
    request: (ctx) => ({
      fsName: ctx.unique("nofs"),
      mountpoint: { hostname: "h", port: 1, path: "/mnt" },
    }),
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.mount_fs.relative_path",
    method,
    spec: 'The absolute directory the fs is mounted on. Starts with "/"; 1 to 4096 bytes.',
    request: (ctx) => ({
      fsName: ctx.unique("nofs"),
      mountpoint: mountpoint(ctx, { path: "mnt" }),
    }),
    expect: invalidArgument("mountpoint.path"),
  }),
  rejects({
    id: "mds.mount_fs.path_too_long",
    method,
    spec: 'The absolute directory the fs is mounted on. Starts with "/"; 1 to 4096 bytes.',
    request: (ctx) => ({
      fsName: ctx.unique("nofs"),
      mountpoint: mountpoint(ctx, { path: `/${"p".repeat(4096)}` }),
    }),
    expect: invalidArgument("mountpoint.path"),
  }),
  rejects({
    id: "mds.mount_fs.hostname_empty",
    method,
    spec: "The host name of the client machine. 1 to 255 bytes.",
    request: (ctx) => ({
      fsName: ctx.unique("nofs"),
      mountpoint: mountpoint(ctx, { hostname: "" }),
    }),
    expect: invalidArgument("mountpoint.hostname"),
  }),
  rejects({
    id: "mds.mount_fs.port_too_large",
    method,
    spec: "A port the client process serves on that host … 0 to 65535.",
    request: (ctx) => ({
      fsName: ctx.unique("nofs"),
      mountpoint: mountpoint(ctx, { port: 65536 }),
    }),
    expect: invalidArgument("mountpoint.port"),
  }),
  steps({
    id: "mds.mount_fs.repeat_ok",
    method,
    spec: "one with the same hostname, port, path and cto exists: this is a repeated mount by the same client process; OK",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const point = mountpoint(ctx);
      const first = await ctx.mds.mountFs({ fsName: fs.fsName, mountpoint: point });
      const again = await ctx.mds.mountFs({ fsName: fs.fsName, mountpoint: point });
      check(first.sessionTtlMs > first.refreshIntervalMs, "refresh_interval_ms ≥ session_ttl_ms");
      check(again.fsInfo?.mountpoints.length === 1, "the repeat added a second mount point");
    },
  }),
  steps({
    id: "mds.mount_fs.same_host_path_other_port_conflict",
    method,
    spec: "one with the same hostname and path exists (another port, or another cto): `already_exists` ERROR_REASON_MOUNTPOINT_CONFLICT",
    requires: ["metaserver", "s3"],
    reasons: [ErrorReason.MOUNTPOINT_CONFLICT],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const point = mountpoint(ctx);
      await ctx.mds.mountFs({ fsName: fs.fsName, mountpoint: point });
      await expectError(
        ctx.mds.mountFs({ fsName: fs.fsName, mountpoint: { ...point, port: 9001 } }),
        { code: Code.AlreadyExists, reason: ErrorReason.MOUNTPOINT_CONFLICT },
      );
    },
  }),
];
