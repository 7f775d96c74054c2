/**
 * The persisted records of the topology (topology.proto's placement model): what the MDS
 * stores in the KV for pools, zones, servers, copysets and partitions. Liveness, space and
 * heartbeat counters are not here: they live in memory for one term of leadership
 * (topology-term.ts), as the spec says a new leader starts without them.
 */
import type { PartitionInfo } from "../../gen/curve/common/v1/common_pb.js";
import type { PoolType } from "../../gen/curve/mds/v1/topology_pb.js";

/** A pool (CreatePool). */
export interface PoolRecord {
  readonly id: number;
  readonly name: string;
  readonly type: PoolType;
  readonly replicaCount: number;
  readonly initialCopysetCount: number;
}

/** A zone of a pool (CreateZone). */
export interface ZoneRecord {
  readonly id: number;
  readonly poolId: number;
  readonly name: string;
}

/** The two kinds of registered servers; each has its own records and RPCs. */
export type ServerKind = "metaserver" | "chunkserver";

/** A server registration (RegisterMetaServer / RegisterChunkServer). */
export interface ServerRecord {
  readonly kind: ServerKind;
  readonly id: number;
  readonly address: string;
  readonly hostname: string;
  readonly poolId: number;
  readonly zoneId: number;
  /** Never returned by any RPC but registration. */
  readonly token: string;
  /** Chunkservers: the capacity given at registration or reported since. */
  readonly capacityBytes: bigint;
}

/** The address index: which server is registered at an address. */
export interface AddressRecord {
  readonly kind: ServerKind;
  readonly id: number;
}

/** A copyset as the MDS records it. */
export interface CopysetRecord {
  readonly poolId: number;
  readonly copysetId: number;
  /** Member server ids of the configuration at `epoch`, ascending. */
  readonly members: readonly number[];
  readonly epoch: bigint;
  /** The last reported leader (a server id), if any. */
  readonly leader: number | undefined;
  /** The term in which `leader` was reported. */
  readonly term: bigint;
  /**
   * True once every member acknowledged CreateCopysetNode (or a leader reported the copyset).
   * The record is stored first (epoch 0), so no server ever reports an unknown copyset.
   */
  readonly created: boolean;
}

/** A partition: its persisted PartitionInfo fields plus whether the metaserver created it. */
export interface PartitionRecord {
  /** fs, pool, copyset, id, range, tx id and status (the heartbeat counters are not stored). */
  readonly info: PartitionInfo;
  /**
   * False from the moment the range is recorded until the copyset's leader has created the
   * partition (CreatePartitions): such a partition is never listed or returned.
   */
  readonly created: boolean;
}

/** "pool/copyset", the map key of a copyset. */
export function copysetRef(poolId: number, copysetId: number): string {
  return `${poolId}/${copysetId}`;
}
