/**
 * Membership changes, one voter at a time.
 *
 * Why single-step changes rather than joint consensus: they are much simpler (one majority rule
 * everywhere, no two-phase entries, no "leave joint" step to forget), and they are safe because
 * any majority of a configuration and any majority of one that differs by a single voter
 * overlap, so two leaders of the same term can never be elected by the two configurations. That
 * holds only if at most one change is in flight, hence the rules the leader enforces: a change is
 * accepted only when every earlier CONF_CHANGE entry is committed and the leader has committed an
 * entry of its own term (which orders it after any change a previous leader left behind).
 *
 * A change takes effect on every node when its entry is committed (etcd raft's rule), never when
 * it is merely appended: an uncommitted entry may still be truncated, and applying only committed
 * changes means a configuration never rolls back. The entry carries the whole resulting
 * configuration, which receivers adopt as is, so a node that missed earlier changes (a new peer
 * replaying the log) still ends with the right set.
 *
 * A RESET record is the exception to "one voter at a time": a node forced by ResetPeer
 * (Raft.forceConfiguration) appends one as the first entry of its leadership, carrying the forced
 * configuration, so that every later member adopts it when the entry commits.
 */
import type { ConfChange, ConfState, NodeId } from "./types.js";

/** The change a CONF_CHANGE entry records: one voter added or removed, or a forced reset. */
export type RecordedChange = ConfChange | { readonly kind: "reset" };

/** What a CONF_CHANGE entry holds: the change and the configuration in force once committed. */
export interface ConfChangeRecord {
  readonly change: RecordedChange;
  readonly conf: ConfState;
}

/** Bumped when the encoding changes; decoders refuse versions they do not know. */
const ENCODING_VERSION = 1;

/** Encodes a record as a CONF_CHANGE entry's data (versioned JSON, small and inspectable). */
export function encodeConfChange(record: ConfChangeRecord): Uint8Array {
  const body = {
    v: ENCODING_VERSION,
    kind: record.change.kind,
    node: record.change.kind === "reset" ? "" : record.change.node,
    voters: record.conf.voters,
  };
  return new TextEncoder().encode(JSON.stringify(body));
}

export function decodeConfChange(data: Uint8Array): ConfChangeRecord {
  const body: unknown = JSON.parse(new TextDecoder().decode(data));
  if (typeof body !== "object" || body === null) throw new Error("conf change: not an object");
  const { v, kind, node, voters } = body as Record<string, unknown>;
  if (v !== ENCODING_VERSION) throw new Error(`conf change: unknown encoding version ${String(v)}`);
  if (kind !== "add" && kind !== "remove" && kind !== "reset") {
    throw new Error("conf change: bad kind");
  }
  if (typeof node !== "string" || !Array.isArray(voters)) throw new Error("conf change: bad body");
  if (!voters.every((voter): voter is NodeId => typeof voter === "string")) {
    throw new Error("conf change: bad voters");
  }
  const change: RecordedChange = kind === "reset" ? { kind } : { kind, node };
  return { change, conf: { voters: [...voters] } };
}

/** The configuration after `change` (voters kept sorted, so equal sets compare equal). */
export function applyConfChange(conf: ConfState, change: ConfChange): ConfState {
  const voters = new Set(conf.voters);
  if (change.kind === "add") voters.add(change.node);
  else voters.delete(change.node);
  return { voters: [...voters].sort() };
}
