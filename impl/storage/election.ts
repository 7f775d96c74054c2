/**
 * Leader election on any KvStore (etcd or embedded alike), written once against the interface.
 *
 * The recipe is etcd's concurrency one: each candidate creates `<prefix><lease id>` bound to its
 * lease; the candidate whose key has the lowest create revision leads; the others each watch the
 * key just before theirs and re-check when it goes. What this adds over the `etcd3` recipe (which
 * has a reported two-leaders case after an etcd restart):
 *
 * - A leader learns it is deposed: `Leadership.lost` aborts when its lease is lost (the store
 *   said so, or no keep-alive was confirmed within a TTL — see ManagedLease), or when its key is
 *   deleted or replaced, or when it resigns.
 * - Writes are fenced: `Leadership.txn` adds a compare on the leader's own key and create
 *   revision, so the store refuses the write of a leader that has been replaced, whatever that
 *   leader believes. This is the guarantee; the signal only makes the leader stop sooner.
 */
import { type BytesLike, bytesEqual, concatBytes, toBytes } from "./kv-bytes.js";
import { isKvError, KvError } from "./kv-error.js";
import type { KeyValue, KvStore, Lease, LeaseId, Txn, TxnResult, Watch } from "./kv-store.js";
import { checkPrefix } from "./kv-validate.js";

/** Options of an Election. */
export interface ElectionOptions {
  /** TTL of the lease a candidate gets when it brings none. Default 5 s (DESIGN §1). */
  readonly ttlSeconds?: number;
}

/** Options of one campaign. */
export interface CampaignOptions {
  /**
   * Campaign with this lease instead of a new one. The caller then owns it: resigning or
   * failing does not revoke it. Default: a new lease of the election's TTL, kept alive.
   */
  readonly lease?: Lease;
  /** Abandons the campaign (and withdraws the candidacy) while waiting for the turn. */
  readonly signal?: AbortSignal;
}

/** Who leads. */
export interface LeaderInfo {
  readonly key: Uint8Array;
  /** The value the leader campaigned with (for the MDS: its advertised address). */
  readonly value: Uint8Array;
  /** Create revision of the leader's key: identifies this term of leadership. */
  readonly createRevision: number;
  readonly lease: LeaseId | undefined;
}

/** A running observation of the leader. */
export interface LeaderObservation {
  cancel(): Promise<void>;
}

const DEFAULT_TTL_SECONDS = 5;
/** When the store cannot be read while observing, try again after this long. */
const OBSERVE_RETRY_MS = 500;

interface Candidate {
  readonly kv: KeyValue;
  /** Revision of the page that listed it: watch from just after it to miss nothing. */
  readonly seenAt: number;
}

function toLeaderInfo(kv: KeyValue): LeaderInfo {
  return { key: kv.key, value: kv.value, createRevision: kv.createRevision, lease: kv.lease };
}

function sameLeader(a: LeaderInfo | undefined, b: LeaderInfo | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.createRevision === b.createRevision &&
    bytesEqual(a.key, b.key) &&
    bytesEqual(a.value, b.value)
  );
}

function notLeader(message: string, cause?: unknown): KvError {
  return new KvError("not_leader", message, { cause });
}

/** An election among the processes that campaign under one key prefix. */
export class Election {
  readonly #store: KvStore;
  readonly #prefix: Uint8Array;
  readonly #ttlSeconds: number;

  constructor(store: KvStore, prefix: BytesLike, options: ElectionOptions = {}) {
    this.#prefix = checkPrefix(prefix);
    if (this.#prefix.length === 0) {
      throw new KvError("invalid_argument", "election prefix must not be empty");
    }
    this.#store = store;
    this.#ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  }

  /**
   * Becomes a candidate with `value` and resolves once this candidate leads. Rejects when the
   * signal aborts, the lease is lost while waiting, or the store fails (then the candidacy is
   * withdrawn and the caller may campaign again).
   */
  async campaign(value: BytesLike, options: CampaignOptions = {}): Promise<Leadership> {
    const lease = options.lease ?? (await this.#store.grantLease(this.#ttlSeconds));
    const key = concatBytes(this.#prefix, toBytes(lease.id));
    let createRevision: number | undefined;
    try {
      createRevision = await this.#register(key, value, lease.id);
      const seenAt = await this.#waitForTurn(key, createRevision, lease, options.signal);
      return await Leadership.start({
        store: this.#store,
        key,
        value: toBytes(value),
        createRevision,
        lease,
        ownsLease: options.lease === undefined,
        watchFrom: seenAt + 1,
      });
    } catch (error) {
      await this.#withdraw(key, createRevision, lease, options.lease === undefined);
      throw error;
    }
  }

  /** The current leader, or undefined when nobody campaigns. */
  async leader(): Promise<LeaderInfo | undefined> {
    let first: KeyValue | undefined;
    for (const { kv } of await this.#candidates()) {
      if (!first || kv.createRevision < first.createRevision) first = kv;
    }
    return first && toLeaderInfo(first);
  }

  /**
   * Calls `listener` with the current leader (undefined: none) and then on every change, in
   * order, until cancelled. Unlike etcd3's observer, the first value is always delivered.
   */
  async observe(listener: (leader: LeaderInfo | undefined) => void): Promise<LeaderObservation> {
    let active = true;
    let last: LeaderInfo | undefined | null = null; // null: nothing delivered yet
    let running = false;
    let dirty = false;
    const refresh = async (): Promise<void> => {
      dirty = true;
      if (running) return;
      running = true;
      while (dirty && active) {
        dirty = false;
        try {
          const leader = await this.leader();
          if (active && (last === null || !sameLeader(last, leader))) {
            last = leader;
            listener(leader);
          }
        } catch {
          setTimeout(() => void refresh(), OBSERVE_RETRY_MS).unref();
        }
      }
      running = false;
    };
    const watch = await this.#store.watch(this.#prefix, () => void refresh());
    await refresh();
    return {
      cancel: async () => {
        active = false;
        await watch.cancel();
      },
    };
  }

  /** Creates the candidate key (or adopts it, when a retry finds it) and returns its revision. */
  async #register(key: Uint8Array, value: BytesLike, lease: LeaseId): Promise<number> {
    const created = await this.#store.txn({
      compare: [{ key, target: "absent" }],
      success: [{ type: "put", key, value, lease }],
      failure: [{ type: "get", key }],
    });
    if (created.succeeded) return created.revision;
    const existing = created.results[0]?.type === "get" ? created.results[0].kv : undefined;
    if (!existing) throw new KvError("internal", "election: candidate key vanished while created");
    // Same lease, same key: an earlier attempt whose answer was lost. Keep its place in line.
    const updated = await this.#store.txn({
      compare: [{ key, target: "createRevision", op: "==", value: existing.createRevision }],
      success: [{ type: "put", key, value, lease }],
    });
    if (!updated.succeeded)
      throw new KvError("unavailable", "election: candidate key changed; retry");
    return existing.createRevision;
  }

  /** Every candidate, across pages. */
  async #candidates(): Promise<Candidate[]> {
    const candidates: Candidate[] = [];
    let from: Uint8Array | undefined;
    do {
      const page = await this.#store.range(this.#prefix, from ? { from } : {});
      for (const kv of page.kvs) candidates.push({ kv, seenAt: page.revision });
      from = page.next;
    } while (from);
    return candidates;
  }

  /** Waits until no candidate is ahead of ours; returns the revision at which that was seen. */
  async #waitForTurn(
    key: Uint8Array,
    mine: number,
    lease: Lease,
    signal?: AbortSignal,
  ): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      if (lease.lost.aborted) throw lease.lost.reason;
      const candidates = await this.#candidates();
      const self = candidates.find((c) => bytesEqual(c.kv.key, key));
      if (!self || self.kv.createRevision !== mine) {
        throw new KvError("lease_not_found", "election: our candidacy vanished (lease expired?)");
      }
      let ahead: Candidate | undefined;
      for (const c of candidates) {
        if (c.kv.createRevision < mine && (!ahead || c.kv.createRevision > ahead.kv.createRevision))
          ahead = c;
      }
      if (!ahead) return self.seenAt;
      await this.#waitForDeletion(ahead, lease, signal);
    }
  }

  /** Resolves when `candidate`'s key is deleted (or history ran out: then the caller re-checks). */
  #waitForDeletion(candidate: Candidate, lease: Lease, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let watch: Watch | undefined;
      let done = false;
      const finish = (error?: unknown): void => {
        if (done) return;
        done = true;
        signal?.removeEventListener("abort", onAbort);
        lease.lost.removeEventListener("abort", onLost);
        void watch?.cancel();
        if (error === undefined || isKvError(error, "compacted")) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(signal?.reason);
      const onLost = (): void => finish(lease.lost.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      lease.lost.addEventListener("abort", onLost, { once: true });
      const key = candidate.kv.key;
      this.#store
        .watch(
          key,
          (event) => {
            if (event.type === "delete" && bytesEqual(event.key, key)) finish();
          },
          { startRevision: candidate.seenAt + 1, onError: finish },
        )
        .then((w) => {
          watch = w;
          if (done) void w.cancel();
        }, finish);
    });
  }

  async #withdraw(
    key: Uint8Array,
    createRevision: number | undefined,
    lease: Lease,
    ownsLease: boolean,
  ): Promise<void> {
    if (ownsLease) {
      await lease.revoke().catch(() => undefined);
    } else if (createRevision !== undefined) {
      await this.#store
        .txn({
          compare: [{ key, target: "createRevision", op: "==", value: createRevision }],
          success: [{ type: "delete", key }],
        })
        .catch(() => undefined);
    }
  }
}

/** What Leadership.start needs. */
interface LeadershipParts {
  readonly store: KvStore;
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly createRevision: number;
  readonly lease: Lease;
  readonly ownsLease: boolean;
  /** Watch the leader key from this revision on (just after leadership was confirmed). */
  readonly watchFrom: number;
}

/** This process leads. Stop acting as leader as soon as `lost` aborts. */
export class Leadership {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  /** Create revision of the leader key: the fencing token of this term. */
  readonly createRevision: number;
  readonly lease: Lease;
  readonly #store: KvStore;
  readonly #ownsLease: boolean;
  readonly #lost = new AbortController();
  #watch: Watch | undefined;

  private constructor(parts: LeadershipParts) {
    this.#store = parts.store;
    this.key = parts.key;
    this.value = parts.value;
    this.createRevision = parts.createRevision;
    this.lease = parts.lease;
    this.#ownsLease = parts.ownsLease;
  }

  /** Starts watching what could depose the new leader; internal to Election.campaign. */
  static async start(parts: LeadershipParts): Promise<Leadership> {
    const leadership = new Leadership(parts);
    await leadership.#monitor(parts.watchFrom);
    return leadership;
  }

  /**
   * Aborted (reason: a `not_leader` KvError) when this process no longer leads: lease lost,
   * leader key deleted or replaced, monitoring failed, or resigned.
   */
  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  /**
   * Runs `txn` only if this process still leads, atomically: the store checks the leader key's
   * create revision in the same transaction. Rejects with `not_leader` (and aborts `lost`) when
   * it does not lead. The fence takes one compare and one failure op of the MAX_TXN_OPS budget.
   */
  async txn(txn: Txn): Promise<TxnResult> {
    const result = await this.#store.txn({
      compare: [
        ...txn.compare,
        { key: this.key, target: "createRevision", op: "==", value: this.createRevision },
      ],
      success: txn.success,
      failure: [...(txn.failure ?? []), { type: "get", key: this.key }],
    });
    if (result.succeeded) return result;
    const probe = result.results[result.results.length - 1];
    if (probe?.type !== "get" || probe.kv?.createRevision !== this.createRevision) {
      const error = notLeader("fenced write refused: this process is no longer the leader");
      this.#end(error);
      throw error;
    }
    return { ...result, results: result.results.slice(0, -1) };
  }

  /** Stops leading and hands over: `lost` aborts first, then the leader key goes. */
  async resign(): Promise<void> {
    this.#end(notLeader("resigned"));
    await this.#store.txn({
      compare: [{ key: this.key, target: "createRevision", op: "==", value: this.createRevision }],
      success: [{ type: "delete", key: this.key }],
    });
    if (this.#ownsLease) await this.lease.revoke();
  }

  async #monitor(from: number): Promise<void> {
    const lease = this.lease;
    if (lease.lost.aborted)
      throw notLeader("lease lost before leadership began", lease.lost.reason);
    lease.lost.addEventListener(
      "abort",
      () => this.#end(notLeader("leader lease lost", lease.lost.reason)),
      {
        once: true,
      },
    );
    this.#watch = await this.#store.watch(
      this.key,
      (event) => {
        if (!bytesEqual(event.type === "put" ? event.kv.key : event.key, this.key)) return;
        if (event.type === "delete") this.#end(notLeader("leader key deleted"));
        else if (event.kv.createRevision !== this.createRevision)
          this.#end(notLeader("leader key replaced"));
      },
      {
        startRevision: from,
        onError: (error) => this.#end(notLeader("cannot watch the leader key", error)),
      },
    );
    if (this.#lost.signal.aborted) void this.#watch.cancel();
  }

  #end(reason: KvError): void {
    if (this.#lost.signal.aborted) return;
    this.#lost.abort(reason);
    void this.#watch?.cancel();
  }
}
