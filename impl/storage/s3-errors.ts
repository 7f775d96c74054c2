import {
  InvalidObjectArgumentError,
  ObjectNotFoundError,
  ObjectStoreError,
  ObjectStoreFailureError,
  ObjectStoreUnavailableError,
} from "./object-store-errors.js";

/** S3 error codes (the SDK's `error.name`) that mean "the object is not there". */
const NOT_FOUND_CODES = new Set(["NoSuchKey", "NotFound"]);

/** S3 error codes for a key or argument the server refuses although it passed our checks. */
const INVALID_ARGUMENT_CODES = new Set(["KeyTooLongError", "XMinioInvalidObjectName"]);

/**
 * S3 error codes that mean "slow down" or "try again": those the SDK itself treats as throttling
 * or transient, plus MinIO's "still starting" code.
 */
const RETRYABLE_CODES = new Set([
  "BandwidthLimitExceeded",
  "InternalError",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "TimeoutError",
  "TooManyRequestsException",
  "XMinioServerNotInitialized",
]);

/** Socket-level failures: the server is down, unreachable, or dropped the connection. */
const NETWORK_CODES = new Set([
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
]);

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
  readonly errors?: readonly unknown[];
}

/**
 * Turns whatever the S3 SDK threw into an `ObjectStoreError`. `key` names the object the call
 * was about, for not-found errors; a bucket-level 404 (NoSuchBucket) is a failure, because the
 * fix is configuration, not a retry.
 */
export function toObjectStoreError(error: unknown, key?: string): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const message = `S3: ${describe(shape)}`;
  if (key !== undefined && NOT_FOUND_CODES.has(shape.name ?? "")) {
    return new ObjectNotFoundError(key, { cause: error });
  }
  if (INVALID_ARGUMENT_CODES.has(shape.name ?? "")) {
    return new InvalidObjectArgumentError(message, { cause: error });
  }
  if (isRetryable(shape, 0)) return new ObjectStoreUnavailableError(message, { cause: error });
  return new ObjectStoreFailureError(message, { cause: error });
}

/** The error for one key that a DeleteObjects response reports as not deleted. */
export function batchDeleteError(
  code: string | undefined,
  message: string | undefined,
): ObjectStoreError {
  const text = `S3 DeleteObjects: ${code ?? "UnknownError"}: ${message || "(no message)"}`;
  return RETRYABLE_CODES.has(code ?? "")
    ? new ObjectStoreUnavailableError(text)
    : new ObjectStoreFailureError(text);
}

function isRetryable(error: SdkErrorShape, depth: number): boolean {
  const status = error.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 || status === 429) return true;
  if (RETRYABLE_CODES.has(error.name ?? "") || NETWORK_CODES.has(error.code ?? "")) return true;
  // Node wraps connection failures (AggregateError from happy eyeballs, undici causes).
  if (depth > 5) return false;
  const nested = [error.cause, ...(error.errors ?? [])].filter((e) => typeof e === "object" && e);
  return nested.some((e) => isRetryable(e as SdkErrorShape, depth + 1));
}

function describe(error: SdkErrorShape): string {
  const status = error.$metadata?.httpStatusCode;
  const parts = [error.name, error.code, status && `HTTP ${status}`].filter(Boolean);
  return `${parts.join(" ")}: ${error.message || "(no message)"}`;
}
