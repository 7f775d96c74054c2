/**
 * The errors every `ObjectStore` implementation throws. Callers branch on the class (or on
 * `reason`), never on an SDK's or the file system's own error codes, so that the S3 and the
 * local store are interchangeable.
 */

/** Why an object store call failed; maps one to one onto the spec's error codes. */
export type ObjectStoreErrorReason = "not_found" | "invalid_argument" | "unavailable" | "internal";

/** Base class of all object store errors. */
export abstract class ObjectStoreError extends Error {
  abstract readonly reason: ObjectStoreErrorReason;
  /** True when the same call may succeed if repeated later (after a back-off). */
  abstract readonly retryable: boolean;
}

/** The object does not exist (get, ranged get, head). Delete never throws it. */
export class ObjectNotFoundError extends ObjectStoreError {
  override readonly name = "ObjectNotFoundError";
  readonly reason = "not_found";
  readonly retryable = false;

  constructor(
    /** The key that was asked for. */
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`object not found: ${JSON.stringify(key)}`, options);
  }
}

/**
 * The caller passed something no store can accept: a bad key or prefix, a bad range, a page
 * limit out of bounds, a continuation token this store did not issue, or a stream whose length
 * differs from the declared one. Repeating the call cannot help.
 */
export class InvalidObjectArgumentError extends ObjectStoreError {
  override readonly name = "InvalidObjectArgumentError";
  readonly reason = "invalid_argument";
  readonly retryable = false;
}

/**
 * The store could not be reached or asked us to slow down: connection refused or reset,
 * timeouts, HTTP 5xx, throttling. The call may or may not have taken effect; every operation of
 * this interface is idempotent, so repeating it after a back-off is safe.
 */
export class ObjectStoreUnavailableError extends ObjectStoreError {
  override readonly name = "ObjectStoreUnavailableError";
  readonly reason = "unavailable";
  readonly retryable = true;
}

/**
 * Any other failure: access denied, a missing bucket, a full disk, a response we do not
 * understand. Repeating the call will not help until an operator fixes something.
 */
export class ObjectStoreFailureError extends ObjectStoreError {
  override readonly name = "ObjectStoreFailureError";
  readonly reason = "internal";
  readonly retryable = false;
}
