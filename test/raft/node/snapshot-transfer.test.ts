/**
 * Snapshots: a follower that missed entries the leader has compacted away receives the leader's
 * snapshot over InstallSnapshot, in chunks, and continues from the log after it.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Request } from "../../../impl/raft/core/index.js";
import type { RaftTransport, ReplySink } from "../../../impl/raft/node/index.js";
import { ConnectRaftTransport } from "../../../impl/raft/transport/index.js";
import { KvStateMachine } from "../support/kv-state-machine.js";
import { RaftCluster } from "../support/raft-cluster.js";

/** Small chunks, so that a snapshot of a few dozen KiB takes many InstallSnapshot calls. */
const CHUNK_BYTES = 4096;

/** Counts the InstallSnapshot chunk answers a member's transport receives. */
class CountingTransport implements RaftTransport {
  static chunkAnswers = 0;
  private readonly inner = new ConnectRaftTransport({ snapshotChunkBytes: CHUNK_BYTES });

  send(groupId: bigint, request: Request, replies: ReplySink): void {
    if (request.type !== "install-snapshot") {
      this.inner.send(groupId, request, replies);
      return;
    }
    this.inner.send(groupId, request, {
      ...replies,
      openSnapshot: () => replies.openSnapshot(),
      leadsIn: (term) => replies.leadsIn(term),
      deliver: (response) => {
        CountingTransport.chunkAnswers++;
        replies.deliver(response);
      },
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

let cluster: RaftCluster<KvStateMachine> | undefined;

afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

describe("snapshots over InstallSnapshot", () => {
  it("a lagging follower is caught up with the leader's snapshot, sent in chunks", async () => {
    cluster = await RaftCluster.start({
      size: 3,
      tickMs: 25,
      newMachine: () => new KvStateMachine(),
      snapshotEveryEntries: 20,
      snapshotKeepEntries: 5,
      transport: () => new CountingTransport(),
    });
    const leader = await cluster.leader();
    const lagging = cluster.members.find((m) => m !== leader);
    if (lagging === undefined) throw new Error("no follower");
    await cluster.stop(lagging);

    const value = "x".repeat(1000);
    let last = 0;
    for (let i = 0; i < 100; i++) {
      last = (
        await leader.raft.propose(KvStateMachine.encode({ id: `s${i}`, key: `k${i}`, value }))
      ).index;
    }
    // The leader compacted past everything the follower has.
    await cluster.appliedEverywhere(last);
    expect(leader.raft.status().firstIndex).toBeGreaterThan(1);

    CountingTransport.chunkAnswers = 0;
    await cluster.restart(lagging);
    await cluster.appliedEverywhere(last);
    expect(lagging.raft.stateMachine.appliedIds()).toEqual(leader.raft.stateMachine.appliedIds());
    expect(lagging.raft.stateMachine.get("k99")).toBe(value);
    // ~100 KB of state at 4 KiB per chunk.
    expect(CountingTransport.chunkAnswers).toBeGreaterThan(10);
    // It started from the snapshot, not from the beginning of the log.
    expect(lagging.raft.status().firstIndex).toBeGreaterThan(1);

    // And replicates normally afterwards.
    const next = (
      await leader.raft.propose(KvStateMachine.encode({ id: "after", key: "a", value: "b" }))
    ).index;
    await cluster.appliedEverywhere(next);
    expect(lagging.raft.stateMachine.get("a")).toBe("b");
  });

  it("a restarted node recovers from its own snapshot and the log after it", async () => {
    cluster = await RaftCluster.start({
      size: 3,
      tickMs: 25,
      newMachine: () => new KvStateMachine(),
      snapshotEveryEntries: 10,
      snapshotKeepEntries: 3,
    });
    const leader = await cluster.leader();
    let last = 0;
    for (let i = 0; i < 35; i++) {
      last = (
        await leader.raft.propose(KvStateMachine.encode({ id: `r${i}`, key: "k", value: `${i}` }))
      ).index;
    }
    await cluster.appliedEverywhere(last);
    const ids = leader.raft.stateMachine.appliedIds();
    for (const member of [...cluster.members]) {
      await cluster.stop(member);
      await cluster.restart(member);
    }
    await cluster.leader();
    await cluster.appliedEverywhere(last);
    for (const member of cluster.members)
      expect(member.raft.stateMachine.appliedIds()).toEqual(ids);
  });
});
