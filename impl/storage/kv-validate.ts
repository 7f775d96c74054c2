/**
 * Input checks shared by every KvStore implementation, so that both reject the same requests
 * with the same `invalid_argument` messages before anything reaches etcd or the disk.
 * Each check returns the input in its canonical (bytes) form.
 */
import { type BytesLike, hasPrefix, toBytes } from "./kv-bytes.js";
import { KvError } from "./kv-error.js";
import {
  type Compare,
  type CompareOp,
  DEFAULT_RANGE_LIMIT,
  type LeaseId,
  MAX_KEY_BYTES,
  MAX_LEASE_TTL_SECONDS,
  MAX_RANGE_LIMIT,
  MAX_REQUEST_PAYLOAD_BYTES,
  MAX_TXN_OPS,
  MAX_VALUE_BYTES,
  type RangeOptions,
  type Txn,
  type TxnOp,
} from "./kv-store.js";

/** A compare with bytes and the `absent` shorthand expanded to `version == 0`. */
export type CheckedCompare =
  | {
      readonly key: Uint8Array;
      readonly target: "value";
      readonly op: CompareOp;
      readonly value: Uint8Array;
    }
  | {
      readonly key: Uint8Array;
      readonly target: "version" | "createRevision" | "modRevision";
      readonly op: CompareOp;
      readonly value: number;
    };

/** A transaction op with bytes. */
export type CheckedOp =
  | {
      readonly type: "put";
      readonly key: Uint8Array;
      readonly value: Uint8Array;
      readonly lease: LeaseId | undefined;
    }
  | { readonly type: "delete"; readonly key: Uint8Array }
  | { readonly type: "get"; readonly key: Uint8Array };

/** A transaction with bytes and both branches present. */
export interface CheckedTxn {
  readonly compare: readonly CheckedCompare[];
  readonly success: readonly CheckedOp[];
  readonly failure: readonly CheckedOp[];
}

/** A range request in canonical form. */
export interface CheckedRange {
  readonly prefix: Uint8Array;
  readonly from: Uint8Array;
  readonly limit: number;
}

const COMPARE_OPS: ReadonlySet<string> = new Set(["==", "!=", "<", ">"]);
const NUMERIC_TARGETS: ReadonlySet<string> = new Set(["version", "createRevision", "modRevision"]);

function invalid(message: string): KvError {
  return new KvError("invalid_argument", message);
}

function bytesOf(input: unknown, what: string): Uint8Array {
  if (typeof input === "string" || input instanceof Uint8Array) return toBytes(input);
  throw invalid(`${what} must be a string or a Uint8Array, got ${typeof input}`);
}

/** A non-empty key of at most MAX_KEY_BYTES. */
export function checkKey(input: BytesLike, what = "key"): Uint8Array {
  const key = bytesOf(input, what);
  if (key.length === 0) throw invalid(`${what} must not be empty`);
  if (key.length > MAX_KEY_BYTES) {
    throw invalid(`${what} is ${key.length} bytes; the limit is ${MAX_KEY_BYTES}`);
  }
  return key;
}

/** A prefix (may be empty: every key) of at most MAX_KEY_BYTES. */
export function checkPrefix(input: BytesLike): Uint8Array {
  const prefix = bytesOf(input, "prefix");
  if (prefix.length > MAX_KEY_BYTES) {
    throw invalid(`prefix is ${prefix.length} bytes; the limit is ${MAX_KEY_BYTES}`);
  }
  return prefix;
}

/** A value (may be empty) of at most MAX_VALUE_BYTES. */
export function checkValue(input: BytesLike): Uint8Array {
  const value = bytesOf(input, "value");
  if (value.length > MAX_VALUE_BYTES) {
    throw invalid(`value is ${value.length} bytes; the limit is ${MAX_VALUE_BYTES}`);
  }
  return value;
}

/** A lease id as stores hand them out: a positive decimal integer string. */
export function checkLeaseId(id: unknown): LeaseId {
  if (typeof id !== "string" || !/^[1-9][0-9]{0,19}$/.test(id)) {
    throw invalid(`lease id must be a positive decimal string, got ${JSON.stringify(id)}`);
  }
  return id;
}

/** A lease TTL: whole seconds, 1…MAX_LEASE_TTL_SECONDS. */
export function checkTtl(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LEASE_TTL_SECONDS) {
    throw invalid(
      `lease TTL must be a whole number of seconds in 1…${MAX_LEASE_TTL_SECONDS}, got ${ttlSeconds}`,
    );
  }
  return ttlSeconds;
}

/** A watch start revision: a positive integer, or undefined for "from now". */
export function checkStartRevision(revision: number | undefined): number | undefined {
  if (revision === undefined) return undefined;
  if (!Number.isSafeInteger(revision) || revision < 1) {
    throw invalid(`startRevision must be a positive integer, got ${revision}`);
  }
  return revision;
}

/** A range request: prefix, start key inside the prefix, limit within bounds. */
export function checkRange(prefixInput: BytesLike, options: RangeOptions = {}): CheckedRange {
  const prefix = checkPrefix(prefixInput);
  const limit = options.limit ?? DEFAULT_RANGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RANGE_LIMIT) {
    throw invalid(`range limit must be an integer in 1…${MAX_RANGE_LIMIT}, got ${limit}`);
  }
  if (options.from === undefined) return { prefix, from: prefix, limit };
  const from = checkKey(options.from, "range start (from)");
  if (!hasPrefix(from, prefix)) throw invalid("range start (from) must begin with the prefix");
  return { prefix, from, limit };
}

function checkCompare(compare: Compare): CheckedCompare {
  const key = checkKey(compare.key, "compare key");
  if (compare.target === "absent") return { key, target: "version", op: "==", value: 0 };
  if (!COMPARE_OPS.has(compare.op))
    throw invalid(`unknown compare op ${JSON.stringify(compare.op)}`);
  if (compare.target === "value") {
    return { key, target: "value", op: compare.op, value: checkValue(compare.value) };
  }
  if (!NUMERIC_TARGETS.has(compare.target)) {
    throw invalid(
      `unknown compare target ${JSON.stringify((compare as { target: unknown }).target)}`,
    );
  }
  if (!Number.isSafeInteger(compare.value) || compare.value < 0) {
    throw invalid(`${compare.target} compare needs a non-negative integer, got ${compare.value}`);
  }
  return { key, target: compare.target, op: compare.op, value: compare.value };
}

function checkOp(op: TxnOp): CheckedOp {
  switch (op.type) {
    case "put":
      return {
        type: "put",
        key: checkKey(op.key),
        value: checkValue(op.value),
        lease: op.lease === undefined ? undefined : checkLeaseId(op.lease),
      };
    case "delete":
      return { type: "delete", key: checkKey(op.key) };
    case "get":
      return { type: "get", key: checkKey(op.key) };
    default:
      throw invalid(`unknown txn op type ${JSON.stringify((op as { type: unknown }).type)}`);
  }
}

function checkBranch(ops: readonly TxnOp[] | undefined, name: string): CheckedOp[] {
  if (ops === undefined) return [];
  if (!Array.isArray(ops)) throw invalid(`txn ${name} must be an array`);
  if (ops.length > MAX_TXN_OPS) {
    throw invalid(`txn ${name} has ${ops.length} ops; the limit is ${MAX_TXN_OPS}`);
  }
  const checked = ops.map(checkOp);
  // etcd refuses a branch that writes one key twice; refuse it here too so both stores agree.
  const written = new Set<string>();
  for (const op of checked) {
    if (op.type === "get") continue;
    const id = Buffer.from(op.key).toString("latin1");
    if (written.has(id)) throw invalid(`txn ${name} writes the same key twice`);
    written.add(id);
  }
  return checked;
}

function payloadBytes(txn: CheckedTxn): number {
  let total = 0;
  for (const c of txn.compare) total += c.key.length + (c.target === "value" ? c.value.length : 8);
  for (const op of [...txn.success, ...txn.failure]) {
    total += op.key.length + (op.type === "put" ? op.value.length : 0);
  }
  return total;
}

/** A transaction: bounded size, known compare targets and op types, no key written twice. */
export function checkTxn(txn: Txn): CheckedTxn {
  if (typeof txn !== "object" || txn === null || !Array.isArray(txn.compare)) {
    throw invalid("txn must be an object with a compare array");
  }
  if (txn.compare.length > MAX_TXN_OPS) {
    throw invalid(`txn has ${txn.compare.length} compares; the limit is ${MAX_TXN_OPS}`);
  }
  const checked: CheckedTxn = {
    compare: txn.compare.map(checkCompare),
    success: checkBranch(txn.success, "success"),
    failure: checkBranch(txn.failure, "failure"),
  };
  checkPayload(payloadBytes(checked));
  return checked;
}

/** Refuses a request whose keys and values add up to more than MAX_REQUEST_PAYLOAD_BYTES. */
export function checkPayload(bytes: number): void {
  if (bytes > MAX_REQUEST_PAYLOAD_BYTES) {
    throw invalid(`request carries ${bytes} bytes; the limit is ${MAX_REQUEST_PAYLOAD_BYTES}`);
  }
}
