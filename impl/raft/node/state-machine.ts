/**
 * What a Raft group replicates: the application's deterministic state machine. The runtime
 * hands it every committed NORMAL entry in log order, exactly once per incarnation (after a
 * restart it is first restored from the newest snapshot, then given the entries after it).
 */

import type { ConfState } from "../core/index.js";

/** A committed command. NO_OP and CONF_CHANGE entries are handled by the runtime itself. */
export interface AppliedEntry {
  readonly index: number;
  readonly term: number;
  readonly data: Uint8Array;
}

export interface StateMachine<Result = unknown> {
  /**
   * Applies one committed command and returns what the proposer's promise resolves with. Must be
   * deterministic (every replica applies the same entries in the same order) and must not throw
   * for a bad command: a refusal is a result. A throw stops the node (the replicas would diverge).
   */
  apply(entry: AppliedEntry): Result | Promise<Result>;
  /**
   * Serialises the state as of the last applied entry. The runtime applies nothing until the
   * returned promise settles, so capture the state quickly; the runtime writes the bytes to disk
   * in the background.
   */
  snapshot(): Uint8Array | Promise<Uint8Array>;
  /** Replaces the whole state by a snapshot's bytes (on restart, or installed from the leader). */
  restore(data: Uint8Array): void | Promise<void>;
  /**
   * Optional: told of every committed membership change, in log order with the commands, once
   * the runtime has applied it (`conf` is the configuration in force from then on). Lets a
   * machine keep a configuration version in its own state and snapshots (a copyset's epoch).
   */
  confChanged?(change: { readonly index: number; readonly conf: ConfState }): void;
}
