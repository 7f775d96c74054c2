/**
 * Three RaftHosts in one process, each with its own data directory and a real Connect server:
 * election, replication in order, restart from disk, leader failover.
 */
import { afterEach, describe, expect, it } from "vitest";
import { KvStateMachine, type KvWrite } from "../support/kv-state-machine.js";
import { RaftCluster } from "../support/raft-cluster.js";

let cluster: RaftCluster<KvStateMachine> | undefined;

afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

function start(): Promise<RaftCluster<KvStateMachine>> {
  return RaftCluster.start({ size: 3, tickMs: 25, newMachine: () => new KvStateMachine() }).then(
    (c) => {
      cluster = c;
      return c;
    },
  );
}

function write(id: string, key = "k", value = id): Uint8Array {
  return KvStateMachine.encode({ id, key, value } satisfies KvWrite);
}

describe("a three-node group over Connect", () => {
  it("elects one leader that every member follows", async () => {
    const c = await start();
    const leader = await c.leader();
    for (const member of c.members) {
      expect(member.raft.status().leader).toBe(leader.address);
    }
  });

  it("applies proposals on every member in the order the leader committed them", async () => {
    const c = await start();
    const leader = await c.leader();
    const ids = Array.from({ length: 50 }, (_, i) => `w${i}`);
    const results = await Promise.all(ids.map((id) => leader.raft.propose(write(id))));
    const lastIndex = Math.max(...results.map((r) => r.index));
    await c.appliedEverywhere(lastIndex);
    const orders = c.members.map((m) => m.raft.stateMachine.appliedIds());
    expect(new Set(orders[0])).toEqual(new Set(ids));
    for (const order of orders) expect(order).toEqual(orders[0]);
    // Each proposal resolved with the index its own entry was applied at.
    expect(new Set(results.map((r) => r.index)).size).toBe(ids.length);
  });

  it("a follower restarted from disk catches up with what it missed", async () => {
    const c = await start();
    const leader = await c.leader();
    const follower = c.members.find((m) => m !== leader);
    if (follower === undefined) throw new Error("no follower");
    for (let i = 0; i < 10; i++) await leader.raft.propose(write(`before-${i}`));
    await c.stop(follower);
    let last = 0;
    for (let i = 0; i < 10; i++) last = (await leader.raft.propose(write(`while-down-${i}`))).index;
    await c.restart(follower);
    await c.appliedEverywhere(last);
    expect(follower.raft.stateMachine.appliedIds()).toEqual(leader.raft.stateMachine.appliedIds());
  });

  it("elects a new leader when the leader stops, and keeps every committed entry", async () => {
    const c = await start();
    const first = await c.leader();
    const committed: string[] = [];
    for (let i = 0; i < 20; i++) {
      await first.raft.propose(write(`c${i}`));
      committed.push(`c${i}`);
    }
    await c.stop(first);
    const second = await c.leader();
    expect(second.address).not.toBe(first.address);
    const { index } = await second.raft.propose(write("after-failover"));
    await c.appliedEverywhere(index);
    for (const member of c.members.filter((m) => m.running)) {
      expect(member.raft.stateMachine.appliedIds()).toEqual([...committed, "after-failover"]);
    }
    await c.restart(first);
    await c.appliedEverywhere(index);
    expect(first.raft.stateMachine.appliedIds()).toEqual([...committed, "after-failover"]);
  });

  it("a read returns the latest applied value", async () => {
    const c = await start();
    const leader = await c.leader();
    for (let i = 0; i < 5; i++) await leader.raft.propose(write(`r${i}`, "key", `v${i}`));
    const value = await leader.raft.read((machine) => machine.get("key"));
    expect(value).toBe("v4");
  });

  it("a follower refuses proposals and reads with the leader as hint", async () => {
    const c = await start();
    const leader = await c.leader();
    const follower = c.members.find((m) => m !== leader);
    await expect(follower?.raft.propose(write("x"))).rejects.toMatchObject({
      kind: "not-leader",
      leaderHint: leader.address,
    });
    await expect(follower?.raft.read((m) => m.get("k"))).rejects.toMatchObject({
      kind: "not-leader",
      leaderHint: leader.address,
    });
  });
});
