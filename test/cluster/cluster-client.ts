/**
 * Test helpers that use a running cluster the way a client does: MdsService and
 * TopologyService on the MDS, MetaServerService on a partition's copyset leader (found from the
 * route, following NOT_LEADER hints).
 */
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { errorInfoOf } from "../../impl/errors.js";
import type { S3Info } from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { type FsInfo, MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { type PartitionRoute, TopologyService } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { eventually } from "../support/eventually.js";

export interface MdsClients {
  readonly mds: Client<typeof MdsService>;
  readonly topology: Client<typeof TopologyService>;
}

export function mdsClients(url: string): MdsClients {
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "2",
    defaultTimeoutMs: 30_000,
  });
  return {
    mds: createClient(MdsService, transport),
    topology: createClient(TopologyService, transport),
  };
}

export function metaClient(address: string): Client<typeof MetaServerService> {
  return createClient(
    MetaServerService,
    createConnectTransport({
      baseUrl: `http://${address}`,
      httpVersion: "2",
      defaultTimeoutMs: 10_000,
    }),
  );
}

/** Creates an S3 fs with 3 partitions' worth of defaults and returns it. */
export async function createFs(
  clients: MdsClients,
  fsName: string,
  s3Info: S3Info,
): Promise<FsInfo> {
  const { fsInfo } = await clients.mds.createFs({
    fsName,
    blockSize: 1n << 20n,
    capacity: 1n << 30n,
    owner: "alice",
    recycleTimeHours: 0,
    detail: { case: "s3Info", value: s3Info },
  });
  if (!fsInfo) throw new Error("CreateFs returned no fs");
  return fsInfo;
}

export async function partitionsOf(clients: MdsClients, fsId: number): Promise<PartitionRoute[]> {
  return (await clients.topology.listPartitions({ fsId })).partitions;
}

/**
 * Runs `call` on the leader of the route's copyset: the recorded leader first, then every
 * member, following NOT_LEADER hints, until one serves.
 */
export async function onLeader<T>(
  route: PartitionRoute,
  call: (client: Client<typeof MetaServerService>) => Promise<T>,
): Promise<T> {
  const members = route.copyset?.peers.map((p) => p.address) ?? [];
  const first = route.copyset?.leader?.address;
  return eventually(
    async () => {
      const queue = [...new Set([...(first ? [first] : []), ...members])];
      let lastError: unknown;
      while (queue.length > 0) {
        const address = queue.shift() as string;
        try {
          return await call(metaClient(address));
        } catch (error) {
          lastError = error;
          const info = errorInfoOf(ConnectError.from(error));
          const retry =
            info?.reason === ErrorReason.NOT_LEADER || info?.reason === ErrorReason.LEADER_UNKNOWN;
          if (!retry && info !== undefined) throw error;
          if (info?.leaderHint) queue.unshift(info.leaderHint);
        }
      }
      throw lastError;
    },
    { what: "a copyset leader that serves" },
  );
}

/** Creates a regular file `name` under the root through the partition holding the root. */
export async function createFile(route: PartitionRoute, name: string): Promise<bigint> {
  const partition = route.partition;
  if (!partition) throw new Error("route without partition");
  return onLeader(route, async (client) => {
    const created = await client.createInode({
      fsId: partition.fsId,
      partitionId: partition.partitionId,
      parentInodeId: 1n,
      type: FileType.REGULAR,
      mode: 0o644,
      time: timestampFromMs(Date.now()),
    });
    const inodeId = created.attr?.inodeId ?? 0n;
    await client.createDentry({
      fsId: partition.fsId,
      partitionId: partition.partitionId,
      parentInodeId: 1n,
      name,
      inodeId,
      type: FileType.REGULAR,
      time: timestampFromMs(Date.now()),
    });
    return inodeId;
  });
}

/** The route of the partition holding inode `inodeId`. */
export function routeOf(routes: readonly PartitionRoute[], inodeId: bigint): PartitionRoute {
  const route = routes.find(
    (r) => r.partition && r.partition.start <= inodeId && inodeId <= r.partition.end,
  );
  if (!route) throw new Error(`no partition holds inode ${inodeId}`);
  return route;
}
