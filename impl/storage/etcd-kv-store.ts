/**
 * The KvStore on etcd v3 through the `etcd3` client (1.1.2).
 *
 * Deliberate departures from etcd3's defaults:
 * - No circuit breaker and no automatic retry. etcd3 opens a 5 s breaker after three failures,
 *   which turns a 0.1 s etcd restart into 5 s of refused calls; and its retries would re-send
 *   writes whose first attempt may have been applied. Failures surface as `unavailable` and
 *   callers decide (their writes carry compares, so retrying is safe for them).
 * - Leases are kept alive by ManagedLease (shared with the embedded store), not by etcd3's Lease,
 *   which reports a lost lease only after 2×TTL — too late for a leader, whose lease etcd
 *   expires after 1×TTL.
 * - gRPC reconnects within ≤ 1 s instead of backing off up to 2 minutes.
 */
import { Etcd3, type IOptions, type IRequestOp, type IResponseOp } from "etcd3";
import { type Clock, systemClock } from "./clock.js";
import { toKvError } from "./etcd/etcd-errors.js";
import { openEtcdWatch } from "./etcd/etcd-watch.js";
import { KeySpace } from "./etcd/key-space.js";
import { type BytesLike, keyAfter, toBytes } from "./kv-bytes.js";
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
  type CheckedCompare,
  type CheckedOp,
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

/** Options of an EtcdKvStore. */
export interface EtcdKvStoreOptions {
  /** Client URLs, e.g. ["http://127.0.0.1:2379"]. */
  readonly endpoints: readonly string[];
  /** Stores every key under this prefix, invisibly to callers. Default: none. */
  readonly namespace?: BytesLike;
  /** Deadline of each unary call. Default 5 s. */
  readonly callTimeoutMs?: number;
}

type FaultHandling = NonNullable<IOptions["faultHandling"]>;
type Policy = NonNullable<FaultHandling["global"]>;
type Backoff = NonNullable<FaultHandling["watchBackoff"]>;

const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** Re-dial a lost etcd quickly: a test etcd restarts in ~0.1 s, a real one in about a second. */
const RECONNECT_BACKOFF_MS = { initial: 100, max: 1000 };
const WATCH_RETRY_MS = 200;

/** A policy that just runs the call: see the module comment for why. */
const passThrough: Policy = {
  _altReturn: undefined as never,
  onSuccess: () => ({ dispose: () => undefined }),
  onFailure: () => ({ dispose: () => undefined }),
  execute: (fn, signal) =>
    Promise.resolve().then(() => fn({ signal: signal ?? new AbortController().signal })),
};

/** Watches re-open at a steady pace instead of etcd3's exponential backoff. */
const steadyBackoff: Backoff = {
  duration: WATCH_RETRY_MS,
  next: () => steadyBackoff,
};

const COMPARE_TARGET = {
  value: "Value",
  version: "Version",
  createRevision: "Create",
  modRevision: "Mod",
} as const;
const COMPARE_RESULT = { "==": "Equal", "!=": "NotEqual", "<": "Less", ">": "Greater" } as const;

/** The etcd-backed KvStore. */
export class EtcdKvStore implements KvStore {
  readonly #client: Etcd3;
  readonly #space: KeySpace;
  readonly #callTimeoutMs: number;
  readonly #clock: Clock = systemClock;
  readonly #leases = new Set<ManagedLease>();
  readonly #watches = new Set<Watch>();
  #closed = false;

  constructor(options: EtcdKvStoreOptions) {
    if (options.endpoints.length === 0) {
      throw new KvError("invalid_argument", "at least one etcd endpoint is required");
    }
    this.#space = new KeySpace(toBytes(options.namespace ?? ""));
    this.#callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#client = new Etcd3({
      hosts: [...options.endpoints],
      faultHandling: { host: () => passThrough, global: passThrough, watchBackoff: steadyBackoff },
      grpcOptions: {
        "grpc.initial_reconnect_backoff_ms": RECONNECT_BACKOFF_MS.initial,
        "grpc.max_reconnect_backoff_ms": RECONNECT_BACKOFF_MS.max,
        "grpc.max_receive_message_length": -1,
      },
      // Streams (watch, keep-alive) live long and set their own deadlines.
      defaultCallOptions: (context) =>
        context.isStream ? {} : { deadline: Date.now() + this.#callTimeoutMs },
    });
  }

  async get(key: BytesLike): Promise<KeyValue | undefined> {
    const k = checkKey(key);
    const response = await this.#call("get", () =>
      this.#client.kv.range({ key: this.#space.wrap(k) }),
    );
    const kv = response.kvs[0];
    return kv && this.#space.keyValue(kv);
  }

  async put(key: BytesLike, value: BytesLike, options: PutOptions = {}): Promise<WriteResult> {
    const request = {
      key: this.#space.wrap(checkKey(key)),
      value: Buffer.from(checkValue(value)),
      ...(options.lease === undefined ? {} : { lease: checkLeaseId(options.lease) }),
    };
    const response = await this.#call("put", () => this.#client.kv.put(request));
    return { revision: Number(response.header.revision) };
  }

  async delete(key: BytesLike): Promise<DeleteResult> {
    const k = this.#space.wrap(checkKey(key));
    const response = await this.#call("delete", () => this.#client.kv.deleteRange({ key: k }));
    return { revision: Number(response.header.revision), deleted: Number(response.deleted) };
  }

  async deletePrefix(prefix: BytesLike): Promise<DeleteResult> {
    const p = checkKey(prefix, "prefix");
    const request = { key: this.#space.wrap(p), range_end: this.#space.rangeEnd(p) };
    const response = await this.#call("delete prefix", () => this.#client.kv.deleteRange(request));
    return { revision: Number(response.header.revision), deleted: Number(response.deleted) };
  }

  async range(prefix: BytesLike, options?: RangeOptions): Promise<RangePage> {
    const { prefix: p, from, limit } = checkRange(prefix, options);
    const request = { key: this.#space.wrap(from), range_end: this.#space.rangeEnd(p), limit };
    const response = await this.#call("range", () => this.#client.kv.range(request));
    const kvs = response.kvs.map((kv) => this.#space.keyValue(kv));
    const last = kvs[kvs.length - 1];
    return {
      kvs,
      more: response.more,
      next: response.more && last ? keyAfter(last.key) : undefined,
      revision: Number(response.header.revision),
    };
  }

  async txn(txn: Txn): Promise<TxnResult> {
    const checked = checkTxn(txn);
    const request = {
      compare: checked.compare.map((c) => this.#compare(c)),
      success: checked.success.map((op) => this.#op(op)),
      failure: checked.failure.map((op) => this.#op(op)),
    };
    const response = await this.#call("txn", () => this.#client.kv.txn(request));
    const ops = response.succeeded ? checked.success : checked.failure;
    return {
      succeeded: response.succeeded,
      revision: Number(response.header.revision),
      results: ops.map((op, i) => this.#opResult(op, response.responses[i])),
    };
  }

  async revision(): Promise<number> {
    // Any read reports the store revision in its header; count_only keeps the answer empty.
    const request = { key: this.#space.wrap(Uint8Array.of(0)), count_only: true };
    const response = await this.#call("revision", () => this.#client.kv.range(request));
    return Number(response.header.revision);
  }

  async grantLease(ttlSeconds: number, options: LeaseOptions = {}): Promise<Lease> {
    const ttl = checkTtl(ttlSeconds);
    this.#ensureOpen();
    const grantSentAt = this.#clock.now();
    const granted = await this.#call("lease grant", () =>
      this.#client.leaseClient.leaseGrant({ TTL: ttl }),
    );
    if (granted.error) throw new KvError("internal", `etcd lease grant: ${granted.error}`);
    const id = String(granted.ID);
    const lease = new ManagedLease({
      id,
      // etcd raises a TTL below its minimum (1.5 × election timeout) and says so in the answer.
      ttlSeconds: Number(granted.TTL),
      clock: this.#clock,
      keepAlive: options.keepAlive ?? true,
      grantSentAt,
      transport: {
        keepAlive: (timeoutMs) => this.#keepAliveOnce(id, timeoutMs),
        revoke: () => this.revokeLease(id),
      },
    });
    this.#leases.add(lease);
    lease.lost.addEventListener("abort", () => this.#leases.delete(lease), { once: true });
    return lease;
  }

  async revokeLease(id: LeaseId): Promise<void> {
    const lease = checkLeaseId(id);
    await this.#call("lease revoke", () => this.#client.leaseClient.leaseRevoke({ ID: lease }));
  }

  async leaseTimeToLive(id: LeaseId): Promise<number | undefined> {
    const lease = checkLeaseId(id);
    const response = await this.#call("lease time-to-live", () =>
      this.#client.leaseClient.leaseTimeToLive({ ID: lease }),
    );
    const ttl = Number(response.TTL);
    return ttl < 0 ? undefined : ttl;
  }

  async watch(
    prefix: BytesLike,
    listener: WatchListener,
    options: WatchOptions = {},
  ): Promise<Watch> {
    const p = checkPrefix(prefix);
    const startRevision = checkStartRevision(options.startRevision);
    this.#ensureOpen();
    if (startRevision !== undefined) await this.#checkNotCompacted(startRevision);
    const watch = await openEtcdWatch({
      client: this.#client,
      space: this.#space,
      prefix: p,
      listener,
      startRevision,
      onError: options.onError,
      timeoutMs: this.#callTimeoutMs,
    });
    this.#watches.add(watch);
    return {
      startRevision: watch.startRevision,
      cancel: async () => {
        this.#watches.delete(watch);
        await watch.cancel();
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new KvError("closed", "the etcd kv store was closed");
    for (const lease of this.#leases) lease.markLost(closed);
    await Promise.all([...this.#watches].map((w) => w.cancel()));
    this.#client.close();
  }

  #ensureOpen(): void {
    if (this.#closed) throw new KvError("closed", "the etcd kv store is closed");
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.#ensureOpen();
    try {
      return await fn();
    } catch (error) {
      throw toKvError(error, what);
    }
  }

  /** etcd cancels a watch on compacted history without saying why; ask a read instead. */
  async #checkNotCompacted(revision: number): Promise<void> {
    const request = { key: this.#space.wrap(Uint8Array.of(0)), revision, count_only: true };
    try {
      await this.#call("watch", () => this.#client.kv.range(request));
    } catch (error) {
      // A future revision is fine for a watch: it simply waits for it.
      if (isKvError(error) && error.message.includes("future revision")) return;
      throw error;
    }
  }

  #keepAliveOnce(id: LeaseId, timeoutMs: number): Promise<number> {
    return this.#call("lease keep-alive", async () => {
      const stream = await this.#client.leaseClient.leaseKeepAlive({
        deadline: Date.now() + timeoutMs,
      });
      return new Promise<number>((resolve, reject) => {
        stream.on("data", (response) => {
          resolve(Number(response.TTL));
          stream.end();
        });
        stream.on("error", reject);
        stream.on("end", () => reject(new KvError("unavailable", "etcd keep-alive stream ended")));
        stream.write({ ID: id });
      });
    });
  }

  #compare(compare: CheckedCompare) {
    const base = {
      key: this.#space.wrap(compare.key),
      target: COMPARE_TARGET[compare.target],
      result: COMPARE_RESULT[compare.op],
    };
    switch (compare.target) {
      case "value":
        return { ...base, value: Buffer.from(compare.value) };
      case "version":
        return { ...base, version: compare.value };
      case "createRevision":
        return { ...base, create_revision: compare.value };
      case "modRevision":
        return { ...base, mod_revision: compare.value };
    }
  }

  #op(op: CheckedOp): IRequestOp {
    const key = this.#space.wrap(op.key);
    switch (op.type) {
      case "put":
        return {
          request_put: {
            key,
            value: Buffer.from(op.value),
            ...(op.lease === undefined ? {} : { lease: op.lease }),
          },
        };
      case "delete":
        return { request_delete_range: { key } };
      case "get":
        return { request_range: { key } };
    }
  }

  #opResult(op: CheckedOp, response: IResponseOp | undefined): TxnOpResult {
    switch (op.type) {
      case "put":
        return { type: "put" };
      case "delete":
        return { type: "delete", deleted: Number(response?.response_delete_range?.deleted ?? 0) };
      case "get": {
        const kv = response?.response_range?.kvs[0];
        return { type: "get", kv: kv && this.#space.keyValue(kv) };
      }
    }
  }
}
