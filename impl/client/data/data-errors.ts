/**
 * The errors of the data path. Object store failures become `CurveError` STORAGE_FAILURE
 * (`internal`), with the key and the store's own reason in the metadata so an operator can find
 * the object; whether the store said the failure is retryable is kept in `retryable`.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { ObjectNotFoundError, ObjectStoreError } from "../../storage/object-store-errors.js";

/** An object store call of the data path failed. */
export function objectStoreFailure(
  action: "store" | "read",
  key: string,
  error: unknown,
): CurveError {
  const storeReason = error instanceof ObjectStoreError ? error.reason : "unknown";
  const retryable = error instanceof ObjectStoreError && error.retryable;
  const what =
    error instanceof ObjectNotFoundError
      ? `object ${key} named by a chunk info is missing`
      : `could not ${action} object ${key}: ${error instanceof Error ? error.message : String(error)}`;
  return new CurveError(ErrorReason.STORAGE_FAILURE, what, {
    metadata: { object_key: key, object_store_reason: storeReason, retryable: String(retryable) },
    cause: error,
  });
}

/** An object holds fewer bytes than the chunk info that names it says. */
export function objectTooShort(key: string, expected: number, actual: number): CurveError {
  return new CurveError(
    ErrorReason.STORAGE_FAILURE,
    `object ${key} is shorter than its chunk info says: wanted ${expected} bytes, got ${actual}`,
    { metadata: { object_key: key } },
  );
}

/** A bad offset or length from the caller. */
export function invalidRange(what: string, value: number): CurveError {
  return new CurveError(
    ErrorReason.INVALID_ARGUMENT,
    `${what} must be a non-negative integer up to 2^53 - 1, got ${value}`,
  );
}

/** An operation on a handle after `close`. */
export function handleClosed(inodeId: bigint): CurveError {
  return new CurveError(
    ErrorReason.INVALID_ARGUMENT,
    `the data handle of inode ${inodeId} is closed`,
  );
}
