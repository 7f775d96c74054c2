/**
 * The core reads its log synchronously (core/log-storage.ts); RaftStorage reads from disk
 * asynchronously. The node keeps the core's view in a MemoryStorage that holds exactly what is
 * durable: filled from disk on start, then fed with each Ready once it is persisted. Compaction
 * after every snapshot bounds it (see RaftNodeOptions.snapshotEveryEntries).
 *
 * The view's snapshot carries no payload: the payload lives in the snapshot file, which the
 * transport streams to followers and the state machine restores from.
 */
import { type ConfState, MemoryStorage, type Snapshot } from "../core/index.js";
import type { RaftStorage } from "../storage/index.js";

const NO_PAYLOAD = new Uint8Array(0);

export interface RecoveredLog {
  readonly view: MemoryStorage;
  /** The newest snapshot with its payload, for the state machine to restore. */
  readonly snapshot: Snapshot | undefined;
}

/**
 * Builds the core's view of a group from its storage. `bootstrap` is the configuration the group
 * was created with; it applies until a snapshot or a committed CONF_CHANGE entry replaces it, so
 * a group must be reopened with the same bootstrap peers (as braft's initial_conf).
 */
export async function recoverLog(
  storage: RaftStorage,
  bootstrap: ConfState,
): Promise<RecoveredLog> {
  const view = new MemoryStorage(bootstrap);
  const snapshot = await storage.loadSnapshot();
  if (snapshot !== undefined) view.applySnapshot(withoutPayload(snapshot));
  const first = storage.firstIndex();
  const last = storage.lastIndex();
  if (last >= first) view.append(await storage.entries(first, last + 1));
  view.setHardState(storage.hardState());
  return { view, snapshot };
}

export function withoutPayload(snapshot: Snapshot): Snapshot {
  return { meta: snapshot.meta, data: NO_PAYLOAD };
}
