/**
 * The leader's in-memory copy of the topology records (topology-codec.ts), kept current by a
 * watch on the topology prefix: loaded when a term of leadership starts, then every change of
 * the KV, whoever made it, is applied in revision order. Reads are served from here; writes go
 * to the KV (fenced, compared on the mod revisions seen here) and are visible here once the
 * watch delivered them (`reached`).
 */
import type { PartitionInfo } from "../../gen/curve/common/v1/common_pb.js";
import { PoolType } from "../../gen/curve/mds/v1/topology_pb.js";
import { bytesToText } from "../../storage/kv-bytes.js";
import type { KvStore, Watch, WatchEvent } from "../../storage/kv-store.js";
import {
  decodeAddress,
  decodeCopyset,
  decodePartition,
  decodePartitionIndex,
  decodePool,
  decodeServer,
  decodeWatermark,
  decodeZone,
  parseTopologyKey,
  TOPOLOGY_PREFIX,
  type TopologyKey,
} from "./topology-codec.js";
import {
  type AddressRecord,
  type CopysetRecord,
  copysetRef,
  type PartitionRecord,
  type PoolRecord,
  type ServerKind,
  type ServerRecord,
  type ZoneRecord,
} from "./topology-records.js";

/** A record with the mod revision of its key (0 = the key is absent). */
export interface Versioned<T> {
  readonly key: string;
  readonly value: T;
  readonly modRevision: number;
}

/** The fs-partition index entry of a partition. */
export interface PartitionIndexEntry {
  readonly fsId: number;
  readonly created: boolean;
}

/** How long a write waits for the watch to show it before the view is declared broken. */
const WATCH_CATCH_UP_MS = 10_000;

/** The topology records of the KV, in memory. */
export class TopologyView {
  readonly pools = new Map<number, Versioned<PoolRecord>>();
  readonly zones = new Map<number, Versioned<ZoneRecord>>();
  readonly servers: Readonly<Record<ServerKind, Map<number, Versioned<ServerRecord>>>> = {
    metaserver: new Map(),
    chunkserver: new Map(),
  };
  readonly addresses = new Map<string, Versioned<AddressRecord>>();
  readonly copysets = new Map<string, Versioned<CopysetRecord>>();
  readonly partitions = new Map<number, Versioned<PartitionInfo>>();
  readonly partitionIndex = new Map<number, Versioned<PartitionIndexEntry>>();
  readonly watermarks = new Map<number, Versioned<bigint>>();
  /** Highest revision applied. */
  revision = 0;
  /** Set when the watch died: the view must be loaded again before use. */
  broken: Error | undefined;
  #watch: Watch | undefined;
  #waiters: { revision: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  /**
   * Loads every topology key and keeps the view current until `close`. `onDecodeError` is told
   * about records this version cannot read (they are left out).
   */
  static async load(
    kv: KvStore,
    onDecodeError: (key: string, error: unknown) => void,
  ): Promise<TopologyView> {
    const view = new TopologyView(onDecodeError);
    const first = await kv.range(TOPOLOGY_PREFIX);
    const buffered: WatchEvent[] = [];
    let loading = true;
    view.#watch = await kv.watch(
      TOPOLOGY_PREFIX,
      (event) => {
        if (loading) buffered.push(event);
        else view.#apply(event);
      },
      { startRevision: first.revision + 1, onError: (error) => view.#break(error) },
    );
    try {
      let page = first;
      for (;;) {
        for (const kv of page.kvs) view.#put(bytesToText(kv.key), kv.value, kv.modRevision);
        view.revision = Math.max(view.revision, page.revision);
        if (!page.next) break;
        page = await kv.range(TOPOLOGY_PREFIX, { from: page.next });
      }
    } catch (error) {
      await view.close();
      throw error;
    }
    // Changes made while the pages were read: each is applied only over an older version.
    for (const event of buffered) view.#apply(event);
    loading = false;
    return view;
  }

  readonly #onDecodeError: (key: string, error: unknown) => void;

  private constructor(onDecodeError: (key: string, error: unknown) => void) {
    this.#onDecodeError = onDecodeError;
  }

  /** Stops following the KV. */
  async close(): Promise<void> {
    this.#break(new Error("topology view closed"));
    await this.#watch?.cancel();
  }

  /** Resolves once every change up to `revision` is applied (rejects if the view broke). */
  reached(revision: number): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.revision >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { revision, resolve, reject };
      this.#waiters.push(waiter);
      setTimeout(() => {
        if (!this.#waiters.includes(waiter)) return;
        this.#break(new Error(`the topology watch did not deliver revision ${revision} in time`));
      }, WATCH_CATCH_UP_MS).unref();
    });
  }

  // --- queries ---

  poolByName(name: string): PoolRecord | undefined {
    for (const { value } of this.pools.values()) if (value.name === name) return value;
    return undefined;
  }

  zoneByName(poolId: number, name: string): ZoneRecord | undefined {
    for (const { value } of this.zones.values()) {
      if (value.poolId === poolId && value.name === name) return value;
    }
    return undefined;
  }

  zonesOfPool(poolId: number): ZoneRecord[] {
    return [...this.zones.values()].map((z) => z.value).filter((z) => z.poolId === poolId);
  }

  serversOf(kind: ServerKind): ServerRecord[] {
    return [...this.servers[kind].values()].map((s) => s.value);
  }

  /** The server registered at `address`, of either kind. */
  serverAt(address: string): ServerRecord | undefined {
    const entry = this.addresses.get(address)?.value;
    return entry && this.servers[entry.kind].get(entry.id)?.value;
  }

  copyset(poolId: number, copysetId: number): CopysetRecord | undefined {
    return this.copysets.get(copysetRef(poolId, copysetId))?.value;
  }

  copysetsOfPool(poolId: number): CopysetRecord[] {
    return [...this.copysets.values()].map((c) => c.value).filter((c) => c.poolId === poolId);
  }

  /** The kind of server a pool holds (its records live in the servers of that kind). */
  poolServerKind(poolId: number): ServerKind | undefined {
    const pool = this.pools.get(poolId)?.value;
    if (!pool) return undefined;
    return pool.type === PoolType.CHUNKSERVER ? "chunkserver" : "metaserver";
  }

  /** Copysets per server id, of the pools holding servers of `kind`. */
  copysetCounts(kind: ServerKind): Map<number, number> {
    const counts = new Map<number, number>();
    for (const { value } of this.copysets.values()) {
      if (this.poolServerKind(value.poolId) !== kind) continue;
      for (const id of value.members) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** Partitions per copyset ("pool/copyset"), in every status. */
  partitionCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { value } of this.partitions.values()) {
      const ref = copysetRef(value.poolId, value.copysetId);
      counts.set(ref, (counts.get(ref) ?? 0) + 1);
    }
    return counts;
  }

  /** The partitions of one fs (recorded and created alike), in ascending order of start. */
  partitionsOfFs(fsId: number): PartitionRecord[] {
    const records: PartitionRecord[] = [];
    for (const [id, entry] of this.partitionIndex) {
      if (entry.value.fsId !== fsId) continue;
      const info = this.partitions.get(id)?.value;
      if (info) records.push({ info, created: entry.value.created });
    }
    return records.sort((a, b) => (a.info.start < b.info.start ? -1 : 1));
  }

  /** A partition with its created flag. */
  partition(partitionId: number): PartitionRecord | undefined {
    const info = this.partitions.get(partitionId)?.value;
    const entry = this.partitionIndex.get(partitionId)?.value;
    return info && { info, created: entry?.created ?? true };
  }

  // --- applying changes ---

  #apply(event: WatchEvent): void {
    if (event.type === "put")
      this.#put(bytesToText(event.kv.key), event.kv.value, event.kv.modRevision);
    else this.#delete(bytesToText(event.key), event.revision);
    this.revision = Math.max(this.revision, event.revision);
    this.#wake();
  }

  #put(key: string, value: Uint8Array, modRevision: number): void {
    const parsed = parseTopologyKey(key);
    if (!parsed) return;
    const target = this.#mapOf(parsed);
    const current = target.map.get(target.id);
    if (current && current.modRevision >= modRevision) return;
    try {
      target.map.set(target.id, { key, value: target.decode(value), modRevision });
    } catch (error) {
      this.#onDecodeError(key, error);
    }
  }

  #delete(key: string, revision: number): void {
    const parsed = parseTopologyKey(key);
    if (!parsed) return;
    const target = this.#mapOf(parsed);
    const current = target.map.get(target.id);
    if (current && current.modRevision < revision) target.map.delete(target.id);
  }

  /** The map a key's record lives in, its id there and how to decode its value. */
  #mapOf(key: TopologyKey): {
    map: Map<number | string, Versioned<unknown>>;
    id: number | string;
    decode: (value: Uint8Array) => unknown;
  } {
    const as = <K, T>(map: Map<K, Versioned<T>>) =>
      map as unknown as Map<number | string, Versioned<unknown>>;
    switch (key.kind) {
      case "pool":
        return { map: as(this.pools), id: key.id, decode: decodePool };
      case "zone":
        return { map: as(this.zones), id: key.id, decode: decodeZone };
      case "metaserver":
      case "chunkserver": {
        const kind = key.kind;
        return { map: as(this.servers[kind]), id: key.id, decode: (v) => decodeServer(kind, v) };
      }
      case "address":
        return { map: as(this.addresses), id: key.address, decode: decodeAddress };
      case "copyset":
        return {
          map: as(this.copysets),
          id: copysetRef(key.poolId, key.copysetId),
          decode: (v) => decodeCopyset(key.poolId, key.copysetId, v),
        };
      case "partition":
        return { map: as(this.partitions), id: key.id, decode: decodePartition };
      case "fs-partition":
        return {
          map: as(this.partitionIndex),
          id: key.partitionId,
          decode: (v) => ({ fsId: key.fsId, created: decodePartitionIndex(v) }),
        };
      case "fs-inode-watermark":
        return { map: as(this.watermarks), id: key.id, decode: decodeWatermark };
    }
  }

  #wake(): void {
    const due = this.#waiters.filter((w) => w.revision <= this.revision);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.revision > this.revision);
    for (const waiter of due) waiter.resolve();
  }

  #break(error: Error): void {
    this.broken ??= error;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(this.broken);
  }
}
