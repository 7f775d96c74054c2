/**
 * The pending rename transaction of a partition (at most one): dentry puts and deletes stamped
 * with the transaction's tx id, visible to a request exactly when that tx id <= the request's
 * `tx_id`, folded into the base state by the first write that sees it committed.
 */

import type { FileType } from "../gen/curve/metaserver/v1/inode_pb.js";
import {
  type PrepareRenameTxRequest,
  RenameTxAction,
} from "../gen/curve/metaserver/v1/metaserver_pb.js";
import type { ByteReader, ByteWriter } from "./binary-io.js";

/** One dentry change of a pending transaction. */
export interface TxEntry {
  readonly action: RenameTxAction;
  /** The parent's key (inode id − partition start). */
  readonly parentKey: number;
  readonly parentInodeId: bigint;
  readonly name: string;
  readonly inodeId: bigint;
  readonly type: FileType;
}

/** A prepared, not yet folded, rename transaction. */
export interface PendingTx {
  readonly txId: bigint;
  readonly txSequence: bigint;
  readonly entries: readonly TxEntry[];
}

/** Whether `pending` is visible to (committed for) a request carrying `requestTxId`. */
export function isVisible(pending: PendingTx | null, requestTxId: bigint): pending is PendingTx {
  return pending !== null && pending.txId <= requestTxId;
}

/** The entry of `pending` for (parent, name), if the transaction touches that dentry. */
export function entryFor(
  pending: PendingTx | null,
  parentKey: number,
  name: string,
): TxEntry | undefined {
  return pending?.entries.find((e) => e.parentKey === parentKey && e.name === name);
}

/** Whether `request` repeats `pending` exactly (same tx id, sequence and entries). */
export function repeats(pending: PendingTx, request: PrepareRenameTxRequest): boolean {
  return (
    pending.txId === request.txId &&
    pending.txSequence === request.txSequence &&
    pending.entries.length === request.entries.length &&
    pending.entries.every((e, i) => {
      const r = request.entries[i];
      return (
        e.action === r.action &&
        e.parentInodeId === r.parentInodeId &&
        e.name === r.name &&
        e.inodeId === r.inodeId &&
        e.type === r.type
      );
    })
  );
}

/** What PrepareRenameTx does with the current pending transaction, by the spec's rules. */
export type PrepareDecision = "fold" | "replace" | "repeat" | "none" | "conflict";

export function decidePrepare(
  pending: PendingTx | null,
  foldedTxId: bigint,
  request: PrepareRenameTxRequest,
): PrepareDecision {
  if (request.txId <= foldedTxId) return "conflict";
  if (pending === null) return "none";
  if (request.txId > pending.txId) return "fold";
  if (request.txId < pending.txId) return "conflict";
  if (repeats(pending, request)) return "repeat";
  return request.txSequence >= pending.txSequence ? "replace" : "conflict";
}

export function writePendingTx(w: ByteWriter, pending: PendingTx | null): void {
  if (pending === null) {
    w.u8(0);
    return;
  }
  w.u8(1).u64(pending.txId).u64(pending.txSequence).u32(pending.entries.length);
  for (const e of pending.entries) {
    w.u8(e.action).u64(e.parentKey).u64(e.parentInodeId).string(e.name).u64(e.inodeId).u8(e.type);
  }
}

export function readPendingTx(r: ByteReader): PendingTx | null {
  if (r.u8() === 0) return null;
  const txId = r.u64();
  const txSequence = r.u64();
  const count = r.u32();
  const entries: TxEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({
      action: r.u8() as RenameTxAction,
      parentKey: Number(r.u64()),
      parentInodeId: r.u64(),
      name: r.string(),
      inodeId: r.u64(),
      type: r.u8() as FileType,
    });
  }
  return { txId, txSequence, entries };
}

export { RenameTxAction };
