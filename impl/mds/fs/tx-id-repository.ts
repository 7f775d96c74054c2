/**
 * The committed rename-transaction ids of partitions (MdsService.CommitTx), one key per
 * partition under its fs: `fsTxIdKey(fsId, partitionId)` = JSON `{"v":1,"txId":"<n>"}`; absent
 * means 0. Only CommitTx writes them, in one fenced transaction for all the partitions of a
 * rename; the fs's deletion removes them.
 *
 * The keys themselves are not compared on write: a CommitTx may name 128 partitions, and etcd
 * takes at most 128 compares per transaction (one goes to the leader fence). They need not be:
 * only the leader writes them (the fence), and it decides and writes them for one fs at a time
 * (FsDeps.fsLocks); a write decided in an earlier term fails its fence.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { bytesToText } from "../../storage/kv-bytes.js";
import type { Compare, KeyValue, KvStore, TxnOp } from "../../storage/kv-store.js";
import { MAX_TXN_OPS } from "../../storage/kv-store.js";
import { fsTxIdKey, fsTxIdPrefix, trailingId } from "../keys.js";
import type { LeaderGate } from "../leader-gate.js";
import { kvCall } from "../storage-failure.js";

/** A partition's committed tx id as read. */
export interface CommittedTxId {
  readonly txId: bigint;
}

/** One change of CommitTx. */
export interface TxIdWrite {
  readonly partitionId: number;
  readonly txId: bigint;
}

const VALUE_VERSION = 1;

export class TxIdRepository {
  readonly #kv: KvStore;
  readonly #gate: LeaderGate;

  constructor(kv: KvStore, gate: LeaderGate) {
    this.#kv = kv;
    this.#gate = gate;
  }

  /** The committed tx ids of the fs's partitions that have one. */
  async read(fsId: number): Promise<Map<number, CommittedTxId>> {
    const out = new Map<number, CommittedTxId>();
    let from: Uint8Array | undefined;
    do {
      const page = await kvCall(() => this.#kv.range(fsTxIdPrefix(fsId), from ? { from } : {}));
      for (const kv of page.kvs) {
        out.set(trailingId(bytesToText(kv.key)), { txId: parse(kv) });
      }
      from = page.next;
    } while (from);
    return out;
  }

  /**
   * Writes every change at once if what `compare` checks (e.g. the fs record) holds; false when
   * it does not (the caller re-reads and decides again).
   */
  async commit(
    fsId: number,
    writes: readonly TxIdWrite[],
    compare: readonly Compare[] = [],
  ): Promise<boolean> {
    const success: TxnOp[] = writes.map((w) => ({
      type: "put",
      key: fsTxIdKey(fsId, w.partitionId),
      value: JSON.stringify({ v: VALUE_VERSION, txId: w.txId.toString() }),
    }));
    const result = await this.#gate.txn({ compare, success });
    return result.succeeded;
  }

  /** Removes every tx id of the fs (its deletion finished). */
  async removeAll(fsId: number): Promise<void> {
    const partitionIds = [...(await this.read(fsId)).keys()];
    // One compare is taken by the leader fence.
    const batch = MAX_TXN_OPS - 1;
    for (let i = 0; i < partitionIds.length; i += batch) {
      await this.#gate.txn({
        compare: [],
        success: partitionIds
          .slice(i, i + batch)
          .map((id) => ({ type: "delete" as const, key: fsTxIdKey(fsId, id) })),
      });
    }
  }
}

function parse(kv: KeyValue): bigint {
  try {
    const value = JSON.parse(bytesToText(kv.value)) as { v?: unknown; txId?: unknown };
    if (value.v === VALUE_VERSION && typeof value.txId === "string" && /^\d+$/.test(value.txId)) {
      return BigInt(value.txId);
    }
  } catch {
    // reported below
  }
  throw new CurveError(ErrorReason.INTERNAL, `tx id ${bytesToText(kv.key)} is corrupt`);
}
