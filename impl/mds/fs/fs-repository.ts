/**
 * The KV records of file systems.
 *
 * - `fsKey(id)`: the fs, an `FsInfo` in protobuf binary, secret key included (it is stored, never
 *   returned: see `redactFs`). Present in every status until the deletion finishes.
 * - `fsNameKey(name)`: the name index, value = the decimal fs id, present exactly while the fs is
 *   NEW or INITED. DeleteFs removes it in the same transaction that makes the record DELETING,
 *   which is how "the record is renamed and the name is free at once" is done here: the record
 *   stays under its id, and its name no longer leads to it.
 *
 * Every write is fenced on the leader key (LeaderGate.txn) and compares the mod revision read
 * before, so a write based on a stale read fails (returns false) and the caller re-reads.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { type FsInfo, FsInfoSchema, FsStatus } from "../../gen/curve/mds/v1/mds_pb.js";
import { bytesToText } from "../../storage/kv-bytes.js";
import type { Compare, KeyValue, KvStore, TxnOp } from "../../storage/kv-store.js";
import { fsKey, fsNameKey, fsPrefix } from "../keys.js";
import type { LeaderGate } from "../leader-gate.js";
import { kvCall } from "../storage-failure.js";

/** fs ids are uint32. */
const MAX_FS_ID = 0xffff_ffff;

/** An fs as read, with the mod revision its next write compares. */
export interface StoredFs {
  readonly info: FsInfo;
  readonly modRevision: number;
}

/** One page of fs records. */
export interface FsPage {
  readonly items: readonly StoredFs[];
  /** True when records with higher ids follow. */
  readonly more: boolean;
}

/** Reads and writes fs records. */
export class FsRepository {
  readonly #kv: KvStore;
  readonly #gate: LeaderGate;

  constructor(kv: KvStore, gate: LeaderGate) {
    this.#kv = kv;
    this.#gate = gate;
  }

  /** The fs with this id, in any status. */
  async getById(fsId: number): Promise<StoredFs | undefined> {
    const kv = await kvCall(() => this.#kv.get(fsKey(fsId)));
    return kv && decode(kv);
  }

  /** The NEW or INITED fs that owns this name. */
  async getByName(fsName: string): Promise<StoredFs | undefined> {
    // The index and the record are two reads; the record is checked to still own the name, so a
    // DeleteFs between them reads as "not found" (as it would an instant later).
    const index = await kvCall(() => this.#kv.get(fsNameKey(fsName)));
    if (!index) return undefined;
    const fs = await this.getById(parseId(index));
    if (!fs || fs.info.fsName !== fsName || fs.info.status === FsStatus.DELETING) return undefined;
    return fs;
  }

  /** Up to `limit` records with ids above `afterId`, in ascending id order. */
  async list(afterId: number, limit: number): Promise<FsPage> {
    if (afterId >= MAX_FS_ID) return { items: [], more: false };
    const page = await kvCall(() =>
      this.#kv.range(fsPrefix(), { from: fsKey(afterId + 1), limit }),
    );
    return { items: page.kvs.map(decode), more: page.more };
  }

  /** Every record (for a new leader's load and the background tasks). */
  async listAll(): Promise<StoredFs[]> {
    const all: StoredFs[] = [];
    let afterId = 0;
    for (;;) {
      const page = await this.list(afterId, 1000);
      all.push(...page.items);
      const last = page.items.at(-1);
      if (!page.more || !last) return all;
      afterId = last.info.fsId;
    }
  }

  /**
   * Stores a new NEW record and its name index, unless the name is taken (or the id used).
   * Returns the stored fs, or undefined when the name was taken meanwhile.
   */
  async insert(info: FsInfo): Promise<StoredFs | undefined> {
    const key = fsKey(info.fsId);
    const result = await this.#gate.txn({
      compare: [
        { key: fsNameKey(info.fsName), target: "absent" },
        { key, target: "absent" },
      ],
      success: [
        { type: "put", key, value: toBinary(FsInfoSchema, info) },
        { type: "put", key: fsNameKey(info.fsName), value: String(info.fsId) },
      ],
    });
    return result.succeeded ? { info, modRevision: result.revision } : undefined;
  }

  /** Replaces the record (same id, name and status class) if unchanged since `current` was read. */
  async update(current: StoredFs, next: FsInfo): Promise<StoredFs | undefined> {
    const key = fsKey(current.info.fsId);
    const result = await this.#gate.txn({
      compare: [{ key, target: "modRevision", op: "==", value: current.modRevision }],
      success: [{ type: "put", key, value: toBinary(FsInfoSchema, next) }],
    });
    return result.succeeded ? { info: next, modRevision: result.revision } : undefined;
  }

  /**
   * Turns a NEW or INITED fs into DELETING and frees its name, atomically, if unchanged since
   * `current` was read.
   */
  async markDeleting(current: StoredFs, next: FsInfo): Promise<StoredFs | undefined> {
    const key = fsKey(current.info.fsId);
    const nameKey = fsNameKey(current.info.fsName);
    const result = await this.#gate.txn({
      compare: [
        { key, target: "modRevision", op: "==", value: current.modRevision },
        { key: nameKey, target: "value", op: "==", value: String(current.info.fsId) },
      ],
      success: [
        { type: "put", key, value: toBinary(FsInfoSchema, next) },
        { type: "delete", key: nameKey },
      ],
    });
    return result.succeeded ? { info: next, modRevision: result.revision } : undefined;
  }

  /**
   * Deletes the record, and its name index when it still points at it (a rolled-back create),
   * if unchanged since `current` was read.
   */
  async remove(current: StoredFs): Promise<boolean> {
    const key = fsKey(current.info.fsId);
    const compare: Compare[] = [
      { key, target: "modRevision", op: "==", value: current.modRevision },
    ];
    const success: TxnOp[] = [{ type: "delete", key }];
    if (current.info.status !== FsStatus.DELETING) {
      const nameKey = fsNameKey(current.info.fsName);
      compare.push({ key: nameKey, target: "value", op: "==", value: String(current.info.fsId) });
      success.push({ type: "delete", key: nameKey });
    }
    return (await this.#gate.txn({ compare, success })).succeeded;
  }
}

function decode(kv: KeyValue): StoredFs {
  try {
    return { info: fromBinary(FsInfoSchema, kv.value), modRevision: kv.modRevision };
  } catch (error) {
    throw new CurveError(ErrorReason.INTERNAL, `fs record ${bytesToText(kv.key)} is corrupt`, {
      cause: error,
    });
  }
}

function parseId(kv: KeyValue): number {
  const text = bytesToText(kv.value);
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) {
    throw new CurveError(ErrorReason.INTERNAL, `fs name index ${bytesToText(kv.key)} is corrupt`);
  }
  return id;
}
