/**
 * RaftService's addressing and answers over real Connect (raft.proto): errors only for calls
 * that cannot be handled (wrong receiver, unknown group, server starting); protocol refusals are
 * OK responses that carry the responder's term.
 */
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { errorInfoOf } from "../../../impl/errors.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { RaftService, RejectReason } from "../../../impl/gen/curve/raft/v1/raft_pb.js";
import { KvStateMachine } from "../support/kv-state-machine.js";
import { GROUP_ID, RaftCluster } from "../support/raft-cluster.js";

let cluster: RaftCluster<KvStateMachine> | undefined;

afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

function raftClient(address: string): Client<typeof RaftService> {
  return createClient(
    RaftService,
    createConnectTransport({
      baseUrl: `http://${address}`,
      httpVersion: "2",
      useBinaryFormat: true,
    }),
  );
}

async function reasonOf(call: Promise<unknown>): Promise<ErrorReason | undefined> {
  try {
    await call;
  } catch (error) {
    return errorInfoOf(error)?.reason;
  }
  throw new Error("the call succeeded");
}

describe("RaftService over Connect", () => {
  it("answers a stale-term AppendEntries OK with STALE_TERM and its own term", async () => {
    cluster = await RaftCluster.start({
      size: 3,
      tickMs: 25,
      newMachine: () => new KvStateMachine(),
    });
    const first = await cluster.leader();
    // A transfer starts term 2 at least, so that term - 1 is a valid (non-zero) stale term.
    await first.raft.transferLeader();
    const leader = await cluster.leader();
    const follower = cluster.members.find((m) => m !== leader);
    if (follower === undefined) throw new Error("no follower");
    const term = follower.raft.status().term;
    const answer = await raftClient(follower.address).appendEntries({
      groupId: GROUP_ID,
      from: "127.0.0.1:9",
      to: follower.address,
      term: BigInt(term - 1),
    });
    expect(answer.success).toBe(false);
    expect(answer.rejectReason).toBe(RejectReason.STALE_TERM);
    expect(Number(answer.term)).toBe(term);
    expect(follower.raft.status().leader).toBe(leader.address);
  });

  it("a message for another address is PEER_MISMATCH, for an unknown group GROUP_NOT_FOUND", async () => {
    cluster = await RaftCluster.start({
      size: 3,
      tickMs: 25,
      newMachine: () => new KvStateMachine(),
    });
    const member = cluster.members[0];
    if (member === undefined) throw new Error("no member");
    const client = raftClient(member.address);
    const vote = {
      from: "127.0.0.1:9",
      term: 100n,
      lastLogIndex: 0n,
      lastLogTerm: 0n,
    };
    expect(await reasonOf(client.preVote({ ...vote, groupId: GROUP_ID, to: "127.0.0.1:8" }))).toBe(
      ErrorReason.PEER_MISMATCH,
    );
    expect(
      await reasonOf(client.preVote({ ...vote, groupId: (1n << 32n) | 99n, to: member.address })),
    ).toBe(ErrorReason.GROUP_NOT_FOUND);
    expect(await reasonOf(client.preVote({ ...vote, groupId: 5n, to: member.address }))).toBe(
      ErrorReason.INVALID_ARGUMENT,
    );
  });
});
