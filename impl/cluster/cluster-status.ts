/**
 * A snapshot of a cluster as its MDS leader sees it, for `curve-rpc status`: which MDS answered,
 * the metaservers with their liveness, the copysets with members and leader, and the partitions
 * of every file system with their counts. Read-only: it only lists.
 */

import { PartitionStatus } from "../gen/curve/common/v1/common_pb.js";
import { ConfigChangeType } from "../gen/curve/mds/v1/cluster_pb.js";
import { FsStatus } from "../gen/curve/mds/v1/mds_pb.js";
import { PoolType, ServerState } from "../gen/curve/mds/v1/topology_pb.js";
import type { MdsClient } from "../metaserver/mds-agent/index.js";

/**
 * Copyset ids probed per pool besides those that host partitions: GetCopysets takes at most
 * 1000 ids and answers the unknown ones as missing, so one call finds every copyset of a
 * young cluster (ids come from one counter starting at 1).
 */
const PROBED_COPYSET_IDS = 1000;

export interface MetaserverStatus {
  readonly id: number;
  readonly address: string;
  readonly poolId: number;
  readonly zoneId: number;
  readonly state: string;
  readonly copysets: number;
  readonly leaderOf: number;
  /** Milliseconds since the MDS accepted its last heartbeat; undefined before the first. */
  readonly lastHeartbeatAgoMs: number | undefined;
}

export interface CopysetStatusLine {
  readonly poolId: number;
  readonly copysetId: number;
  readonly epoch: string;
  readonly members: readonly string[];
  readonly leader: string | undefined;
  readonly term: string;
  readonly pendingChange: string | undefined;
}

export interface PartitionStatusLine {
  readonly fsName: string;
  readonly fsId: number;
  readonly partitionId: number;
  readonly copyset: string;
  readonly start: string;
  readonly end: string;
  readonly status: string;
  readonly nextId: string;
  readonly inodes: string;
  readonly dentries: string;
}

export interface ClusterStatus {
  /** The URL of the MDS that answered as leader. */
  readonly mdsLeader: string;
  readonly metaservers: readonly MetaserverStatus[];
  readonly copysets: readonly CopysetStatusLine[];
  readonly fileSystems: readonly { name: string; id: number; status: string }[];
  readonly partitions: readonly PartitionStatusLine[];
}

export async function clusterStatus(client: MdsClient): Promise<ClusterStatus> {
  const now = Date.now();
  const metaservers = await pages((pageToken) =>
    client.call((s, timeoutMs) =>
      s.topology
        .listMetaServers({ pageSize: 1000, pageToken }, { timeoutMs })
        .then((r) => ({ items: r.metaservers, next: r.nextPageToken })),
    ),
  );
  const fileSystems = await pages((pageToken) =>
    client.call((s, timeoutMs) =>
      s.mds
        .listFs({ pageSize: 1000, pageToken }, { timeoutMs })
        .then((r) => ({ items: r.fsInfos, next: r.nextPageToken })),
    ),
  );
  const partitions: PartitionStatusLine[] = [];
  const copysetIds = new Map<number, Set<number>>();
  for (const fs of fileSystems) {
    const routes = await pages((pageToken) =>
      client.call((s, timeoutMs) =>
        s.topology
          .listPartitions({ fsId: fs.fsId, pageToken }, { timeoutMs })
          .then((r) => ({ items: r.partitions, next: r.nextPageToken })),
      ),
    );
    for (const { partition: p } of routes) {
      if (!p) continue;
      const ids = copysetIds.get(p.poolId) ?? new Set<number>();
      copysetIds.set(p.poolId, ids.add(p.copysetId));
      partitions.push({
        fsName: fs.fsName,
        fsId: fs.fsId,
        partitionId: p.partitionId,
        copyset: `${p.poolId}/${p.copysetId}`,
        start: `${p.start}`,
        end: `${p.end}`,
        status: PartitionStatus[p.status] ?? `${p.status}`,
        nextId: `${p.nextId}`,
        inodes: `${p.inodeCount}`,
        dentries: `${p.dentryCount}`,
      });
    }
  }
  const pools = await pages((pageToken) =>
    client.call((s, timeoutMs) =>
      s.topology
        .listPools({ pageSize: 1000, pageToken }, { timeoutMs })
        .then((r) => ({ items: r.pools, next: r.nextPageToken })),
    ),
  );
  const copysets: CopysetStatusLine[] = [];
  for (const pool of pools.filter((p) => p.type === PoolType.METASERVER)) {
    const ids = copysetIds.get(pool.poolId) ?? new Set<number>();
    for (let id = 1; id <= PROBED_COPYSET_IDS && ids.size < PROBED_COPYSET_IDS; id++) ids.add(id);
    const wanted = [...ids].slice(0, PROBED_COPYSET_IDS);
    const answer = await client.call((s, timeoutMs) =>
      s.topology.getCopysets({ poolId: pool.poolId, copysetIds: wanted }, { timeoutMs }),
    );
    for (const c of answer.copysets) {
      const change = c.pendingChange;
      copysets.push({
        poolId: c.poolId,
        copysetId: c.copysetId,
        epoch: `${c.epoch}`,
        members: c.peers.map((p) => `${p.id}@${p.address}`),
        leader: c.leader?.address,
        term: `${c.term}`,
        pendingChange:
          change && `${ConfigChangeType[change.type]} ${change.peer?.address ?? ""}`.trim(),
      });
    }
  }
  return {
    mdsLeader: client.leaderUrl,
    metaservers: metaservers.map((m) => ({
      id: m.metaserverId,
      address: m.address,
      poolId: m.poolId,
      zoneId: m.zoneId,
      state: ServerState[m.state] ?? `${m.state}`,
      copysets: m.copysetCount,
      leaderOf: m.leaderCount,
      lastHeartbeatAgoMs: m.lastHeartbeatTime
        ? Math.max(
            0,
            now -
              Number(m.lastHeartbeatTime.seconds) * 1000 -
              Math.floor(m.lastHeartbeatTime.nanos / 1e6),
          )
        : undefined,
    })),
    copysets,
    fileSystems: fileSystems.map((fs) => ({
      name: fs.fsName,
      id: fs.fsId,
      status: FsStatus[fs.status] ?? `${fs.status}`,
    })),
    partitions,
  };
}

/** Every item of a paged listing. */
async function pages<T>(
  page: (token: string) => Promise<{ items: T[]; next: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let token = "";
  do {
    const { items, next } = await page(token);
    all.push(...items);
    token = next;
  } while (token !== "");
  return all;
}
