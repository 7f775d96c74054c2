/**
 * The values shared by the Raft core, its storage and its transport. Plain data only: the core
 * is pure, so everything that crosses its boundary is one of these.
 *
 * Terms and indexes are JavaScript numbers: safe integers up to 2^53, far beyond any log a
 * copyset will write (10^6 entries/s for 285 years). The transport converts them to the
 * spec's uint64 fields.
 */

/** A Raft node's identity inside one group: its advertised "host:port". */
export type NodeId = string;

export enum EntryType {
  /** A state machine command: `data` is the application's encoded operation. */
  Normal = 1,
  /** A membership change: `data` is an encoded `ConfChange`. */
  ConfChange = 2,
  /** Appended by a new leader to commit entries of earlier terms; carries no data. */
  NoOp = 3,
}

export interface Entry {
  readonly index: number;
  readonly term: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be on stable storage before any message that depends on it is sent. */
export interface HardState {
  readonly term: number;
  /** The candidate voted for in `term`, or "" for none. */
  readonly vote: NodeId;
  readonly commit: number;
}

/** A group's membership: the voters whose majority decides. */
export interface ConfState {
  readonly voters: readonly NodeId[];
}

/**
 * A configuration forced by `Raft.forceConfiguration` (CliService.ResetPeer). It overrides the
 * configuration of the log and snapshot until a CONF_CHANGE entry above `index` (the node's last
 * index at reset time) commits; the runtime stores it durably and hands it back on restart.
 */
export interface ForcedConf {
  readonly conf: ConfState;
  readonly index: number;
}

/** One membership change, applied when its entry commits (one peer at a time). */
export type ConfChange =
  | { readonly kind: "add"; readonly node: NodeId }
  | { readonly kind: "remove"; readonly node: NodeId };

/** Identifies the state a snapshot holds: everything up to and including `index`. */
export interface SnapshotMeta {
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
}

/**
 * A snapshot as the core sees it. `data` is opaque to the core: it may be the serialized state
 * itself, or a small reference (a file name, a reader id) that the transport resolves when it
 * streams the snapshot in chunks, as braft's install-snapshot does.
 */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/** The role a node plays in its group. */
export type Role = "follower" | "pre-candidate" | "candidate" | "leader";

/** Volatile state the runtime may want to observe (routing, metrics); never persisted. */
export interface SoftState {
  /** The leader this node currently follows (itself when leading), or "" when unknown. */
  readonly leader: NodeId;
  readonly role: Role;
}
