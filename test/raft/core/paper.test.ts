/**
 * The claims of the Raft paper (§5.1–§5.4), one test each, after the 26 scenarios of etcd raft's
 * raft_paper_test.go. Node "1" of {"1","2","3"} unless stated, election timeout 10 ticks,
 * heartbeat 1 tick, plain Raft (no pre-vote, no check quorum), so that each rule is seen alone.
 */
import { describe, expect, it } from "vitest";
import { EntryType } from "../../../impl/raft/core/index.js";
import {
  ackEverything,
  appendAck,
  appendEntries,
  entriesWithTerms,
  entry,
  makeFollower,
  makeLeader,
  Network,
  type NodeOptions,
  ofType,
  PLAIN,
  TestNode,
  voteGranted,
} from "./harness.js";

const ELECTION_TICKS = 10;
const VOTERS = ["1", "2", "3"];

function node(options: Partial<NodeOptions> = {}, id = "1"): TestNode {
  return new TestNode(id, { voters: VOTERS, ...PLAIN, ...options });
}

function votersOf(size: number): string[] {
  return Array.from({ length: size }, (_, i) => String(i + 1));
}

/** A leader of term 1 whose no-op entry (index 1) every follower has acknowledged. */
function leaderWithCommittedNoop(voters = VOTERS): TestNode {
  const leader = node({ voters });
  ackEverything(leader, makeLeader(leader));
  expect(leader.raft.status().commit).toBe(1);
  return leader;
}

describe("§5.1 terms", () => {
  it("a follower that sees a higher term adopts it and remains a follower", () => {
    const n = node();
    makeFollower(n, 1, "2");
    n.deliver(appendEntries({ from: "2", to: "1", term: 2 }));
    expect(n.raft.status()).toMatchObject({ term: 2, role: "follower", leader: "2" });
  });

  it("a candidate that sees a higher term adopts it and becomes a follower", () => {
    const n = node();
    n.raft.campaign();
    n.drain();
    expect(n.raft.status()).toMatchObject({ term: 1, role: "candidate" });
    n.deliver(appendEntries({ from: "2", to: "1", term: 2 }));
    expect(n.raft.status()).toMatchObject({ term: 2, role: "follower" });
  });

  it("a leader that sees a higher term adopts it and steps down", () => {
    const n = node();
    makeLeader(n);
    expect(n.raft.status()).toMatchObject({ term: 1, role: "leader" });
    n.deliver(appendEntries({ from: "2", to: "1", term: 2 }));
    expect(n.raft.status()).toMatchObject({ term: 2, role: "follower", leader: "2" });
  });

  it("a request with a stale term is refused with the newer term and changes nothing", () => {
    const n = node({ hardState: { term: 2 } });
    const answers = n.deliver(appendEntries({ from: "2", to: "1", term: 1 }));
    expect(answers).toEqual([
      expect.objectContaining({
        type: "append-entries-response",
        to: "2",
        term: 2,
        success: false,
        rejectReason: "stale-term",
      }),
    ]);
    expect(n.raft.status()).toMatchObject({ term: 2, role: "follower", leader: "" });
  });
});

describe("§5.2 leader election", () => {
  it("a node starts as a follower", () => {
    expect(node().raft.status().role).toBe("follower");
  });

  it("a leader sends an empty AppendEntries to every follower each heartbeat interval", () => {
    const leader = node();
    makeLeader(leader);
    for (let i = 0; i < 10; i++) leader.raft.propose(new TextEncoder().encode("x"));
    leader.drain();
    const heartbeats = leader.tick(1);
    expect(heartbeats.map((m) => m.to).sort()).toEqual(["2", "3"]);
    for (const m of heartbeats) {
      expect(m).toMatchObject({
        type: "append-entries",
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [],
        leaderCommit: 0,
      });
    }
  });

  it("a follower that hears nothing for an election timeout starts an election", () => {
    const n = node();
    makeFollower(n, 1, "2");
    const sent = n.tick(2 * ELECTION_TICKS - 1);
    expect(n.raft.status()).toMatchObject({ term: 2, role: "candidate", vote: "1" });
    const requests = ofType(sent, "request-vote");
    expect(requests.map((m) => m.to).sort()).toEqual(["2", "3"]);
    for (const m of requests) expect(m).toMatchObject({ term: 2, lastLogIndex: 0, lastLogTerm: 0 });
  });

  it("a candidate whose election times out starts a new one in the next term", () => {
    const n = node();
    n.raft.campaign();
    n.drain();
    const sent = n.tick(2 * ELECTION_TICKS - 1);
    expect(n.raft.status()).toMatchObject({ term: 2, role: "candidate", vote: "1" });
    const requests = ofType(sent, "request-vote");
    expect(requests.map((m) => m.to).sort()).toEqual(["2", "3"]);
    for (const m of requests) expect(m).toMatchObject({ term: 2, lastLogIndex: 0, lastLogTerm: 0 });
  });

  it("an election is decided in one round by a majority of the votes", () => {
    const cases: [number, Record<string, boolean>, string][] = [
      [1, {}, "leader"],
      [3, { 2: true, 3: true }, "leader"],
      [3, { 2: true }, "leader"],
      [5, { 2: true, 3: true, 4: true, 5: true }, "leader"],
      [5, { 2: true, 3: true, 4: true }, "leader"],
      [5, { 2: true, 3: true }, "leader"],
      [3, { 2: false, 3: false }, "follower"],
      [5, { 2: false, 3: false, 4: false, 5: false }, "follower"],
      [5, { 2: true, 3: false, 4: false, 5: false }, "follower"],
      [3, {}, "candidate"],
      [5, { 2: true }, "candidate"],
      [5, { 2: false, 3: false }, "candidate"],
      [5, {}, "candidate"],
    ];
    for (const [size, votes, role] of cases) {
      const n = node({ voters: votersOf(size) });
      n.raft.campaign();
      n.drain();
      for (const [from, granted] of Object.entries(votes)) {
        if (n.raft.status().role !== "candidate") break;
        n.deliver(voteGranted(from, "1", 1, granted));
      }
      expect(n.raft.status(), `size ${size} votes ${JSON.stringify(votes)}`).toMatchObject({
        role,
        term: 1,
      });
    }
  });

  it("a follower grants one vote per term, to the first candidate that asks", () => {
    const cases: [string, string, boolean][] = [
      ["", "2", true],
      ["", "3", true],
      ["2", "2", true],
      ["3", "3", true],
      ["2", "3", false],
      ["3", "2", false],
    ];
    for (const [vote, candidate, granted] of cases) {
      const n = node({ hardState: { term: 1, vote } });
      const answers = n.deliver({
        type: "request-vote",
        from: candidate,
        to: "1",
        term: 1,
        lastLogIndex: 0,
        lastLogTerm: 0,
        leaderTransfer: false,
      });
      expect(answers, `vote ${vote} candidate ${candidate}`).toEqual([
        expect.objectContaining({ type: "request-vote-response", to: candidate, term: 1, granted }),
      ]);
    }
  });

  it("a candidate that hears from a leader of its term or a newer one becomes its follower", () => {
    for (const term of [1, 2]) {
      const n = node();
      n.raft.campaign();
      n.drain();
      n.deliver(appendEntries({ from: "2", to: "1", term }));
      expect(n.raft.status()).toMatchObject({ role: "follower", term, leader: "2" });
    }
  });

  it("a follower's election timeout is drawn anew from [T, 2T) each time", () => {
    const seen = new Set<number>();
    const n = node();
    for (let round = 0; round < 500; round++) {
      makeFollower(n, n.raft.status().term + 1, "2");
      let ticks = 0;
      while (n.tick(1).length === 0) ticks++;
      seen.add(ticks + 1);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(range(ELECTION_TICKS, 2 * ELECTION_TICKS));
  });

  it("a candidate's election timeout is drawn anew from [T, 2T) each time", () => {
    const seen = new Set<number>();
    const n = node();
    for (let round = 0; round < 500; round++) {
      n.raft.campaign();
      n.drain();
      let ticks = 0;
      while (n.tick(1).length === 0) ticks++;
      seen.add(ticks + 1);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(range(ELECTION_TICKS, 2 * ELECTION_TICKS));
  });

  it("randomized timeouts make followers rarely time out at the same tick", () => {
    expect(conflictRate("follower")).toBeLessThanOrEqual(0.3);
  });

  it("randomized timeouts make candidates rarely time out at the same tick", () => {
    expect(conflictRate("candidate")).toBeLessThanOrEqual(0.3);
  });
});

describe("§5.3 log replication", () => {
  it("a leader appends a proposal and sends it after the preceding index and term", () => {
    const leader = leaderWithCommittedNoop();
    leader.raft.propose(new TextEncoder().encode("some data"));
    const ready = leader.handleReady();
    expect(ready.entries).toEqual([entry(2, 1, "some data")]);
    expect(leader.raft.status()).toMatchObject({ lastIndex: 2, commit: 1 });
    const appends = ofType(ready.messages, "append-entries");
    expect(appends.map((m) => m.to).sort()).toEqual(["2", "3"]);
    for (const m of appends) {
      expect(m).toMatchObject({ prevLogIndex: 1, prevLogTerm: 1, leaderCommit: 1 });
      expect(m.entries).toEqual([entry(2, 1, "some data")]);
    }
  });

  it("a leader commits an entry stored on a majority and then tells the followers", () => {
    const leader = leaderWithCommittedNoop();
    leader.raft.propose(new TextEncoder().encode("some data"));
    const appends = ofType(leader.drain(), "append-entries");
    const sent = appends.flatMap((m) =>
      leader.deliver(appendAck({ from: m.to, to: "1", term: 1, matchIndex: 2 })),
    );
    expect(leader.raft.status().commit).toBe(2);
    expect(leader.appliedData()).toEqual(["some data"]);
    const commits = ofType(sent, "append-entries");
    expect(commits.map((m) => m.to).sort()).toEqual(["2", "3"]);
    for (const m of commits) expect(m).toMatchObject({ leaderCommit: 2, entries: [] });
  });

  it("a leader counts an entry committed only once a majority has acknowledged it", () => {
    const cases: [number, string[], boolean][] = [
      [1, [], true],
      [3, [], false],
      [3, ["2"], true],
      [3, ["2", "3"], true],
      [5, [], false],
      [5, ["2"], false],
      [5, ["2", "3"], true],
      [5, ["2", "3", "4"], true],
      [5, ["2", "3", "4", "5"], true],
    ];
    for (const [size, ackers, committed] of cases) {
      const leader = leaderWithCommittedNoop(votersOf(size));
      leader.raft.propose(new TextEncoder().encode("some data"));
      leader.drain();
      for (const from of ackers)
        leader.deliver(appendAck({ from, to: "1", term: 1, matchIndex: 2 }));
      expect(leader.raft.status().commit > 1, `size ${size} ackers ${ackers}`).toBe(committed);
    }
  });

  it("a leader commits the entries of earlier terms together with its own", () => {
    for (const logTerms of [[], [2], [1, 2], [1]]) {
      const leader = node({ logTerms, hardState: { term: 2 } });
      ackEverything(leader, makeLeader(leader));
      leader.raft.propose(new TextEncoder().encode("some data"));
      ackEverything(leader, leader.drain());
      const n = logTerms.length;
      expect(
        leader.applied.map((e) => [e.index, e.term, e.type]),
        `log ${logTerms}`,
      ).toEqual([
        ...logTerms.map((term, i) => [i + 1, term, EntryType.Normal]),
        [n + 1, 3, EntryType.NoOp],
        [n + 2, 3, EntryType.Normal],
      ]);
    }
  });

  it("a follower applies the entries up to the leader's commit index", () => {
    const cases: [string[], number][] = [
      [["some data"], 1],
      [["some data", "some data2"], 2],
      [["some data2", "some data"], 2],
      [["some data", "some data2"], 1],
    ];
    for (const [data, commit] of cases) {
      const n = node();
      makeFollower(n, 1, "2");
      const entries = data.map((d, i) => entry(i + 1, 1, d));
      n.deliver(appendEntries({ from: "2", to: "1", term: 1, entries, leaderCommit: commit }));
      expect(n.raft.status().commit).toBe(commit);
      expect(n.appliedData()).toEqual(data.slice(0, commit));
    }
  });

  it("a follower refuses entries that do not follow its log, with a back-off hint", () => {
    const cases: [number, number, object][] = [
      [0, 0, { success: true, matchIndex: 1 }],
      [1, 1, { success: true, matchIndex: 1 }],
      [2, 2, { success: true, matchIndex: 2 }],
      [
        1,
        2,
        { success: false, rejectReason: "log-mismatch", rejectHintIndex: 1, rejectHintTerm: 1 },
      ],
      [
        3,
        3,
        { success: false, rejectReason: "log-mismatch", rejectHintIndex: 2, rejectHintTerm: 2 },
      ],
    ];
    for (const [prevLogTerm, prevLogIndex, answer] of cases) {
      const n = node({ logTerms: [1, 2], hardState: { term: 2, commit: 1 } });
      makeFollower(n, 2, "2");
      const answers = n.deliver(
        appendEntries({ from: "2", to: "1", term: 2, prevLogIndex, prevLogTerm, leaderCommit: 1 }),
      );
      expect(answers, `prev ${prevLogIndex}@${prevLogTerm}`).toEqual([
        expect.objectContaining({ type: "append-entries-response", term: 2, ...answer }),
      ]);
    }
  });

  it("a follower deletes conflicting entries and appends the leader's", () => {
    const cases: [number, number, number[], number[], number[]][] = [
      // prev index, prev term, new entry terms (after prev), resulting log, entries to persist
      [2, 2, [3], [1, 2, 3], [3]],
      [1, 1, [3, 4], [1, 3, 4], [2, 3]],
      [0, 0, [1], [1, 2], []],
      [0, 0, [3], [3], [1]],
    ];
    for (const [prevLogIndex, prevLogTerm, terms, log, persisted] of cases) {
      const n = node({ logTerms: [1, 2], hardState: { term: 2 } });
      makeFollower(n, 2, "2");
      const entries = entriesWithTerms(prevLogIndex + 1, terms);
      n.raft.step(
        appendEntries({ from: "2", to: "1", term: 4, prevLogIndex, prevLogTerm, entries }),
      );
      const ready = n.handleReady();
      expect(
        ready.entries.map((e) => e.index),
        `case ${terms}`,
      ).toEqual(persisted);
      expect(n.logTerms(), `case ${terms}`).toEqual(log);
    }
  });

  it("a leader brings every follower's log in line with its own (figure 7)", () => {
    const leaderLog = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const followerLogs = [
      [1, 1, 1, 4, 4, 5, 5, 6, 6],
      [1, 1, 1, 4],
      [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
      [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
      [1, 1, 1, 4, 4, 4, 4],
      [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
    ];
    for (const followerLog of followerLogs) {
      const leader = node({ logTerms: leaderLog, hardState: { term: 8, commit: 10 } });
      const follower = node({ logTerms: followerLog, hardState: { term: 7 } }, "2");
      const net = new Network([leader, follower]); // "3" is a black hole
      net.campaign("1");
      net.send(voteGranted("3", "1", 9));
      expect(leader.raft.status().role).toBe("leader");
      net.propose("1", "");
      expect(follower.logTerms(), `follower ${followerLog}`).toEqual([...leaderLog, 9, 9]);
      expect(leader.logTerms()).toEqual([...leaderLog, 9, 9]);
    }
  });
});

describe("§5.4 safety", () => {
  it("a candidate asks for votes with the index and term of its last entry", () => {
    const cases: [number[], number][] = [
      [[1], 2],
      [[1, 2], 3],
    ];
    for (const [terms, term] of cases) {
      const n = node();
      n.deliver(
        appendEntries({ from: "2", to: "1", term: term - 1, entries: entriesWithTerms(1, terms) }),
      );
      const requests = ofType(n.tick(2 * ELECTION_TICKS - 1), "request-vote");
      expect(requests.map((m) => m.to).sort()).toEqual(["2", "3"]);
      for (const m of requests) {
        expect(m).toMatchObject({ term, lastLogIndex: terms.length, lastLogTerm: terms.at(-1) });
      }
    }
  });

  it("a voter grants only to a candidate whose log is at least as up to date as its own", () => {
    const cases: [number[], number, number, boolean][] = [
      // voter log, candidate last term, candidate last index, granted
      [[1], 1, 1, true],
      [[1], 1, 2, true],
      [[1, 1], 1, 1, false],
      [[1], 2, 1, true],
      [[1], 2, 2, true],
      [[1, 1], 2, 1, true],
      [[2], 1, 1, false],
      [[2], 1, 2, false],
      [[2, 2], 1, 1, false],
      [[1, 1], 1, 1, false],
    ];
    for (const [logTerms, lastLogTerm, lastLogIndex, granted] of cases) {
      const n = node({ voters: ["1", "2"], logTerms });
      const answers = n.deliver({
        type: "request-vote",
        from: "2",
        to: "1",
        term: 3,
        lastLogIndex,
        lastLogTerm,
        leaderTransfer: false,
      });
      expect(answers, `log ${logTerms} candidate ${lastLogIndex}@${lastLogTerm}`).toEqual([
        expect.objectContaining({ type: "request-vote-response", term: 3, granted }),
      ]);
    }
  });

  it("a leader commits an entry of an earlier term only through one of its own (figure 8)", () => {
    const cases: [number, number][] = [
      [1, 0],
      [2, 0],
      [3, 3],
    ];
    for (const [matchIndex, commit] of cases) {
      const leader = node({ voters: ["1", "2"], logTerms: [1, 2], hardState: { term: 2 } });
      makeLeader(leader);
      expect(leader.raft.status().term).toBe(3);
      leader.raft.propose(new TextEncoder().encode("x"));
      leader.drain();
      leader.deliver(appendAck({ from: "2", to: "1", term: 3, matchIndex }));
      expect(leader.raft.status().commit, `ack ${matchIndex}`).toBe(commit);
    }
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Fraction of rounds in which more than one of 5 nodes times out on the same tick. */
function conflictRate(role: "follower" | "candidate"): number {
  const ids = votersOf(5);
  const nodes = ids.map((id) => node({ voters: ids }, id));
  const rounds = 1000;
  let conflicts = 0;
  for (let round = 0; round < rounds; round++) {
    for (const n of nodes) {
      if (role === "follower") makeFollower(n, n.raft.status().term + 1, "9");
      else {
        n.raft.campaign();
        n.drain();
      }
    }
    for (;;) {
      const fired = nodes.filter((n) => n.tick(1).length > 0).length;
      if (fired > 0) {
        if (fired > 1) conflicts++;
        break;
      }
    }
  }
  return conflicts / rounds;
}
