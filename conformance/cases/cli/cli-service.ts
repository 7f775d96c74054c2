/**
 * CliService on the target's metaserver, black box: copysets the runner creates (alone, or with
 * the runner's Raft peers as the other members, see raft/black-box-group.ts).
 */
import { Code } from "@connectrpc/connect";
import { errorInfoOf } from "../../../impl/errors.js";
import type { Peer } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { CliService } from "../../../impl/gen/curve/raft/v1/cli_pb.js";
import { ConfChangeType, EntryType } from "../../../impl/gen/curve/raft/v1/raft_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { CaseFailure, check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { type ExpectedError, expectError } from "../../runner/expect-error.js";
import { FollowerLog, type RunnerPeer } from "../../runner/raft-peers.js";
import { invalidArgument } from "../expected.js";
import {
  type BlackBoxGroup,
  blackBoxGroup,
  leadTarget,
  RAFT_POOL_ID,
} from "../raft/black-box-group.js";

const m = CliService.method;
/** A copyset id `uniqueNumber` never returns (it stays below 2^31). */
const NO_COPYSET = 4_000_000_000;
const LEADER_WAIT_MS = 15_000;

const notLeader: ExpectedError = { code: Code.Unavailable, reason: ErrorReason.NOT_LEADER };
const leaderUnknown: ExpectedError = { code: Code.Unavailable, reason: ErrorReason.LEADER_UNKNOWN };
const notMember: ExpectedError = { code: Code.NotFound, reason: ErrorReason.PEER_NOT_MEMBER };
const changeInvalid: ExpectedError = {
  code: Code.InvalidArgument,
  reason: ErrorReason.CONF_CHANGE_INVALID,
};
const peerMismatch: ExpectedError = {
  code: Code.FailedPrecondition,
  reason: ErrorReason.PEER_MISMATCH,
};

function addresses(peers: readonly Peer[]): string {
  return peers
    .map((p) => p.address)
    .sort()
    .join(",");
}

function key(group: BlackBoxGroup) {
  return { poolId: group.poolId, copysetId: group.copysetId };
}

/** A one-member copyset of the target, once the target leads it (it elects itself). */
async function selfLedGroup(ctx: Parameters<typeof blackBoxGroup>[0]): Promise<BlackBoxGroup> {
  const group = await blackBoxGroup(ctx, "self");
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    const leader = await group.cli.getLeader(key(group)).catch(() => undefined);
    if (leader?.leader?.address === group.target) return group;
    if (Date.now() > deadline) {
      throw new CaseFailure(
        `a one-member copyset did not elect its member within ${LEADER_WAIT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The protocol's shared one-member copyset, for cases whose calls change nothing (refusals and
 * no-op answers): one election instead of one per case.
 */
function sharedSelfLedGroup(ctx: Parameters<typeof blackBoxGroup>[0]): Promise<BlackBoxGroup> {
  return ctx.once("cli-self-led-group", () => selfLedGroup(ctx));
}

/** Lets runner peer `peer` follow the target in `group` (it accepts AppendEntries). */
function follow(group: BlackBoxGroup, peer: RunnerPeer): FollowerLog {
  const log = new FollowerLog();
  peer.script(group.groupId, { appendEntries: (r) => log.append(r) });
  return log;
}

/** NOT_LEADER with the leader A as hint: the target follows runner peer A. */
async function expectNotLeader(group: BlackBoxGroup, call: Promise<unknown>): Promise<void> {
  const error = await expectError(call, notLeader);
  const hint = errorInfoOf(error)?.leaderHint;
  check(hint === group.a.address, `leader_hint "${hint}", expected ${group.a.address}`);
}

const validationCases: ConformanceCase[] = [
  rejects({
    id: "cli.get_leader.pool_zero",
    method: m.getLeader,
    spec: "The pool of the copyset (>= 1).",
    request: { poolId: 0, copysetId: 1 },
    expect: invalidArgument("pool_id"),
  }),
  rejects({
    id: "cli.add_peer.peer_missing",
    method: m.addPeer,
    spec: "The peer to add. Required.",
    request: { poolId: RAFT_POOL_ID, copysetId: 1 },
    expect: invalidArgument("peer"),
  }),
  rejects({
    id: "cli.remove_peer.peer_address_too_short",
    method: m.removePeer,
    spec: 'The server\'s advertised "host:port" … (3 to 255 bytes).',
    request: { poolId: RAFT_POOL_ID, copysetId: 1, peer: { address: "ab" } },
    expect: invalidArgument("peer.address"),
  }),
  rejects({
    id: "cli.change_peers.duplicate_addresses",
    method: m.changePeers,
    spec: "new_peers addresses must be unique (rule change_peers.unique_addresses).",
    request: {
      poolId: RAFT_POOL_ID,
      copysetId: 1,
      newPeers: [{ address: "127.0.0.1:7001" }, { address: "127.0.0.1:7001" }],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "cli.change_peers.empty",
    method: m.changePeers,
    spec: "The whole target configuration: 1 to 16 voters with unique addresses",
    request: { poolId: RAFT_POOL_ID, copysetId: 1, newPeers: [] },
    expect: invalidArgument("new_peers"),
  }),
  rejects({
    id: "cli.reset_peer.new_peers_without_peer",
    method: m.resetPeer,
    spec: "new_peers must include the node being reset (rule reset_peer.includes_peer).",
    request: {
      poolId: RAFT_POOL_ID,
      copysetId: 1,
      peer: { address: "127.0.0.1:7001" },
      newPeers: [{ address: "127.0.0.1:7002" }],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "cli.transfer_leader.copyset_zero",
    method: m.transferLeader,
    spec: "The copyset, unique within its pool (>= 1).",
    request: { poolId: RAFT_POOL_ID, copysetId: 0 },
    expect: invalidArgument("copyset_id"),
  }),
  rejects({
    id: "cli.snapshot.pool_zero",
    method: m.snapshot,
    spec: "The pool of the copyset (>= 1).",
    request: { poolId: 0, copysetId: 1 },
    expect: invalidArgument("pool_id"),
  }),
];

const unknownGroupCases: ConformanceCase[] = (
  [
    ["get_leader", m.getLeader, {}],
    ["add_peer", m.addPeer, { peer: { address: "127.0.0.1:7001" } }],
    ["remove_peer", m.removePeer, { peer: { address: "127.0.0.1:7001" } }],
    ["change_peers", m.changePeers, { newPeers: [{ address: "127.0.0.1:7001" }] }],
    ["transfer_leader", m.transferLeader, {}],
    ["snapshot", m.snapshot, {}],
  ] as const
).map(([rpc, method, fields]) =>
  rejects({
    id: `cli.${rpc}.unknown_group`,
    method: method as typeof m.getLeader,
    spec: "`not_found` ERROR_REASON_GROUP_NOT_FOUND: this server hosts no node of the group.",
    request: { poolId: RAFT_POOL_ID, copysetId: NO_COPYSET, ...fields },
    expect: { code: Code.NotFound, reason: ErrorReason.GROUP_NOT_FOUND },
  }),
);

export const cliCases: ConformanceCase[] = [
  ...validationCases,
  ...unknownGroupCases,
  steps({
    id: "cli.get_leader.leader_unknown",
    method: m.getLeader,
    spec: "`unavailable` ERROR_REASON_LEADER_UNKNOWN: this node knows no leader of its current term (an election is running, or the group has lost its quorum).",
    reasons: [ErrorReason.LEADER_UNKNOWN],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await expectError(group.cli.getLeader(key(group)), leaderUnknown);
    },
  }),
  steps({
    id: "cli.get_leader.follower_view",
    method: m.getLeader,
    spec: "Returns the leader of the group as known by this node, its term and this node's current configuration. Any member (leader or follower) answers from its local view.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 3n);
      const reply = await group.cli.getLeader(key(group));
      check(reply.leader?.address === group.a.address, `leader ${reply.leader?.address}`);
      check(reply.term === 3n, `term ${reply.term}, expected 3`);
      const expected = addresses(
        [group.target, group.a.address, group.b.address].map((address) => ({ address }) as Peer),
      );
      check(
        addresses(reply.peers) === expected,
        `peers ${addresses(reply.peers)}, expected ${expected}`,
      );
    },
  }),
  steps({
    id: "cli.get_leader.single_member_elects_itself",
    method: m.getLeader,
    spec: "the group elects a leader once a majority of members run … a one-voter configuration elects itself after one election timeout",
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      const reply = await group.cli.getLeader(key(group));
      check(reply.term >= 1n, `term ${reply.term}`);
      check(addresses(reply.peers) === group.target, `peers ${addresses(reply.peers)}`);
    },
  }),
  steps({
    id: "cli.add_peer.not_leader_hint",
    method: m.addPeer,
    spec: "`unavailable` ERROR_REASON_NOT_LEADER with `leader_hint`: this node is not the leader; retry at `leader_hint` (the leader this node follows).",
    reasons: [ErrorReason.NOT_LEADER],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      await expectNotLeader(
        group,
        group.cli.addPeer({ ...key(group), peer: { address: "127.0.0.1:7009" } }),
      );
    },
  }),
  steps({
    id: "cli.add_peer.leader_unknown",
    method: m.addPeer,
    spec: "`unavailable` ERROR_REASON_LEADER_UNKNOWN: this node is not the leader and knows no leader (an election is running); retry with backoff.",
    reasons: [ErrorReason.LEADER_UNKNOWN],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await expectError(
        group.cli.addPeer({ ...key(group), peer: { address: "127.0.0.1:7009" } }),
        leaderUnknown,
      );
    },
  }),
  steps({
    id: "cli.add_peer.existing_voter_ok",
    method: m.addPeer,
    spec: "Idempotent: if `peer.address` is already a voter (with the same id, or either id 0), the call changes nothing and returns OK with `old_peers` == `new_peers` == the current configuration.",
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      const reply = await group.cli.addPeer({ ...key(group), peer: { address: group.target } });
      check(addresses(reply.oldPeers) === group.target, `old_peers ${addresses(reply.oldPeers)}`);
      check(addresses(reply.newPeers) === group.target, `new_peers ${addresses(reply.newPeers)}`);
    },
  }),
  steps({
    id: "cli.add_peer.catches_up_and_commits_add_entry",
    method: m.addPeer,
    spec: "The leader first replicates its log (or a snapshot) to the new peer …, then appends a CONF_CHANGE_TYPE_ADD_PEER entry and answers once it is committed.",
    run: async (ctx) => {
      const group = await selfLedGroup(ctx);
      const log = follow(group, group.a);
      try {
        const reply = await group.cli.addPeer({
          ...key(group),
          peer: { address: group.a.address },
        });
        const expected = [group.target, group.a.address].sort().join(",");
        check(
          addresses(reply.newPeers) === expected,
          `new_peers ${addresses(reply.newPeers)}, expected ${expected}`,
        );
        const add = log.entries.find((e) => e.type === EntryType.CONF_CHANGE);
        check(add !== undefined, "the new peer received no CONF_CHANGE entry");
        check(
          add.confChange?.type === ConfChangeType.ADD_PEER,
          "the CONF_CHANGE entry is not ADD_PEER",
        );
        check(
          add.confChange.peer?.address === group.a.address,
          "the ADD_PEER entry names another peer",
        );
        const conf = addresses(add.confChange.configuration?.voters ?? []);
        check(conf === expected, `the ADD_PEER entry carries configuration ${conf}`);
      } finally {
        group.a.script(group.groupId, {});
      }
    },
  }),
  steps({
    id: "cli.remove_peer.removes_voter",
    method: m.removePeer,
    spec: "Removes one voter from the group: the leader appends a CONF_CHANGE_TYPE_REMOVE_PEER entry and answers once it is committed (by a majority of the configuration that still includes the peer …).",
    run: async (ctx) => {
      const group = await selfLedGroup(ctx);
      const log = follow(group, group.a);
      try {
        await group.cli.addPeer({ ...key(group), peer: { address: group.a.address } });
        const reply = await group.cli.removePeer({
          ...key(group),
          peer: { address: group.a.address },
        });
        check(addresses(reply.newPeers) === group.target, `new_peers ${addresses(reply.newPeers)}`);
        const removal = log.entries.find((e) => e.confChange?.type === ConfChangeType.REMOVE_PEER);
        check(
          removal !== undefined,
          "the removed peer (whose ack commits the removal) got no REMOVE_PEER entry",
        );
      } finally {
        group.a.script(group.groupId, {});
      }
    },
  }),
  steps({
    id: "cli.remove_peer.not_member",
    method: m.removePeer,
    spec: "`not_found` ERROR_REASON_PEER_NOT_MEMBER: `peer.address` is not a voter of the group. … once the peer is gone, a repeat … fails with PEER_NOT_MEMBER",
    reasons: [ErrorReason.PEER_NOT_MEMBER],
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      await expectError(
        group.cli.removePeer({ ...key(group), peer: { address: group.a.address } }),
        notMember,
      );
    },
  }),
  steps({
    id: "cli.remove_peer.last_voter",
    method: m.removePeer,
    spec: "`invalid_argument` ERROR_REASON_CONF_CHANGE_INVALID: `peer` is the last voter.",
    reasons: [ErrorReason.CONF_CHANGE_INVALID],
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      await expectError(
        group.cli.removePeer({ ...key(group), peer: { address: group.target } }),
        changeInvalid,
      );
    },
  }),
  steps({
    id: "cli.remove_peer.not_leader_hint",
    method: m.removePeer,
    spec: "`unavailable` ERROR_REASON_NOT_LEADER with `leader_hint`: this node is not the leader.",
    reasons: [ErrorReason.NOT_LEADER],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      await expectNotLeader(
        group,
        group.cli.removePeer({ ...key(group), peer: { address: group.b.address } }),
      );
    },
  }),
  steps({
    id: "cli.change_peers.two_added_invalid",
    method: m.changePeers,
    spec: "`invalid_argument` ERROR_REASON_CONF_CHANGE_INVALID: `new_peers` adds or removes more than one voter each.",
    reasons: [ErrorReason.CONF_CHANGE_INVALID],
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      const newPeers = [group.target, group.a.address, group.b.address].map((address) => ({
        address,
      }));
      await expectError(group.cli.changePeers({ ...key(group), newPeers }), changeInvalid);
    },
  }),
  steps({
    id: "cli.change_peers.same_configuration_ok",
    method: m.changePeers,
    spec: "If the configuration already equals `new_peers`, OK with `old_peers` == `new_peers`",
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      const reply = await group.cli.changePeers({
        ...key(group),
        newPeers: [{ address: group.target }],
      });
      check(
        addresses(reply.oldPeers) === group.target && addresses(reply.newPeers) === group.target,
        "the configuration changed",
      );
    },
  }),
  steps({
    id: "cli.change_peers.not_leader_hint",
    method: m.changePeers,
    spec: "`unavailable` ERROR_REASON_NOT_LEADER with `leader_hint`: this node is not the leader.",
    reasons: [ErrorReason.NOT_LEADER],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      const newPeers = [group.target, group.a.address].map((address) => ({ address }));
      await expectNotLeader(group, group.cli.changePeers({ ...key(group), newPeers }));
    },
  }),
  steps({
    id: "cli.transfer_leader.to_self_ok",
    method: m.transferLeader,
    spec: "Idempotent: if this node is the transferee and the leader, OK at once (nothing to do)",
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      const reply = await group.cli.transferLeader({
        ...key(group),
        transferee: { address: group.target },
      });
      check(reply.leader?.address === group.target, `leader ${reply.leader?.address}`);
    },
  }),
  steps({
    id: "cli.transfer_leader.follower_knows_transferee_ok",
    method: m.transferLeader,
    spec: "if this node is not the leader but knows `transferee` as its leader, OK (the transfer is done).",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      const reply = await group.cli.transferLeader({
        ...key(group),
        transferee: { address: group.a.address },
      });
      check(reply.leader?.address === group.a.address, `leader ${reply.leader?.address}`);
    },
  }),
  steps({
    id: "cli.transfer_leader.not_member",
    method: m.transferLeader,
    spec: "`not_found` ERROR_REASON_PEER_NOT_MEMBER: `transferee` is not a voter of the group, or it is unset and the group has no other voter.",
    reasons: [ErrorReason.PEER_NOT_MEMBER],
    run: async (ctx) => {
      const group = await sharedSelfLedGroup(ctx);
      await expectError(
        group.cli.transferLeader({ ...key(group), transferee: { address: group.a.address } }),
        notMember,
      );
      await expectError(group.cli.transferLeader(key(group)), notMember);
    },
  }),
  steps({
    id: "cli.transfer_leader.sends_timeout_now",
    method: m.transferLeader,
    spec: "The leader stops accepting proposals …, waits until the transferee's log matches its last index, then sends it `RaftService.TimeoutNow`; the call returns once the transferee has accepted it and started its election",
    run: async (ctx) => {
      const group = await selfLedGroup(ctx);
      const log = follow(group, group.a);
      try {
        await group.cli.addPeer({ ...key(group), peer: { address: group.a.address } });
        group.a.script(group.groupId, {
          appendEntries: (r) => log.append(r),
          timeoutNow: (r) => ({ term: r.term + 1n, success: true }),
        });
        const reply = await group.cli.transferLeader({
          ...key(group),
          transferee: { address: group.a.address },
        });
        check(reply.leader?.address === group.a.address, `leader ${reply.leader?.address}`);
        const timeoutNow = await group.a.receive(group.groupId, "timeout_now", () => true, 0);
        check(timeoutNow.from === group.target, `TimeoutNow from ${timeoutNow.from}`);
        const last = BigInt(log.entries.length);
        check(
          last >= 1n && log.entries.at(-1)?.term === timeoutNow.term,
          "TimeoutNow was sent before the transferee's log matched the leader's",
        );
      } finally {
        group.a.script(group.groupId, {});
      }
    },
  }),
  steps({
    id: "cli.reset_peer.peer_mismatch",
    method: m.resetPeer,
    spec: "`failed_precondition` ERROR_REASON_PEER_MISMATCH: `peer` is not this server's address.",
    reasons: [ErrorReason.PEER_MISMATCH],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await expectError(
        group.cli.resetPeer({
          ...key(group),
          peer: { address: group.a.address },
          newPeers: [{ address: group.a.address }],
        }),
        peerMismatch,
      );
    },
  }),
  steps({
    id: "cli.reset_peer.group_healthy",
    method: m.resetPeer,
    spec: "`failed_precondition` ERROR_REASON_GROUP_HEALTHY: the group still has a working quorum as seen by this node (… a follower that heard from a leader, within the last election timeout)",
    reasons: [ErrorReason.GROUP_HEALTHY],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      await expectError(
        group.cli.resetPeer({
          ...key(group),
          peer: { address: group.target },
          newPeers: [{ address: group.target }],
        }),
        { code: Code.FailedPrecondition, reason: ErrorReason.GROUP_HEALTHY },
      );
    },
  }),
  steps({
    id: "cli.reset_peer.forces_configuration_idempotent",
    method: m.resetPeer,
    spec: "Forces the configuration of this one node to `new_peers` … a one-voter configuration elects itself after one election timeout … Idempotent: if the node's configuration already equals `new_peers` (as a set of addresses), OK with no change (its term is not incremented again).",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const request = {
        ...key(group),
        peer: { address: group.target },
        newPeers: [{ address: group.target }],
      };
      const reply = await group.cli.resetPeer(request);
      const three = [group.target, group.a.address, group.b.address].sort().join(",");
      check(addresses(reply.oldPeers) === three, `old_peers ${addresses(reply.oldPeers)}`);
      check(addresses(reply.newPeers) === group.target, `new_peers ${addresses(reply.newPeers)}`);
      const termAfter = (await group.status()).term;
      await group.cli.resetPeer(request);
      const termAgain = (await group.status()).term;
      check(
        termAgain === termAfter,
        `a repeated ResetPeer moved the term from ${termAfter} to ${termAgain}`,
      );
      const deadline = Date.now() + LEADER_WAIT_MS;
      for (;;) {
        const leader = await group.cli.getLeader(key(group)).catch(() => undefined);
        if (leader?.leader?.address === group.target) break;
        check(Date.now() < deadline, "the reset node did not elect itself");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  }),
  steps({
    id: "cli.snapshot.nothing_applied_zero",
    method: m.snapshot,
    spec: "The index of the last entry the node's latest snapshot includes; 0 when the node has applied nothing yet (no snapshot exists).",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const reply = await group.cli.snapshot(key(group));
      check(
        reply.lastIncludedIndex === 0n && reply.lastIncludedTerm === 0n,
        `snapshot (${reply.lastIncludedIndex}, ${reply.lastIncludedTerm}) of a node that applied nothing`,
      );
    },
  }),
  steps({
    id: "cli.snapshot.covers_applied_and_repeats",
    method: m.snapshot,
    spec: "Takes a snapshot of this node's state machine now, at its applied index … Idempotent: a repeat returns the same or a newer snapshot.",
    run: async (ctx) => {
      const group = await selfLedGroup(ctx);
      // The new leader's first entry (its NO_OP) is applied shortly after it wins.
      const deadline = Date.now() + LEADER_WAIT_MS;
      let applied = (await group.status()).appliedIndex;
      while (applied < 1n) {
        check(Date.now() < deadline, "the leader applied nothing");
        await new Promise((resolve) => setTimeout(resolve, 50));
        applied = (await group.status()).appliedIndex;
      }
      const first = await group.cli.snapshot({ ...key(group), peer: { address: group.target } });
      check(
        first.lastIncludedIndex >= applied && first.lastIncludedIndex >= 1n,
        `snapshot index ${first.lastIncludedIndex}, applied ${applied}`,
      );
      check(first.lastIncludedTerm >= 1n, `snapshot term ${first.lastIncludedTerm}`);
      const again = await group.cli.snapshot(key(group));
      check(
        again.lastIncludedIndex >= first.lastIncludedIndex,
        "a repeated Snapshot returned an older snapshot",
      );
    },
  }),
  steps({
    id: "cli.snapshot.peer_mismatch",
    method: m.snapshot,
    spec: "`failed_precondition` ERROR_REASON_PEER_MISMATCH: `peer` is set and is not this server's address.",
    reasons: [ErrorReason.PEER_MISMATCH],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await expectError(
        group.cli.snapshot({ ...key(group), peer: { address: group.a.address } }),
        peerMismatch,
      );
    },
  }),
];
