/**
 * MetaServerHeartbeat and ChunkServerHeartbeat (heartbeat.proto): authenticate the sender,
 * record its liveness and space, reconcile each reported copyset replica with the records, and
 * answer with commands (purges, and the repair of copysets with an OFFLINE member).
 */
import { create } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { CurveError } from "../../errors.js";
import {
  type PartitionInfo,
  PartitionStatus,
  type Peer,
  PeerSchema,
} from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import {
  type ConfigChange,
  ConfigChangeSchema,
  ConfigChangeType,
  type MetaServerSpace,
} from "../../gen/curve/mds/v1/cluster_pb.js";
import {
  type CopysetCommand,
  CopysetCommandSchema,
  CopysetPurgeSchema,
} from "../../gen/curve/mds/v1/heartbeat_pb.js";
import { ServerState } from "../../gen/curve/mds/v1/topology_pb.js";
import { placementCandidates } from "../topology/copysets.js";
import { partitionRemoval } from "../topology/partitions.js";
import type { PlacementCandidate } from "../topology/placement.js";
import { encodeCopyset, encodePartition } from "../topology/topology-codec.js";
import type { TopologyDeps } from "../topology/topology-deps.js";
import {
  type CopysetRecord,
  copysetRef,
  type ServerKind,
  type ServerRecord,
} from "../topology/topology-records.js";
import {
  type IssuedChange,
  putWrite,
  type TopologyTerm,
  type TopologyWrite,
} from "../topology/topology-store.js";
import type { Versioned } from "../topology/topology-view.js";
import {
  type CopysetReport,
  reconcilePartitions,
  reconcileReport,
  sameCopyset,
} from "./copyset-report.js";
import { planRepair, type Replacement } from "./repair.js";

/** A heartbeat of either kind, as the domain sees it. */
export interface Heartbeat {
  readonly kind: ServerKind;
  readonly id: number;
  readonly token: string;
  readonly address: string;
  readonly startTime: Timestamp | undefined;
  /** Metaservers. */
  readonly space?: MetaServerSpace | undefined;
  /** Chunkservers. */
  readonly capacityBytes?: bigint;
  readonly usedBytes?: bigint;
  readonly diskError?: string | undefined;
  readonly chunkCount?: bigint;
  readonly copysets: readonly CopysetReport[];
}

/**
 * Handles one heartbeat and returns the commands for the sender's copysets (at most one per
 * copyset).
 * @throws CurveError SERVER_TOKEN_MISMATCH, SERVER_ADDRESS_MISMATCH.
 */
export async function handleHeartbeat(
  deps: TopologyDeps,
  heartbeat: Heartbeat,
): Promise<CopysetCommand[]> {
  const round = await deps.store.exclusive(async (term) => {
    const server = authenticate(term, heartbeat);
    recordLiveness(deps, term, server, heartbeat);
    const round = new HeartbeatRound(deps, term, server);
    for (const report of heartbeat.copysets) round.reconcile(report);
    await term.commit(round.writes);
    return round;
  });
  // Outside the topology lock: a server call may take a while.
  for (const target of round.targets) void prepareTarget(deps, target);
  return round.commands;
}

/** A server a repair adds, whose empty replica must exist before the change is sent. */
interface RepairTarget {
  readonly kind: ServerKind;
  readonly address: string;
  readonly poolId: number;
  readonly copysetId: number;
  readonly issued: IssuedChange;
}

/**
 * Creates the empty replica on the server a repair adds (the leader then adds it and sends it
 * a snapshot); the change is sent from the next heartbeat of the leader on. A failure is
 * logged and the next heartbeat of the leader tries again.
 */
async function prepareTarget(deps: TopologyDeps, target: RepairTarget): Promise<void> {
  const nodes = target.kind === "chunkserver" ? deps.chunkServers : deps.metaServerNodes;
  try {
    await nodes.createEmptyCopysetNode(target.address, target);
    target.issued.ready = true;
  } catch (error) {
    deps.ctx.logger.warn(
      { err: error, copyset: copysetRef(target.poolId, target.copysetId), target: target.address },
      "could not create the replica a repair adds; retrying",
    );
  } finally {
    target.issued.preparing = false;
  }
}

function authenticate(term: TopologyTerm, heartbeat: Heartbeat): ServerRecord {
  const server = term.view.servers[heartbeat.kind].get(heartbeat.id)?.value;
  const idMeta = { [`${heartbeat.kind}_id`]: `${heartbeat.id}` };
  if (!server || server.token !== heartbeat.token) {
    throw new CurveError(
      ErrorReason.SERVER_TOKEN_MISMATCH,
      server
        ? `the token of ${heartbeat.kind} ${heartbeat.id} differs`
        : `no ${heartbeat.kind} has id ${heartbeat.id}`,
      { metadata: idMeta },
    );
  }
  if (server.address !== heartbeat.address) {
    throw new CurveError(
      ErrorReason.SERVER_ADDRESS_MISMATCH,
      `${heartbeat.kind} ${heartbeat.id} is registered at ${server.address}, not ${heartbeat.address}`,
      { metadata: idMeta },
    );
  }
  return server;
}

/** Step 1: the sender is ONLINE, heard now; its reported state is noted. */
function recordLiveness(
  deps: TopologyDeps,
  term: TopologyTerm,
  server: ServerRecord,
  heartbeat: Heartbeat,
): void {
  const live = term.liveness(server.kind, server.id);
  if (live.state !== ServerState.ONLINE) {
    deps.ctx.logger.info(
      { kind: server.kind, id: server.id, from: ServerState[live.state] },
      "server is ONLINE",
    );
  }
  live.state = ServerState.ONLINE;
  live.lastHeartbeatAt = deps.ctx.clock.now();
  live.lastHeartbeatWallMs = deps.wallClock();
  live.startTime = heartbeat.startTime;
  live.leaderCount = heartbeat.copysets.filter((c) => c.leader?.address === server.address).length;
  if (heartbeat.space) live.space = heartbeat.space;
  live.capacityBytes = heartbeat.capacityBytes ?? live.capacityBytes;
  live.usedBytes = heartbeat.usedBytes ?? live.usedBytes;
  live.chunkCount = heartbeat.chunkCount ?? live.chunkCount;
  if (server.kind === "chunkserver") live.diskError = heartbeat.diskError;
}

/** Steps 2 and 3 for one heartbeat: the writes to make and the commands to send. */
class HeartbeatRound {
  readonly writes: TopologyWrite[] = [];
  readonly commands: CopysetCommand[] = [];
  readonly targets: RepairTarget[] = [];
  readonly #deps: TopologyDeps;
  readonly #term: TopologyTerm;
  readonly #server: ServerRecord;
  /** Candidates per pool, with the load of changes issued so far. */
  readonly #candidates = new Map<number, PlacementCandidate[]>();
  #partitionsByCopyset: Map<string, Versioned<PartitionInfo>[]> | undefined;

  constructor(deps: TopologyDeps, term: TopologyTerm, server: ServerRecord) {
    this.#deps = deps;
    this.#term = term;
    this.#server = server;
  }

  reconcile(report: CopysetReport): void {
    const view = this.#term.view;
    const ref = copysetRef(report.poolId, report.copysetId);
    const current = view.copysets.get(ref);
    // A copyset of a pool of the other kind of server is not one this server can hold.
    const known = current && view.poolServerKind(report.poolId) === this.#server.kind;
    const record = known ? current.value : undefined;
    const outcome = reconcileReport(this.#server.id, report, record, (peer) =>
      this.#memberId(report.poolId, peer),
    );
    if (outcome.kind === "purge") {
      this.commands.push(
        create(CopysetCommandSchema, {
          poolId: report.poolId,
          copysetId: report.copysetId,
          epoch: outcome.epoch,
          action: { case: "purge", value: create(CopysetPurgeSchema) },
        }),
      );
      return;
    }
    if (!current || !record) return;
    const next = outcome.next ?? record;
    if (!sameCopyset(next, record))
      this.writes.push(putWrite(current.key, encodeCopyset(next), current));
    if (outcome.kind !== "authoritative") return;
    if (report.partitions) this.#reconcilePartitions(ref, report);
    this.#schedule(next, report);
  }

  /** A reported peer as a server id of the pool (by its registered address). */
  #memberId(poolId: number, peer: Peer): number | undefined {
    const server = this.#term.view.serverAt(peer.address);
    return server && server.kind === this.#server.kind && server.poolId === poolId
      ? server.id
      : undefined;
  }

  #reconcilePartitions(ref: string, report: CopysetReport): void {
    const recorded = this.#partitionsOf(ref);
    const outcome = reconcilePartitions(
      recorded.map((p) => p.value),
      report.partitions ?? [],
    );
    const byId = new Map(recorded.map((p) => [p.value.partitionId, p]));
    for (const id of outcome.nowReadOnly) {
      const current = byId.get(id);
      if (!current) continue;
      const next = { ...current.value, status: PartitionStatus.READ_ONLY };
      this.writes.push(putWrite(current.key, encodePartition(next), current));
    }
    for (const [id, counters] of outcome.counters) this.#term.partitionCounters.set(id, counters);
    for (const id of outcome.removed) {
      this.writes.push(...partitionRemoval(this.#term, id));
      this.#term.partitionCounters.delete(id);
      this.#deps.ctx.logger.info(
        { partitionId: id },
        "deleted partition removed from the topology",
      );
    }
  }

  #partitionsOf(ref: string): Versioned<PartitionInfo>[] {
    if (!this.#partitionsByCopyset) {
      this.#partitionsByCopyset = new Map();
      for (const entry of this.#term.view.partitions.values()) {
        const key = copysetRef(entry.value.poolId, entry.value.copysetId);
        const list = this.#partitionsByCopyset.get(key) ?? [];
        list.push(entry);
        this.#partitionsByCopyset.set(key, list);
      }
    }
    return this.#partitionsByCopyset.get(ref) ?? [];
  }

  /** Step 3: at most one configuration change, only while none is in flight. */
  #schedule(copyset: CopysetRecord, report: CopysetReport): void {
    const changes = this.#term.changesOf(copysetRef(copyset.poolId, copyset.copysetId));
    changes.reported = report.pendingChange && {
      epoch: copyset.epoch,
      change: report.pendingChange,
    };
    if (changes.issued && changes.issued.epoch !== copyset.epoch) changes.issued = undefined;
    if (report.pendingChange || !this.#deps.ctx.config.repairOfflineServers) return;
    const issued = changes.issued && replacementOf(changes.issued.change);
    const candidates = this.#candidatesOf(copyset.poolId);
    const kind = this.#server.kind;
    const zoneOf = new Map(
      this.#term.view
        .serversOf(kind)
        .filter((s) => s.poolId === copyset.poolId)
        .map((s) => [s.id, s.zoneId]),
    );
    const plan = planRepair({
      members: copyset.members,
      stateOf: (id) => this.#term.liveness(kind, id).state,
      zoneOf,
      candidates,
      issued,
    });
    if (!plan) {
      changes.issued = undefined;
      return;
    }
    const same = issued?.peer === plan.peer && issued.oldPeer === plan.oldPeer;
    if (!same || !changes.issued) {
      const at = candidates.findIndex((c) => c.id === plan.peer);
      const target = candidates[at];
      if (target) candidates[at] = { ...target, copysetCount: target.copysetCount + 1 };
      changes.issued = {
        epoch: copyset.epoch,
        change: this.#changePeer(copyset.poolId, plan),
        ready: false,
        preparing: false,
      };
      this.#deps.ctx.logger.info(
        { copyset: copysetRef(copyset.poolId, copyset.copysetId), epoch: copyset.epoch, ...plan },
        "repairing a copyset with an OFFLINE member",
      );
    }
    const entry = changes.issued;
    if (entry.ready) {
      this.commands.push(
        create(CopysetCommandSchema, {
          poolId: copyset.poolId,
          copysetId: copyset.copysetId,
          epoch: copyset.epoch,
          action: { case: "change", value: entry.change },
        }),
      );
    } else if (!entry.preparing) {
      entry.preparing = true;
      this.targets.push({
        kind,
        address: entry.change.peer?.address ?? "",
        poolId: copyset.poolId,
        copysetId: copyset.copysetId,
        issued: entry,
      });
    }
  }

  /** The pool's placement candidates, counting the replacements already issued. */
  #candidatesOf(poolId: number): PlacementCandidate[] {
    let candidates = this.#candidates.get(poolId);
    if (!candidates) {
      const pool = this.#term.view.pools.get(poolId)?.value;
      const targets = new Map<number, number>();
      for (const changes of this.#term.copysetChanges.values()) {
        const target = changes.issued?.change.peer?.id;
        if (target !== undefined) targets.set(target, (targets.get(target) ?? 0) + 1);
      }
      candidates = pool
        ? placementCandidates(this.#deps, this.#term, pool).map((c) => ({
            ...c,
            copysetCount: c.copysetCount + (targets.get(c.id) ?? 0),
          }))
        : [];
      this.#candidates.set(poolId, candidates);
    }
    return candidates;
  }

  #changePeer(poolId: number, plan: Replacement): ConfigChange {
    return create(ConfigChangeSchema, {
      type: ConfigChangeType.CHANGE_PEER,
      peer: this.#peer(poolId, plan.peer),
      oldPeer: this.#peer(poolId, plan.oldPeer),
    });
  }

  #peer(poolId: number, id: number): Peer {
    const kind = this.#term.view.poolServerKind(poolId) ?? this.#server.kind;
    return create(PeerSchema, {
      id,
      address: this.#term.view.servers[kind].get(id)?.value.address ?? "",
    });
  }
}

function replacementOf(change: ConfigChange): Replacement | undefined {
  const peer = change.peer?.id;
  const oldPeer = change.oldPeer?.id;
  return change.type === ConfigChangeType.CHANGE_PEER && peer !== undefined && oldPeer !== undefined
    ? { peer, oldPeer }
    : undefined;
}
