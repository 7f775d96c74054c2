/**
 * The failures a Raft node reports to its callers (proposers, readers, CliService), as
 * `CurveError`s with the spec's reasons so that handlers can pass them through unchanged. `kind`
 * tells callers apart the cases that share a reason (the outcome of a proposal is unknown after
 * "leadership-lost", known not to have happened after "not-leader").
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { RaftError } from "../core/index.js";
import { DataCorruptionError, StorageError } from "../storage/index.js";

export type RaftNodeErrorKind =
  /** This node does not lead the group; nothing was done. `leaderHint` names the leader if known. */
  | "not-leader"
  /** A leadership transfer is in progress; nothing was done. `leaderHint` is the transferee. */
  | "leader-transferring"
  /**
   * This node stopped leading after accepting the request and before it committed: the entry
   * may still commit under the next leader. The outcome is unknown.
   */
  | "leadership-lost"
  /** The proposal's entry was replaced by another leader's: it will never commit. */
  | "dropped"
  | "conf-change-in-progress"
  | "peer-already-member"
  | "peer-not-member"
  | "conf-change-invalid"
  /** ResetPeer refused: the group still has a working quorum. */
  | "group-healthy"
  /** A new peer did not catch up, or a transferee did not take over, in time. */
  | "catch-up-failed"
  /** The node is stopping or stopped. */
  | "stopped"
  /** The node could not make its state durable and has stopped. */
  | "storage-failure"
  /** The node hit a bug (the state machine threw, the core refused an input) and has stopped. */
  | "failed";

export class RaftNodeError extends CurveError {
  constructor(
    readonly kind: RaftNodeErrorKind,
    reason: ErrorReason,
    message: string,
    options: { leaderHint?: string; cause?: unknown } = {},
  ) {
    super(reason, message, options);
  }
}

/** A refusal of the core as the node's error. */
export function fromRaftError(error: RaftError): RaftNodeError {
  switch (error.reason) {
    case "not-leader":
      return notLeader(error.leader);
    case "leader-transferring":
      return new RaftNodeError(
        "leader-transferring",
        ErrorReason.LEADER_TRANSFERRING,
        `leadership is being transferred to ${error.transferee}`,
        { leaderHint: error.transferee },
      );
    case "conf-change-in-progress":
      return new RaftNodeError(
        "conf-change-in-progress",
        ErrorReason.CONF_CHANGE_IN_PROGRESS,
        "another membership change is in progress",
      );
    case "peer-already-member":
      return new RaftNodeError(
        "peer-already-member",
        ErrorReason.PEER_ALREADY_MEMBER,
        `${error.node} is already a voter`,
      );
    case "peer-not-member":
      return new RaftNodeError(
        "peer-not-member",
        ErrorReason.PEER_NOT_MEMBER,
        error.node === "" ? "the group has no other voter" : `${error.node} is not a voter`,
      );
    case "conf-change-invalid":
      return new RaftNodeError(
        "conf-change-invalid",
        ErrorReason.CONF_CHANGE_INVALID,
        error.detail,
      );
    case "group-healthy":
      return new RaftNodeError(
        "group-healthy",
        ErrorReason.GROUP_HEALTHY,
        error.leader === ""
          ? "this node leads a working group; use ChangePeers"
          : `the group has a working leader (${error.leader}); use ChangePeers`,
      );
  }
}

/** Not the leader: NOT_LEADER with a hint when a leader is known, LEADER_UNKNOWN otherwise. */
export function notLeader(leader: string): RaftNodeError {
  return leader === ""
    ? new RaftNodeError("not-leader", ErrorReason.LEADER_UNKNOWN, "no leader is known")
    : new RaftNodeError("not-leader", ErrorReason.NOT_LEADER, `the leader is ${leader}`, {
        leaderHint: leader,
      });
}

export function leadershipLost(leader: string): RaftNodeError {
  return new RaftNodeError(
    "leadership-lost",
    ErrorReason.NOT_LEADER,
    "this node stopped leading before the request committed; it may still commit",
    leader === "" ? {} : { leaderHint: leader },
  );
}

export function dropped(index: number): RaftNodeError {
  return new RaftNodeError(
    "dropped",
    ErrorReason.NOT_LEADER,
    `the entry proposed at ${index} was replaced by a later leader's; it did not commit`,
  );
}

export function stopped(): RaftNodeError {
  return new RaftNodeError("stopped", ErrorReason.NOT_READY, "the raft node is stopped");
}

export function storageFailure(cause: unknown): RaftNodeError {
  return new RaftNodeError(
    "storage-failure",
    ErrorReason.STORAGE_FAILURE,
    `the raft node could not persist its state: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

/** What a node that stopped on `cause` answers from then on. */
export function nodeFailure(cause: unknown): RaftNodeError {
  if (cause instanceof StorageError || cause instanceof DataCorruptionError)
    return storageFailure(cause);
  return new RaftNodeError(
    "failed",
    ErrorReason.INTERNAL,
    `the raft node stopped: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

export function catchUpFailed(message: string): RaftNodeError {
  return new RaftNodeError("catch-up-failed", ErrorReason.PEER_CATCHUP_FAILED, message);
}
