/**
 * The retry loop against a scripted replica group: each "server" answers from a script (a fake
 * transport, so these are unit tests of the loop's logic; real servers are in the integration
 * tests).
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { callReplicated, type ReplicaGroup } from "../../impl/client/replica-call.js";
import { ErrorInfoSchema, ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";

const FAST = { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 10, budgetMs: 5000 };

function failure(code: Code, reason?: ErrorReason, leaderHint = "") {
  const details =
    reason === undefined
      ? []
      : [{ desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason, leaderHint }) }];
  return new ConnectError("scripted", code, undefined, details);
}

function fakeGroup(
  members: string[],
  refreshed: () => void = () => undefined,
): ReplicaGroup & { leader?: string } {
  const group: ReplicaGroup & { leader?: string } = {
    label: "fake group",
    candidates: () => [
      ...new Set([group.leader, ...members].filter((m): m is string => m !== undefined)),
    ],
    setLeader: (url) => {
      group.leader = url;
    },
    urlOfHint: (hint) => `http://${hint}`,
    refreshRoute: async () => {
      refreshed();
      return true;
    },
  };
  return group;
}

describe("callReplicated", () => {
  it("follows a NOT_LEADER hint and remembers the leader for the next call", async () => {
    const group = fakeGroup(["http://a:1", "http://b:1", "http://c:1"]);
    const calls: string[] = [];
    const result = await callReplicated(
      group,
      async (url) => {
        calls.push(url);
        if (url !== "http://c:1") throw failure(Code.Unavailable, ErrorReason.NOT_LEADER, "c:1");
        return "ok";
      },
      { timeoutMs: 100, idempotent: true, retry: FAST },
    );
    expect(result).toBe("ok");
    expect(calls).toEqual(["http://a:1", "http://c:1"]);
    expect(group.leader).toBe("http://c:1");
  });

  it("moves on to the next replica when one is down, and backs off once all failed", async () => {
    const group = fakeGroup(["http://a:1", "http://b:1"]);
    const calls: string[] = [];
    const result = await callReplicated(
      group,
      async (url) => {
        calls.push(url);
        if (calls.length < 4) throw failure(Code.Unavailable);
        return url;
      },
      { timeoutMs: 100, idempotent: true, retry: FAST },
    );
    expect(calls).toEqual(["http://a:1", "http://b:1", "http://a:1", "http://b:1"]);
    expect(result).toBe("http://b:1");
  });

  it("refreshes the route on PARTITION_NOT_FOUND, then retries", async () => {
    let refreshes = 0;
    const group = fakeGroup(["http://a:1"], () => refreshes++);
    let attempts = 0;
    await callReplicated(
      group,
      async () => {
        if (++attempts === 1) throw failure(Code.NotFound, ErrorReason.PARTITION_NOT_FOUND);
      },
      { timeoutMs: 100, idempotent: true, retry: FAST },
    );
    expect(refreshes).toBe(1);
    expect(attempts).toBe(2);
  });

  it("gives up on a stale route when the MDS no longer lists the target", async () => {
    const group = { ...fakeGroup(["http://a:1"]), refreshRoute: async () => false };
    let attempts = 0;
    const outcome = callReplicated(
      group,
      async () => {
        attempts += 1;
        throw failure(Code.NotFound, ErrorReason.PARTITION_NOT_FOUND);
      },
      { timeoutMs: 100, idempotent: true, retry: FAST },
    );
    await expect(outcome).rejects.toMatchObject({ code: Code.NotFound });
    expect(attempts).toBe(1);
  });

  it("gives up at once on a final error and marks retried calls in the trace", async () => {
    const group = fakeGroup(["http://a:1"]);
    const trace = { retried: false };
    let attempts = 0;
    const outcome = callReplicated(
      group,
      async () => {
        attempts += 1;
        if (attempts === 1) throw failure(Code.Unavailable, ErrorReason.LEADER_UNKNOWN);
        throw failure(Code.NotFound, ErrorReason.DENTRY_NOT_FOUND);
      },
      { timeoutMs: 100, idempotent: false, retry: FAST, trace },
    );
    await expect(outcome).rejects.toMatchObject({ code: Code.NotFound });
    expect(attempts).toBe(2);
    expect(trace.retried).toBe(true);
  });

  it("stops after the attempt budget with the last failure", async () => {
    const group = fakeGroup(["http://a:1"]);
    let attempts = 0;
    const outcome = callReplicated(
      group,
      async () => {
        attempts += 1;
        throw failure(Code.Unavailable, ErrorReason.LEADER_UNKNOWN);
      },
      { timeoutMs: 100, idempotent: true, retry: { ...FAST, maxAttempts: 4 } },
    );
    await expect(outcome).rejects.toMatchObject({ code: Code.Unavailable });
    expect(attempts).toBe(4);
  });
});
