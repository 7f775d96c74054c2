/**
 * When and how the SDK retries a failed call (error.proto, "Retry guidance"). Pure: the loop
 * that sleeps and calls lives in replica-call.ts.
 *
 * - `unavailable` is retried: at `ErrorInfo.leader_hint` when the server named the leader
 *   (NOT_LEADER, LEADER_TRANSFERRING), otherwise at another replica after a backoff. A call
 *   that never reached a handler (connection refused, reset) is the same case.
 * - `resource_exhausted` with an ErrorInfo (OVERLOADED) is retried at the same server after
 *   `retry_after_ms`, or after the backoff when that is longer. Without an ErrorInfo it is a
 *   request over the server's read limit: final.
 * - PARTITION_NOT_FOUND, GROUP_NOT_FOUND and COPYSET_NOT_FOUND from a metaserver mean the
 *   client's route is stale: refresh it from the MDS and retry.
 * - A transport deadline (no ErrorInfo) is retried elsewhere only for calls that are safe to
 *   repeat; every other code — `invalid_argument`, `not_found`, `already_exists`,
 *   `failed_precondition`, `aborted`, … — is final for the same request.
 *
 * Backoff is exponential with "equal jitter": attempt n waits between half and all of
 * min(max, base · 2^n), so clients that failed together do not retry together.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { errorInfoOf } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";

export interface RetryOptions {
  /** First backoff step, in ms. Default 50. */
  readonly baseDelayMs?: number;
  /** Largest backoff step, in ms. Default 2000. */
  readonly maxDelayMs?: number;
  /** Attempts per call, the first included. Default 40. */
  readonly maxAttempts?: number;
  /** Time budget of one call with all its retries, in ms. Default 60000. */
  readonly budgetMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  baseDelayMs: 50,
  maxDelayMs: 2000,
  maxAttempts: 40,
  budgetMs: 60_000,
};

/** What to do after a failed attempt. */
export type RetryDecision =
  | { readonly kind: "final" }
  /** Go to the named leader at once. */
  | { readonly kind: "redirect"; readonly leaderHint: string }
  /** This replica cannot serve now: try another one (after a backoff once all were tried). */
  | { readonly kind: "elsewhere" }
  /** The server is overloaded: wait at least `afterMs`, then retry it. */
  | { readonly kind: "wait"; readonly afterMs: number }
  /** The route (partition → copyset → members) is stale: refresh it, then retry. */
  | { readonly kind: "refresh-route" };

const STALE_ROUTE = new Set<ErrorReason>([
  ErrorReason.PARTITION_NOT_FOUND,
  ErrorReason.GROUP_NOT_FOUND,
  ErrorReason.COPYSET_NOT_FOUND,
]);

/** Transport failures below any handler that another replica may not have. */
const TRANSPORT_RETRYABLE = new Set<Code>([Code.Unavailable, Code.Canceled, Code.Aborted]);

/**
 * Classifies a failed attempt. `idempotent` says whether the call may be repeated after a
 * transport deadline, when it is unknown whether the server applied it.
 */
export function classifyFailure(error: unknown, idempotent: boolean): RetryDecision {
  if (!(error instanceof ConnectError)) return { kind: "final" };
  const info = errorInfoOf(error);
  if (info === undefined) {
    if (TRANSPORT_RETRYABLE.has(error.code)) return { kind: "elsewhere" };
    if (error.code === Code.DeadlineExceeded && idempotent) return { kind: "elsewhere" };
    return { kind: "final" };
  }
  if (STALE_ROUTE.has(info.reason)) return { kind: "refresh-route" };
  if (error.code === Code.Unavailable) {
    return info.leaderHint
      ? { kind: "redirect", leaderHint: info.leaderHint }
      : { kind: "elsewhere" };
  }
  if (error.code === Code.ResourceExhausted && info.reason === ErrorReason.OVERLOADED) {
    return { kind: "wait", afterMs: info.retryAfterMs };
  }
  return { kind: "final" };
}

/** The pause before retry number `attempt` (0 for the first retry), with equal jitter. */
export function backoffDelayMs(
  attempt: number,
  options: RetryOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const step = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return step / 2 + random() * (step / 2);
}

/** Counts the attempts and the time of one call against its limits. */
export class RetryBudget {
  readonly #options: Required<RetryOptions>;
  readonly #startedAt: number;
  #attempts = 0;
  #backoffs = 0;

  constructor(
    options: RetryOptions = {},
    readonly now: () => number = Date.now,
    readonly random: () => number = Math.random,
  ) {
    this.#options = { ...DEFAULT_RETRY, ...options };
    this.#startedAt = now();
  }

  /** Records one failed attempt; false when the call must give up. */
  spend(): boolean {
    this.#attempts += 1;
    return (
      this.#attempts < this.#options.maxAttempts &&
      this.now() - this.#startedAt < this.#options.budgetMs
    );
  }

  /** The next backoff pause; each call grows the step. `atLeastMs` honours retry_after_ms. */
  nextBackoffMs(atLeastMs = 0): number {
    const delay = backoffDelayMs(this.#backoffs, this.#options, this.random);
    this.#backoffs += 1;
    return Math.max(delay, atLeastMs);
  }
}
