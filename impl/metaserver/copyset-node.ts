/**
 * One metaserver copyset bound to its Raft group: the group's state machine is the copyset's
 * `CopysetState` (each committed entry is an op envelope of ops.ts, applied at its log index;
 * snapshots are the state's snapshot bytes), writes are proposals, and reads are linearizable
 * through the node's read index. Errors of the node (NOT_LEADER with `leader_hint`,
 * LEADER_UNKNOWN, ...) and refusals of the state machine reach the caller as `CurveError`s.
 */
import { create, type Message } from "@bufbuild/protobuf";
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import {
  CopysetRole,
  type CopysetStatus,
  CopysetStatusSchema,
} from "../gen/curve/metaserver/v1/copyset_pb.js";
import { groupIdOf } from "../raft/cli-service.js";
import type { NodeId } from "../raft/core/index.js";
import type { AppliedEntry, RaftHost, RaftNode, StateMachine } from "../raft/node/index.js";
import { peerOf, toUint64 } from "../raft/transport/raft-codec.js";
import { CopysetState } from "./copyset-state.js";
import { decodeEpochSnapshot, encodeEpochSnapshot } from "./epoch-snapshot.js";
import { encodeOp, type Op } from "./ops.js";
import type { ApplyResult } from "./partition.js";
import { PendingWriteLimit, type PendingWriteLimitOptions } from "./pending-write-limit.js";

/**
 * The Raft state machine of a copyset: a `CopysetState`, replaced wholesale on restore, and the
 * copyset's epoch (cluster.proto: 0 at creation, +1 per committed membership entry), counted
 * here so that every replica agrees on it and a snapshot carries it to new members.
 */
export class CopysetMachine implements StateMachine<ApplyResult | undefined> {
  private current: CopysetState;
  private configurationEpoch = 0n;

  constructor(
    readonly poolId: number,
    readonly copysetId: number,
  ) {
    this.current = new CopysetState(poolId, copysetId);
  }

  /** The applied state (as of this replica's applied index: may lag the leader). */
  get state(): CopysetState {
    return this.current;
  }

  /**
   * Applies an entry at its log index. A refusal is a `CurveError` result; an undecodable entry
   * throws, which stops the node rather than let replicas diverge.
   */
  apply(entry: AppliedEntry): ApplyResult | undefined {
    return this.current.applyEntry(entry.data, BigInt(entry.index));
  }

  /** The configuration version of the applied state. */
  get epoch(): bigint {
    return this.configurationEpoch;
  }

  confChanged(): void {
    this.configurationEpoch += 1n;
  }

  snapshot(): Uint8Array {
    return encodeEpochSnapshot(this.configurationEpoch, this.current.snapshot());
  }

  restore(data: Uint8Array): void {
    const { epoch, body } = decodeEpochSnapshot(data);
    const state = CopysetState.restore(body);
    if (state.poolId !== this.poolId || state.copysetId !== this.copysetId) {
      throw new CurveError(
        ErrorReason.DATA_CORRUPTED,
        `snapshot of copyset ${state.poolId}/${state.copysetId} offered to ${this.poolId}/${this.copysetId}`,
      );
    }
    this.current = state;
    this.configurationEpoch = epoch;
  }
}

export class CopysetNode {
  readonly groupId: bigint;

  private constructor(
    readonly poolId: number,
    readonly copysetId: number,
    readonly node: RaftNode<CopysetMachine>,
    private readonly writes: PendingWriteLimit,
  ) {
    this.groupId = groupIdOf(poolId, copysetId);
  }

  /**
   * Opens (creating if needed) the copyset's group on `host` with the bootstrap `peers` (empty: a
   * replica waiting to be added).
   * @throws CurveError GROUP_ALREADY_EXISTS when the host runs the group already.
   */
  static async open(
    host: RaftHost,
    poolId: number,
    copysetId: number,
    peers: readonly NodeId[],
    limits: PendingWriteLimitOptions = {},
  ): Promise<CopysetNode> {
    const node = await host.createGroup(groupIdOf(poolId, copysetId), {
      peers,
      stateMachine: new CopysetMachine(poolId, copysetId),
    });
    return new CopysetNode(poolId, copysetId, node, new PendingWriteLimit(limits));
  }

  /** Whether this replica's applied state hosts the partition (routing; not linearizable). */
  hosts(partitionId: number): boolean {
    try {
      this.node.stateMachine.state.partition(partitionId);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Replicates one write and returns its response once committed and applied here.
   * @throws CurveError OVERLOADED when too many writes are pending; the state machine's
   *   refusal, or the node's (NOT_LEADER, ...).
   */
  async write<Response extends Message>(entry: Op): Promise<Response> {
    const result = await this.writes.run(() => this.node.propose(encodeOp(entry)));
    if (result instanceof CurveError) throw result;
    if (result === undefined) {
      // Only a replayed index is skipped, and a fresh proposal never has one.
      throw new CurveError(ErrorReason.INTERNAL, "the proposed entry was skipped as applied");
    }
    return result as Response;
  }

  /** A linearizable read of the copyset's state (leader only). */
  read<T>(read: (state: CopysetState) => T): Promise<T> {
    return this.node.read((machine) => read(machine.state));
  }

  /** This replica's view of the copyset (GetCopysetStatus; not linearizable). */
  status(): CopysetStatus {
    const status = this.node.status();
    const state = this.node.stateMachine.state;
    return create(CopysetStatusSchema, {
      poolId: this.poolId,
      copysetId: this.copysetId,
      groupId: this.groupId,
      role: roleOf(this.node),
      self: peerOf(this.node.id),
      ...(status.leader === "" ? {} : { leader: peerOf(status.leader) }),
      term: toUint64(status.term),
      commitIndex: toUint64(status.commit),
      appliedIndex: toUint64(this.node.appliedIndex),
      firstLogIndex: toUint64(status.firstIndex),
      lastLogIndex: toUint64(status.lastIndex),
      epoch: this.node.stateMachine.epoch,
      peers: status.conf.voters.map(peerOf),
      partitions: state.list().map((partition) => partition.info()),
    });
  }
}

function roleOf(node: RaftNode<CopysetMachine>): CopysetRole {
  if (!node.running) return CopysetRole.ERROR;
  const status = node.status();
  switch (status.role) {
    case "leader":
      return status.transferee === "" ? CopysetRole.LEADER : CopysetRole.TRANSFERRING;
    case "candidate":
    case "pre-candidate":
      return CopysetRole.CANDIDATE;
    case "follower":
      return CopysetRole.FOLLOWER;
  }
}
