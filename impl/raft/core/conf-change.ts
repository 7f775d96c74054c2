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
 */
import type { ConfChange, ConfState, NodeId } from "./types.js";

/** What a CONF_CHANGE entry holds: the change and the configuration in force once committed. */
export interface ConfChangeRecord {
  readonly change: ConfChange;
  readonly conf: ConfState;
}

/** Bumped when the encoding changes; decoders refuse versions they do not know. */
const ENCODING_VERSION = 1;

/** Encodes a record as a CONF_CHANGE entry's data (versioned JSON, small and inspectable). */
export function encodeConfChange(record: ConfChangeRecord): Uint8Array {
  const body = {
    v: ENCODING_VERSION,
    kind: record.change.kind,
    node: record.change.node,
    voters: record.conf.voters,
  };
  return new TextEncoder().encode(JSON.stringify(body));
}

export function decodeConfChange(data: Uint8Array): ConfChangeRecord {
  const body: unknown = JSON.parse(new TextDecoder().decode(data));
  if (typeof body !== "object" || body === null) throw new Error("conf change: not an object");
  const { v, kind, node, voters } = body as Record<string, unknown>;
  if (v !== ENCODING_VERSION) throw new Error(`conf change: unknown encoding version ${String(v)}`);
  if (kind !== "add" && kind !== "remove") throw new Error("conf change: bad kind");
  if (typeof node !== "string" || !Array.isArray(voters)) throw new Error("conf change: bad body");
  if (!voters.every((voter): voter is NodeId => typeof voter === "string")) {
    throw new Error("conf change: bad voters");
  }
  return { change: { kind, node }, conf: { voters: [...voters] } };
}

/** The configuration after `change` (voters kept sorted, so equal sets compare equal). */
export function applyConfChange(conf: ConfState, change: ConfChange): ConfState {
  const voters = new Set(conf.voters);
  if (change.kind === "add") voters.add(change.node);
  else voters.delete(change.node);
  return { voters: [...voters].sort() };
}
