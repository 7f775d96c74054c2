/**
 * Membership changes one voter at a time, effective when committed (see conf-change.ts for the
 * approach and why it is safe).
 */
import { describe, expect, it } from "vitest";
import {
  applyConfChange,
  decodeConfChange,
  EntryType,
  Raft,
  SeededRandom,
} from "../../../impl/raft/core/index.js";
import { appendEntries, Network, PLAIN, TestNode } from "./harness.js";

const VOTERS = ["1", "2", "3"];
const ELECTION_TICKS = 10;

/** "1" leads {1,2,3}; "4" runs with an empty configuration, waiting to be added. */
function clusterWithNewPeer(): Network {
  const net = Network.create(VOTERS);
  net.add(new TestNode("4", { voters: [] }));
  net.campaign("1");
  for (const data of ["a", "b"]) net.propose("1", data);
  return net;
}

function confChangeEntries(node: TestNode): string[] {
  return node.applied
    .filter((e) => e.type === EntryType.ConfChange)
    .map((e) => {
      const { change } = decodeConfChange(e.data);
      return change.kind === "reset" ? "reset" : `${change.kind} ${change.node}`;
    });
}

describe("membership changes", () => {
  it("an added peer is caught up first, then becomes a voter everywhere when the entry commits", () => {
    const net = clusterWithNewPeer();
    expect(net.raft("1").proposeConfChange({ kind: "add", node: "4" })).toEqual({
      ok: true,
      value: { appended: false },
    });
    net.stabilize();
    for (const id of ["1", "2", "3", "4"]) {
      expect(net.raft(id).status().conf, id).toEqual({ voters: ["1", "2", "3", "4"] });
      expect(confChangeEntries(net.node(id)), id).toEqual(["add 4"]);
    }
    expect(net.node("4").appliedData()).toEqual(["a", "b"]);
    // The new voter counts: with two of four down, nothing commits.
    net.isolate("2");
    net.isolate("3");
    net.propose("1", "c");
    expect(net.raft("1").status().commit).toBe(4);
  });

  it("a peer that never answers is given up after the catch-up timeout", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    expect(net.raft("1").proposeConfChange({ kind: "add", node: "9" }).ok).toBe(true);
    net.tick("1", 10 * ELECTION_TICKS);
    expect(net.node("1").notices).toEqual([
      {
        kind: "conf-change-aborted",
        change: { kind: "add", node: "9" },
        reason: "catch-up-timeout",
      },
    ]);
    expect(net.raft("1").status().conf.voters).toEqual(VOTERS);
    expect(net.raft("1").status().progress.has("9")).toBe(false);
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "3" }).ok).toBe(true);
  });

  it("a removed peer stops counting once the removal commits", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "3" })).toMatchObject({
      ok: true,
      value: { appended: true, index: 2 },
    });
    net.stabilize();
    expect(net.raft("1").status().conf.voters).toEqual(["1", "2"]);
    expect(net.raft("1").status().progress.has("3")).toBe(false);
    net.isolate("3");
    net.propose("1", "without 3");
    expect(net.node("2").appliedData()).toEqual(["without 3"]);
  });

  it("a second change is refused while one is uncommitted; repeating the first joins it", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    net.isolate("1");
    const first = net.raft("1").proposeConfChange({ kind: "remove", node: "3" });
    expect(first).toMatchObject({ ok: true, value: { appended: true, index: 2 } });
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "3" })).toEqual(first);
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "2" })).toEqual({
      ok: false,
      error: { reason: "conf-change-in-progress" },
    });
    expect(net.raft("1").proposeConfChange({ kind: "add", node: "4" })).toEqual({
      ok: false,
      error: { reason: "conf-change-in-progress" },
    });
  });

  it("an appended but uncommitted change has no effect", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    net.filter((m) => m.type === "append-entries-response");
    net.raft("1").proposeConfChange({ kind: "remove", node: "3" });
    net.stabilize();
    for (const id of VOTERS) {
      expect(net.raft(id).status().lastIndex, id).toBe(2);
      expect(net.raft(id).status().conf.voters, id).toEqual(VOTERS);
    }
  });

  it("a new leader accepts no change until it has committed an entry of its term", () => {
    const net = Network.create(VOTERS, PLAIN);
    net.campaign("1");
    net.ignore("append-entries");
    net.campaign("2");
    expect(net.raft("2").status()).toMatchObject({ role: "leader", commit: 1 });
    expect(net.raft("2").proposeConfChange({ kind: "remove", node: "3" })).toEqual({
      ok: false,
      error: { reason: "conf-change-in-progress" },
    });
    net.recover();
    net.tick("2");
    expect(net.raft("2").proposeConfChange({ kind: "remove", node: "3" }).ok).toBe(true);
  });

  it("a leader that removes itself steps down when the change commits and hands over", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    expect(net.raft("1").proposeConfChange({ kind: "remove", node: "1" }).ok).toBe(true);
    net.stabilize();
    expect(net.raft("1").status()).toMatchObject({
      role: "follower",
      conf: { voters: ["2", "3"] },
    });
    const leader = net.leader();
    expect(leader === "2" || leader === "3").toBe(true);
    expect(net.delivered.some((m) => m.type === "timeout-now")).toBe(true);
    // The removed node never campaigns again.
    net.isolate("1");
    net.tick("1", 5 * ELECTION_TICKS);
    expect(net.raft("1").status().role).toBe("follower");
  });

  it("refuses to add a voter twice, remove a non-member, or remove the last voter", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    const raft = net.raft("1");
    expect(raft.proposeConfChange({ kind: "add", node: "2" })).toEqual({
      ok: false,
      error: { reason: "peer-already-member", node: "2" },
    });
    expect(raft.proposeConfChange({ kind: "remove", node: "9" })).toEqual({
      ok: false,
      error: { reason: "peer-not-member", node: "9" },
    });
    const alone = Network.create(["1"]);
    alone.campaign("1");
    expect(alone.raft("1").proposeConfChange({ kind: "remove", node: "1" })).toMatchObject({
      ok: false,
      error: { reason: "conf-change-invalid" },
    });
  });

  it("refuses to grow past the voter limit", () => {
    const net = Network.create(["1", "2", "3"], { maxVoters: 3 });
    net.campaign("1");
    expect(net.raft("1").proposeConfChange({ kind: "add", node: "4" })).toMatchObject({
      ok: false,
      error: { reason: "conf-change-invalid" },
    });
  });

  it("is refused on a follower, with the leader as hint", () => {
    const net = Network.create(VOTERS);
    net.campaign("1");
    expect(net.raft("3").proposeConfChange({ kind: "remove", node: "2" })).toEqual({
      ok: false,
      error: { reason: "not-leader", leader: "1" },
    });
  });

  it("a restarted node replays committed changes from its log", () => {
    const net = clusterWithNewPeer();
    net.raft("1").proposeConfChange({ kind: "add", node: "4" });
    net.stabilize();
    const storage = net.node("4").storage;
    const restarted = new Raft({ id: "4", storage, random: new SeededRandom(4), ...PLAIN });
    expect(restarted.status().conf).toEqual({ voters: ["1", "2", "3", "4"] });
  });

  it("a peer that missed earlier changes adopts the whole configuration an entry carries", () => {
    const follower = new TestNode("4", { voters: [] });
    const conf = applyConfChange({ voters: ["1", "2", "3"] }, { kind: "add", node: "4" });
    const data = new TextEncoder().encode(
      JSON.stringify({ v: 1, kind: "add", node: "4", voters: conf.voters }),
    );
    follower.deliver(
      appendEntries({
        from: "1",
        to: "4",
        term: 1,
        entries: [{ index: 1, term: 1, type: EntryType.ConfChange, data }],
        leaderCommit: 1,
      }),
    );
    expect(follower.raft.status().conf).toEqual({ voters: ["1", "2", "3", "4"] });
  });
});
