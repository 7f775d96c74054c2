/**
 * Overload protection of one copyset (metaserver.proto: "resource_exhausted
 * ERROR_REASON_OVERLOADED: too many requests in flight"). A write is pending from its proposal
 * until the leader has applied it; when `maxPending` writes are pending, further writes are
 * refused at once with `retry_after_ms` instead of queueing behind the Raft log without bound
 * (each queued write holds its request and a promise, and its caller's deadline runs out
 * anyway). Reads are not limited: they do not grow the log.
 */
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";

export interface PendingWriteLimitOptions {
  /** The most writes pending at once, >= 1. Default 1024. */
  readonly maxPending?: number;
  /** The `retry_after_ms` of a refusal. Default 50 ms. */
  readonly retryAfterMs?: number;
}

export const DEFAULT_MAX_PENDING_WRITES = 1024;
const DEFAULT_RETRY_AFTER_MS = 50;

export class PendingWriteLimit {
  readonly maxPending: number;
  readonly retryAfterMs: number;
  #pending = 0;

  constructor(options: PendingWriteLimitOptions = {}) {
    this.maxPending = Math.max(1, options.maxPending ?? DEFAULT_MAX_PENDING_WRITES);
    this.retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  }

  /** The writes pending now. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Runs `write` as one pending write.
   * @throws CurveError OVERLOADED (with `retryAfterMs`) when the cap is reached; `write` is
   *   then not called.
   */
  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.#pending >= this.maxPending) {
      throw new CurveError(
        ErrorReason.OVERLOADED,
        `the copyset has ${this.#pending} writes pending (at most ${this.maxPending})`,
        {
          retryAfterMs: this.retryAfterMs,
          metadata: { pending_writes: String(this.#pending) },
        },
      );
    }
    this.#pending++;
    try {
      return await write();
    } finally {
      this.#pending--;
    }
  }
}
