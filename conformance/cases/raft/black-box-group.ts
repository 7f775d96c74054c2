/**
 * The fixture of the Raft black-box cases: a copyset the runner creates on the target's first
 * metaserver (CopysetService.CreateCopysetNode) whose other two members are the runner's own
 * peers (runner/raft-peers.ts). The case then speaks Raft to the target as those peers, and
 * watches what the target sends them.
 *
 * Pool id RAFT_POOL_ID is far above any id an MDS hands out, and every copyset id is fresh. On a
 * cluster whose metaservers report to an MDS, the MDS purges such unknown copysets at the next
 * heartbeat (heartbeat.proto); the cases are short (a few seconds) so that they finish first.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import {
  CopysetService,
  type CopysetStatus,
} from "../../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { CliService } from "../../../impl/gen/curve/raft/v1/cli_pb.js";
import {
  type AppendEntriesRequestSchema,
  type Entry,
  EntrySchema,
  EntryType,
  RaftService,
} from "../../../impl/gen/curve/raft/v1/raft_pb.js";
import type { CaseContext } from "../../runner/case-context.js";
import { check } from "../../runner/case-failure.js";
import type { RunnerPeer } from "../../runner/raft-peers.js";
import { firstUrl } from "../../runner/server-role.js";

/** The pool of every copyset the Raft black-box cases create. */
export const RAFT_POOL_ID = 4_000_000_001;

export interface BlackBoxGroup {
  readonly poolId: number;
  readonly copysetId: number;
  readonly groupId: bigint;
  /** The target metaserver's address ("host:port"), its id in the group. */
  readonly target: string;
  /** The runner's two peers (members of the group unless it was created otherwise). */
  readonly a: RunnerPeer;
  readonly b: RunnerPeer;
  readonly raft: Client<typeof RaftService>;
  readonly cli: Client<typeof CliService>;
  readonly copysets: Client<typeof CopysetService>;
  /** The target's replica as GetCopysetStatus reports it. */
  status(): Promise<CopysetStatus>;
}

/**
 * Creates a fresh copyset on the target with `members`: "three" = the target and both runner
 * peers, "self" = the target alone (it elects itself), "empty" = no configuration (a node
 * waiting to be added).
 */
export async function blackBoxGroup(
  ctx: CaseContext,
  members: "three" | "self" | "empty" = "three",
): Promise<BlackBoxGroup> {
  const url = firstUrl(ctx, "metaserver");
  const transport = ctx.transportTo(url);
  const copysets = createClient(CopysetService, transport);
  const [a, b] = await ctx.runnerPeers();
  const target = new URL(url).host;
  const poolId = RAFT_POOL_ID;
  const copysetId = ctx.uniqueNumber();
  const addresses =
    members === "three" ? [target, a.address, b.address] : members === "self" ? [target] : [];
  await copysets.createCopysetNode({
    copysets: [{ poolId, copysetId, peers: addresses.map((address) => ({ address })) }],
  });
  const groupId = (BigInt(poolId) << 32n) | BigInt(copysetId);
  return {
    poolId,
    copysetId,
    groupId,
    target,
    a,
    b,
    raft: createClient(RaftService, transport),
    cli: createClient(CliService, transport),
    copysets,
    async status() {
      const { status } = await copysets.getCopysetStatus({ poolId, copysetId });
      check(status !== undefined, "GetCopysetStatus returned no status");
      return status;
    },
  };
}

/** NO_OP entries numbered from `first`, one per term in `terms`. */
export function noOps(first: bigint, terms: readonly bigint[]): Entry[] {
  return terms.map((term, i) =>
    create(EntrySchema, { index: first + BigInt(i), term, type: EntryType.NO_OP }),
  );
}

/** An AppendEntries from `from` (a runner peer) to the target. */
export function appendFrom(
  group: BlackBoxGroup,
  from: RunnerPeer,
  fields: {
    term: bigint;
    prevLogIndex?: bigint;
    prevLogTerm?: bigint;
    entries?: Entry[];
    leaderCommit?: bigint;
  },
): MessageInitShape<typeof AppendEntriesRequestSchema> {
  return {
    groupId: group.groupId,
    from: from.address,
    to: group.target,
    prevLogIndex: 0n,
    prevLogTerm: 0n,
    entries: [],
    leaderCommit: 0n,
    ...fields,
  };
}

/** A RequestVote / PreVote from `from` (a runner peer) to the target. */
export function voteFrom(
  group: BlackBoxGroup,
  from: RunnerPeer,
  term: bigint,
  lastLogIndex = 0n,
  lastLogTerm = 0n,
) {
  return {
    groupId: group.groupId,
    from: from.address,
    to: group.target,
    term,
    lastLogIndex,
    lastLogTerm,
  };
}

/**
 * Makes runner peer `leader` the target's leader in `term` with a log of NO_OP entries of
 * `terms` (index 1, 2, ...), committed up to `commit`; checks the target accepted.
 */
export async function leadTarget(
  group: BlackBoxGroup,
  leader: RunnerPeer,
  term: bigint,
  terms: readonly bigint[] = [],
  commit = 0n,
): Promise<void> {
  const reply = await group.raft.appendEntries(
    appendFrom(group, leader, { term, entries: noOps(1n, terms), leaderCommit: commit }),
  );
  check(
    reply.success,
    `AppendEntries of ${terms.length} entries from a fresh leader in term ${term} was refused (reject_reason ${reply.rejectReason})`,
  );
}
