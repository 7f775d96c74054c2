/**
 * The core's messages (core/messages.ts) ↔ the RaftService messages of raft.proto.
 *
 * The core counts terms and indexes in JavaScript numbers, the wire in uint64: a value above
 * 2^53 cannot come from a correct peer (core/types.ts), so decoding refuses it. The core names a
 * peer by address only; peers on the wire carry id 0 ("unknown to the sender", common.proto).
 * A CONF_CHANGE entry carries the core's encoded record in `data`; on the wire it is the
 * `conf_change` message, and decoding re-encodes the record, so the bytes round-trip.
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../../errors.js";
import { type Peer, PeerSchema } from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import {
  type AppendEntriesRequest as AppendEntriesRequestPb,
  AppendEntriesRequestSchema,
  type AppendEntriesResponse as AppendEntriesResponsePb,
  AppendEntriesResponseSchema,
  ConfChangeSchema,
  ConfChangeType,
  type Configuration,
  ConfigurationSchema,
  type Entry as EntryPb,
  EntrySchema,
  EntryType as EntryTypePb,
  type InstallSnapshotRequest as InstallSnapshotRequestPb,
  type InstallSnapshotResponse as InstallSnapshotResponsePb,
  InstallSnapshotResponseSchema,
  type PreVoteRequest as PreVoteRequestPb,
  PreVoteRequestSchema,
  type PreVoteResponse as PreVoteResponsePb,
  PreVoteResponseSchema,
  RejectReason as RejectReasonPb,
  type RequestVoteRequest as RequestVoteRequestPb,
  RequestVoteRequestSchema,
  type RequestVoteResponse as RequestVoteResponsePb,
  RequestVoteResponseSchema,
  type SnapshotMeta as SnapshotMetaPb,
  SnapshotMetaSchema,
  type TimeoutNowRequest as TimeoutNowRequestPb,
  TimeoutNowRequestSchema,
  type TimeoutNowResponse as TimeoutNowResponsePb,
  TimeoutNowResponseSchema,
} from "../../gen/curve/raft/v1/raft_pb.js";
import {
  type AppendEntriesRequest,
  type AppendEntriesResponse,
  type ConfState,
  decodeConfChange,
  type Entry,
  EntryType,
  encodeConfChange,
  type InstallSnapshotRequest,
  type InstallSnapshotResponse,
  type NodeId,
  type PreVoteRequest,
  type PreVoteResponse,
  type RejectReason,
  type RequestVoteRequest,
  type RequestVoteResponse,
  type SnapshotMeta,
  type TimeoutNowRequest,
  type TimeoutNowResponse,
} from "../core/index.js";
import type { SnapshotChunk, SnapshotChunkAnswer } from "../node/index.js";

/** A reject reason as the node reports it: the core's, or the transfer's own. */
export type WireRejectReason = RejectReason | "snapshot-superseded";

// -------------------------------------------------------------------------------------------------
// Scalars

export function toUint64(value: number): bigint {
  return BigInt(value);
}

/**
 * A uint64 term, index or offset as a number.
 * @throws CurveError INVALID_ARGUMENT above 2^53 - 1.
 */
export function fromUint64(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CurveError(ErrorReason.INVALID_ARGUMENT, `${field} ${value} is beyond 2^53 - 1`, {
      metadata: { field },
    });
  }
  return Number(value);
}

const REJECT_TO_WIRE: Readonly<Record<WireRejectReason, RejectReasonPb>> = {
  "stale-term": RejectReasonPb.STALE_TERM,
  "log-mismatch": RejectReasonPb.LOG_MISMATCH,
  "log-not-up-to-date": RejectReasonPb.LOG_NOT_UP_TO_DATE,
  "already-voted": RejectReasonPb.ALREADY_VOTED,
  "leader-alive": RejectReasonPb.LEADER_ALIVE,
  "not-voter": RejectReasonPb.NOT_VOTER,
  "snapshot-superseded": RejectReasonPb.SNAPSHOT_SUPERSEDED,
};

const REJECT_FROM_WIRE = new Map<RejectReasonPb, WireRejectReason>(
  Object.entries(REJECT_TO_WIRE).map(([reason, wire]) => [wire, reason as WireRejectReason]),
);

export function rejectToWire(reason: WireRejectReason | undefined): RejectReasonPb {
  return reason === undefined ? RejectReasonPb.UNSPECIFIED : REJECT_TO_WIRE[reason];
}

/** undefined for UNSPECIFIED (and for values this build does not know). */
export function rejectFromWire(reason: RejectReasonPb): WireRejectReason | undefined {
  return REJECT_FROM_WIRE.get(reason);
}

/** The core's reasons only: the transfer's own ("snapshot-superseded") is not the core's. */
function coreReject(reason: RejectReasonPb): { rejectReason?: RejectReason } {
  const decoded = rejectFromWire(reason);
  return decoded === undefined || decoded === "snapshot-superseded"
    ? {}
    : { rejectReason: decoded };
}

// -------------------------------------------------------------------------------------------------
// Peers, configurations, entries, snapshot meta

export function peerOf(address: NodeId): Peer {
  return create(PeerSchema, { id: 0, address });
}

export function configurationToWire(conf: ConfState): Configuration {
  return create(ConfigurationSchema, { voters: conf.voters.map(peerOf) });
}

export function configurationFromWire(conf: Configuration | undefined): ConfState {
  return { voters: (conf?.voters ?? []).map((peer) => peer.address) };
}

/** The wire type of each recorded change kind. */
const CONF_CHANGE_TYPES = {
  add: ConfChangeType.ADD_PEER,
  remove: ConfChangeType.REMOVE_PEER,
  reset: ConfChangeType.RESET,
} as const;

export function entryToWire(entry: Entry): EntryPb {
  const common = { index: toUint64(entry.index), term: toUint64(entry.term) };
  switch (entry.type) {
    case EntryType.Normal:
      return create(EntrySchema, { ...common, type: EntryTypePb.NORMAL, data: entry.data });
    case EntryType.NoOp:
      return create(EntrySchema, { ...common, type: EntryTypePb.NO_OP });
    case EntryType.ConfChange: {
      const record = decodeConfChange(entry.data);
      return create(EntrySchema, {
        ...common,
        type: EntryTypePb.CONF_CHANGE,
        confChange: create(ConfChangeSchema, {
          type: CONF_CHANGE_TYPES[record.change.kind],
          // RESET carries no peer (raft.proto's conf_change.peer_iff_single_change).
          peer: record.change.kind === "reset" ? undefined : peerOf(record.change.node),
          configuration: configurationToWire(record.conf),
        }),
      });
    }
  }
}

/** @throws CurveError INVALID_ARGUMENT for an entry the core cannot hold (unknown type, bad change). */
export function entryFromWire(entry: EntryPb): Entry {
  const index = fromUint64(entry.index, "entries.index");
  const term = fromUint64(entry.term, "entries.term");
  switch (entry.type) {
    case EntryTypePb.NORMAL:
      return { index, term, type: EntryType.Normal, data: entry.data };
    case EntryTypePb.NO_OP:
      return { index, term, type: EntryType.NoOp, data: entry.data };
    case EntryTypePb.CONF_CHANGE: {
      const change = entry.confChange;
      const conf = configurationFromWire(change?.configuration);
      if (change?.type === ConfChangeType.RESET && change.peer === undefined) {
        const data = encodeConfChange({ change: { kind: "reset" }, conf });
        return { index, term, type: EntryType.ConfChange, data };
      }
      const kind =
        change?.type === ConfChangeType.ADD_PEER
          ? "add"
          : change?.type === ConfChangeType.REMOVE_PEER
            ? "remove"
            : undefined;
      if (change === undefined || kind === undefined || change.peer === undefined) {
        throw new CurveError(
          ErrorReason.INVALID_ARGUMENT,
          `entry ${index}: a conf change needs a known type, and a peer unless it is RESET`,
        );
      }
      const data = encodeConfChange({ change: { kind, node: change.peer.address }, conf });
      return { index, term, type: EntryType.ConfChange, data };
    }
    default:
      throw new CurveError(ErrorReason.INVALID_ARGUMENT, `entry ${index} has type ${entry.type}`);
  }
}

export function snapshotMetaToWire(meta: SnapshotMeta): SnapshotMetaPb {
  return create(SnapshotMetaSchema, {
    lastIncludedIndex: toUint64(meta.index),
    lastIncludedTerm: toUint64(meta.term),
    configuration: configurationToWire(meta.conf),
  });
}

export function snapshotMetaFromWire(meta: SnapshotMetaPb | undefined): SnapshotMeta {
  return {
    index: fromUint64(meta?.lastIncludedIndex ?? 0n, "meta.last_included_index"),
    term: fromUint64(meta?.lastIncludedTerm ?? 0n, "meta.last_included_term"),
    conf: configurationFromWire(meta?.configuration),
  };
}

// -------------------------------------------------------------------------------------------------
// Requests (sender: core → wire; receiver: wire → core)

export function preVoteToWire(groupId: bigint, m: PreVoteRequest): PreVoteRequestPb {
  return create(PreVoteRequestSchema, {
    groupId,
    from: m.from,
    to: m.to,
    term: toUint64(m.term),
    lastLogIndex: toUint64(m.lastLogIndex),
    lastLogTerm: toUint64(m.lastLogTerm),
  });
}

export function preVoteFromWire(m: PreVoteRequestPb): PreVoteRequest {
  return {
    type: "pre-vote",
    from: m.from,
    to: m.to,
    term: fromUint64(m.term, "term"),
    lastLogIndex: fromUint64(m.lastLogIndex, "last_log_index"),
    lastLogTerm: fromUint64(m.lastLogTerm, "last_log_term"),
  };
}

export function requestVoteToWire(groupId: bigint, m: RequestVoteRequest): RequestVoteRequestPb {
  return create(RequestVoteRequestSchema, {
    groupId,
    from: m.from,
    to: m.to,
    term: toUint64(m.term),
    lastLogIndex: toUint64(m.lastLogIndex),
    lastLogTerm: toUint64(m.lastLogTerm),
    leaderTransfer: m.leaderTransfer,
  });
}

export function requestVoteFromWire(m: RequestVoteRequestPb): RequestVoteRequest {
  return {
    type: "request-vote",
    from: m.from,
    to: m.to,
    term: fromUint64(m.term, "term"),
    lastLogIndex: fromUint64(m.lastLogIndex, "last_log_index"),
    lastLogTerm: fromUint64(m.lastLogTerm, "last_log_term"),
    leaderTransfer: m.leaderTransfer,
  };
}

export function appendEntriesToWire(
  groupId: bigint,
  m: AppendEntriesRequest,
): AppendEntriesRequestPb {
  return create(AppendEntriesRequestSchema, {
    groupId,
    from: m.from,
    to: m.to,
    term: toUint64(m.term),
    prevLogIndex: toUint64(m.prevLogIndex),
    prevLogTerm: toUint64(m.prevLogTerm),
    entries: m.entries.map(entryToWire),
    leaderCommit: toUint64(m.leaderCommit),
    readContext: toUint64(m.readContext),
  });
}

export function appendEntriesFromWire(m: AppendEntriesRequestPb): AppendEntriesRequest {
  return {
    type: "append-entries",
    from: m.from,
    to: m.to,
    term: fromUint64(m.term, "term"),
    prevLogIndex: fromUint64(m.prevLogIndex, "prev_log_index"),
    prevLogTerm: fromUint64(m.prevLogTerm, "prev_log_term"),
    entries: m.entries.map(entryFromWire),
    leaderCommit: fromUint64(m.leaderCommit, "leader_commit"),
    readContext: fromUint64(m.readContext, "read_context"),
  };
}

export function timeoutNowToWire(groupId: bigint, m: TimeoutNowRequest): TimeoutNowRequestPb {
  return create(TimeoutNowRequestSchema, {
    groupId,
    from: m.from,
    to: m.to,
    term: toUint64(m.term),
  });
}

export function timeoutNowFromWire(m: TimeoutNowRequestPb): TimeoutNowRequest {
  return { type: "timeout-now", from: m.from, to: m.to, term: fromUint64(m.term, "term") };
}

// -------------------------------------------------------------------------------------------------
// Responses (receiver: core → wire; sender: wire → core, addressed back to the requester)

export function preVoteResponseToWire(m: PreVoteResponse): PreVoteResponsePb {
  return create(PreVoteResponseSchema, {
    term: toUint64(m.term),
    granted: m.granted,
    rejectReason: rejectToWire(m.rejectReason),
  });
}

export function preVoteResponseFromWire(
  request: PreVoteRequest,
  m: PreVoteResponsePb,
): PreVoteResponse {
  return {
    type: "pre-vote-response",
    from: request.to,
    to: request.from,
    term: fromUint64(m.term, "term"),
    granted: m.granted,
    ...coreReject(m.rejectReason),
  };
}

export function requestVoteResponseToWire(m: RequestVoteResponse): RequestVoteResponsePb {
  return create(RequestVoteResponseSchema, {
    term: toUint64(m.term),
    granted: m.granted,
    rejectReason: rejectToWire(m.rejectReason),
  });
}

export function requestVoteResponseFromWire(
  request: RequestVoteRequest,
  m: RequestVoteResponsePb,
): RequestVoteResponse {
  return {
    type: "request-vote-response",
    from: request.to,
    to: request.from,
    term: fromUint64(m.term, "term"),
    granted: m.granted,
    ...coreReject(m.rejectReason),
  };
}

export function appendEntriesResponseToWire(m: AppendEntriesResponse): AppendEntriesResponsePb {
  return create(AppendEntriesResponseSchema, {
    term: toUint64(m.term),
    success: m.success,
    rejectReason: rejectToWire(m.rejectReason),
    matchIndex: toUint64(m.matchIndex),
    rejectHintIndex: toUint64(m.rejectHintIndex),
    rejectHintTerm: toUint64(m.rejectHintTerm),
    lastLogIndex: toUint64(m.lastLogIndex),
    readContext: toUint64(m.readContext),
  });
}

export function appendEntriesResponseFromWire(
  request: AppendEntriesRequest,
  m: AppendEntriesResponsePb,
): AppendEntriesResponse {
  return {
    type: "append-entries-response",
    from: request.to,
    to: request.from,
    term: fromUint64(m.term, "term"),
    success: m.success,
    ...coreReject(m.rejectReason),
    matchIndex: fromUint64(m.matchIndex, "match_index"),
    rejectHintIndex: fromUint64(m.rejectHintIndex, "reject_hint_index"),
    rejectHintTerm: fromUint64(m.rejectHintTerm, "reject_hint_term"),
    lastLogIndex: fromUint64(m.lastLogIndex, "last_log_index"),
    readContext: fromUint64(m.readContext, "read_context"),
  };
}

export function timeoutNowResponseToWire(m: TimeoutNowResponse): TimeoutNowResponsePb {
  return create(TimeoutNowResponseSchema, {
    term: toUint64(m.term),
    success: m.success,
    rejectReason: rejectToWire(m.rejectReason),
  });
}

export function timeoutNowResponseFromWire(
  request: TimeoutNowRequest,
  m: TimeoutNowResponsePb,
): TimeoutNowResponse {
  return {
    type: "timeout-now-response",
    from: request.to,
    to: request.from,
    term: fromUint64(m.term, "term"),
    success: m.success,
    ...coreReject(m.rejectReason),
  };
}

// -------------------------------------------------------------------------------------------------
// InstallSnapshot chunks (the leader side builds them in snapshot-sender.ts)

export function snapshotChunkFromWire(m: InstallSnapshotRequestPb): SnapshotChunk {
  return {
    from: m.from,
    to: m.to,
    term: fromUint64(m.term, "term"),
    meta: snapshotMetaFromWire(m.meta),
    snapshotId: m.snapshotId,
    totalBytes: fromUint64(m.totalBytes, "total_bytes"),
    offset: fromUint64(m.offset, "offset"),
    data: m.data,
    done: m.done,
    sha256: m.sha256,
  };
}

export function snapshotAnswerToWire(answer: SnapshotChunkAnswer): InstallSnapshotResponsePb {
  return create(InstallSnapshotResponseSchema, {
    term: toUint64(answer.term),
    success: answer.success,
    rejectReason: rejectToWire(answer.rejectReason),
    nextOffset: toUint64(answer.nextOffset),
    installed: answer.installed,
    lastLogIndex: toUint64(answer.lastLogIndex),
  });
}

/** A chunk's answer as the core's response to the leader's one install-snapshot request. */
export function snapshotResponseFromWire(
  request: InstallSnapshotRequest,
  m: InstallSnapshotResponsePb,
): InstallSnapshotResponse {
  return {
    type: "install-snapshot-response",
    from: request.to,
    to: request.from,
    term: fromUint64(m.term, "term"),
    success: m.success,
    ...coreReject(m.rejectReason),
    installed: m.installed,
    lastLogIndex: fromUint64(m.lastLogIndex, "last_log_index"),
  };
}
