import type { BytesLike } from "./kv-bytes.js";
import type { KeyValue, KvStore, LeaseId, TxnOpResult } from "./kv-store.js";

/** What a compare-and-swap reports. */
export interface CasResult {
  /** True when the key held `expected` and now holds the new value. */
  readonly won: boolean;
  /** Store revision after the attempt (the revision of the new value when won). */
  readonly revision: number;
  /** When lost: the key as it was found (undefined when absent), to retry from. */
  readonly current: KeyValue | undefined;
}

/** Options of a compare-and-swap. */
export interface CasOptions {
  /** Binds the new value to this lease. */
  readonly lease?: LeaseId;
}

/**
 * Sets `key` to `next` only if it currently holds `expected` (`undefined` = the key is absent),
 * in one transaction, and says whether this call won. Counters reserved in bundles (fs ids, chunk
 * ids; DESIGN §1) are built on this: a writer that lost retries from `current`.
 */
export async function compareAndSwap(
  store: KvStore,
  key: BytesLike,
  expected: BytesLike | undefined,
  next: BytesLike,
  options: CasOptions = {},
): Promise<CasResult> {
  const result = await store.txn({
    compare: [
      expected === undefined
        ? { key, target: "absent" }
        : { key, target: "value", op: "==", value: expected },
    ],
    success: [{ type: "put", key, value: next, ...options }],
    failure: [{ type: "get", key }],
  });
  if (result.succeeded) return { won: true, revision: result.revision, current: undefined };
  return { won: false, revision: result.revision, current: foundKv(result.results[0]) };
}

function foundKv(result: TxnOpResult | undefined): KeyValue | undefined {
  return result?.type === "get" ? result.kv : undefined;
}
