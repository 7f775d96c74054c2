/**
 * Leadership transfer (Raft dissertation §3.10, the spec's TimeoutNow), with the default
 * configuration: pre-vote and check quorum on, so transfers must get through leader leases.
 */
import { describe, expect, it } from "vitest";
import { Network, TestNode } from "./harness.js";

const VOTERS = ["1", "2", "3"];
const ELECTION_TICKS = 10;

/** Three nodes, "1" leading term 1 with everything committed. */
function cluster(): Network {
  const net = Network.create(VOTERS);
  net.campaign("1");
  expect(net.leader()).toBe("1");
  return net;
}

function encode(data: string): Uint8Array {
  return new TextEncoder().encode(data);
}

describe("leader transfer", () => {
  it("hands leadership to an up-to-date follower through the followers' leases", () => {
    const net = cluster();
    // The followers heard from "1" just now: an ordinary campaign by "2" is refused.
    net.campaign("2");
    expect(net.leader()).toBe("1");
    expect(net.raft("1").transferLeader("2")).toEqual({ ok: true, value: undefined });
    net.stabilize();
    expect(net.leader()).toBe("2");
    expect(net.raft("1").status()).toMatchObject({ role: "follower", term: 2, leader: "2" });
    expect(net.raft("3").status()).toMatchObject({ term: 2, leader: "2" });
  });

  it("catches a lagging transferee up before sending TimeoutNow", () => {
    const net = cluster();
    net.isolate("3");
    for (const data of ["a", "b", "c"]) net.propose("1", data);
    net.recover();
    expect(net.raft("1").transferLeader("3").ok).toBe(true);
    net.tick("1"); // a heartbeat answer resumes replication to "3"
    net.stabilize();
    expect(net.leader()).toBe("3");
    expect(net.node("3").logTerms()).toEqual([1, 1, 1, 1, 2]);
    const timeoutNows = net.delivered.filter((m) => m.type === "timeout-now");
    expect(timeoutNows).toHaveLength(1);
  });

  it("refuses proposals while the transfer is in progress", () => {
    const net = cluster();
    net.isolate("3");
    net.raft("1").transferLeader("3");
    expect(net.raft("1").propose(encode("x"))).toEqual({
      ok: false,
      error: { reason: "leader-transferring", transferee: "3" },
    });
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "2" })).toMatchObject({
      ok: false,
      error: { reason: "leader-transferring" },
    });
  });

  it("is abandoned after an election timeout, and proposals are accepted again", () => {
    const net = cluster();
    net.isolate("3");
    net.raft("1").transferLeader("3");
    net.tick("1", ELECTION_TICKS);
    expect(net.node("1").notices).toEqual([
      { kind: "transfer-aborted", transferee: "3", reason: "timeout" },
    ]);
    expect(net.raft("1").status()).toMatchObject({ role: "leader", transferee: "" });
    expect(net.raft("1").propose(encode("x")).ok).toBe(true);
  });

  it("a repeated request for the same transferee joins it without extending the timeout", () => {
    const net = cluster();
    net.isolate("3");
    net.raft("1").transferLeader("3");
    net.tick("1", ELECTION_TICKS / 2);
    expect(net.raft("1").transferLeader("3").ok).toBe(true);
    net.tick("1", ELECTION_TICKS / 2);
    expect(net.raft("1").status().transferee).toBe("");
  });

  it("a request for another transferee is refused while one is in progress", () => {
    const net = cluster();
    net.isolate("3");
    net.raft("1").transferLeader("3");
    expect(net.raft("1").transferLeader("2")).toEqual({
      ok: false,
      error: { reason: "leader-transferring", transferee: "3" },
    });
  });

  it("to the leader itself is done at once, to a non-member is refused", () => {
    const net = cluster();
    expect(net.raft("1").transferLeader("1")).toEqual({ ok: true, value: undefined });
    expect(net.raft("1").status()).toMatchObject({ role: "leader", transferee: "" });
    expect(net.raft("1").transferLeader("9")).toEqual({
      ok: false,
      error: { reason: "peer-not-member", node: "9" },
    });
  });

  it("is refused on a follower, with the leader as hint", () => {
    const net = cluster();
    expect(net.raft("2").transferLeader("3")).toEqual({
      ok: false,
      error: { reason: "not-leader", leader: "1" },
    });
  });

  it("without a named transferee goes to the most up-to-date voter", () => {
    const net = cluster();
    net.isolate("2");
    net.propose("1", "x");
    net.recover();
    net.raft("1").transferLeader();
    net.stabilize();
    expect(net.leader()).toBe("3");
  });

  it("is refused while a membership change is in progress", () => {
    const net = cluster();
    net.isolate("3");
    net.isolate("2");
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "3" }).ok).toBe(true);
    expect(net.raft("1").transferLeader("2")).toEqual({
      ok: false,
      error: { reason: "conf-change-in-progress" },
    });
  });

  it("a node that is not a voter of its configuration refuses TimeoutNow", () => {
    const outsider = new TestNode("3", { voters: [] });
    expect(outsider.deliver({ type: "timeout-now", from: "1", to: "3", term: 1 })).toEqual([
      expect.objectContaining({
        type: "timeout-now-response",
        term: 1,
        success: false,
        rejectReason: "not-voter",
      }),
    ]);
    expect(outsider.raft.status()).toMatchObject({ role: "follower", term: 1 });
  });

  it("a refused TimeoutNow abandons the transfer", () => {
    const net = cluster();
    net.ignore("timeout-now");
    net.raft("1").transferLeader("2");
    net.stabilize();
    net.send({
      type: "timeout-now-response",
      from: "2",
      to: "1",
      term: 1,
      success: false,
      rejectReason: "not-voter",
    });
    expect(net.node("1").notices).toEqual([
      { kind: "transfer-aborted", transferee: "2", reason: "rejected" },
    ]);
    expect(net.raft("1").status()).toMatchObject({ role: "leader", transferee: "" });
  });
});
