/**
 * Copyset placement (topology.proto, "Placement model"): which servers get the replicas of a
 * new copyset, and which server replaces an OFFLINE member. Pure functions over candidates the
 * caller has already filtered to servers that may take a copyset (`mayHostNewCopyset`).
 */
import type { MetaServerSpace } from "../../gen/curve/mds/v1/cluster_pb.js";
import { ServerState } from "../../gen/curve/mds/v1/topology_pb.js";

/** A server that may host one more copyset. */
export interface PlacementCandidate {
  readonly id: number;
  readonly zoneId: number;
  /** Copysets it hosts now. */
  readonly copysetCount: number;
}

/** What decides whether a server may take a new copyset. */
export interface HostingFacts {
  readonly state: ServerState;
  readonly copysetCount: number;
  readonly maxCopysets: number;
  /** Metaservers: the space of the last heartbeat (none before it). */
  readonly space?: MetaServerSpace | undefined;
  /** Chunkservers: capacity, use and disk health as last reported. */
  readonly capacityBytes?: bigint;
  readonly usedBytes?: bigint;
  readonly diskError?: string | undefined;
}

/**
 * True when a server may host one more copyset: ONLINE, below the copyset limit, and with room
 * (metaservers: used plus the per-copyset minimum within both thresholds; chunkservers: free
 * capacity and no disk error).
 */
export function mayHostNewCopyset(
  kind: "metaserver" | "chunkserver",
  facts: HostingFacts,
): boolean {
  if (facts.state !== ServerState.ONLINE || facts.copysetCount >= facts.maxCopysets) return false;
  if (kind === "metaserver") {
    const s = facts.space;
    return (
      s !== undefined &&
      s.diskUsedBytes + s.diskMinBytesPerCopyset <= s.diskThresholdBytes &&
      s.memoryUsedBytes + s.memoryMinBytesPerCopyset <= s.memoryThresholdBytes
    );
  }
  return facts.diskError === undefined && (facts.capacityBytes ?? 0n) > (facts.usedBytes ?? 0n);
}

/** Fewer copysets first, then the lower id: a total order, so placement is deterministic. */
function lighter(a: PlacementCandidate, b: PlacementCandidate): number {
  return a.copysetCount - b.copysetCount || a.id - b.id;
}

/**
 * The members of one new copyset: `replicaCount` candidates in distinct zones, the least
 * loaded ones (the lightest server of each zone, then the lightest of those zones), ascending by
 * id; undefined when fewer than `replicaCount` zones have a candidate.
 */
export function placeCopyset(
  candidates: readonly PlacementCandidate[],
  replicaCount: number,
): number[] | undefined {
  const bestOfZone = new Map<number, PlacementCandidate>();
  for (const candidate of candidates) {
    const best = bestOfZone.get(candidate.zoneId);
    if (!best || lighter(candidate, best) < 0) bestOfZone.set(candidate.zoneId, candidate);
  }
  if (bestOfZone.size < replicaCount) return undefined;
  return [...bestOfZone.values()]
    .sort(lighter)
    .slice(0, replicaCount)
    .map((c) => c.id)
    .sort((a, b) => a - b);
}

/**
 * Up to `count` new copysets placed one after the other, each counting the copysets placed
 * before it (so a batch spreads over the servers); stops early when one cannot be placed or a
 * server would pass `maxCopysets`.
 */
export function placeCopysets(
  candidates: readonly PlacementCandidate[],
  replicaCount: number,
  count: number,
  maxCopysets: number,
): number[][] {
  const load = new Map(candidates.map((c) => [c.id, c.copysetCount]));
  const placed: number[][] = [];
  while (placed.length < count) {
    const available = candidates
      .map((c) => ({ ...c, copysetCount: load.get(c.id) ?? c.copysetCount }))
      .filter((c) => c.copysetCount < maxCopysets);
    const members = placeCopyset(available, replicaCount);
    if (!members) break;
    for (const id of members) load.set(id, (load.get(id) ?? 0) + 1);
    placed.push(members);
  }
  return placed;
}

/**
 * The server that replaces an OFFLINE member: the least loaded candidate that is not a member
 * and whose zone no other member uses; undefined when there is none.
 */
export function chooseReplacement(
  candidates: readonly PlacementCandidate[],
  members: readonly number[],
  zoneOfMember: ReadonlyMap<number, number>,
  replaced: number,
): number | undefined {
  const usedZones = new Set(members.filter((m) => m !== replaced).map((m) => zoneOfMember.get(m)));
  const eligible = candidates.filter((c) => !members.includes(c.id) && !usedZones.has(c.zoneId));
  return eligible.sort(lighter)[0]?.id;
}
