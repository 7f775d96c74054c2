import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, classifyFailure, RetryBudget } from "../../impl/client/retry-policy.js";
import { ErrorInfoSchema, ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";

function failure(
  code: Code,
  reason?: ErrorReason,
  extra: { leaderHint?: string; retryAfterMs?: number } = {},
) {
  const details =
    reason === undefined
      ? []
      : [{ desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason, ...extra }) }];
  return new ConnectError("failed", code, undefined, details);
}

describe("classifyFailure", () => {
  it("follows the leader hint of NOT_LEADER at once", () => {
    expect(
      classifyFailure(
        failure(Code.Unavailable, ErrorReason.NOT_LEADER, { leaderHint: "10.0.0.2:6701" }),
        false,
      ),
    ).toEqual({ kind: "redirect", leaderHint: "10.0.0.2:6701" });
  });

  it("tries another replica for unavailable without a hint, and for a refused connection", () => {
    expect(classifyFailure(failure(Code.Unavailable, ErrorReason.LEADER_UNKNOWN), false)).toEqual({
      kind: "elsewhere",
    });
    expect(classifyFailure(failure(Code.Unavailable), false)).toEqual({ kind: "elsewhere" });
  });

  it("honours retry_after_ms of OVERLOADED", () => {
    expect(
      classifyFailure(
        failure(Code.ResourceExhausted, ErrorReason.OVERLOADED, { retryAfterMs: 250 }),
        false,
      ),
    ).toEqual({ kind: "wait", afterMs: 250 });
  });

  it("never retries a request over the read limit (resource_exhausted without ErrorInfo)", () => {
    expect(classifyFailure(failure(Code.ResourceExhausted), true)).toEqual({ kind: "final" });
  });

  it("refreshes the route when a metaserver does not know the partition", () => {
    expect(classifyFailure(failure(Code.NotFound, ErrorReason.PARTITION_NOT_FOUND), true)).toEqual({
      kind: "refresh-route",
    });
  });

  it.each([
    [Code.InvalidArgument, ErrorReason.INVALID_ARGUMENT],
    [Code.NotFound, ErrorReason.DENTRY_NOT_FOUND],
    [Code.AlreadyExists, ErrorReason.DENTRY_ALREADY_EXISTS],
    [Code.FailedPrecondition, ErrorReason.PARTITION_READ_ONLY],
    [Code.Aborted, ErrorReason.TX_CONFLICT],
    [Code.DeadlineExceeded, ErrorReason.TX_LOCK_TIMEOUT],
  ])("treats code %s with its reason as final", (code, reason) => {
    expect(classifyFailure(failure(code, reason), true)).toEqual({ kind: "final" });
  });

  it("repeats an unanswered (timed out) call only when it is idempotent", () => {
    expect(classifyFailure(failure(Code.DeadlineExceeded), true)).toEqual({ kind: "elsewhere" });
    expect(classifyFailure(failure(Code.DeadlineExceeded), false)).toEqual({ kind: "final" });
  });

  it("does not retry errors that are not RPC failures", () => {
    expect(classifyFailure(new Error("bug"), true)).toEqual({ kind: "final" });
  });
});

describe("backoff", () => {
  it("grows exponentially up to the cap, with jitter between half and all of the step", () => {
    const options = { baseDelayMs: 10, maxDelayMs: 100 };
    expect(backoffDelayMs(0, options, () => 0)).toBe(5);
    expect(backoffDelayMs(0, options, () => 1)).toBe(10);
    expect(backoffDelayMs(3, options, () => 1)).toBe(80);
    expect(backoffDelayMs(10, options, () => 0)).toBe(50);
    expect(backoffDelayMs(10, options, () => 1)).toBe(100);
  });

  it("a budget stops after its attempts or its time and waits at least retry_after_ms", () => {
    let now = 0;
    const budget = new RetryBudget(
      { maxAttempts: 3, budgetMs: 1000, baseDelayMs: 10 },
      () => now,
      () => 0,
    );
    expect(budget.spend()).toBe(true);
    expect(budget.nextBackoffMs(500)).toBe(500);
    expect(budget.nextBackoffMs()).toBe(10);
    expect(budget.spend()).toBe(true);
    expect(budget.spend()).toBe(false);

    const timed = new RetryBudget({ maxAttempts: 100, budgetMs: 1000 }, () => now);
    now = 1000;
    expect(timed.spend()).toBe(false);
  });
});
