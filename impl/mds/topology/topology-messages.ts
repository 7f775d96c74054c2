/**
 * The topology as the spec's messages: records of the view plus the term's in-memory facts
 * (liveness, heartbeat counters, changes in flight) → Pool, Zone, MetaServerInfo,
 * ChunkServerInfo, Copyset, PartitionInfo. Pure mapping, no rules.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type PartitionInfo,
  PartitionInfoSchema,
  type Peer,
  PeerSchema,
} from "../../gen/curve/common/v1/common_pb.js";
import { type Copyset, CopysetSchema } from "../../gen/curve/mds/v1/cluster_pb.js";
import {
  type ChunkServerInfo,
  ChunkServerInfoSchema,
  type MetaServerInfo,
  MetaServerInfoSchema,
  type Pool,
  PoolSchema,
  type Zone,
  ZoneSchema,
} from "../../gen/curve/mds/v1/topology_pb.js";
import type { CopysetLocation } from "../metaserver-client.js";
import {
  type CopysetRecord,
  copysetRef,
  type PoolRecord,
  type ServerRecord,
  type ZoneRecord,
} from "./topology-records.js";
import type { TopologyTerm } from "./topology-store.js";

export function poolMessage(term: TopologyTerm, pool: PoolRecord): Pool {
  return create(PoolSchema, {
    poolId: pool.id,
    name: pool.name,
    type: pool.type,
    replicaCount: pool.replicaCount,
    initialCopysetCount: pool.initialCopysetCount,
    copysetCount: term.view.copysetsOfPool(pool.id).length,
    zoneCount: term.view.zonesOfPool(pool.id).length,
  });
}

export function zoneMessage(term: TopologyTerm, zone: ZoneRecord): Zone {
  const kind = term.view.poolServerKind(zone.poolId) ?? "metaserver";
  return create(ZoneSchema, {
    zoneId: zone.id,
    poolId: zone.poolId,
    name: zone.name,
    serverCount: term.view.serversOf(kind).filter((s) => s.zoneId === zone.id).length,
  });
}

/** The fields MetaServerInfo and ChunkServerInfo share. */
function serverFields(term: TopologyTerm, server: ServerRecord, copysetCount: number) {
  const live = term.liveness(server.kind, server.id);
  return {
    address: server.address,
    hostname: server.hostname,
    poolId: server.poolId,
    zoneId: server.zoneId,
    state: live.state,
    startTime: live.startTime,
    lastHeartbeatTime:
      live.lastHeartbeatWallMs === undefined
        ? undefined
        : timestampFromMs(live.lastHeartbeatWallMs),
    copysetCount,
    leaderCount: live.leaderCount,
  };
}

export function metaServerMessage(
  term: TopologyTerm,
  server: ServerRecord,
  copysetCount: number,
): MetaServerInfo {
  return create(MetaServerInfoSchema, {
    metaserverId: server.id,
    ...serverFields(term, server, copysetCount),
    space: term.liveness(server.kind, server.id).space,
  });
}

export function chunkServerMessage(
  term: TopologyTerm,
  server: ServerRecord,
  copysetCount: number,
): ChunkServerInfo {
  const live = term.liveness(server.kind, server.id);
  return create(ChunkServerInfoSchema, {
    chunkserverId: server.id,
    ...serverFields(term, server, copysetCount),
    capacityBytes: live.capacityBytes ?? server.capacityBytes,
    usedBytes: live.usedBytes,
    chunkCount: live.chunkCount,
    diskError: live.diskError,
  });
}

/** A server of the copyset's pool as a Peer (address "" if it is no longer registered). */
export function peerOf(term: TopologyTerm, poolId: number, serverId: number): Peer {
  const kind = term.view.poolServerKind(poolId) ?? "metaserver";
  const server = term.view.servers[kind].get(serverId)?.value;
  return create(PeerSchema, { id: serverId, address: server?.address ?? "" });
}

export function copysetMessage(term: TopologyTerm, copyset: CopysetRecord): Copyset {
  const changes = term.copysetChanges.get(copysetRef(copyset.poolId, copyset.copysetId));
  const inFlight =
    changes?.reported?.epoch === copyset.epoch
      ? changes.reported.change
      : changes?.issued?.epoch === copyset.epoch && changes.issued.ready
        ? changes.issued.change
        : undefined;
  return create(CopysetSchema, {
    poolId: copyset.poolId,
    copysetId: copyset.copysetId,
    peers: copyset.members.map((id) => peerOf(term, copyset.poolId, id)),
    epoch: copyset.epoch,
    leader: copyset.leader === undefined ? undefined : peerOf(term, copyset.poolId, copyset.leader),
    term: copyset.leader === undefined ? 0n : copyset.term,
    pendingChange: inFlight,
  });
}

/** Where a copyset lives, for MetaServerClient calls. */
export function locationOf(term: TopologyTerm, copyset: CopysetRecord): CopysetLocation {
  const leader =
    copyset.leader === undefined ? undefined : peerOf(term, copyset.poolId, copyset.leader).address;
  return {
    poolId: copyset.poolId,
    copysetId: copyset.copysetId,
    members: copyset.members.map((id) => peerOf(term, copyset.poolId, id).address).filter(Boolean),
    leaderHint: leader || undefined,
  };
}

/** A partition as reported: the stored fields, the committed tx id and the heartbeat counters. */
export function partitionMessage(
  term: TopologyTerm,
  info: PartitionInfo,
  txId: bigint | undefined,
): PartitionInfo {
  const counters = term.partitionCounters.get(info.partitionId);
  return create(PartitionInfoSchema, {
    fsId: info.fsId,
    poolId: info.poolId,
    copysetId: info.copysetId,
    partitionId: info.partitionId,
    start: info.start,
    end: info.end,
    txId: txId ?? info.txId,
    status: info.status,
    nextId: counters?.nextId ?? 0n,
    inodeCount: counters?.inodeCount ?? 0n,
    dentryCount: counters?.dentryCount ?? 0n,
  });
}
