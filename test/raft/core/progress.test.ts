/**
 * Per-follower replication state: the inflight window, probe/replicate/snapshot transitions,
 * and the flow control they give the leader.
 */
import { describe, expect, it } from "vitest";
import { Inflights } from "../../../impl/raft/core/inflights.js";
import { Progress } from "../../../impl/raft/core/progress.js";
import { acceptAndReply, appendAck, makeLeader, ofType, PLAIN, TestNode } from "./harness.js";

function encode(data: string): Uint8Array {
  return new TextEncoder().encode(data);
}

describe("inflights", () => {
  it("an acknowledgement frees every message ending at or below it", () => {
    const window = new Inflights(10);
    for (const last of [3, 5, 8, 9]) window.add(last);
    window.freeLE(6);
    expect(window.count).toBe(2);
    window.freeLE(4); // stale: frees nothing more
    expect(window.count).toBe(2);
    window.freeLE(9);
    expect(window.count).toBe(0);
  });

  it("is full at capacity and refuses more", () => {
    const window = new Inflights(2);
    window.add(1);
    window.add(2);
    expect(window.full()).toBe(true);
    expect(() => window.add(3)).toThrow(/full/);
    window.freeFirstOne();
    expect(window.full()).toBe(false);
  });
});

describe("progress", () => {
  it("a probing follower is paused after one append until an answer arrives", () => {
    const pr = new Progress(5, 10);
    expect(pr.isPaused()).toBe(false);
    pr.sentAppend(7, 0);
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeUpdate(7)).toBe(true);
    expect(pr.isPaused()).toBe(false);
  });

  it("in replicate state, sending advances next optimistically within the window", () => {
    const pr = new Progress(5, 2);
    pr.maybeUpdate(4);
    pr.becomeReplicate();
    pr.sentAppend(6, 0);
    pr.sentAppend(8, 0);
    expect(pr).toMatchObject({ next: 9, match: 4 });
    expect(pr.isPaused()).toBe(true);
  });

  it("backing off never goes below the match index and leaves replicate state", () => {
    const pr = new Progress(11, 10);
    pr.maybeUpdate(3);
    pr.backOff(1);
    expect(pr.next).toBe(4);
    pr.becomeReplicate();
    pr.sentAppend(9, 0);
    pr.backOff(7);
    expect(pr).toMatchObject({ state: "probe", next: 4 });
  });

  it("a stale acknowledgement does not move the match index", () => {
    const pr = new Progress(1, 10);
    expect(pr.maybeUpdate(5)).toBe(true);
    expect(pr.maybeUpdate(3)).toBe(false);
    expect(pr).toMatchObject({ match: 5, next: 6 });
  });

  it("leaving snapshot state after an install resumes after the snapshot", () => {
    const pr = new Progress(1, 10);
    pr.becomeSnapshot(20);
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect(pr).toMatchObject({ state: "probe", next: 21, pendingSnapshot: 0 });
  });
});

describe("flow control", () => {
  /** A leader of {1,2} whose follower "2" is in replicate state, window of 3. */
  function replicatingLeader(): TestNode {
    const leader = new TestNode("1", { voters: ["1", "2"], ...PLAIN, maxInflightAppends: 3 });
    for (const m of ofType(makeLeader(leader), "append-entries")) leader.deliver(acceptAndReply(m));
    expect(leader.raft.status().progress.get("2")?.state).toBe("replicate");
    return leader;
  }

  it("a full window stops appends until acknowledgements free it", () => {
    const leader = replicatingLeader();
    const appends = [];
    for (let i = 0; i < 10; i++) {
      leader.raft.propose(encode(`${i}`));
      appends.push(...ofType(leader.drain(), "append-entries"));
    }
    expect(appends).toHaveLength(3);
    const [first] = appends;
    if (first === undefined) throw new Error("no append");
    const more = ofType(leader.deliver(acceptAndReply(first)), "append-entries");
    expect(more).toHaveLength(1);
    expect(more[0]?.entries.map((e) => e.index)).toEqual([5, 6, 7, 8, 9, 10, 11]);
  });

  it("proposals made between two Readies share one append per follower", () => {
    const leader = replicatingLeader();
    for (let i = 0; i < 5; i++) leader.raft.propose(encode(`${i}`));
    const appends = ofType(leader.drain(), "append-entries");
    expect(appends).toHaveLength(1);
    expect(appends[0]?.entries).toHaveLength(5);
  });

  it("a probing follower gets one append at a time", () => {
    const leader = new TestNode("1", { voters: ["1", "2"], ...PLAIN });
    makeLeader(leader);
    for (let i = 0; i < 3; i++) leader.raft.propose(encode(`${i}`));
    expect(ofType(leader.drain(), "append-entries")).toHaveLength(0);
  });

  it("a heartbeat answer lets one append through a window clogged by lost messages", () => {
    const leader = replicatingLeader();
    for (let i = 0; i < 3; i++) {
      leader.raft.propose(encode(`${i}`));
      leader.drain();
    }
    leader.raft.propose(encode("blocked"));
    expect(ofType(leader.drain(), "append-entries")).toHaveLength(0);
    const sent = leader.deliver(appendAck({ from: "2", to: "1", term: 1, matchIndex: 1 }));
    expect(ofType(sent, "append-entries")).toHaveLength(1);
  });

  it("answers without progress while an entry is in flight get one loss check per heartbeat", () => {
    // Regression: every such answer used to send another empty append, whose own answer sent
    // the next — a ping-pong for as long as the entry was in flight (~10 RPCs per commit).
    const leader = replicatingLeader();
    leader.raft.propose(encode("in flight"));
    leader.drain();
    const stale = () => appendAck({ from: "2", to: "1", term: 1, matchIndex: 1 });
    const checks = [stale(), stale(), stale()].flatMap((m) =>
      ofType(leader.deliver(m), "append-entries"),
    );
    expect(checks).toHaveLength(1);
    expect(checks[0]?.entries).toEqual([]);
    // The next heartbeat allows one more check.
    leader.tick();
    const afterHeartbeat = [stale(), stale()].flatMap((m) =>
      ofType(leader.deliver(m), "append-entries"),
    );
    expect(afterHeartbeat).toHaveLength(1);
  });

  it("large proposals are cut into appends of at most the configured size", () => {
    const leader = new TestNode("1", { voters: ["1", "2"], ...PLAIN, maxBytesPerAppend: 10 });
    for (const m of ofType(makeLeader(leader), "append-entries")) leader.deliver(acceptAndReply(m));
    for (let i = 0; i < 4; i++) leader.raft.propose(encode("12345"));
    const appends = ofType(leader.drain(), "append-entries");
    expect(appends.map((m) => m.entries.length)).toEqual([2, 2]);
  });

  it("the leader's own progress follows its durable log", () => {
    const leader = replicatingLeader();
    for (let i = 0; i < 5; i++) leader.raft.propose(encode(`${i}`));
    leader.drain();
    expect(leader.raft.status().progress.get("1")).toMatchObject({ match: 6, next: 7 });
  });
});
