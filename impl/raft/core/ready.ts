/**
 * The core's output. `Raft.ready()` collects everything that happened since the last batch; the
 * runtime handles it in this order and then calls `Raft.advance()`:
 *
 * 1. Persist `snapshot` (if any), then `entries` (which may replace a conflicting suffix of the
 *    durable log from `entries[0].index` on), then `hardState` — with one fsync when `mustSync`.
 *    Then make them visible to the core's `LogStorage` (e.g. `MemoryStorage.applySnapshot`,
 *    `append`, `setHardState`).
 * 2. Send `messages` at any time, even while step 1 is in progress (the leader writes its own
 *    log in parallel with replication). Send `messagesAfterPersist` only once step 1 is durable:
 *    they answer votes and appends, or carry a term or vote that this batch changes.
 * 3. After step 1: load `snapshot` into the state machine, then apply `committedEntries` in
 *    order (they may include entries of this very batch, hence "after step 1").
 * 4. Answer each read in `readStates` once the applied index reaches its `index`.
 * 5. Call `advance()`. No further `ready()` until then; `step`, `tick` and proposals may be called
 *    meanwhile and show up in the next batch.
 */
import type { Message } from "./messages.js";
import type { ConfChange, Entry, HardState, NodeId, Snapshot, SoftState } from "./types.js";

/** A linearizable read that may be served once the state machine has applied `index`. */
export interface ReadState {
  readonly requestId: string;
  readonly index: number;
}

/** Outcomes of leader operations that complete (or fail) later than the call that started them. */
export type Notice =
  | {
      readonly kind: "conf-change-aborted";
      readonly change: ConfChange;
      /** The new peer made no progress for the catch-up timeout, or this node stopped leading. */
      readonly reason: "catch-up-timeout" | "leadership-lost";
    }
  | {
      readonly kind: "transfer-aborted";
      readonly transferee: NodeId;
      /** Not done within an election timeout, refused by the transferee, or leadership lost. */
      readonly reason: "timeout" | "rejected" | "leadership-lost";
    };

export interface Ready {
  /** Present when the leader or the role changed since the last batch. */
  readonly softState: SoftState | undefined;
  /** Present when term, vote or commit changed since the last batch. */
  readonly hardState: HardState | undefined;
  /** A snapshot received from the leader, to persist and load. */
  readonly snapshot: Snapshot | undefined;
  /** Entries to append to the durable log. */
  readonly entries: readonly Entry[];
  /** Whether step 1 needs an fsync (entries, a snapshot, or a term/vote change). */
  readonly mustSync: boolean;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly messagesAfterPersist: readonly Message[];
  readonly readStates: readonly ReadState[];
  readonly notices: readonly Notice[];
}
