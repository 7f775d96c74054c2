/** The pure domain of the metaserver: what runs inside a copyset's Raft apply. */
export { CopysetState, SNAPSHOT_FORMAT_VERSION } from "./copyset-state.js";
export { decodeOp, encodeOp, LOG_ENTRY_VERSION, type Op, OpType, op } from "./ops.js";
export { type ApplyResult, LIMITS, Partition, type PartitionConfig } from "./partition.js";
