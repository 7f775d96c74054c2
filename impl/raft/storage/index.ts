/**
 * Durable storage for Raft groups: `RaftStorage` is the facade a node runtime drives (one per
 * group directory); `FsyncBatcher` is shared by all groups of a process. The file formats are
 * described where they are encoded: log-record.ts, hard-state-file.ts, snapshot-file.ts,
 * forced-conf-file.ts.
 */
export {
  type CorruptionReason,
  DataCorruptionError,
  StorageError,
  type StorageErrorReason,
} from "./errors.js";
export { FsyncBatcher, type FsyncStats } from "./fsync-batcher.js";
export {
  type InitialState,
  RaftStorage,
  type RaftStorageOptions,
  type SnapshotReceiver,
} from "./raft-storage.js";
export { DEFAULT_SEGMENT_BYTES, type LogRecovery } from "./segment-log.js";
export { SNAPSHOT_FORMAT_VERSION, SnapshotChunkReader } from "./snapshot-file.js";
