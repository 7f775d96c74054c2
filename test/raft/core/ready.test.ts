/**
 * The Ready/advance contract: what must be durable before which message goes out, when entries
 * count as applied, and recovery from the storage after a restart.
 */
import { describe, expect, it } from "vitest";
import { EntryType, MemoryStorage, Raft, SeededRandom } from "../../../impl/raft/core/index.js";
import {
  acceptAndReply,
  appendEntries,
  entriesWithTerms,
  makeLeader,
  Network,
  ofType,
  PLAIN,
  TestNode,
  voteGranted,
} from "./harness.js";

const VOTERS = ["1", "2", "3"];

describe("Ready", () => {
  it("a granted vote goes out only after the new term and vote are durable", () => {
    const n = new TestNode("1", { voters: VOTERS, ...PLAIN });
    n.raft.step({
      type: "request-vote",
      from: "2",
      to: "1",
      term: 1,
      lastLogIndex: 0,
      lastLogTerm: 0,
      leaderTransfer: false,
    });
    const ready = n.raft.ready();
    expect(ready.hardState).toEqual({ term: 1, vote: "2", commit: 0 });
    expect(ready.mustSync).toBe(true);
    expect(ready.messages).toEqual([]);
    expect(ready.messagesAfterPersist).toEqual([
      expect.objectContaining({ type: "request-vote-response", granted: true }),
    ]);
  });

  it("a candidate's vote requests wait until its new term and self-vote are durable", () => {
    const n = new TestNode("1", { voters: VOTERS, ...PLAIN });
    n.raft.campaign();
    const ready = n.raft.ready();
    expect(ready.hardState).toEqual({ term: 1, vote: "1", commit: 0 });
    expect(ready.messages).toEqual([]);
    expect(ofType(ready.messagesAfterPersist, "request-vote")).toHaveLength(2);
  });

  it("a follower acknowledges appended entries only after they are durable", () => {
    const n = new TestNode("1", { voters: VOTERS, ...PLAIN, hardState: { term: 1 } });
    n.raft.step(appendEntries({ from: "2", to: "1", term: 1, entries: entriesWithTerms(1, [1]) }));
    const ready = n.raft.ready();
    expect(ready.entries).toHaveLength(1);
    expect(ready.messages).toEqual([]);
    expect(ready.messagesAfterPersist).toEqual([
      expect.objectContaining({ type: "append-entries-response", success: true, matchIndex: 1 }),
    ]);
  });

  it("a leader sends new entries while writing them to its own disk", () => {
    const leader = new TestNode("1", { voters: VOTERS, ...PLAIN });
    for (const m of ofType(makeLeader(leader), "append-entries")) leader.deliver(acceptAndReply(m));
    leader.raft.propose(new TextEncoder().encode("x"));
    const ready = leader.raft.ready();
    expect(ready.hardState).toBeUndefined();
    expect(ready.entries).toHaveLength(1);
    expect(ready.mustSync).toBe(true);
    expect(ofType(ready.messages, "append-entries")).toHaveLength(2);
    expect(ready.messagesAfterPersist).toEqual([]);
  });

  it("a leader counts its own copy toward a majority only once advance() says it is durable", () => {
    const leader = new TestNode("1", { voters: ["1", "2"], ...PLAIN });
    leader.raft.campaign();
    leader.drain();
    leader.raft.step(voteGranted("2", "1", 1));
    const ready = leader.raft.ready(); // holds the no-op entry, not yet durable
    const [append] = ofType(ready.messages, "append-entries");
    if (append === undefined) throw new Error("no append");
    leader.raft.step(acceptAndReply(append));
    expect(leader.raft.status().commit).toBe(0);
    leader.storage.append(ready.entries);
    leader.raft.advance();
    expect(leader.raft.status().commit).toBe(1);
  });

  it("asking for a second Ready before advancing the first is a bug", () => {
    const n = new TestNode("1", { voters: VOTERS, ...PLAIN });
    n.raft.campaign();
    n.raft.ready();
    expect(n.raft.hasReady()).toBe(false);
    expect(() => n.raft.ready()).toThrow(/advance/);
    n.raft.advance();
    expect(() => n.raft.advance()).toThrow(/without a ready/);
  });

  it("hard state and soft state appear only when they change", () => {
    const net = Network.create(VOTERS, PLAIN);
    net.campaign("1");
    const leader = net.node("1");
    net.propose("1", "x");
    const last = leader.readies.at(-1);
    expect(last?.softState).toBeUndefined();
    const softStates = leader.readies.map((r) => r.softState).filter((s) => s !== undefined);
    expect(softStates).toEqual([
      { leader: "", role: "candidate" },
      { leader: "1", role: "leader" },
    ]);
    const terms = leader.readies.map((r) => r.hardState?.term).filter((t) => t !== undefined);
    expect(new Set(terms)).toEqual(new Set([1]));
  });

  it("committed entries are handed out once, in order, and become the applied index", () => {
    const net = Network.create(VOTERS, PLAIN);
    net.campaign("1");
    for (const data of ["a", "b", "c"]) net.propose("1", data);
    for (const id of VOTERS) {
      const node = net.node(id);
      expect(node.applied.map((e) => e.index)).toEqual([1, 2, 3, 4]);
      expect(node.raft.status().applied).toBe(4);
    }
  });

  it("a restarted node recovers term, vote, log and commit, and re-applies after its applied index", () => {
    const net = Network.create(VOTERS, PLAIN);
    net.campaign("1");
    for (const data of ["a", "b", "c"]) net.propose("1", data);
    const before = net.node("2");
    const restarted = new Raft({
      id: "2",
      storage: before.storage,
      random: new SeededRandom(7),
      applied: 2,
      ...PLAIN,
    });
    expect(restarted.status()).toMatchObject({
      term: 1,
      vote: "1",
      commit: 4,
      applied: 2,
      lastIndex: 4,
    });
    const ready = restarted.ready();
    expect(ready.committedEntries.map((e) => e.index)).toEqual([3, 4]);
    expect(ready.entries).toEqual([]);
  });

  it("a restarted node rebuilds its configuration from the snapshot and the committed log", () => {
    const storage = new MemoryStorage({ voters: ["1", "2"] });
    const leader = new TestNode("1", { voters: [], storage, ...PLAIN });
    leader.raft.campaign();
    leader.drain();
    leader.deliver(voteGranted("2", "1", 1));
    expect(leader.raft.status().role).toBe("leader");
    const restarted = new Raft({ id: "1", storage, random: new SeededRandom(1), ...PLAIN });
    expect(restarted.status().conf).toEqual({ voters: ["1", "2"] });
    expect(leader.storage.term(1)).toBe(1);
    expect(leader.applied).toEqual([]);
    expect(storage.entries(1, 2, 100)[0]?.type).toBe(EntryType.NoOp);
  });
});
