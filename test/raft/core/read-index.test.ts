/**
 * Linearizable reads: read index (a heartbeat round confirms leadership) and the optional lease.
 */
import { describe, expect, it } from "vitest";
import { fixedRandom, Network, ofType, TestNode } from "./harness.js";

const VOTERS = ["1", "2", "3"];
const ELECTION_TICKS = 10;

function clusterWithWrites(options = {}): Network {
  const net = Network.create(VOTERS, options);
  net.campaign("1");
  for (const data of ["a", "b", "c"]) net.propose("1", data);
  expect(net.raft("1").status()).toMatchObject({ role: "leader", commit: 4 });
  return net;
}

/**
 * The same in lease mode. Restarted (here: new) nodes refuse votes for their first election
 * timeout, so the nodes tick through it first; their timeouts are pinned at 2T - 1 so that
 * nobody campaigns on its own meanwhile.
 */
function leaseCluster(): Network {
  const net = new Network(
    VOTERS.map(
      (id) =>
        new TestNode(id, {
          voters: VOTERS,
          readMode: "lease",
          random: fixedRandom(ELECTION_TICKS - 1),
        }),
    ),
  );
  net.tickAll(ELECTION_TICKS);
  net.campaign("1");
  for (const data of ["a", "b", "c"]) net.propose("1", data);
  expect(net.raft("1").status()).toMatchObject({ role: "leader", commit: 4 });
  return net;
}

describe("read index", () => {
  it("a read is answered with the commit index once a majority confirms the leadership", () => {
    const net = clusterWithWrites();
    expect(net.raft("1").readIndex("r1")).toEqual({ ok: true, value: undefined });
    net.stabilize();
    expect(net.node("1").readStates).toEqual([{ requestId: "r1", index: 4 }]);
  });

  it("one heartbeat round confirms every read registered before it", () => {
    const net = clusterWithWrites();
    const before = net.delivered.length;
    for (const id of ["r1", "r2", "r3"]) net.raft("1").readIndex(id);
    net.stabilize();
    expect(net.node("1").readStates.map((r) => r.requestId)).toEqual(["r1", "r2", "r3"]);
    const heartbeats = net.delivered.slice(before).filter((m) => m.type === "append-entries");
    expect(heartbeats).toHaveLength(2);
  });

  it("a leader cut off from the majority cannot confirm a read", () => {
    const net = clusterWithWrites();
    net.isolate("1");
    net.raft("1").readIndex("r1");
    net.stabilize();
    net.tick("1", 3);
    expect(net.node("1").readStates).toEqual([]);
  });

  it("a majority is enough: one silent follower does not hold reads back", () => {
    const net = clusterWithWrites();
    net.isolate("3");
    net.raft("1").readIndex("r1");
    net.stabilize();
    expect(net.node("1").readStates).toEqual([{ requestId: "r1", index: 4 }]);
  });

  it("a new leader defers reads until an entry of its own term is committed", () => {
    const net = Network.create(VOTERS, { preVote: false, checkQuorum: false });
    net.campaign("1");
    net.propose("1", "a");
    net.ignore("append-entries");
    net.campaign("2");
    expect(net.raft("2").status()).toMatchObject({ role: "leader", term: 2, commit: 2 });
    net.raft("2").readIndex("r1");
    net.stabilize();
    expect(net.node("2").readStates).toEqual([]);
    net.recover();
    net.tick("2");
    expect(net.node("2").readStates).toEqual([{ requestId: "r1", index: 3 }]);
  });

  it("a follower refuses reads and names the leader", () => {
    const net = clusterWithWrites();
    expect(net.raft("2").readIndex("r1")).toEqual({
      ok: false,
      error: { reason: "not-leader", leader: "1" },
    });
  });

  it("a single voter answers at once", () => {
    const n = new TestNode("1", { voters: ["1"] });
    n.raft.campaign();
    n.drain();
    n.raft.readIndex("r1");
    n.drain();
    expect(n.readStates).toEqual([{ requestId: "r1", index: 1 }]);
  });

  it("acknowledgements from an earlier term confirm nothing", () => {
    const net = clusterWithWrites();
    net.isolate("1");
    net.raft("1").readIndex("r1");
    net.stabilize();
    const [heartbeat] = ofType(
      net.node("1").readies.flatMap((r) => r.messages),
      "append-entries",
    ).slice(-1);
    if (heartbeat === undefined) throw new Error("no heartbeat");
    // An echo of this round, but in the term of an older leadership, must not count.
    net.node("1").deliver({
      type: "append-entries-response",
      from: heartbeat.to,
      to: "1",
      term: 0,
      success: true,
      matchIndex: 4,
      rejectHintIndex: 0,
      rejectHintTerm: 0,
      lastLogIndex: 4,
      readContext: heartbeat.readContext,
    });
    expect(net.node("1").readStates).toEqual([]);
  });

  it("reads pending when leadership is lost are dropped", () => {
    const net = clusterWithWrites();
    net.isolate("1");
    net.raft("1").readIndex("r1");
    net.stabilize();
    net.tick("1", 2 * ELECTION_TICKS);
    expect(net.raft("1").status().role).toBe("follower");
    net.recover();
    net.tick("1", 3);
    expect(net.node("1").readStates).toEqual([]);
  });

  describe("lease mode", () => {
    it("a leader whose lease is running answers without a round", () => {
      const net = leaseCluster();
      net.tick("1"); // a heartbeat round confirmed by the followers starts the lease
      const before = net.delivered.length;
      net.raft("1").readIndex("r1");
      const ready = net.node("1").handleReady();
      expect(ready.readStates).toEqual([{ requestId: "r1", index: 4 }]);
      expect(net.delivered.length).toBe(before);
    });

    it("after the lease runs out a read needs a round", () => {
      const net = leaseCluster();
      net.tick("1");
      net.isolate("1");
      net.tick("1", ELECTION_TICKS - 2);
      net.raft("1").readIndex("r1");
      net.stabilize();
      expect(net.node("1").readStates).toEqual([]);
    });

    it("a leadership transfer revokes the lease", () => {
      const net = leaseCluster();
      net.tick("1");
      net.isolate("3");
      net.raft("1").transferLeader("3");
      net.raft("1").readIndex("r1");
      const ready = net.node("1").handleReady();
      expect(ready.readStates).toEqual([]);
    });

    it("a restarted node honours a lease it may have granted before the crash", () => {
      const n = new TestNode("2", { voters: VOTERS, readMode: "lease", hardState: { term: 1 } });
      const answer = n.deliver({
        type: "request-vote",
        from: "3",
        to: "2",
        term: 2,
        lastLogIndex: 0,
        lastLogTerm: 0,
        leaderTransfer: false,
      });
      expect(answer).toEqual([
        expect.objectContaining({ granted: false, rejectReason: "leader-alive" }),
      ]);
    });

    it("lease reads need check quorum", () => {
      expect(
        () => new TestNode("1", { voters: VOTERS, readMode: "lease", checkQuorum: false }),
      ).toThrow(/checkQuorum/);
    });
  });
});
