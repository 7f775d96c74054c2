/**
 * Requests that pass validation, for cases that break one field at a time, and helpers for
 * cases that need an fs or a registered server.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { MetaServerSpaceSchema } from "../../impl/gen/curve/mds/v1/cluster_pb.js";
import type {
  MetaServerCopysetReportSchema,
  MetaServerHeartbeatRequestSchema,
} from "../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import {
  type CreateFsRequestSchema,
  type FsInfo,
  FsStatus,
  type MountpointSchema,
} from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { PoolType } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import type { CaseContext } from "../runner/case-context.js";
import { CaseFailure, check } from "../runner/case-failure.js";

export const MIB = 1024 * 1024;
/** An fs id no target has handed out: ids count from 1, and this is near the top of uint32. */
export const UNKNOWN_FS_ID = 4_000_000_000;
/** A server, pool or copyset id no target has handed out. */
export const UNKNOWN_ID = 4_000_000_000;

/** A CreateFs request for an S3 fs on the target's bucket (or a placeholder one). */
export function s3FsRequest(
  ctx: CaseContext,
  fsName: string,
  s3Overrides: {
    readonly endpoint?: string;
    readonly bucket?: string;
    readonly secretKey?: string;
  } = {},
): MessageInitShape<typeof CreateFsRequestSchema> {
  const s3 = ctx.s3;
  return {
    fsName,
    blockSize: BigInt(MIB),
    capacity: 100n * 1024n * BigInt(MIB),
    owner: "conformance",
    detail: {
      case: "s3Info",
      value: {
        endpoint: s3?.endpoint ?? "http://127.0.0.1:9",
        bucket: s3?.bucket ?? "curve-conformance",
        accessKey: s3?.accessKey ?? "conformance",
        secretKey: s3?.secretKey ?? "conformance-secret",
        region: s3?.region ?? "",
        blockSize: BigInt(4 * MIB),
        chunkSize: BigInt(64 * MIB),
        ...s3Overrides,
      },
    },
  };
}

/** Creates an S3 fs (needs metaservers and a bucket) and checks it came back INITED. */
export async function createS3Fs(ctx: CaseContext, prefix = "fs"): Promise<FsInfo> {
  const { fsInfo } = await ctx.mds.createFs(s3FsRequest(ctx, ctx.unique(prefix)));
  check(fsInfo !== undefined, "CreateFs returned no fs_info");
  check(fsInfo.status === FsStatus.INITED, `CreateFs returned status ${FsStatus[fsInfo.status]}`);
  return fsInfo;
}

export function mountpoint(
  ctx: CaseContext,
  overrides: Partial<MessageInitShape<typeof MountpointSchema>> = {},
): MessageInitShape<typeof MountpointSchema> {
  return { hostname: ctx.unique("host"), port: 9000, path: "/mnt/curve", cto: false, ...overrides };
}

/** A pool and one zone, both fresh. */
export async function poolWithZone(
  ctx: CaseContext,
  type: PoolType = PoolType.METASERVER,
): Promise<{ poolName: string; zoneName: string; poolId: number; zoneId: number }> {
  const poolName = ctx.unique("pool");
  const { pool } = await ctx.topology.createPool({
    name: poolName,
    type,
    replicaCount: 1,
    initialCopysetCount: 0,
  });
  const zoneName = ctx.unique("zone");
  const { zone } = await ctx.topology.createZone({ poolName, name: zoneName });
  if (!pool || !zone) throw new CaseFailure("CreatePool or CreateZone returned no record");
  return { poolName, zoneName, poolId: pool.poolId, zoneId: zone.zoneId };
}

/**
 * An address no real server has: a `.invalid` host (RFC 2606), unique per call. Registered
 * servers at such addresses never get a copyset (see `noRoom`).
 */
export function fakeAddress(ctx: CaseContext): string {
  return `${ctx.unique("server")}.conformance.invalid:7000`;
}

/** A fresh metaserver registration in a fresh pool and zone. */
export async function registeredMetaServer(ctx: CaseContext) {
  const place = await poolWithZone(ctx, PoolType.METASERVER);
  const address = fakeAddress(ctx);
  const reply = await ctx.topology.registerMetaServer({
    address,
    hostname: "conformance",
    poolName: place.poolName,
    zoneName: place.zoneName,
  });
  return { ...place, address, id: reply.metaserverId, token: reply.token };
}

/** A fresh chunkserver registration in a fresh pool and zone. */
export async function registeredChunkServer(ctx: CaseContext) {
  const place = await poolWithZone(ctx, PoolType.CHUNKSERVER);
  const address = fakeAddress(ctx);
  const reply = await ctx.topology.registerChunkServer({
    address,
    hostname: "conformance",
    poolName: place.poolName,
    zoneName: place.zoneName,
    capacityBytes: BigInt(1024 * MIB),
  });
  return { ...place, address, id: reply.chunkserverId, token: reply.token };
}

/**
 * Space that leaves no room for a copyset (threshold 0, one byte per copyset), so that a fake
 * server made ONLINE by a heartbeat is never chosen for placement.
 */
export const noRoom = create(MetaServerSpaceSchema, {
  diskThresholdBytes: 0n,
  diskMinBytesPerCopyset: 1n,
  memoryThresholdBytes: 0n,
  memoryMinBytesPerCopyset: 1n,
});

export function metaServerHeartbeat(
  server: { id: number; token: string; address: string },
  copysets: MessageInitShape<typeof MetaServerCopysetReportSchema>[] = [],
): MessageInitShape<typeof MetaServerHeartbeatRequestSchema> {
  return {
    copysets,
    metaserverId: server.id,
    token: server.token,
    address: server.address,
    startTime: timestampFromMs(Date.now()),
    space: noRoom,
  };
}
