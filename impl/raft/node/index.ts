/**
 * The Raft node runtime: `RaftNode` drives one core with storage, a transport, timers and the
 * application's `StateMachine`; `RaftHost` runs many groups in one process. The Connect
 * transport is in ../transport.
 */

export { RaftNodeError, type RaftNodeErrorKind } from "./node-error.js";
export { DEFAULT_TICK_MS, type GroupOptions, RaftHost, type RaftHostOptions } from "./raft-host.js";
export {
  type ApplyResult,
  type CoreOptions,
  DEFAULT_SNAPSHOT_EVERY_ENTRIES,
  DEFAULT_SNAPSHOT_KEEP_ENTRIES,
  RaftNode,
  type RaftNodeOptions,
} from "./raft-node.js";
export type { RaftTransport, ReplySink } from "./raft-transport.js";
export type { SnapshotChunk, SnapshotChunkAnswer } from "./snapshot-inbox.js";
export type { AppliedEntry, StateMachine } from "./state-machine.js";
