/**
 * The pure Raft core: a deterministic state machine with no IO, timers or global randomness.
 * A runtime drives it (tick, step, propose, ...), persists and sends what each `Ready` asks
 * for, and calls `advance()`. See raft.ts for the inputs and ready.ts for the output contract.
 */
export type { ConfChangeRecord, RecordedChange } from "./conf-change.js";
export { applyConfChange, decodeConfChange, encodeConfChange } from "./conf-change.js";
export type { RaftConfig, ReadMode } from "./config.js";
export type { RaftError, Result } from "./errors.js";
export type { LogStorage } from "./log-storage.js";
export { MemoryStorage } from "./memory-storage.js";
export type * from "./messages.js";
export { isResponse } from "./messages.js";
export type { Random } from "./prng.js";
export { SeededRandom } from "./prng.js";
export type { ProgressState } from "./progress.js";
export type {
  ConfChangeAccepted,
  ForceAccepted,
  ProgressStatus,
  ProposalAccepted,
  Status,
} from "./raft.js";
export { Raft } from "./raft.js";
export type { Notice, ReadState, Ready } from "./ready.js";
export type * from "./types.js";
export { EntryType } from "./types.js";
