/**
 * What a mounted client knows about where the metadata of its file system lives (DESIGN §1):
 * the partitions (inode-id ranges) with their status and latest committed rename tx id, and the
 * copysets hosting them with their members and believed leader. Filled from one topology call
 * (ListPartitions / CreatePartitions return every partition with its route), corrected by
 * leader hints and GetCopysets, refreshed when a metaserver says a partition is unknown. Pure:
 * no IO, so the lookups are unit-tested directly.
 */

import { PartitionStatus } from "../gen/curve/common/v1/common_pb.js";
import type { Copyset } from "../gen/curve/mds/v1/cluster_pb.js";
import type { PartitionRoute } from "../gen/curve/mds/v1/topology_pb.js";

/** One partition as the client routes to it. */
export interface PartitionEntry {
  readonly partitionId: number;
  readonly poolId: number;
  readonly copysetId: number;
  /** First inode id of the range (inclusive). */
  readonly start: bigint;
  /** Last inode id of the range (inclusive). */
  readonly end: bigint;
  status: PartitionStatus;
  /** The latest committed rename tx id the client knows. */
  txId: bigint;
  /** Inodes in the partition, as the MDS last heard (for statfs). */
  readonly inodeCount: bigint;
}

/** One copyset's members ("host:port") and believed leader. */
export interface CopysetRoute {
  readonly members: readonly string[];
  leader: string | undefined;
}

export function copysetKey(poolId: number, copysetId: number): string {
  return `${poolId}/${copysetId}`;
}

export class RoutingCache {
  /** Sorted by `start`; ranges never overlap. */
  #partitions: PartitionEntry[] = [];
  readonly #copysets = new Map<string, CopysetRoute>();

  /** Replaces the partition list with a full listing; learned leaders survive when still members. */
  replaceAll(routes: readonly PartitionRoute[]): void {
    const previous = new Map(this.#partitions.map((p) => [p.partitionId, p]));
    this.#partitions = [];
    this.merge(routes);
    // What the client learned itself (its own commit, a read-only answer) may be newer than
    // the MDS listing; both only move forward.
    for (const entry of this.#partitions) {
      const known = previous.get(entry.partitionId);
      if (known === undefined) continue;
      if (known.txId > entry.txId) entry.txId = known.txId;
      if (known.status > entry.status) entry.status = known.status;
    }
  }

  /** Adds or updates the partitions of `routes` (e.g. those CreatePartitions returned). */
  merge(routes: readonly PartitionRoute[]): void {
    for (const route of routes) {
      const info = route.partition;
      if (info === undefined) continue;
      const entry: PartitionEntry = {
        partitionId: info.partitionId,
        poolId: info.poolId,
        copysetId: info.copysetId,
        start: info.start,
        end: info.end,
        status: info.status,
        txId: info.txId,
        inodeCount: info.inodeCount,
      };
      const index = this.#partitions.findIndex((p) => p.partitionId === entry.partitionId);
      if (index >= 0) {
        const old = this.#partitions[index] as PartitionEntry;
        if (old.txId > entry.txId) entry.txId = old.txId;
        // READ_WRITE → READ_ONLY → DELETING only move forward.
        if (old.status > entry.status) entry.status = old.status;
        this.#partitions[index] = entry;
      } else {
        this.#partitions.push(entry);
      }
      if (route.copyset) this.updateCopyset(route.copyset);
    }
    this.#partitions.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /** Takes a copyset's members and leader from the MDS (GetCopysets, or a partition route). */
  updateCopyset(copyset: Copyset): void {
    const key = copysetKey(copyset.poolId, copyset.copysetId);
    const members = copyset.peers.map((p) => p.address);
    const known = this.#copysets.get(key)?.leader;
    const reported = copyset.leader?.address || undefined;
    // Our own last success is fresher than the MDS's heartbeat view, while it is still a member.
    const leader = known !== undefined && members.includes(known) ? known : reported;
    this.#copysets.set(key, { members, leader });
  }

  /** Forgets copysets the MDS no longer knows (GetCopysets `missing_copyset_ids`). */
  dropCopyset(poolId: number, copysetId: number): void {
    this.#copysets.delete(copysetKey(poolId, copysetId));
  }

  /** The partition whose range holds `inodeId`, or undefined. */
  partitionOf(inodeId: bigint): PartitionEntry | undefined {
    let low = 0;
    let high = this.#partitions.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const p = this.#partitions[mid] as PartitionEntry;
      if (inodeId < p.start) high = mid - 1;
      else if (inodeId > p.end) low = mid + 1;
      else return p;
    }
    return undefined;
  }

  byId(partitionId: number): PartitionEntry | undefined {
    return this.#partitions.find((p) => p.partitionId === partitionId);
  }

  /** Every partition, in range order. */
  partitions(): readonly PartitionEntry[] {
    return this.#partitions;
  }

  /** The partitions that accept new inodes. */
  writable(): PartitionEntry[] {
    return this.#partitions.filter((p) => p.status === PartitionStatus.READ_WRITE);
  }

  /** A READ_WRITE partition chosen uniformly at random (Curve's placement), or undefined. */
  pickWritable(random: () => number = Math.random): PartitionEntry | undefined {
    const writable = this.writable();
    return writable[Math.floor(random() * writable.length)];
  }

  /** Records what a metaserver told us (PARTITION_READ_ONLY): one-way. */
  markReadOnly(partitionId: number): void {
    const entry = this.byId(partitionId);
    if (entry && entry.status === PartitionStatus.READ_WRITE)
      entry.status = PartitionStatus.READ_ONLY;
  }

  /** The ids of partitions known read-only (reported with CreatePartitions). */
  readOnlyIds(): number[] {
    return this.#partitions
      .filter((p) => p.status === PartitionStatus.READ_ONLY)
      .map((p) => p.partitionId);
  }

  copyset(poolId: number, copysetId: number): CopysetRoute | undefined {
    return this.#copysets.get(copysetKey(poolId, copysetId));
  }

  setLeader(poolId: number, copysetId: number, leader: string | undefined): void {
    const route = this.#copysets.get(copysetKey(poolId, copysetId));
    if (route) route.leader = leader;
  }

  /** Raises tx ids to what the MDS reports (RefreshSession, GetLatestTxId); never lowers one. */
  learnTxIds(txIds: Iterable<{ partitionId: number; txId: bigint }>): void {
    for (const { partitionId, txId } of txIds) {
      const entry = this.byId(partitionId);
      if (entry && txId > entry.txId) entry.txId = txId;
    }
  }

  /** Every partition's known tx id, for RefreshSession. */
  knownTxIds(): { partitionId: number; txId: bigint }[] {
    return this.#partitions.map((p) => ({ partitionId: p.partitionId, txId: p.txId }));
  }
}
