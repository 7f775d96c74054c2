/**
 * The embedded store's in-memory state and its rules, with no IO and no clock.
 *
 * Requests are first *planned* against the current state (compares evaluated, results computed,
 * nothing changed), which yields a record; the record is then *applied*. Replaying the log on
 * open applies the same records, so the state after a restart is the state before it. `apply`
 * skips what a snapshot already contains (older revision, known lease id), so replaying a log
 * over a newer snapshot is harmless.
 */
import { KvError } from "../kv-error.js";
import type { KeyValue, LeaseId, TxnOpResult, WatchEvent } from "../kv-store.js";
import type { CheckedCompare, CheckedOp } from "../kv-validate.js";
import type { KeyChange, KvRecord } from "./records.js";

/** A key as stored: the fields of KeyValue, never mutated once created. */
type Entry = KeyValue;

interface LeaseState {
  readonly ttlSeconds: number;
  /** Binary-string ids of the keys bound to the lease. */
  readonly keys: Set<string>;
}

/** A planned transaction: its answer, and the record to apply when it wrote something. */
export interface TxnPlan {
  readonly succeeded: boolean;
  readonly results: TxnOpResult[];
  readonly record: KvRecord | undefined;
}

/** The whole state, as a snapshot stores it. */
export interface StateImage {
  readonly revision: number;
  readonly lastLeaseId: number;
  readonly leases: readonly { readonly id: LeaseId; readonly ttlSeconds: number }[];
  readonly entries: readonly KeyValue[];
}

/** Keys are indexed by their bytes read as latin1: JS string order is then bytewise order. */
function id(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
}

function compareNumbers(actual: number, op: CheckedCompare["op"], expected: number): boolean {
  switch (op) {
    case "==":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case "<":
      return actual < expected;
    case ">":
      return actual > expected;
  }
}

function lowerBound(sorted: readonly string[], target: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** In-memory keys, revision and leases of the embedded store. */
export class KvState {
  #revision = 1;
  #lastLeaseId = 0;
  readonly #entries = new Map<string, Entry>();
  /** Every key id, sorted: the index behind ranges. */
  readonly #order: string[] = [];
  readonly #leases = new Map<LeaseId, LeaseState>();

  /** Current store revision (1 for an empty store, as in etcd). */
  get revision(): number {
    return this.#revision;
  }

  get(key: Uint8Array): KeyValue | undefined {
    return this.#entries.get(id(key));
  }

  /** Up to `limit` entries from `from` on that start with `prefix`, and whether more follow. */
  range(prefix: Uint8Array, from: Uint8Array, limit: number): { kvs: KeyValue[]; more: boolean } {
    const prefixId = id(prefix);
    const kvs: KeyValue[] = [];
    for (let i = lowerBound(this.#order, id(from)); i < this.#order.length; i++) {
      const keyId = this.#order[i] as string;
      if (!keyId.startsWith(prefixId)) break;
      if (kvs.length === limit) return { kvs, more: true };
      kvs.push(this.#entries.get(keyId) as Entry);
    }
    return { kvs, more: false };
  }

  hasLease(lease: LeaseId): boolean {
    return this.#leases.has(lease);
  }

  leaseTtl(lease: LeaseId): number | undefined {
    return this.#leases.get(lease)?.ttlSeconds;
  }

  leaseIds(): LeaseId[] {
    return [...this.#leases.keys()];
  }

  /** Evaluates one compare with etcd's rules for missing keys. */
  holds(compare: CheckedCompare): boolean {
    const entry = this.get(compare.key);
    if (compare.target === "value") {
      // etcd: a value compare against a missing key is false whatever the operator.
      if (!entry) return false;
      const order = Buffer.compare(entry.value, compare.value);
      return compareNumbers(order, compare.op, 0);
    }
    const actual = entry ? entry[compare.target] : 0;
    return compareNumbers(actual, compare.op, compare.value);
  }

  /** Plans a transaction: ops run in order, a get seeing earlier writes of its branch. */
  planTxn(
    compare: readonly CheckedCompare[],
    success: readonly CheckedOp[],
    failure: readonly CheckedOp[],
  ): TxnPlan {
    const succeeded = compare.every((c) => this.holds(c));
    const overlay = new Map<string, Entry | null>();
    const changes: KeyChange[] = [];
    const results: TxnOpResult[] = [];
    for (const op of succeeded ? success : failure) {
      results.push(this.#planOp(op, overlay, changes));
    }
    const record: KvRecord | undefined =
      changes.length > 0 ? { type: "write", revision: this.#revision + 1, changes } : undefined;
    return { succeeded, results, record };
  }

  /** Plans deleting every key under `prefix` (one revision), or nothing when none exists. */
  planDeletePrefix(prefix: Uint8Array): { deleted: number; record: KvRecord | undefined } {
    const prefixId = id(prefix);
    const changes: KeyChange[] = [];
    for (let i = lowerBound(this.#order, prefixId); i < this.#order.length; i++) {
      const keyId = this.#order[i] as string;
      if (!keyId.startsWith(prefixId)) break;
      changes.push({
        key: (this.#entries.get(keyId) as Entry).key,
        value: undefined,
        lease: undefined,
      });
    }
    if (changes.length === 0) return { deleted: 0, record: undefined };
    return {
      deleted: changes.length,
      record: { type: "write", revision: this.#revision + 1, changes },
    };
  }

  /** Plans granting a new lease. */
  planGrant(ttlSeconds: number): Extract<KvRecord, { type: "grant" }> {
    return { type: "grant", id: String(this.#lastLeaseId + 1), ttlSeconds };
  }

  /** Plans ending a lease; `lease_not_found` when it does not exist. */
  planRevoke(lease: LeaseId): KvRecord {
    const state = this.#leases.get(lease);
    if (!state) throw new KvError("lease_not_found", `lease ${lease} not found`);
    return { type: "revoke", id: lease, revision: this.#revision + (state.keys.size > 0 ? 1 : 0) };
  }

  /** Applies a record; returns the watch events it produced, in order. */
  apply(record: KvRecord): WatchEvent[] {
    switch (record.type) {
      case "write":
        return this.#applyWrite(record.revision, record.changes);
      case "grant":
        this.#applyGrant(record.id, record.ttlSeconds);
        return [];
      case "revoke":
        return this.#applyRevoke(record.id, record.revision);
    }
  }

  /** The whole state, for a snapshot. */
  image(): StateImage {
    return {
      revision: this.#revision,
      lastLeaseId: this.#lastLeaseId,
      leases: [...this.#leases].map(([lease, s]) => ({ id: lease, ttlSeconds: s.ttlSeconds })),
      entries: this.#order.map((keyId) => this.#entries.get(keyId) as Entry),
    };
  }

  /** Rebuilds a state from a snapshot image. */
  static fromImage(image: StateImage): KvState {
    const state = new KvState();
    state.#revision = image.revision;
    state.#lastLeaseId = image.lastLeaseId;
    for (const lease of image.leases)
      state.#leases.set(lease.id, { ttlSeconds: lease.ttlSeconds, keys: new Set() });
    for (const entry of image.entries) {
      const keyId = id(entry.key);
      state.#entries.set(keyId, entry);
      state.#order.push(keyId);
      if (entry.lease !== undefined) state.#leases.get(entry.lease)?.keys.add(keyId);
    }
    state.#order.sort();
    return state;
  }

  #read(key: Uint8Array, overlay: ReadonlyMap<string, Entry | null>): Entry | undefined {
    const keyId = id(key);
    const staged = overlay.get(keyId);
    if (staged !== undefined) return staged ?? undefined;
    return this.#entries.get(keyId);
  }

  #planOp(op: CheckedOp, overlay: Map<string, Entry | null>, changes: KeyChange[]): TxnOpResult {
    const current = this.#read(op.key, overlay);
    switch (op.type) {
      case "get":
        return { type: "get", kv: current };
      case "put": {
        if (op.lease !== undefined && !this.#leases.has(op.lease)) {
          throw new KvError("lease_not_found", `lease ${op.lease} not found`);
        }
        // Copies: the caller keeps its arrays and may reuse them.
        const key = new Uint8Array(op.key);
        const value = new Uint8Array(op.value);
        overlay.set(id(key), this.#nextEntry(current, key, value, op.lease, this.#revision + 1));
        changes.push({ key, value, lease: op.lease });
        return { type: "put" };
      }
      case "delete":
        if (!current) return { type: "delete", deleted: 0 };
        overlay.set(id(op.key), null);
        changes.push({ key: new Uint8Array(op.key), value: undefined, lease: undefined });
        return { type: "delete", deleted: 1 };
    }
  }

  #nextEntry(
    current: Entry | undefined,
    key: Uint8Array,
    value: Uint8Array,
    lease: LeaseId | undefined,
    revision: number,
  ): Entry {
    return {
      key,
      value,
      createRevision: current ? current.createRevision : revision,
      modRevision: revision,
      version: current ? current.version + 1 : 1,
      lease,
    };
  }

  #applyWrite(revision: number, changes: readonly KeyChange[]): WatchEvent[] {
    if (revision <= this.#revision) return []; // already in the snapshot
    const events: WatchEvent[] = [];
    for (const change of changes) {
      if (change.value === undefined) {
        if (this.#remove(change.key)) events.push({ type: "delete", revision, key: change.key });
      } else {
        const entry = this.#nextEntry(
          this.get(change.key),
          change.key,
          change.value,
          change.lease,
          revision,
        );
        this.#store(entry);
        events.push({ type: "put", revision, kv: entry });
      }
    }
    this.#revision = revision;
    return events;
  }

  #applyGrant(lease: LeaseId, ttlSeconds: number): void {
    const number = Number(lease);
    if (number <= this.#lastLeaseId) return; // already in the snapshot (maybe ended since)
    this.#lastLeaseId = number;
    this.#leases.set(lease, { ttlSeconds, keys: new Set() });
  }

  #applyRevoke(lease: LeaseId, revision: number): WatchEvent[] {
    const state = this.#leases.get(lease);
    if (!state) return []; // already ended in the snapshot
    this.#leases.delete(lease);
    if (state.keys.size === 0) return [];
    const events: WatchEvent[] = [];
    for (const keyId of [...state.keys].sort()) {
      const entry = this.#entries.get(keyId) as Entry;
      this.#remove(entry.key);
      events.push({ type: "delete", revision, key: entry.key });
    }
    this.#revision = revision;
    return events;
  }

  #store(entry: Entry): void {
    const keyId = id(entry.key);
    const previous = this.#entries.get(keyId);
    if (previous) {
      if (previous.lease !== undefined) this.#leases.get(previous.lease)?.keys.delete(keyId);
    } else {
      this.#order.splice(lowerBound(this.#order, keyId), 0, keyId);
    }
    this.#entries.set(keyId, entry);
    if (entry.lease !== undefined) this.#leases.get(entry.lease)?.keys.add(keyId);
  }

  #remove(key: Uint8Array): boolean {
    const keyId = id(key);
    const previous = this.#entries.get(keyId);
    if (!previous) return false;
    if (previous.lease !== undefined) this.#leases.get(previous.lease)?.keys.delete(keyId);
    this.#entries.delete(keyId);
    this.#order.splice(lowerBound(this.#order, keyId), 1);
    return true;
  }
}
