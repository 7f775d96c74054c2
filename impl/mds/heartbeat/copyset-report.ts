/**
 * What one reported copyset replica changes in the MDS's records (heartbeat.proto, step 2):
 * pure decisions over the report and the record.
 */
import type { PartitionInfo, Peer } from "../../gen/curve/common/v1/common_pb.js";
import { PartitionStatus } from "../../gen/curve/common/v1/common_pb.js";
import type { ConfigChange } from "../../gen/curve/mds/v1/cluster_pb.js";
import type { CopysetRecord } from "../topology/topology-records.js";
import type { PartitionCounters } from "../topology/topology-store.js";

/** A copyset replica as a server reports it (metaserver and chunkserver alike). */
export interface CopysetReport {
  readonly poolId: number;
  readonly copysetId: number;
  readonly peers: readonly Peer[];
  readonly epoch: bigint;
  readonly leader?: Peer | undefined;
  readonly term: bigint;
  readonly pendingChange?: ConfigChange | undefined;
  readonly loading: boolean;
  /** Metaservers: the partitions it hosts. */
  readonly partitions?: readonly PartitionInfo[];
}

/** What the report means for the record. */
export type ReportOutcome =
  /** The replica is not (or no longer) a member: purge it at this epoch (0: unknown copyset). */
  | { readonly kind: "purge"; readonly epoch: bigint }
  /**
   * The copyset's leader reported its current configuration: `next` is the record to keep
   * (members, epoch, leader, term), and the report's partitions apply.
   */
  | { readonly kind: "authoritative"; readonly next: CopysetRecord }
  /** Only the leader and term may have moved (`next` when they did). */
  | { readonly kind: "hint"; readonly next: CopysetRecord | undefined };

/**
 * Reconciles one report of `sender` (its server id) with the record.
 * `memberId` maps a reported peer to a server id of the copyset's pool (undefined: unknown).
 */
export function reconcileReport(
  sender: number,
  report: CopysetReport,
  record: CopysetRecord | undefined,
  memberId: (peer: Peer) => number | undefined,
): ReportOutcome {
  if (!record) return { kind: "purge", epoch: 0n };
  if (report.epoch < record.epoch && !record.members.includes(sender)) {
    return { kind: "purge", epoch: record.epoch };
  }
  const fromLeader = report.leader !== undefined && memberId(report.leader) === sender;
  const members = report.peers.map(memberId);
  const known = members.every((m): m is number => m !== undefined);
  if (fromLeader && !report.loading && report.epoch >= record.epoch && known) {
    return {
      kind: "authoritative",
      next: {
        ...record,
        members: [...new Set(members)].sort((a, b) => a - b),
        epoch: report.epoch,
        leader: sender,
        term: report.term,
        created: true,
      },
    };
  }
  const leader = report.leader && memberId(report.leader);
  if (leader !== undefined && report.term > record.term) {
    return { kind: "hint", next: { ...record, leader, term: report.term } };
  }
  return { kind: "hint", next: undefined };
}

/** True when two records say the same (so nothing needs writing). */
export function sameCopyset(a: CopysetRecord, b: CopysetRecord): boolean {
  return (
    a.epoch === b.epoch &&
    a.leader === b.leader &&
    a.term === b.term &&
    a.created === b.created &&
    a.members.length === b.members.length &&
    a.members.every((m, i) => m === b.members[i])
  );
}

/** What a leader's partition report changes. */
export interface PartitionReconciliation {
  /** Partitions that become READ_ONLY. */
  readonly nowReadOnly: readonly number[];
  /** Counters of the reported partitions the MDS has a record of. */
  readonly counters: ReadonlyMap<number, PartitionCounters>;
  /** DELETING partitions of the copyset the leader no longer reports: their deletion is done. */
  readonly removed: readonly number[];
}

/**
 * Reconciles the partitions a copyset's leader reported with the ones recorded for the
 * copyset: READ_WRITE → READ_ONLY (never back; DELETING is the MDS's to set), counters taken as
 * reported, DELETING ones no longer reported removed; unknown ones ignored.
 */
export function reconcilePartitions(
  recorded: readonly PartitionInfo[],
  reported: readonly PartitionInfo[],
): PartitionReconciliation {
  const byId = new Map(recorded.map((p) => [p.partitionId, p]));
  const reportedIds = new Set<number>();
  const nowReadOnly: number[] = [];
  const counters = new Map<number, PartitionCounters>();
  for (const p of reported) {
    const record = byId.get(p.partitionId);
    if (!record) continue;
    reportedIds.add(p.partitionId);
    if (record.status === PartitionStatus.READ_WRITE && p.status === PartitionStatus.READ_ONLY) {
      nowReadOnly.push(p.partitionId);
    }
    counters.set(p.partitionId, {
      nextId: p.nextId,
      inodeCount: p.inodeCount,
      dentryCount: p.dentryCount,
    });
  }
  const removed = recorded
    .filter((p) => p.status === PartitionStatus.DELETING && !reportedIds.has(p.partitionId))
    .map((p) => p.partitionId);
  return { nowReadOnly, counters, removed };
}
