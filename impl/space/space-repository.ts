/**
 * The KV IO of SpaceAllocService (encodings in space-codec.ts). Every write is fenced on the
 * leader key (LeaderGate.txn) and compares the `meta` record's mod revision, so a write based
 * on a stale state (or on a space that was uninited and inited again) fails instead of landing.
 */
import { randomBytes } from "node:crypto";
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { spaceKey, spacePrefix } from "../mds/keys.js";
import type { LeaderGate } from "../mds/leader-gate.js";
import { kvCall } from "../mds/storage-failure.js";
import { bytesToText } from "../storage/kv-bytes.js";
import {
  type Compare,
  type KeyValue,
  type KvStore,
  MAX_REQUEST_PAYLOAD_BYTES,
  MAX_TXN_OPS,
  type TxnOp,
} from "../storage/kv-store.js";
import { type BlockRun, FreeExtentMap } from "./free-extent-map.js";
import {
  decodeChange,
  decodeMeta,
  decodeRequest,
  decodeShard,
  encodeChange,
  encodeMeta,
  encodeRequest,
  encodeShard,
  SHARD_BLOCKS,
  type SpaceChange,
  type SpaceMeta,
  type StoredRequest,
} from "./space-codec.js";

/** Ops per transaction: the fence takes one compare and one failure op, the meta compare one. */
const OPS_PER_TXN = MAX_TXN_OPS - 2;

/** A space as loaded: its record and its free map with the committed changes replayed. */
export interface LoadedSpace {
  readonly meta: SpaceMeta;
  readonly metaRevision: number;
  readonly map: FreeExtentMap;
  /** The change each stored shard reflects (absent: 0). */
  readonly shardSeq: Map<number, number>;
  /** Committed changes not yet folded into the shards, ascending. */
  readonly pendingChanges: number[];
  /** Shards those changes touched. */
  readonly dirtyShards: Set<number>;
  /** Stored request_id results: id → when stored (wall ms). */
  readonly requests: Map<string, number>;
}

/** The first block of shard `index` and its length, in a volume of `totalBlocks`. */
export function shardBounds(index: number, totalBlocks: number): { first: number; blocks: number } {
  const first = index * SHARD_BLOCKS;
  return { first, blocks: Math.min(SHARD_BLOCKS, totalBlocks - first) };
}

/** The pieces of `run` per shard. */
export function splitByShard(run: BlockRun): { shard: number; run: BlockRun }[] {
  const pieces: { shard: number; run: BlockRun }[] = [];
  let start = run.start;
  const end = run.start + run.length;
  while (start < end) {
    const shard = Math.floor(start / SHARD_BLOCKS);
    const pieceEnd = Math.min(end, (shard + 1) * SHARD_BLOCKS);
    pieces.push({ shard, run: { start, length: pieceEnd - start } });
    start = pieceEnd;
  }
  return pieces;
}

const metaKey = (fsId: number) => spaceKey(fsId, "meta");
const generationPrefix = (fsId: number, generation: string) => `${spaceKey(fsId, generation)}/`;
const shardKey = (fsId: number, generation: string, index: number) =>
  spaceKey(fsId, generation, "shard", BigInt(index));
const changeKey = (fsId: number, generation: string, seq: number) =>
  spaceKey(fsId, generation, "change", BigInt(seq));
const requestKey = (fsId: number, generation: string, requestId: string) =>
  spaceKey(fsId, generation, "request", requestId);

/** A new random generation. */
export function newGeneration(): string {
  return randomBytes(8).toString("hex");
}

export class SpaceRepository {
  readonly #kv: KvStore;
  readonly #gate: LeaderGate;

  constructor(kv: KvStore, gate: LeaderGate) {
    this.#kv = kv;
    this.#gate = gate;
  }

  /** The space of the fs, or undefined when it has none. */
  async load(fsId: number): Promise<LoadedSpace | undefined> {
    const metaKv = await kvCall(() => this.#kv.get(metaKey(fsId)));
    if (!metaKv) return undefined;
    const meta = decodeMeta(metaKv.value);
    const totalBlocks = Number(meta.volume.volumeSize / BigInt(meta.volume.blockSize));
    const shards = new Map<number, { seq: number; runs: readonly BlockRun[] }>();
    const changes: { seq: number; change: SpaceChange }[] = [];
    const requests = new Map<string, number>();
    const prefix = generationPrefix(fsId, meta.generation);
    for (const kv of await this.#rangeAll(prefix)) {
      const [kind, id] = bytesToText(kv.key).slice(prefix.length).split("/");
      if (kind === "shard") {
        const index = Number(id);
        const shard = decodeShard(kv.value, shardBounds(index, totalBlocks).blocks);
        shards.set(index, { seq: shard.appliedSeq, runs: shard.runs });
      } else if (kind === "change") {
        changes.push({ seq: Number(id), change: decodeChange(kv.value) });
      } else if (kind === "request" && id !== undefined) {
        requests.set(id, decodeRequest(kv.value).atMs);
      }
    }
    const map = new FreeExtentMap(totalBlocks, freeRunsOf(shards, totalBlocks));
    const shardSeq = new Map([...shards].map(([index, s]) => [index, s.seq]));
    const dirtyShards = new Set<number>();
    changes.sort((a, b) => a.seq - b.seq);
    for (const { seq, change } of changes) {
      for (const run of change.runs) {
        for (const piece of splitByShard(run)) {
          if ((shardSeq.get(piece.shard) ?? 0) >= seq) continue;
          if (change.kind === "allocate") map.take(piece.run.start, piece.run.length);
          else map.give(piece.run.start, piece.run.length);
          dirtyShards.add(piece.shard);
        }
      }
    }
    return {
      meta,
      metaRevision: metaKv.modRevision,
      map,
      shardSeq,
      pendingChanges: changes.map((c) => c.seq),
      dirtyShards,
      requests,
    };
  }

  /** Creates the space record; false when a space exists already. */
  async create(fsId: number, meta: SpaceMeta): Promise<boolean> {
    const key = metaKey(fsId);
    const result = await this.#gate.txn({
      compare: [{ key, target: "absent" }],
      success: [{ type: "put", key, value: encodeMeta(meta) }],
    });
    return result.succeeded;
  }

  /** A stored request_id result, if any. */
  async request(
    fsId: number,
    generation: string,
    requestId: string,
  ): Promise<StoredRequest | undefined> {
    const kv = await kvCall(() => this.#kv.get(requestKey(fsId, generation, requestId)));
    return kv && decodeRequest(kv.value);
  }

  /**
   * Commits one change: the new `meta` (seq + 1), the change record, the request_id result
   * (if any) and the deletion of expired results, in one transaction compared on the meta's
   * revision. Returns the meta's new revision; throws when the meta changed meanwhile.
   */
  async commitChange(
    fsId: number,
    expectedRevision: number,
    meta: SpaceMeta,
    change: SpaceChange,
    request: { readonly id: string; readonly record: StoredRequest } | undefined,
    expiredRequests: readonly string[],
  ): Promise<number> {
    const success: TxnOp[] = [
      { type: "put", key: metaKey(fsId), value: encodeMeta(meta) },
      { type: "put", key: changeKey(fsId, meta.generation, meta.seq), value: encodeChange(change) },
    ];
    if (request) {
      success.push({
        type: "put",
        key: requestKey(fsId, meta.generation, request.id),
        value: encodeRequest(request.record),
      });
    }
    for (const id of expiredRequests.slice(0, OPS_PER_TXN - success.length)) {
      if (id !== request?.id)
        success.push({ type: "delete", key: requestKey(fsId, meta.generation, id) });
    }
    const result = await this.#gate.txn({
      compare: [this.#metaAt(fsId, expectedRevision)],
      success,
    });
    if (!result.succeeded) throw changedMeanwhile(fsId);
    return result.revision;
  }

  /**
   * Folds the committed changes into the shards: writes each dirty shard as of `meta.seq`
   * (in as many transactions as the size limits need), then deletes the change records.
   */
  async compact(
    fsId: number,
    metaRevision: number,
    meta: SpaceMeta,
    map: FreeExtentMap,
    dirtyShards: Iterable<number>,
    changes: readonly number[],
  ): Promise<void> {
    const puts: TxnOp[] = [];
    for (const index of dirtyShards) {
      const { first, blocks } = shardBounds(index, map.totalBlocks);
      const runs = map
        .runsWithin(first, first + blocks)
        .map((r) => ({ start: r.start - first, length: r.length }));
      puts.push({
        type: "put",
        key: shardKey(fsId, meta.generation, index),
        value: encodeShard({ appliedSeq: meta.seq, runs }, blocks),
      });
    }
    await this.#writeBatched(fsId, metaRevision, puts);
    await this.#writeBatched(
      fsId,
      metaRevision,
      changes.map((seq) => ({ type: "delete", key: changeKey(fsId, meta.generation, seq) })),
    );
  }

  /** Deletes the space record (the commit point of UninitSpace); throws when it changed. */
  async deleteMeta(fsId: number, expectedRevision: number): Promise<void> {
    const result = await this.#gate.txn({
      compare: [this.#metaAt(fsId, expectedRevision)],
      success: [{ type: "delete", key: metaKey(fsId) }],
    });
    if (!result.succeeded) throw changedMeanwhile(fsId);
  }

  /**
   * Deletes the stored state of every generation of the fs except `keep` (fenced, in batches):
   * the leftovers of uninited spaces.
   */
  async sweep(fsId: number, keep: string | undefined): Promise<void> {
    const prefix = spacePrefix(fsId);
    const garbage = (await this.#rangeAll(prefix))
      .map((kv) => bytesToText(kv.key))
      .filter((key) => {
        const generation = key.slice(prefix.length).split("/")[0];
        return key !== metaKey(fsId) && generation !== keep;
      });
    for (let i = 0; i < garbage.length; i += OPS_PER_TXN) {
      const batch = garbage.slice(i, i + OPS_PER_TXN);
      await this.#gate.txn({ compare: [], success: batch.map((key) => ({ type: "delete", key })) });
    }
  }

  #metaAt(fsId: number, revision: number): Compare {
    return { key: metaKey(fsId), target: "modRevision", op: "==", value: revision };
  }

  /** Runs `ops` in transactions within the op and payload limits, each compared on the meta. */
  async #writeBatched(fsId: number, metaRevision: number, ops: readonly TxnOp[]): Promise<void> {
    let batch: TxnOp[] = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await this.#gate.txn({
        compare: [this.#metaAt(fsId, metaRevision)],
        success: batch,
      });
      if (!result.succeeded) throw changedMeanwhile(fsId);
      batch = [];
      bytes = 0;
    };
    for (const op of ops) {
      const size = op.key.length + (op.type === "put" ? op.value.length : 0);
      if (batch.length >= OPS_PER_TXN || bytes + size > MAX_REQUEST_PAYLOAD_BYTES / 2)
        await flush();
      batch.push(op);
      bytes += size;
    }
    await flush();
  }

  async #rangeAll(prefix: string): Promise<KeyValue[]> {
    const all: KeyValue[] = [];
    let from: Uint8Array | undefined;
    do {
      const page = await kvCall(() => this.#kv.range(prefix, from ? { from } : {}));
      all.push(...page.kvs);
      from = page.next;
    } while (from);
    return all;
  }
}

/** The free runs of a volume from its stored shards (absent shards are wholly free). */
function freeRunsOf(
  shards: ReadonlyMap<number, { readonly runs: readonly BlockRun[] }>,
  totalBlocks: number,
): BlockRun[] {
  const runs: BlockRun[] = [];
  let covered = 0;
  for (const index of [...shards.keys()].sort((a, b) => a - b)) {
    const { first, blocks } = shardBounds(index, totalBlocks);
    if (blocks <= 0) continue;
    if (first > covered) runs.push({ start: covered, length: first - covered });
    for (const run of shards.get(index)?.runs ?? [])
      runs.push({ start: first + run.start, length: run.length });
    covered = first + blocks;
  }
  if (covered < totalBlocks) runs.push({ start: covered, length: totalBlocks - covered });
  return runs;
}

/** The state changed under us (another leader wrote, or the space was uninited): reload. */
export class SpaceChangedError extends CurveError {}

function changedMeanwhile(fsId: number): SpaceChangedError {
  return new SpaceChangedError(
    ErrorReason.STORAGE_FAILURE,
    `the space of fs ${fsId} changed in etcd meanwhile; retry`,
  );
}
