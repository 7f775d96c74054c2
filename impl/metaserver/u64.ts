/**
 * Compact storage of uint64 values. Almost every inode id, length and time of a partition fits
 * a JS number exactly (below 2^53), and a number field costs 4 bytes where a bigint costs a heap
 * object of about 16; so values are kept as numbers and only the rare larger ones as bigints.
 */

/** A uint64 as stored: a number when it is exact, else the bigint. */
export type StoredU64 = number | bigint;

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** Packs a uint64 for storage. */
export function storeU64(value: bigint): StoredU64 {
  return value <= MAX_EXACT ? Number(value) : value;
}

/** Unpacks a stored uint64. */
export function loadU64(value: StoredU64): bigint {
  return typeof value === "number" ? BigInt(value) : value;
}

/** A time as stored: whole seconds (a number: exact for every plausible date) and nanoseconds. */
export interface StoredTime {
  readonly seconds: number;
  readonly nanos: number;
}
