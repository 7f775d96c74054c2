/**
 * CliService against a three-node group over real Connect: GetLeader, membership changes with
 * catch-up of a new peer, leadership transfer, snapshots, and the typed errors of cli.proto.
 */
import { create } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { errorInfoOf } from "../../../impl/errors.js";
import { PeerSchema } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { CliService } from "../../../impl/gen/curve/raft/v1/cli_pb.js";
import { eventually } from "../../support/eventually.js";
import { KvStateMachine } from "../support/kv-state-machine.js";
import { type ClusterMember, RaftCluster } from "../support/raft-cluster.js";

const COPYSET = { poolId: 1, copysetId: 1 };

let cluster: RaftCluster<KvStateMachine> | undefined;

afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

async function start(): Promise<RaftCluster<KvStateMachine>> {
  cluster = await RaftCluster.start({
    size: 3,
    tickMs: 25,
    newMachine: () => new KvStateMachine(),
  });
  return cluster;
}

function cli(member: ClusterMember<KvStateMachine>): Client<typeof CliService> {
  return createClient(
    CliService,
    createConnectTransport({
      baseUrl: `http://${member.address}`,
      httpVersion: "2",
      defaultTimeoutMs: 20_000,
    }),
  );
}

function peer(member: ClusterMember<KvStateMachine>) {
  return create(PeerSchema, { address: member.address });
}

async function reasonOf(
  call: Promise<unknown>,
): Promise<{ reason: ErrorReason; leaderHint: string }> {
  try {
    await call;
  } catch (error) {
    const info = errorInfoOf(error);
    return { reason: info?.reason ?? ErrorReason.UNSPECIFIED, leaderHint: info?.leaderHint ?? "" };
  }
  throw new Error("the call succeeded");
}

function addresses(peers: readonly { address: string }[]): string[] {
  return peers.map((p) => p.address).sort();
}

describe("CliService", () => {
  it("GetLeader on any member names the leader, its term and the configuration", async () => {
    const c = await start();
    const leader = await c.leader();
    for (const member of c.members) {
      const answer = await cli(member).getLeader(COPYSET);
      expect(answer.leader?.address).toBe(leader.address);
      expect(Number(answer.term)).toBe(leader.raft.status().term);
      expect(addresses(answer.peers)).toEqual(c.members.map((m) => m.address).sort());
    }
  });

  it("GetLeader of a group this server does not host is GROUP_NOT_FOUND", async () => {
    const c = await start();
    expect(
      (
        await reasonOf(
          cli(c.members[0] as ClusterMember<KvStateMachine>).getLeader({ poolId: 1, copysetId: 2 }),
        )
      ).reason,
    ).toBe(ErrorReason.GROUP_NOT_FOUND);
  });

  it("AddPeer catches a new peer up, then makes it a voter that applies everything", async () => {
    const c = await start();
    const leader = await c.leader();
    for (let i = 0; i < 20; i++) {
      await leader.raft.propose(KvStateMachine.encode({ id: `a${i}`, key: "k", value: `${i}` }));
    }
    const fresh = await c.addMember();
    const answer = await cli(leader).addPeer({ ...COPYSET, peer: peer(fresh) });
    expect(addresses(answer.oldPeers)).toHaveLength(3);
    expect(addresses(answer.newPeers)).toEqual(
      [...addresses(answer.oldPeers), fresh.address].sort(),
    );
    const { index } = await leader.raft.propose(
      KvStateMachine.encode({ id: "after-add", key: "k", value: "x" }),
    );
    await c.appliedEverywhere(index);
    expect(fresh.raft.stateMachine.appliedIds()).toEqual(leader.raft.stateMachine.appliedIds());
    expect(fresh.raft.status().conf.voters).toContain(fresh.address);
    // Idempotent: adding it again changes nothing.
    const again = await cli(leader).addPeer({ ...COPYSET, peer: peer(fresh) });
    expect(addresses(again.oldPeers)).toEqual(addresses(again.newPeers));
  });

  it("RemovePeer takes a voter out; repeating it is PEER_NOT_MEMBER", async () => {
    const c = await start();
    const leader = await c.leader();
    const follower = c.members.find((m) => m !== leader) as ClusterMember<KvStateMachine>;
    const answer = await cli(leader).removePeer({ ...COPYSET, peer: peer(follower) });
    expect(addresses(answer.newPeers)).toEqual(
      c.members
        .filter((m) => m !== follower)
        .map((m) => m.address)
        .sort(),
    );
    expect(
      (await reasonOf(cli(leader).removePeer({ ...COPYSET, peer: peer(follower) }))).reason,
    ).toBe(ErrorReason.PEER_NOT_MEMBER);
    // The two remaining voters still commit.
    const { index } = await leader.raft.propose(
      KvStateMachine.encode({ id: "two", key: "k", value: "2" }),
    );
    expect(index).toBeGreaterThan(0);
  });

  it("ChangePeers replaces one voter by another, adding first", async () => {
    const c = await start();
    const leader = await c.leader();
    const out = c.members.find((m) => m !== leader) as ClusterMember<KvStateMachine>;
    const fresh = await c.addMember();
    const target = c.members.filter((m) => m !== out);
    const answer = await cli(leader).changePeers({ ...COPYSET, newPeers: target.map(peer) });
    expect(addresses(answer.newPeers)).toEqual(target.map((m) => m.address).sort());
    expect([...leader.raft.status().conf.voters].sort()).toEqual(
      target.map((m) => m.address).sort(),
    );
    // The new voter replicates like the others.
    const { index } = await leader.raft.propose(
      KvStateMachine.encode({ id: "after-change", key: "k", value: "v" }),
    );
    await eventually(() => (fresh.raft.appliedIndex >= index ? true : undefined));
    expect(fresh.raft.stateMachine.appliedIds()).toEqual(leader.raft.stateMachine.appliedIds());
  });

  it("membership calls on a follower are NOT_LEADER with the leader as hint", async () => {
    const c = await start();
    const leader = await c.leader();
    const follower = c.members.find((m) => m !== leader) as ClusterMember<KvStateMachine>;
    const failure = await reasonOf(cli(follower).removePeer({ ...COPYSET, peer: peer(leader) }));
    expect(failure).toEqual({ reason: ErrorReason.NOT_LEADER, leaderHint: leader.address });
  });

  it("TransferLeader hands leadership to the named voter", async () => {
    const c = await start();
    const leader = await c.leader();
    const target = c.members.find((m) => m !== leader) as ClusterMember<KvStateMachine>;
    const answer = await cli(leader).transferLeader({ ...COPYSET, transferee: peer(target) });
    expect(answer.leader?.address).toBe(target.address);
    const next = await c.leader();
    expect(next.address).toBe(target.address);
    await eventually(async () =>
      (await cli(leader).getLeader(COPYSET)).leader?.address === target.address ? true : undefined,
    );
    // Idempotent: asking again, anywhere, is OK at once.
    expect(
      (await cli(target).transferLeader({ ...COPYSET, transferee: peer(target) })).leader?.address,
    ).toBe(target.address);
  });

  it("TransferLeader to a non-member is PEER_NOT_MEMBER", async () => {
    const c = await start();
    const leader = await c.leader();
    const failure = await reasonOf(
      cli(leader).transferLeader({
        ...COPYSET,
        transferee: create(PeerSchema, { address: "127.0.0.1:1" }),
      }),
    );
    expect(failure.reason).toBe(ErrorReason.PEER_NOT_MEMBER);
  });

  it("Snapshot takes a snapshot at the applied index", async () => {
    const c = await start();
    const leader = await c.leader();
    const { index } = await leader.raft.propose(
      KvStateMachine.encode({ id: "s", key: "k", value: "v" }),
    );
    const answer = await cli(leader).snapshot({ ...COPYSET, peer: peer(leader) });
    expect(Number(answer.lastIncludedIndex)).toBeGreaterThanOrEqual(index);
    expect(Number(answer.lastIncludedTerm)).toBe(leader.raft.status().term);
  });

  it("ResetPeer on a healthy group is GROUP_HEALTHY", async () => {
    const c = await start();
    const leader = await c.leader();
    const failure = await reasonOf(
      cli(leader).resetPeer({ ...COPYSET, peer: peer(leader), newPeers: [peer(leader)] }),
    );
    expect(failure.reason).toBe(ErrorReason.GROUP_HEALTHY);
  });

  it("ResetPeer recovers a survivor of a lost majority, durably; AddPeer then grows the group", async () => {
    const c = await start();
    const leader = await c.leader();
    const { index } = await leader.raft.propose(
      KvStateMachine.encode({ id: "before", key: "k", value: "v1" }),
    );
    await c.appliedEverywhere(index);
    const survivor = c.members.find((m) => m !== leader) as ClusterMember<KvStateMachine>;
    for (const member of c.members) if (member !== survivor) await c.stop(member);

    // Refused while it still follows the stopped leader; once that lease ran out, forced.
    const reset = () =>
      cli(survivor).resetPeer({ ...COPYSET, peer: peer(survivor), newPeers: [peer(survivor)] });
    const answer = await eventually(
      async () => {
        try {
          return await reset();
        } catch (error) {
          if (errorInfoOf(error)?.reason === ErrorReason.GROUP_HEALTHY) return undefined;
          throw error;
        }
      },
      { what: "ResetPeer past GROUP_HEALTHY" },
    );
    expect(addresses(answer.oldPeers)).toEqual(c.members.map((m) => m.address).sort());
    expect(addresses(answer.newPeers)).toEqual([survivor.address]);

    const elected = await c.leader();
    expect(elected).toBe(survivor);
    const write = await survivor.raft.propose(
      KvStateMachine.encode({ id: "after-reset", key: "k", value: "v2" }),
    );
    await c.appliedEverywhere(write.index);
    expect(survivor.raft.stateMachine.get("k")).toBe("v2");
    // Idempotent: the configuration is already in force (even while it leads).
    const again = await reset();
    expect(addresses(again.oldPeers)).toEqual([survivor.address]);
    expect(addresses(again.newPeers)).toEqual([survivor.address]);

    // The forced configuration and the RESET entry survive a restart.
    await c.stop(survivor);
    await c.restart(survivor);
    expect(await c.leader()).toBe(survivor);
    expect(survivor.raft.status().conf.voters).toEqual([survivor.address]);

    // A fresh peer learns the configuration from the RESET entry over the wire.
    const fresh = await c.addMember();
    const added = await cli(survivor).addPeer({ ...COPYSET, peer: peer(fresh) });
    expect(addresses(added.newPeers)).toEqual([survivor.address, fresh.address].sort());
    const last = await survivor.raft.propose(
      KvStateMachine.encode({ id: "after-add", key: "k", value: "v3" }),
    );
    await eventually(() => (fresh.raft.appliedIndex >= last.index ? true : undefined));
    expect(fresh.raft.stateMachine.appliedIds()).toEqual(survivor.raft.stateMachine.appliedIds());
    expect(fresh.raft.status().conf.voters).toEqual([survivor.address, fresh.address].sort());
  });
});
