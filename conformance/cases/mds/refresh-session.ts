import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, mountpoint, UNKNOWN_FS_ID } from "../fixtures.js";

const method = MdsService.method.refreshSession;

export const refreshSessionCases: ConformanceCase[] = [
  rejects({
    id: "mds.refresh_session.unknown_fs",
    method,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no fs has this id.",
    request: (ctx) => ({ fsId: UNKNOWN_FS_ID, mountpoint: mountpoint(ctx) }),
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.refresh_session.zero_id",
    method,
    spec: "The mounted fs, by id … Greater than 0.",
    request: (ctx) => ({ fsId: 0, mountpoint: mountpoint(ctx) }),
    expect: invalidArgument("fs_id"),
  }),
  rejects({
    id: "mds.refresh_session.cto_missing",
    method,
    spec: "The client's mount point, as given to MountFs … Required, with `cto` present.",
    request: (ctx) => ({ fsId: UNKNOWN_FS_ID, mountpoint: { ...mountpoint(ctx), cto: undefined } }),
    expect: invalidArgument(),
  }),
  steps({
    id: "mds.refresh_session.adds_used_bytes",
    method,
    spec: "The call also: adds `used_bytes_delta` to the fs's `used_bytes` (never below 0)",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const point = mountpoint(ctx);
      await ctx.mds.mountFs({ fsName: fs.fsName, mountpoint: point });
      const up = await ctx.mds.refreshSession({
        fsId: fs.fsId,
        mountpoint: point,
        usedBytesDelta: 4096n,
      });
      check(up.usedBytes === 4096n, `used_bytes ${up.usedBytes} after +4096`);
      check(!up.remounted, "a live mount point was remounted");
      const down = await ctx.mds.refreshSession({
        fsId: fs.fsId,
        mountpoint: point,
        usedBytesDelta: -8192n,
      });
      check(down.usedBytes === 0n, `used_bytes ${down.usedBytes} went below 0`);
    },
  }),
];
