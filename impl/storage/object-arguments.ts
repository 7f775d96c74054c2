import { type ByteRange, MAX_LIST_LIMIT } from "./object-store.js";
import { InvalidObjectArgumentError } from "./object-store-errors.js";

/** The bytes `[start, end)` a ranged read returns, after truncation at the end of the object. */
export interface ResolvedRange {
  readonly start: number;
  readonly end: number;
}

/** Throws `InvalidObjectArgumentError` unless offset and length are non-negative safe integers. */
export function validateRange(range: ByteRange): void {
  for (const [name, value] of [
    ["offset", range.offset],
    ["length", range.length],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidObjectArgumentError(
        `range ${name} must be a non-negative integer: ${value}`,
      );
    }
  }
}

/**
 * Applies the range contract of `ObjectStore.get` to an object of `size` bytes: truncate at the
 * end, refuse a start past the end.
 */
export function resolveRange(key: string, range: ByteRange, size: number): ResolvedRange {
  if (range.offset > size) {
    throw new InvalidObjectArgumentError(
      `range offset ${range.offset} is past the end of ${JSON.stringify(key)} (${size} bytes)`,
    );
  }
  return { start: range.offset, end: Math.min(size, range.offset + range.length) };
}

/** The page size to use for a listing; throws unless `limit` is 1..MAX_LIST_LIMIT. */
export function resolveListLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new InvalidObjectArgumentError(`list limit must be 1..${MAX_LIST_LIMIT}: ${limit}`);
  }
  return limit;
}

/** Throws unless a declared stream length is a non-negative safe integer. */
export function validateDeclaredLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidObjectArgumentError(`stream length must be a non-negative integer: ${length}`);
  }
}
