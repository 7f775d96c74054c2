/**
 * Elections beyond the paper's single-round claims, after etcd raft's raft_test.go.
 */
import { describe, expect, it } from "vitest";
import { Network, ofType, PLAIN, TestNode, voteGranted } from "./harness.js";

describe("elections", () => {
  it("a candidate wins with a majority alive and waits without one", () => {
    const cases: [string[], string[], string][] = [
      // live nodes, dead members, role of "1" after campaigning
      [["1", "2", "3"], [], "leader"],
      [["1", "2"], ["3"], "leader"],
      [["1"], ["2", "3"], "candidate"],
      [["1", "2"], ["3", "4"], "candidate"],
      [["1", "2", "3"], ["4", "5"], "leader"],
    ];
    for (const [live, dead, role] of cases) {
      const net = Network.create(live, { ...PLAIN, blackHoles: dead });
      net.campaign("1");
      expect(net.raft("1").status(), `${live} live, ${dead} dead`).toMatchObject({ role, term: 1 });
    }
  });

  it("with pre-vote, a node without a majority stays a pre-candidate in its old term", () => {
    const net = Network.create(["1"], {
      preVote: true,
      checkQuorum: false,
      blackHoles: ["2", "3"],
    });
    net.campaign("1");
    expect(net.raft("1").status()).toMatchObject({ role: "pre-candidate", term: 0 });
  });

  it("a node whose log is behind a majority's cannot win", () => {
    // "2" and "3" hold an entry of term 1 that "1" lacks.
    const nodes = [
      new TestNode("1", { voters: ["1", "2", "3"], ...PLAIN }),
      new TestNode("2", {
        voters: ["1", "2", "3"],
        ...PLAIN,
        logTerms: [1],
        hardState: { term: 1 },
      }),
      new TestNode("3", {
        voters: ["1", "2", "3"],
        ...PLAIN,
        logTerms: [1],
        hardState: { term: 1 },
      }),
    ];
    const net = new Network(nodes);
    net.campaign("1");
    expect(net.raft("1").status()).toMatchObject({ role: "follower", term: 1 });
    net.campaign("2");
    expect(net.raft("2").status()).toMatchObject({ role: "leader", term: 2 });
  });

  it("every node can win an election in turn", () => {
    const net = Network.create(["1", "2", "3"], PLAIN);
    for (const id of ["1", "2", "3"]) {
      net.campaign(id);
      expect(net.leader()).toBe(id);
      for (const other of ["1", "2", "3"]) {
        expect(net.raft(other).status().leader).toBe(id);
      }
    }
  });

  it("a higher-term vote request is granted from every role", () => {
    for (const setup of ["follower", "candidate", "leader"] as const) {
      const net = Network.create(["1", "2", "3"], PLAIN);
      if (setup !== "follower") net.campaign("1");
      if (setup === "candidate") {
        const n = new TestNode("1", { voters: ["1", "2", "3"], ...PLAIN });
        n.raft.campaign();
        n.drain();
        net.add(n);
      }
      const node = net.node("1");
      const term = node.raft.status().term;
      const answers = node.deliver({
        type: "request-vote",
        from: "2",
        to: "1",
        term: term + 1,
        lastLogIndex: 10,
        lastLogTerm: term + 1,
        leaderTransfer: false,
      });
      expect(answers, setup).toEqual([
        expect.objectContaining({ type: "request-vote-response", granted: true, term: term + 1 }),
      ]);
      expect(node.raft.status(), setup).toMatchObject({
        role: "follower",
        term: term + 1,
        vote: "2",
      });
    }
  });

  it("campaigning on a leader changes nothing", () => {
    const net = Network.create(["1", "2", "3"], PLAIN);
    net.campaign("1");
    net.campaign("1");
    expect(net.raft("1").status()).toMatchObject({ role: "leader", term: 1 });
  });

  it("dueling candidates: the one with the shorter log loses and everyone converges", () => {
    const net = Network.create(["1", "2", "3"], PLAIN);
    net.cut("1", "3");
    net.campaign("1");
    net.campaign("3");
    expect(net.raft("1").status().role).toBe("leader");
    expect(net.raft("3").status().role).toBe("candidate");
    net.recover();
    // "3" campaigns again with a higher term: it deposes "1" but cannot win with its short log.
    net.campaign("3");
    for (const id of ["1", "2", "3"]) {
      expect(net.raft(id).status(), id).toMatchObject({ role: "follower", term: 2 });
    }
    expect(net.node("1").logTerms()).toEqual([1]);
    expect(net.node("3").logTerms()).toEqual([]);
  });

  it("an isolated candidate concedes to the leader elected meanwhile", () => {
    const net = Network.create(["1", "2", "3"], PLAIN);
    net.isolate("1");
    net.campaign("1");
    net.campaign("3");
    net.recover();
    net.tick("3"); // heartbeat
    net.propose("3", "force follower");
    expect(net.raft("1").status()).toMatchObject({ role: "follower", term: 1, leader: "3" });
    expect(net.node("1").logTerms()).toEqual(net.node("3").logTerms());
  });

  it("a single voter elects itself and commits its own entries", () => {
    const net = Network.create(["1"]);
    net.campaign("1");
    net.propose("1", "a");
    net.propose("1", "b");
    expect(net.raft("1").status()).toMatchObject({ role: "leader", commit: 3 });
    expect(net.node("1").appliedData()).toEqual(["a", "b"]);
  });

  it("a non-voter never campaigns", () => {
    const n = new TestNode("4", { voters: ["1", "2", "3"] });
    expect(n.tick(100)).toEqual([]);
    n.raft.campaign();
    expect(n.drain()).toEqual([]);
    expect(n.raft.status().role).toBe("follower");
  });

  it("a candidate ignores grants from an earlier election", () => {
    const n = new TestNode("1", { voters: ["1", "2", "3", "4", "5"], ...PLAIN });
    n.raft.campaign(); // term 1
    n.drain();
    n.raft.campaign(); // term 2
    n.drain();
    n.deliver(voteGranted("2", "1", 1));
    n.deliver(voteGranted("3", "1", 1));
    expect(n.raft.status()).toMatchObject({ role: "candidate", term: 2 });
    n.deliver(voteGranted("2", "1", 2));
    n.deliver(voteGranted("3", "1", 2));
    expect(n.raft.status()).toMatchObject({ role: "leader", term: 2 });
  });

  it("a candidate's vote requests name its last log entry and its new term", () => {
    const n = new TestNode("1", {
      voters: ["1", "2"],
      ...PLAIN,
      logTerms: [1, 1, 2],
      hardState: { term: 2 },
    });
    n.raft.campaign();
    const [request] = ofType(n.drain(), "request-vote");
    expect(request).toMatchObject({
      to: "2",
      term: 3,
      lastLogIndex: 3,
      lastLogTerm: 2,
      leaderTransfer: false,
    });
  });
});
