/**
 * Cluster-wide id counters (fs, partition, chunk, server, pool, zone, copyset ids), reserved
 * from the KV in bundles (DESIGN §1): one fenced compare-and-swap hands this leader a range of
 * ids that it then gives out from memory.
 *
 * Guarantees: ids start at 1 and are never handed out twice, across restarts and leader
 * changes, because (1) the counter in the KV only grows, (2) every reservation is a transaction
 * that compares the counter's mod revision with the one read AND is fenced on the leader key,
 * and its result is checked (Curve ignored it), and (3) a bundle is used only within the term
 * of leadership that reserved it. Ids are not dense: the unused rest of a bundle is skipped
 * after a restart or a leader change.
 *
 * Value at `idCounterKey(counter)`: JSON `{"v":1,"last":"<highest reserved id>"}`.
 */
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { bytesToText } from "../storage/kv-bytes.js";
import type { KeyValue, KvStore } from "../storage/kv-store.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { idCounterKey } from "./keys.js";
import type { LeaderGate } from "./leader-gate.js";
import type { IdCounter } from "./mds-config.js";
import { kvCall } from "./storage-failure.js";

export type { IdCounter } from "./mds-config.js";

/** What an IdAllocator needs. */
export interface IdAllocatorOptions {
  readonly kv: KvStore;
  readonly gate: LeaderGate;
  /** Ids reserved per KV write, per counter (mds-config.ts `idBundleSizes`). */
  readonly bundleSizes: Readonly<Record<IdCounter, number>>;
}

interface Bundle {
  /** The next id to hand out. */
  next: bigint;
  /** The last id reserved (inclusive). */
  readonly last: bigint;
  /** The term that reserved it: the bundle dies with it. */
  readonly term: AbortSignal;
}

/** A reservation is retried this often when another writer moved the counter meanwhile. */
const MAX_RESERVE_ATTEMPTS = 8;
const VALUE_VERSION = 1;

/** Hands out fresh ids from the KV counters. */
export class IdAllocator {
  readonly #kv: KvStore;
  readonly #gate: LeaderGate;
  readonly #bundleSizes: Readonly<Record<IdCounter, number>>;
  readonly #bundles = new Map<IdCounter, Bundle>();
  /** Calls per counter run one at a time, so a bundle is never handed out twice in memory. */
  readonly #queue = new KeyedMutex<IdCounter>();

  constructor(options: IdAllocatorOptions) {
    this.#kv = options.kv;
    this.#gate = options.gate;
    this.#bundleSizes = options.bundleSizes;
  }

  /**
   * The first of `count` fresh ids of `counter`; the caller owns `first … first + count - 1`.
   * Fails with NOT_LEADER when this MDS does not lead, STORAGE_FAILURE when the KV fails.
   */
  next(counter: IdCounter, count = 1): Promise<bigint> {
    if (!Number.isSafeInteger(count) || count < 1) {
      return Promise.reject(new RangeError(`id count must be a positive integer: ${count}`));
    }
    return this.#queue.run(counter, () => this.#take(counter, BigInt(count)));
  }

  async #take(counter: IdCounter, count: bigint): Promise<bigint> {
    const term = this.#gate.signal;
    let bundle = this.#bundles.get(counter);
    if (bundle && (bundle.term !== term || term.aborted)) bundle = undefined;
    if (!bundle || bundle.next + count - 1n > bundle.last) {
      bundle = await this.#reserve(counter, count, term, bundle);
      this.#bundles.set(counter, bundle);
    }
    const first = bundle.next;
    bundle.next += count;
    return first;
  }

  /** Reserves a new bundle holding at least `count` ids, continuing `current` when possible. */
  async #reserve(
    counter: IdCounter,
    count: bigint,
    term: AbortSignal,
    current: Bundle | undefined,
  ): Promise<Bundle> {
    const key = idCounterKey(counter);
    const size = BigInt(Math.max(1, this.#bundleSizes[counter]));
    for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
      if (term.aborted) throw new CurveError(ErrorReason.NOT_LEADER, "leadership ended");
      const found = await kvCall(() => this.#kv.get(key));
      const stored = found ? parseCounter(found) : 0n;
      // Our own bundle is still the latest reservation: keep handing out from where it stands.
      const start = current && stored === current.last ? current.next : stored + 1n;
      const last = start + (count > size ? count : size) - 1n;
      const result = await this.#gate.txn({
        compare: [
          found
            ? { key, target: "modRevision", op: "==", value: found.modRevision }
            : { key, target: "absent" },
        ],
        success: [{ type: "put", key, value: encodeCounter(last) }],
      });
      if (result.succeeded) return { next: start, last, term };
    }
    throw new CurveError(
      ErrorReason.STORAGE_FAILURE,
      `could not reserve ${counter} ids: the counter kept changing`,
    );
  }
}

function encodeCounter(last: bigint): string {
  return JSON.stringify({ v: VALUE_VERSION, last: last.toString() });
}

function parseCounter(kv: KeyValue): bigint {
  try {
    const parsed = JSON.parse(bytesToText(kv.value)) as { v?: unknown; last?: unknown };
    if (
      parsed.v === VALUE_VERSION &&
      typeof parsed.last === "string" &&
      /^\d+$/.test(parsed.last)
    ) {
      return BigInt(parsed.last);
    }
  } catch {
    // fall through: reported below
  }
  throw new CurveError(ErrorReason.INTERNAL, `id counter ${bytesToText(kv.key)} is corrupt`);
}
