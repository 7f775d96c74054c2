/**
 * What went wrong in a KvStore call, as a small closed set that callers can branch on.
 *
 * - `invalid_argument`: the request can never succeed as given (empty or oversized key, bad TTL…).
 * - `unavailable`: the store could not be reached or did not answer in time. Retryable; a write
 *   that fails this way may or may not have been applied, so retries must be idempotent (compares).
 * - `lease_not_found`: the lease expired, was revoked, or never existed.
 * - `compacted`: a watch asked for history the store no longer keeps.
 * - `not_leader`: a fenced write was refused because the writer is no longer the leader.
 * - `closed`: the store (client) was closed by its owner.
 * - `corrupt`: persisted data failed a checksum; never retried, never silently dropped.
 * - `internal`: anything else (a bug, an unexpected server answer, a disk error).
 */
export type KvErrorKind =
  | "invalid_argument"
  | "unavailable"
  | "lease_not_found"
  | "compacted"
  | "not_leader"
  | "closed"
  | "corrupt"
  | "internal";

/** The one error type every KvStore implementation (and the election on top) throws. */
export class KvError extends Error {
  override readonly name = "KvError";

  constructor(
    readonly kind: KvErrorKind,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when the same call may succeed later (the store was unreachable or busy). */
  get retryable(): boolean {
    return this.kind === "unavailable";
  }
}

/** Narrows `error` to a KvError, optionally of one kind. */
export function isKvError(error: unknown, kind?: KvErrorKind): error is KvError {
  return error instanceof KvError && (kind === undefined || error.kind === kind);
}
