/**
 * Check quorum and the leader lease: a leader that stops hearing from a majority steps down
 * within an election timeout, and a follower that heard from a live leader refuses to vote.
 */
import { describe, expect, it } from "vitest";
import { Network, TestNode } from "./harness.js";

const VOTERS = ["1", "2", "3"];
const ELECTION_TICKS = 10;

describe("check quorum", () => {
  it("a leader that hears from no majority for an election timeout steps down", () => {
    const net = Network.create(VOTERS, { preVote: false });
    net.campaign("1");
    net.isolate("1");
    net.tick("1", ELECTION_TICKS);
    expect(net.raft("1").status().role).toBe("leader");
    net.tick("1", ELECTION_TICKS);
    expect(net.raft("1").status()).toMatchObject({ role: "follower", term: 1, leader: "" });
  });

  it("a leader that keeps hearing from a majority stays", () => {
    const net = Network.create(VOTERS, { preVote: false });
    net.campaign("1");
    net.isolate("3");
    net.tick("1", 5 * ELECTION_TICKS);
    expect(net.raft("1").status()).toMatchObject({ role: "leader", term: 1 });
  });

  it("a follower that heard from the leader refuses votes until its election timeout passes", () => {
    const net = Network.create(VOTERS, { preVote: false });
    net.campaign("1");
    net.campaign("3");
    expect(net.raft("2").status()).toMatchObject({ term: 1, leader: "1" });
    expect(
      net.delivered.filter(
        (m) => m.type === "request-vote-response" && m.rejectReason === "leader-alive",
      ),
    ).toHaveLength(2);
    net.tick("2", ELECTION_TICKS);
    net.campaign("3");
    expect(net.leader()).toBe("3");
  });

  it("a refusal by lease leaves the voter's term unchanged", () => {
    const voter = new TestNode("2", { voters: VOTERS, preVote: false });
    voter.deliver({
      type: "append-entries",
      from: "1",
      to: "2",
      term: 1,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: [],
      leaderCommit: 0,
      readContext: 0,
    });
    const answers = voter.deliver({
      type: "request-vote",
      from: "3",
      to: "2",
      term: 5,
      lastLogIndex: 9,
      lastLogTerm: 4,
      leaderTransfer: false,
    });
    expect(answers).toEqual([
      expect.objectContaining({ granted: false, rejectReason: "leader-alive", term: 1 }),
    ]);
    expect(voter.raft.status()).toMatchObject({ term: 1, leader: "1", vote: "" });
  });

  it("a stuck candidate with a higher term makes the leader step down once the partition heals", () => {
    const net = Network.create(VOTERS, { preVote: false });
    net.campaign("1");
    net.isolate("3");
    net.tick("3", 4 * ELECTION_TICKS); // "3" keeps raising its term alone
    const stuckTerm = net.raft("3").status().term;
    expect(stuckTerm).toBeGreaterThan(1);
    net.recover();
    net.tick("1"); // the heartbeat to "3" is refused with the higher term
    expect(net.raft("1").status()).toMatchObject({ role: "follower", term: stuckTerm });
    net.tick("1", 2 * ELECTION_TICKS);
    net.tick("2", 2 * ELECTION_TICKS);
    expect(net.leader()).toBeDefined();
  });

  it("a leader refuses votes while it leads, unless for a transfer", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    const request = {
      type: "request-vote" as const,
      from: "2",
      to: "1",
      term: 2,
      lastLogIndex: 1,
      lastLogTerm: 1,
    };
    expect(net.node("1").deliver({ ...request, leaderTransfer: false })).toEqual([
      expect.objectContaining({ granted: false, rejectReason: "leader-alive", term: 1 }),
    ]);
    expect(net.node("1").deliver({ ...request, leaderTransfer: true })).toEqual([
      expect.objectContaining({ granted: true, term: 2 }),
    ]);
    expect(net.raft("1").status()).toMatchObject({ role: "follower", term: 2, vote: "2" });
  });
});
