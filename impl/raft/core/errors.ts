/**
 * Why the core refused an input, as plain values (the runtime maps them once to the spec's error
 * reasons: NOT_LEADER / LEADER_UNKNOWN, LEADER_TRANSFERRING, CONF_CHANGE_IN_PROGRESS, ...).
 * Inputs that can be refused return a `Result`; the core throws only on misuse that is a bug
 * (such as calling `ready()` twice without `advance()`).
 */
import type { NodeId } from "./types.js";

export type RaftError =
  /** Only the leader accepts this input; `leader` is the leader this node follows, or "". */
  | { readonly reason: "not-leader"; readonly leader: NodeId }
  /** A leadership transfer is in progress; retry at `transferee` shortly. */
  | { readonly reason: "leader-transferring"; readonly transferee: NodeId }
  /**
   * A membership change is not committed yet (or the new leader has not committed an entry of
   * its term, which also orders it after every earlier change).
   */
  | { readonly reason: "conf-change-in-progress" }
  | { readonly reason: "peer-already-member"; readonly node: NodeId }
  | { readonly reason: "peer-not-member"; readonly node: NodeId }
  /** The change would leave no voter, or exceed the voter limit. */
  | { readonly reason: "conf-change-invalid"; readonly detail: string }
  /**
   * forceConfiguration refused: this node still sees a working quorum (it leads, or it heard
   * from `leader` within the election timeout).
   */
  | { readonly reason: "group-healthy"; readonly leader: NodeId };

export type Result<T, E extends RaftError = RaftError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E extends RaftError>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
