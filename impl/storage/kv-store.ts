/**
 * The key-value seam of the MDS (DESIGN §5): etcd semantics, two implementations
 * (`EtcdKvStore`, `EmbeddedKvStore`), and the election built once on top (`election.ts`).
 *
 * Conventions shared by every implementation:
 * - Keys and values are bytes. Callers may pass strings (stored as UTF-8); results are always
 *   `Uint8Array`. Keys are ordered bytewise.
 * - The store has one revision counter. Every call that changes something (a put, a delete that
 *   removed a key, a transaction with such ops, a lease ending with keys attached) takes exactly
 *   one new revision; calls that change nothing leave it alone. Revisions start at 1 and fit a JS
 *   number (2^53 changes is beyond any deployment).
 * - Lease ids are opaque decimal strings (etcd's are 64-bit and do not fit a JS number).
 * - Every failure is a `KvError` with a `kind` (see kv-error.ts).
 */
import type { BytesLike } from "./kv-bytes.js";
import type { KvError } from "./kv-error.js";

export type { BytesLike } from "./kv-bytes.js";

/** Opaque lease id: a decimal string. */
export type LeaseId = string;

/** A stored key with its value and bookkeeping, as etcd reports it. */
export interface KeyValue {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  /** Revision of the put that created the key (since its last deletion). */
  readonly createRevision: number;
  /** Revision of the last put to the key. */
  readonly modRevision: number;
  /** Number of puts since the key was created: 1 after the first put. */
  readonly version: number;
  /** The lease the key is bound to, if any; the key is deleted when the lease ends. */
  readonly lease: LeaseId | undefined;
}

/** Options of a single put. */
export interface PutOptions {
  /** Binds the key to this lease (it must exist, else `lease_not_found`). */
  readonly lease?: LeaseId;
}

/** What a write reports: the store revision after it. */
export interface WriteResult {
  readonly revision: number;
}

/** What a delete reports: how many keys it removed and the store revision after it. */
export interface DeleteResult {
  readonly revision: number;
  readonly deleted: number;
}

/** One page of a prefix range. */
export interface RangeOptions {
  /** Page size, 1…MAX_RANGE_LIMIT; DEFAULT_RANGE_LIMIT when absent. */
  readonly limit?: number;
  /** Start at this key (inclusive) instead of at the prefix; pass the previous page's `next`. */
  readonly from?: BytesLike;
}

/**
 * A page of keys in key order. Each page is a consistent snapshot at its own `revision`; paging
 * with `next` visits every key that exists for the whole walk exactly once (keys created or
 * deleted during the walk may or may not appear, never twice).
 */
export interface RangePage {
  readonly kvs: readonly KeyValue[];
  /** True when keys remain after this page. */
  readonly more: boolean;
  /** The `from` for the next page, present exactly when `more` is true. */
  readonly next: Uint8Array | undefined;
  /** Store revision at which this page was read. */
  readonly revision: number;
}

/** Comparison operator of a transaction compare. */
export type CompareOp = "==" | "!=" | "<" | ">";

/**
 * A condition of a transaction, evaluated atomically with its ops.
 *
 * As in etcd, a missing key has version, createRevision and modRevision 0 (so `createRevision
 * == 0` means "absent"), and a `value` compare on a missing key is always false, whatever the op.
 */
export type Compare =
  | {
      readonly key: BytesLike;
      readonly target: "value";
      readonly op: CompareOp;
      readonly value: BytesLike;
    }
  | {
      readonly key: BytesLike;
      readonly target: "version" | "createRevision" | "modRevision";
      readonly op: CompareOp;
      readonly value: number;
    }
  /** Shorthand for `version == 0`. */
  | { readonly key: BytesLike; readonly target: "absent" };

/** An operation inside a transaction branch. */
export type TxnOp =
  | {
      readonly type: "put";
      readonly key: BytesLike;
      readonly value: BytesLike;
      readonly lease?: LeaseId;
    }
  | { readonly type: "delete"; readonly key: BytesLike }
  | { readonly type: "get"; readonly key: BytesLike };

/** The result of one op, at the same index as the op in the branch that ran. */
export type TxnOpResult =
  | { readonly type: "put" }
  | { readonly type: "delete"; readonly deleted: number }
  | { readonly type: "get"; readonly kv: KeyValue | undefined };

/**
 * A transaction: if every compare holds, run `success`, else run `failure`; all atomically at one
 * revision. Ops run in order, so a get sees the writes made before it in its branch (as in etcd).
 * A key may be written (put or deleted) at most once per branch.
 */
export interface Txn {
  readonly compare: readonly Compare[];
  readonly success: readonly TxnOp[];
  readonly failure?: readonly TxnOp[];
}

/** What a transaction reports. */
export interface TxnResult {
  /** True when every compare held and `success` ran. */
  readonly succeeded: boolean;
  /** Store revision after the transaction (unchanged when it wrote nothing). */
  readonly revision: number;
  readonly results: readonly TxnOpResult[];
}

/** Options of a lease grant. */
export interface LeaseOptions {
  /** Keep the lease alive automatically (every TTL/3) until revoked or released. Default true. */
  readonly keepAlive?: boolean;
}

/**
 * A granted lease. Keys put with its id are deleted by the store when it ends.
 *
 * `lost` is aborted, with a KvError as reason, as soon as the holder must assume the lease is
 * gone: the store said it expired or was revoked (`lease_not_found`), no keep-alive was confirmed
 * for a whole TTL (`unavailable`: the store may have expired it already; counted from when the
 * last confirmed keep-alive was *sent*, so the holder gives up no later than the store does),
 * it was revoked here (`lease_not_found`), or the store was closed (`closed`).
 */
export interface Lease {
  readonly id: LeaseId;
  /** TTL granted by the store (it may raise a small TTL to its minimum). */
  readonly ttlSeconds: number;
  readonly lost: AbortSignal;
  /** Refreshes the lease once; resolves to the TTL the store reset it to. */
  keepAliveOnce(): Promise<number>;
  /** Stops the automatic keep-alive; the lease then expires on its own (and `lost` fires). */
  release(): void;
  /** Ends the lease now, deleting its keys. Idempotent. */
  revoke(): Promise<void>;
}

/** A change seen by a watch. Events arrive in revision order; one transaction = one revision. */
export type WatchEvent =
  | { readonly type: "put"; readonly revision: number; readonly kv: KeyValue }
  | { readonly type: "delete"; readonly revision: number; readonly key: Uint8Array };

/** Options of a watch. */
export interface WatchOptions {
  /**
   * Deliver changes from this revision on (inclusive), replaying history; `compacted` when the
   * store no longer has it. Default: changes after the watch is established.
   */
  readonly startRevision?: number;
  /** Called once if the watch dies (e.g. `compacted`); no events follow. */
  readonly onError?: (error: KvError) => void;
}

/** A running watch. */
export interface Watch {
  /** The first revision this watch delivers (the requested start, or "now + 1"). */
  readonly startRevision: number;
  /** Stops delivery; no event is delivered after the returned promise resolves. */
  cancel(): Promise<void>;
}

/** Receives watch events, in order; must not throw (a throw is rethrown asynchronously). */
export type WatchListener = (event: WatchEvent) => void;

/** The MDS key-value store (DESIGN §5). All methods reject with `KvError`. */
export interface KvStore {
  /** The key's current value, or undefined when absent. */
  get(key: BytesLike): Promise<KeyValue | undefined>;
  /** Creates or replaces a key. */
  put(key: BytesLike, value: BytesLike, options?: PutOptions): Promise<WriteResult>;
  /** Deletes one key; `deleted` is 0 when it was absent (and the revision does not move). */
  delete(key: BytesLike): Promise<DeleteResult>;
  /** Deletes every key that starts with `prefix` (which must not be empty) at one revision. */
  deletePrefix(prefix: BytesLike): Promise<DeleteResult>;
  /** One page of the keys starting with `prefix` (empty prefix = every key), in key order. */
  range(prefix: BytesLike, options?: RangeOptions): Promise<RangePage>;
  /** Runs a transaction atomically. */
  txn(txn: Txn): Promise<TxnResult>;
  /** The current store revision. */
  revision(): Promise<number>;
  /** Grants a lease of `ttlSeconds` (whole seconds, 1…MAX_LEASE_TTL_SECONDS). */
  grantLease(ttlSeconds: number, options?: LeaseOptions): Promise<Lease>;
  /** Revokes any lease by id (e.g. a dead peer's); `lease_not_found` when it does not exist. */
  revokeLease(id: LeaseId): Promise<void>;
  /** Remaining TTL in seconds of any lease, or undefined when it does not exist. */
  leaseTimeToLive(id: LeaseId): Promise<number | undefined>;
  /** Watches every key starting with `prefix`; resolves once the watch is established. */
  watch(prefix: BytesLike, listener: WatchListener, options?: WatchOptions): Promise<Watch>;
  /** Stops keep-alives and watches and releases resources; later calls fail with `closed`. */
  close(): Promise<void>;
}

/** Largest key, in bytes. Far above any key the MDS writes; keeps requests well under etcd's cap. */
export const MAX_KEY_BYTES = 4096;
/** Largest value, in bytes (1 MiB): etcd's default request cap is 1.5 MiB for the whole request. */
export const MAX_VALUE_BYTES = 1024 * 1024;
/** Most compares, or ops per branch, in one transaction: etcd's default `--max-txn-ops`. */
export const MAX_TXN_OPS = 128;
/**
 * Most key + value bytes in one request: etcd's default 1.5 MiB request cap minus 64 KiB left for
 * protobuf framing and the key namespace, so a request we accept is never refused by etcd.
 */
export const MAX_REQUEST_PAYLOAD_BYTES = 1536 * 1024 - 64 * 1024;
/** Page size of `range` when the caller gives none. */
export const DEFAULT_RANGE_LIMIT = 1000;
/** Largest page of `range`. */
export const MAX_RANGE_LIMIT = 10_000;
/** Longest lease: a week, far beyond any session, and within what one timer can wait (24.8 d). */
export const MAX_LEASE_TTL_SECONDS = 7 * 24 * 3600;
