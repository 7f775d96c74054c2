/**
 * Log back-off with the follower's hint (etcd raft's fast log rejection): a rejected probe
 * carries the follower's best guess of a matching (index, term), and the leader skips a whole
 * conflicting term per round trip instead of one entry.
 */
import { describe, expect, it } from "vitest";
import {
  type AppendEntriesRequest,
  MemoryStorage,
  type Message,
} from "../../../impl/raft/core/index.js";
import { entriesWithTerms, makeLeader, Network, ofType, TestNode } from "./harness.js";

const VOTERS = ["1", "2", "3"];

function firstAppendTo(messages: readonly Message[], to: string): AppendEntriesRequest {
  const append = ofType(messages, "append-entries").find((m) => m.to === to);
  if (append === undefined) throw new Error(`no append to ${to}`);
  return append;
}

describe("log back-off", () => {
  it("one rejection moves the probe to where the logs can match", () => {
    const cases: {
      leader: number[];
      follower: number[];
      hint: [number, number];
      nextProbe: number;
    }[] = [
      // follower diverged with a lower term: skip the leader's whole term 3
      { leader: [1, 3, 3, 3, 3, 3], follower: [1, 2, 2, 2, 2], hint: [5, 2], nextProbe: 1 },
      // follower diverged with entries of a term the leader never saw
      { leader: [1, 1, 3, 3], follower: [1, 1, 2, 2, 2, 2, 2], hint: [4, 2], nextProbe: 2 },
      // follower is simply short
      { leader: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], follower: [1, 1], hint: [2, 1], nextProbe: 2 },
      // follower holds a higher term than the probe's
      { leader: [1, 2, 2, 2], follower: [1, 3, 3, 3, 3, 3], hint: [1, 1], nextProbe: 1 },
    ];
    for (const { leader: leaderLog, follower: followerLog, hint, nextProbe } of cases) {
      const label = `leader ${leaderLog} follower ${followerLog}`;
      const leader = new TestNode("1", {
        voters: VOTERS,
        logTerms: leaderLog,
        hardState: { term: 5 },
      });
      const follower = new TestNode("2", {
        voters: VOTERS,
        logTerms: followerLog,
        hardState: { term: 5 },
      });
      const probe = firstAppendTo(makeLeader(leader), "2");
      expect(probe.prevLogIndex, label).toBe(leaderLog.length);
      const [rejection] = follower.deliver(probe);
      expect(rejection, label).toMatchObject({
        success: false,
        rejectReason: "log-mismatch",
        rejectHintIndex: hint[0],
        rejectHintTerm: hint[1],
      });
      if (rejection === undefined) throw new Error("no answer");
      const next = firstAppendTo(leader.deliver(rejection), "2");
      expect(next.prevLogIndex, label).toBe(nextProbe);
      // The second probe matches: the follower accepts and the logs converge.
      const [accepted] = follower.deliver(next);
      expect(accepted, label).toMatchObject({ success: true });
    }
  });

  it("figure 7 (f): the leader needs a single rejection to find the match point", () => {
    const leaderLog = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const leader = new TestNode("1", {
      voters: VOTERS,
      logTerms: leaderLog,
      hardState: { term: 8, commit: 10 },
    });
    const follower = new TestNode("2", {
      voters: VOTERS,
      logTerms: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
      hardState: { term: 7 },
    });
    const net = new Network([leader, follower]);
    net.campaign("1");
    net.send({ type: "request-vote-response", from: "3", to: "1", term: 9, granted: true });
    const rejections = net.delivered.filter(
      (m) => m.type === "append-entries-response" && !m.success,
    );
    expect(rejections).toHaveLength(1);
    expect(follower.logTerms()).toEqual([...leaderLog, 9]);
  });

  it("a late rejection after a newer acknowledgement restarts from the match index", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    for (const data of ["a", "b"]) net.propose("1", data);
    const leader = net.node("1");
    expect(leader.raft.status().progress.get("2")).toMatchObject({ state: "replicate", match: 3 });
    const sent = leader.deliver({
      type: "append-entries-response",
      from: "2",
      to: "1",
      term: 1,
      success: false,
      rejectReason: "log-mismatch",
      matchIndex: 0,
      rejectHintIndex: 1,
      rejectHintTerm: 1,
      lastLogIndex: 1,
      readContext: 0,
    });
    expect(firstAppendTo(sent, "2").prevLogIndex).toBe(3);
    expect(leader.raft.status().progress.get("2")).toMatchObject({ state: "probe", match: 3 });
  });

  it("a follower that diverged below the leader's compaction point gets a snapshot", () => {
    // Regression: the leader's hint search used to stop at its compaction point and send the same
    // probe forever.
    const storage = new MemoryStorage({ voters: VOTERS });
    storage.append(entriesWithTerms(1, [1, 1, 1, 2, 2, 2]));
    storage.createSnapshot(4, { voters: VOTERS }, new Uint8Array([1]));
    storage.compact(4);
    storage.setHardState({ term: 2, vote: "", commit: 6 });
    const leader = new TestNode("1", { voters: VOTERS, storage });
    const follower = new TestNode("2", {
      voters: VOTERS,
      logTerms: [1, 1, 1, 1, 1, 1, 1],
      hardState: { term: 2, commit: 3 },
    });
    const [rejection] = follower.deliver(firstAppendTo(makeLeader(leader), "2"));
    if (rejection === undefined) throw new Error("no answer");
    expect(rejection).toMatchObject({ success: false, rejectHintIndex: 6, rejectHintTerm: 1 });
    const [next] = leader.deliver(rejection).filter((m) => m.to === "2");
    expect(next).toMatchObject({
      type: "install-snapshot",
      snapshot: { meta: { index: 4, term: 2 } },
    });
  });

  it("a hint below the leader's compaction point leads to a snapshot", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    net.isolate("3");
    for (const data of ["a", "b", "c"]) net.propose("1", data);
    const leader = net.node("1");
    leader.storage.createSnapshot(4, leader.raft.status().conf, new Uint8Array([1]));
    leader.storage.compact(4);
    net.recover();
    net.tick("1");
    expect(net.delivered.filter((m) => m.type === "install-snapshot" && m.to === "3")).toHaveLength(
      1,
    );
    expect(net.node("3").logTerms()).toEqual(leader.logTerms());
  });
});
