/**
 * Partitions for the MetaServerService cases, and the small builders those cases share.
 *
 * Partitions live in a copyset chosen once per protocol (see `PartitionSource` in
 * runner/target.ts):
 * - `mds`: the copyset of the first partition of an fs created through the MDS (CreateFs, then
 *   the route from ListPartitions), on its leader;
 * - `runner`: a copyset of the first metaserver with that metaserver as its only member.
 * `newPartition` and `extraPartition` create partitions there by CreatePartition, the way an
 * MDS does, with fs ids of their own (or a chosen range, fs type and fs id); `mdsFsPartition`
 * gives the first partition of a fresh fs of the MDS, for cases that need the MDS to know it.
 */
import { type Timestamp, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { errorInfoOf } from "../../../impl/errors.js";
import { FsType, type PartitionInfo } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { CopysetService } from "../../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { FileType, type InodeAttr } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  type CreateInodeRequest,
  MetaServerService,
} from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { CliService } from "../../../impl/gen/curve/raft/v1/cli_pb.js";
import type { CaseContext } from "../../runner/case-context.js";
import { CaseFailure, check } from "../../runner/case-failure.js";
import { firstUrl } from "../../runner/server-role.js";
import { urlOfAddress } from "../../runner/transport-pool.js";
import { createS3Fs } from "../fixtures.js";

/** The pool of the copysets the runner makes for partitions (far above any MDS pool id). */
export const PARTITION_POOL_ID = 4_000_000_002;
/** The inode ids of one partition: 2^20, as every MDS hands them out by default. */
export const PARTITION_SIZE = 1n << 20n;
/** An id no partition or copyset of any target has: the runner's numbers stay below 2^31. */
export const UNKNOWN_PARTITION_ID = 4_000_000_000;
const LEADER_WAIT_MS = 15_000;

export interface FsPartition {
  readonly fsId: number;
  readonly partitionId: number;
  readonly poolId: number;
  readonly copysetId: number;
  readonly start: bigint;
  readonly end: bigint;
  /** MetaServerService on the copyset's leader. */
  readonly meta: Client<typeof MetaServerService>;
  readonly leaderUrl: string;
}

/** A request time: the spec stores client-supplied times; `ms` after a fixed epoch. */
export function at(ms: number): Timestamp {
  return timestampFromMs(1_700_000_000_000 + ms);
}

/**
 * A fresh partition of a fresh fs id with its root inode, on the copyset leader: made by
 * CreatePartition in a copyset the target's MDS placed (one fs per protocol, created through
 * the MDS), or in the runner's own copyset. One CreateFs per case would cost the MDS a dozen
 * partitions each; cases that need the fs in the MDS use `mdsFsPartition`.
 */
export async function newPartition(ctx: CaseContext): Promise<FsPartition> {
  const copyset =
    ctx.partitionSource === "mds"
      ? await ctx.once("mds-partition-copyset", () => mdsFsPartition(ctx))
      : await ctx.once("runner-partition-copyset", () => runnerCopyset(ctx));
  return withRoot(await extraPartition(ctx, copyset));
}

/**
 * Another partition in the copyset of `base`, created directly by CreatePartition on its
 * leader, for a fresh fs id unless `fsId` is given.
 */
export async function extraPartition(
  ctx: CaseContext,
  base: FsPartition,
  options: { start?: bigint; end?: bigint; fsType?: FsType; fsId?: number } = {},
): Promise<FsPartition> {
  const fsId = options.fsId ?? ctx.uniqueNumber();
  const partitionId = ctx.uniqueNumber();
  const start = options.start ?? 0n;
  const end = options.end ?? start + PARTITION_SIZE - 1n;
  const { partition } = await base.meta.createPartition({
    partition: { fsId, poolId: base.poolId, copysetId: base.copysetId, partitionId, start, end },
    fsType: options.fsType ?? FsType.S3,
  });
  check(partition?.partitionId === partitionId, "CreatePartition returned another partition");
  return { ...base, fsId, partitionId, start, end };
}

/** The same partition with a root directory (for extra partitions that contain id 1). */
export async function withRoot(partition: FsPartition): Promise<FsPartition> {
  await partition.meta.createRootInode({
    fsId: partition.fsId,
    partitionId: partition.partitionId,
    uid: 0,
    gid: 0,
    mode: 0o1777,
    time: at(0),
  });
  return partition;
}

/** The partition's key fields, for request literals. */
export function on(partition: FsPartition): { fsId: number; partitionId: number } {
  return { fsId: partition.fsId, partitionId: partition.partitionId };
}

/** CreateInode in the partition with `fields` over a regular file's defaults. */
export async function createInode(
  partition: FsPartition,
  fields: Partial<Omit<CreateInodeRequest, "$typeName" | "$unknown">> = {},
): Promise<InodeAttr> {
  const { attr } = await partition.meta.createInode({
    ...on(partition),
    parentInodeId: 1n,
    type: FileType.REGULAR,
    mode: 0o644,
    uid: 1000,
    gid: 1000,
    time: at(1000),
    ...fields,
  });
  check(attr !== undefined, "CreateInode returned no attr");
  return attr;
}

/** A new inode of `type` linked as `name` under `parent` (default: the root). */
export async function createLinked(
  partition: FsPartition,
  name: string,
  type: FileType = FileType.REGULAR,
  parent = 1n,
): Promise<InodeAttr> {
  const attr = await createInode(partition, {
    type,
    parentInodeId: parent,
    mode: type === FileType.DIRECTORY ? 0o755 : 0o644,
  });
  await partition.meta.createDentry({
    ...on(partition),
    parentInodeId: parent,
    name,
    inodeId: attr.inodeId,
    type,
    time: at(2000),
  });
  return attr;
}

/** A one-member copyset of the first metaserver, once it leads. */
async function runnerCopyset(ctx: CaseContext): Promise<FsPartition> {
  const url = firstUrl(ctx, "metaserver");
  const transport = ctx.transportTo(url);
  const target = new URL(url).host;
  const poolId = PARTITION_POOL_ID;
  const copysetId = ctx.uniqueNumber();
  await createClient(CopysetService, transport).createCopysetNode({
    copysets: [{ poolId, copysetId, peers: [{ address: target }] }],
  });
  const cli = createClient(CliService, transport);
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    const leader = await cli.getLeader({ poolId, copysetId }).catch(() => undefined);
    if (leader?.leader?.address === target) break;
    if (Date.now() > deadline) {
      throw new CaseFailure(
        `a one-member copyset did not elect its member within ${LEADER_WAIT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    fsId: 0,
    partitionId: 0,
    poolId,
    copysetId,
    start: 0n,
    end: 0n,
    meta: createClient(MetaServerService, transport),
    leaderUrl: url,
  };
}

/**
 * A partition of an fs created through the MDS, whatever the target's partition source: for
 * cases that need the fs in the MDS too (chunk ids, S3 settings for the trash).
 */
export async function mdsFsPartition(ctx: CaseContext): Promise<FsPartition> {
  const fs = await createS3Fs(ctx, "meta");
  const { partitions } = await ctx.topology.listPartitions({ fsId: fs.fsId });
  const route = partitions.find((p) => (p.partition?.start ?? 1n) === 0n);
  const info: PartitionInfo | undefined = route?.partition;
  check(info !== undefined, "ListPartitions has no partition starting at 0");
  const members = route?.copyset?.peers.map((p) => p.address) ?? [];
  const hint = route?.copyset?.leader?.address;
  const candidates = [...new Set([...(hint ? [hint] : []), ...members])];
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    for (const address of candidates) {
      const url = urlOfAddress(address);
      const meta = createClient(MetaServerService, ctx.transportTo(url));
      const leads = await meta
        .getInode({ fsId: fs.fsId, partitionId: info.partitionId, inodeId: 1n })
        .then(() => true)
        .catch((error: unknown) => !isRedirect(error) && Promise.reject(error));
      if (leads) {
        return {
          fsId: fs.fsId,
          partitionId: info.partitionId,
          poolId: info.poolId,
          copysetId: info.copysetId,
          start: info.start,
          end: info.end,
          meta,
          leaderUrl: url,
        };
      }
    }
    if (Date.now() > deadline) throw new CaseFailure("no member of the copyset answered as leader");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A NOT_LEADER / LEADER_UNKNOWN answer: ask another member. */
function isRedirect(error: unknown): boolean {
  const connectError = ConnectError.from(error);
  const reason = errorInfoOf(connectError)?.reason;
  return (
    connectError.code === Code.Unavailable &&
    (reason === ErrorReason.NOT_LEADER || reason === ErrorReason.LEADER_UNKNOWN)
  );
}
