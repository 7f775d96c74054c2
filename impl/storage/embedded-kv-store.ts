/**
 * The embedded KvStore: etcd's semantics (revisions, leases, watches with history) in one
 * process, persisted to a directory. This is what `curve-rpc up` uses when no etcd is given.
 *
 * Durability: every change is a record appended to `kv.log` and fsynced (group commit: the
 * changes of concurrent calls share one fsync) before the call resolves. Reads and watch events
 * are also held back until everything they may reflect is on disk, so nobody observes a change
 * that a crash could still undo. Once the log exceeds `compactAfterBytes`, the state is written
 * to `kv.snapshot` (temp file, fsync, rename) and the log is emptied. On open: snapshot, then the
 * log replayed on top, a torn last flush cut off (entry-log.ts explains why that is safe).
 *
 * Leases expire on the injected clock. Like etcd, a restart renews every lease to its full TTL.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Clock, systemClock, type Timer } from "./clock.js";
import { lockDirectory } from "./embedded/dir-lock.js";
import { EntryLog } from "./embedded/entry-log.js";
import { KvState } from "./embedded/kv-state.js";
import { decodeRecord, encodeRecord, type KvRecord } from "./embedded/records.js";
import { readSnapshot, writeSnapshot } from "./embedded/snapshot-file.js";
import { WatchHub } from "./embedded/watch-hub.js";
import { type BytesLike, keyAfter } from "./kv-bytes.js";
import { isKvError, KvError } from "./kv-error.js";
import type {
  DeleteResult,
  KeyValue,
  KvStore,
  Lease,
  LeaseId,
  LeaseOptions,
  PutOptions,
  RangeOptions,
  RangePage,
  Txn,
  TxnOpResult,
  TxnResult,
  Watch,
  WatchListener,
  WatchOptions,
  WriteResult,
} from "./kv-store.js";
import {
  checkKey,
  checkLeaseId,
  checkPrefix,
  checkRange,
  checkStartRevision,
  checkTtl,
  checkTxn,
  checkValue,
} from "./kv-validate.js";
import { ManagedLease } from "./managed-lease.js";

/** Options of `EmbeddedKvStore.open`. */
export interface EmbeddedKvStoreOptions {
  /** Data directory (created if missing). One store per directory at a time. */
  readonly dir: string;
  /** Drives lease expiry and keep-alives; a manual clock in tests. Default: real time. */
  readonly clock?: Clock;
  /** Snapshot and empty the log once it holds this many bytes. Default 64 MiB. */
  readonly compactAfterBytes?: number;
  /** Recent events kept for watches that start in the past. Default 10,000. */
  readonly watchHistory?: number;
}

/** What `open` found on disk. */
export interface EmbeddedOpenReport {
  /** Revision of the snapshot loaded, if there was one. */
  readonly snapshotRevision: number | undefined;
  /** Log records replayed on top of it. */
  readonly replayedRecords: number;
  /** Bytes of a torn last flush cut off the log (never acknowledged writes). */
  readonly tornTailBytes: number;
}

const LOG_FILE = "kv.log";
const SNAPSHOT_FILE = "kv.snapshot";
const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
const DEFAULT_WATCH_HISTORY = 10_000;

interface LeaseClock {
  expiresAt: number;
  timer: Timer;
}

/** A copy of a stored key that the caller may keep or change. */
function exportKv(kv: KeyValue | undefined): KeyValue | undefined {
  return kv && { ...kv, key: kv.key.slice(), value: kv.value.slice() };
}

function exportResult(result: TxnOpResult): TxnOpResult {
  return result.type === "get" ? { type: "get", kv: exportKv(result.kv) } : result;
}

/** The single-process KvStore persisted to a directory. Create it with `open`. */
export class EmbeddedKvStore implements KvStore {
  /** What opening found on disk (snapshot, replayed records, torn tail). */
  readonly openReport: EmbeddedOpenReport;
  readonly #state: KvState;
  readonly #log: EntryLog;
  readonly #hub: WatchHub;
  readonly #clock: Clock;
  readonly #snapshotPath: string;
  readonly #compactAfterBytes: number;
  readonly #unlock: () => Promise<void>;
  readonly #leaseClocks = new Map<LeaseId, LeaseClock>();
  readonly #handles = new Map<LeaseId, Set<ManagedLease>>();
  #compacting: Promise<void> | undefined;
  #closed = false;

  private constructor(parts: {
    state: KvState;
    log: EntryLog;
    hub: WatchHub;
    clock: Clock;
    dir: string;
    compactAfterBytes: number;
    unlock: () => Promise<void>;
    openReport: EmbeddedOpenReport;
  }) {
    this.#state = parts.state;
    this.#log = parts.log;
    this.#hub = parts.hub;
    this.#clock = parts.clock;
    this.#snapshotPath = join(parts.dir, SNAPSHOT_FILE);
    this.#compactAfterBytes = parts.compactAfterBytes;
    this.#unlock = parts.unlock;
    this.openReport = parts.openReport;
    for (const lease of this.#state.leaseIds()) this.#renewLease(lease);
  }

  /** Opens (or creates) the store in `options.dir`, recovering from a crash if needed. */
  static async open(options: EmbeddedKvStoreOptions): Promise<EmbeddedKvStore> {
    await mkdir(options.dir, { recursive: true });
    const unlock = await lockDirectory(options.dir);
    try {
      const image = await readSnapshot(join(options.dir, SNAPSHOT_FILE));
      const state = image ? KvState.fromImage(image) : new KvState();
      const hub = new WatchHub(
        image ? image.revision + 1 : 1,
        options.watchHistory ?? DEFAULT_WATCH_HISTORY,
      );
      const { log, entries, tornTailBytes } = await EntryLog.open(join(options.dir, LOG_FILE));
      for (const line of entries) hub.publish(state.apply(decodeRecord(line)));
      return new EmbeddedKvStore({
        state,
        log,
        hub,
        clock: options.clock ?? systemClock,
        dir: options.dir,
        compactAfterBytes: options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES,
        unlock,
        openReport: {
          snapshotRevision: image?.revision,
          replayedRecords: entries.length,
          tornTailBytes,
        },
      });
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  async get(key: BytesLike): Promise<KeyValue | undefined> {
    const checked = checkKey(key);
    this.#ensureOpen();
    const kv = this.#state.get(checked);
    await this.#log.durable();
    return exportKv(kv);
  }

  async put(key: BytesLike, value: BytesLike, options: PutOptions = {}): Promise<WriteResult> {
    const op = {
      type: "put" as const,
      key: checkKey(key),
      value: checkValue(value),
      lease: options.lease === undefined ? undefined : checkLeaseId(options.lease),
    };
    this.#ensureOpen();
    const plan = this.#state.planTxn([], [op], []);
    const revision = this.#state.revision + 1;
    await this.#commitOrWait(plan.record);
    return { revision };
  }

  async delete(key: BytesLike): Promise<DeleteResult> {
    const result = await this.txn({ compare: [], success: [{ type: "delete", key }] });
    const first = result.results[0];
    return { revision: result.revision, deleted: first?.type === "delete" ? first.deleted : 0 };
  }

  async deletePrefix(prefix: BytesLike): Promise<DeleteResult> {
    const checked = checkKey(prefix, "prefix");
    this.#ensureOpen();
    const plan = this.#state.planDeletePrefix(checked);
    const revision = this.#state.revision + (plan.record ? 1 : 0);
    await this.#commitOrWait(plan.record);
    return { revision, deleted: plan.deleted };
  }

  async range(prefix: BytesLike, options?: RangeOptions): Promise<RangePage> {
    const request = checkRange(prefix, options);
    this.#ensureOpen();
    const { kvs, more } = this.#state.range(request.prefix, request.from, request.limit);
    const revision = this.#state.revision;
    await this.#log.durable();
    const last = kvs[kvs.length - 1];
    return {
      kvs: kvs.map((kv) => exportKv(kv) as KeyValue),
      more,
      next: more && last ? keyAfter(last.key) : undefined,
      revision,
    };
  }

  async txn(txn: Txn): Promise<TxnResult> {
    const checked = checkTxn(txn);
    this.#ensureOpen();
    const plan = this.#state.planTxn(checked.compare, checked.success, checked.failure);
    const revision = this.#state.revision + (plan.record ? 1 : 0);
    await this.#commitOrWait(plan.record);
    return { succeeded: plan.succeeded, revision, results: plan.results.map(exportResult) };
  }

  async revision(): Promise<number> {
    this.#ensureOpen();
    const revision = this.#state.revision;
    await this.#log.durable();
    return revision;
  }

  async grantLease(ttlSeconds: number, options: LeaseOptions = {}): Promise<Lease> {
    const ttl = checkTtl(ttlSeconds);
    this.#ensureOpen();
    const grantSentAt = this.#clock.now();
    const record = this.#state.planGrant(ttl);
    await this.#commit(record);
    const lease = new ManagedLease({
      id: record.id,
      ttlSeconds: ttl,
      clock: this.#clock,
      keepAlive: options.keepAlive ?? true,
      grantSentAt,
      transport: {
        keepAlive: async () => this.#keepAlive(record.id),
        revoke: () => this.revokeLease(record.id),
      },
    });
    this.#trackHandle(lease);
    return lease;
  }

  async revokeLease(id: LeaseId): Promise<void> {
    const lease = checkLeaseId(id);
    this.#ensureOpen();
    await this.#endLease(lease, "revoked");
  }

  async leaseTimeToLive(id: LeaseId): Promise<number | undefined> {
    const lease = checkLeaseId(id);
    this.#ensureOpen();
    const clock = this.#leaseClocks.get(lease);
    await this.#log.durable();
    if (!clock) return undefined;
    // Whole seconds left, rounded down, as etcd reports it.
    return Math.max(0, Math.floor((clock.expiresAt - this.#clock.now()) / 1000));
  }

  async watch(
    prefix: BytesLike,
    listener: WatchListener,
    options: WatchOptions = {},
  ): Promise<Watch> {
    const checkedPrefix = checkPrefix(prefix);
    const start = checkStartRevision(options.startRevision);
    this.#ensureOpen();
    return this.#hub.subscribe(checkedPrefix, listener, start, this.#state.revision);
  }

  /** Writes a snapshot and empties the log now (it also happens on its own as the log grows). */
  compact(): Promise<void> {
    this.#ensureOpen();
    this.#compacting ??= this.#log
      .exclusive(async () => {
        await writeSnapshot(this.#snapshotPath, this.#state.image());
        await this.#log.truncate();
      })
      .finally(() => {
        this.#compacting = undefined;
      });
    return this.#compacting;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const clock of this.#leaseClocks.values()) clock.timer.cancel();
    this.#leaseClocks.clear();
    const closed = new KvError("closed", "the embedded kv store was closed");
    for (const handles of this.#handles.values()) for (const h of handles) h.markLost(closed);
    this.#handles.clear();
    this.#hub.cancelAll();
    await this.#compacting?.catch(() => undefined);
    await this.#log.close();
    await this.#unlock();
  }

  #ensureOpen(): void {
    if (this.#closed) throw new KvError("closed", "the embedded kv store is closed");
  }

  /** Applies a record, makes it durable, then lets watchers see it. */
  async #commit(record: KvRecord): Promise<void> {
    const events = this.#state.apply(record);
    const done = this.#log.append(encodeRecord(record));
    if (record.type === "grant") this.#renewLease(record.id);
    await done;
    this.#hub.publish(events);
    if (this.#log.size > this.#compactAfterBytes && !this.#closed) {
      this.compact().catch(() => undefined); // a failed compaction leaves a longer log, no harm
    }
  }

  async #commitOrWait(record: KvRecord | undefined): Promise<void> {
    if (record) await this.#commit(record);
    else await this.#log.durable();
  }

  #keepAlive(lease: LeaseId): number {
    this.#ensureOpen();
    if (!this.#state.hasLease(lease)) return 0;
    return this.#renewLease(lease);
  }

  /** (Re)starts a lease's expiry timer at its full TTL; returns the TTL. */
  #renewLease(lease: LeaseId): number {
    const ttl = this.#state.leaseTtl(lease) ?? 0;
    this.#leaseClocks.get(lease)?.timer.cancel();
    const timer = this.#clock.setTimer(ttl * 1000, () => {
      this.#endLease(lease, "expired").catch(() => undefined);
    });
    this.#leaseClocks.set(lease, { expiresAt: this.#clock.now() + ttl * 1000, timer });
    return ttl;
  }

  async #endLease(lease: LeaseId, how: "expired" | "revoked"): Promise<void> {
    if (this.#closed) return;
    const record = this.#state.planRevoke(lease);
    this.#leaseClocks.get(lease)?.timer.cancel();
    this.#leaseClocks.delete(lease);
    const lost = new KvError("lease_not_found", `lease ${lease} ${how}`);
    for (const handle of this.#handles.get(lease) ?? []) handle.markLost(lost);
    this.#handles.delete(lease);
    try {
      await this.#commit(record);
    } catch (error) {
      if (!isKvError(error, "lease_not_found")) throw error;
    }
  }

  #trackHandle(lease: ManagedLease): void {
    const handles = this.#handles.get(lease.id) ?? new Set<ManagedLease>();
    handles.add(lease);
    this.#handles.set(lease.id, handles);
    lease.lost.addEventListener("abort", () => handles.delete(lease), { once: true });
  }
}
