/**
 * The messages the core exchanges with its peers: the RaftService RPCs of
 * proto/curve/raft/v1/raft.proto, one request and one response type each, field for field (the
 * transport adds `group_id` and converts numbers to uint64).
 *
 * The core is message-passing: a response is an ordinary message addressed to the requester.
 * It answers every request it is given with exactly one response, in the order the requests were
 * stepped, so a transport that maps them onto unary RPCs can match responses to requests per
 * (peer, type) in FIFO order. A heartbeat is an AppendEntries without entries.
 *
 * InstallSnapshot is one logical message for the core. On the leader, the transport streams the
 * snapshot the message names in chunks and steps the chunk responses back (the final one says
 * `installed`). On the follower, the runtime steps every received chunk as an InstallSnapshot with
 * `done: false` (so that term rules, leader contact and the election timer see each chunk) and the
 * verified, complete file once as `done: true`.
 */
import type { Entry, NodeId, Snapshot } from "./types.js";

/** Why a request was refused: RejectReason of the spec. Absent on success. */
export type RejectReason =
  | "stale-term"
  | "log-mismatch"
  | "log-not-up-to-date"
  | "already-voted"
  | "leader-alive"
  | "not-voter";

interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  /** Requests: the sender's term. Responses: the responder's term after handling the request. */
  readonly term: number;
}

/** Would you vote for me in `term` (= my term + 1)? Changes nobody's state. */
export interface PreVoteRequest extends Envelope {
  readonly type: "pre-vote";
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

export interface PreVoteResponse extends Envelope {
  readonly type: "pre-vote-response";
  readonly granted: boolean;
  readonly rejectReason?: RejectReason;
}

export interface RequestVoteRequest extends Envelope {
  readonly type: "request-vote";
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Campaign started by TimeoutNow: voters waive their leader lease. */
  readonly leaderTransfer: boolean;
}

export interface RequestVoteResponse extends Envelope {
  readonly type: "request-vote-response";
  readonly granted: boolean;
  readonly rejectReason?: RejectReason;
}

export interface AppendEntriesRequest extends Envelope {
  readonly type: "append-entries";
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  readonly leaderCommit: number;
  /** Read-index round (0 = none), increasing within the leader's term; echoed back. */
  readonly readContext: number;
}

export interface AppendEntriesResponse extends Envelope {
  readonly type: "append-entries-response";
  readonly success: boolean;
  readonly rejectReason?: RejectReason;
  /** With success: the highest index known to match the leader's log. 0 otherwise. */
  readonly matchIndex: number;
  /** With log-mismatch: the back-off hint (largest index <= the probe with term <= its term). */
  readonly rejectHintIndex: number;
  readonly rejectHintTerm: number;
  readonly lastLogIndex: number;
  readonly readContext: number;
}

export interface InstallSnapshotRequest extends Envelope {
  readonly type: "install-snapshot";
  readonly snapshot: Snapshot;
  /** Leader: always true. Follower runtime: false for each chunk, true once for the whole file. */
  readonly done: boolean;
}

export interface InstallSnapshotResponse extends Envelope {
  readonly type: "install-snapshot-response";
  readonly success: boolean;
  readonly rejectReason?: RejectReason;
  /** The follower's state covers the snapshot (loaded, or already committed that far). */
  readonly installed: boolean;
  readonly lastLogIndex: number;
}

/** Start an election now (leadership transfer); sent once the receiver's log is up to date. */
export interface TimeoutNowRequest extends Envelope {
  readonly type: "timeout-now";
}

export interface TimeoutNowResponse extends Envelope {
  readonly type: "timeout-now-response";
  readonly success: boolean;
  readonly rejectReason?: RejectReason;
}

export type Request =
  | PreVoteRequest
  | RequestVoteRequest
  | AppendEntriesRequest
  | InstallSnapshotRequest
  | TimeoutNowRequest;

export type Response =
  | PreVoteResponse
  | RequestVoteResponse
  | AppendEntriesResponse
  | InstallSnapshotResponse
  | TimeoutNowResponse;

export type Message = Request | Response;

export type MessageType = Message["type"];

export function isResponse(message: Message): message is Response {
  return message.type.endsWith("-response");
}
