/**
 * Pre-vote (Raft dissertation §9.6): a node first asks whether it could win, without changing
 * any term, so a node that was partitioned away cannot depose a healthy leader when it returns.
 */
import { describe, expect, it } from "vitest";
import { fixedRandom, Network, ofType, TestNode } from "./harness.js";

const VOTERS = ["1", "2", "3"];
const ELECTION_TICKS = 10;

describe("pre-vote", () => {
  it("a partitioned node that rejoins does not disrupt the leader (pre-vote and check quorum)", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    net.isolate("3");
    net.tick("3", 10 * ELECTION_TICKS);
    expect(net.raft("3").status().term).toBe(1);
    net.recover();
    net.tick("3", 2 * ELECTION_TICKS);
    expect(net.leader()).toBe("1");
    for (const id of VOTERS) expect(net.raft(id).status().term, id).toBe(1);
  });

  it("a rejoining node with a stale log is refused even without leases (pre-vote alone)", () => {
    const net = Network.create(VOTERS, { preVote: true, checkQuorum: false });
    net.campaign("1");
    net.isolate("3");
    net.propose("1", "written while 3 was away");
    net.tick("3", 10 * ELECTION_TICKS);
    net.recover();
    net.campaign("3");
    expect(net.raft("3").status()).toMatchObject({ role: "follower", term: 1 });
    expect(net.leader()).toBe("1");
    expect(net.raft("1").status().term).toBe(1);
  });

  it("a pre-vote changes neither the voter's term nor its vote", () => {
    const voter = new TestNode("2", { voters: VOTERS, checkQuorum: false, hardState: { term: 1 } });
    const answers = voter.deliver({
      type: "pre-vote",
      from: "3",
      to: "2",
      term: 2,
      lastLogIndex: 0,
      lastLogTerm: 0,
    });
    expect(answers).toEqual([
      expect.objectContaining({ type: "pre-vote-response", granted: true, term: 1 }),
    ]);
    expect(voter.raft.status()).toMatchObject({ term: 1, vote: "" });
  });

  it("a pre-candidate that wins runs a real election in the next term", () => {
    const net = Network.create(VOTERS, { checkQuorum: false });
    net.campaign("1");
    const preVotes = net.delivered.filter((m) => m.type === "pre-vote");
    const votes = net.delivered.filter((m) => m.type === "request-vote");
    expect(preVotes.map((m) => m.term)).toEqual([1, 1]);
    expect(votes.map((m) => m.term)).toEqual([1, 1]);
    expect(net.raft("1").status()).toMatchObject({ role: "leader", term: 1 });
  });

  it("dueling pre-candidates: the leader elected first is not disturbed", () => {
    const net = Network.create(VOTERS, { checkQuorum: false });
    net.cut("1", "3");
    net.campaign("1");
    net.campaign("3");
    expect(net.raft("1").status().role).toBe("leader");
    // Refused by "2" (already voted in term 1), "3" learns the term without raising it.
    expect(net.raft("3").status()).toMatchObject({ role: "follower", term: 1 });
    net.recover();
    net.campaign("3");
    expect(net.leader()).toBe("1");
    for (const id of VOTERS) expect(net.raft(id).status().term, id).toBe(1);
  });

  it("a refusal carrying a higher term makes the pre-candidate adopt it", () => {
    const n = new TestNode("1", { voters: VOTERS, checkQuorum: false });
    n.raft.campaign();
    n.drain();
    n.deliver({
      type: "pre-vote-response",
      from: "2",
      to: "1",
      term: 5,
      granted: false,
      rejectReason: "log-not-up-to-date",
    });
    expect(n.raft.status()).toMatchObject({ role: "follower", term: 5 });
  });

  it("with check quorum, followers refuse pre-votes until their election timeout has passed", () => {
    // "2" would time out only after 19 ticks, so it does not campaign itself below.
    const net = new Network([
      new TestNode("1", { voters: VOTERS }),
      new TestNode("2", { voters: VOTERS, random: fixedRandom(ELECTION_TICKS - 1) }),
      new TestNode("3", { voters: VOTERS }),
    ]);
    net.campaign("1");
    net.isolate("1"); // the leader falls silent
    net.campaign("3");
    expect(net.raft("3").status()).toMatchObject({ role: "pre-candidate", term: 1 });
    const refusals = net.delivered.filter(
      (m) => m.type === "pre-vote-response" && m.rejectReason === "leader-alive",
    );
    expect(refusals).toHaveLength(1);
    net.tick("2", ELECTION_TICKS); // "2" has not heard from "1" for an election timeout
    net.campaign("3");
    expect(net.raft("3").status()).toMatchObject({ role: "leader", term: 2 });
  });

  it("pre-vote requests go out at once: they change nothing that must be durable", () => {
    const n = new TestNode("1", { voters: VOTERS, checkQuorum: false });
    n.raft.campaign();
    const ready = n.raft.ready();
    expect(ready.hardState).toBeUndefined();
    expect(ofType(ready.messages, "pre-vote")).toHaveLength(2);
  });
});
