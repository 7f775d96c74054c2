/**
 * The metaserver's CopysetService: creating copysets (batches checked whole, idempotent by peer
 * set) and describing one replica. Copysets live in the runner's own pool (RAFT_POOL_ID); see
 * raft/black-box-group.ts for why that is safe on a cluster.
 */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { CopysetRole, CopysetService } from "../../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import { blackBoxGroup, leadTarget, RAFT_POOL_ID } from "../raft/black-box-group.js";

const m = CopysetService.method;
const groupNotFound = { code: Code.NotFound, reason: ErrorReason.GROUP_NOT_FOUND };
const peerMismatch = { code: Code.FailedPrecondition, reason: ErrorReason.PEER_MISMATCH };

const peersOf = (...addresses: string[]) => addresses.map((address) => ({ address }));

export const metaserverCopysetCases: ConformanceCase[] = [
  rejects({
    id: "copyset.create_copyset_node.empty_batch",
    method: m.createCopysetNode,
    spec: "The copysets to create: 1 to 256, each (pool_id, copyset_id) at most once.",
    request: { copysets: [] },
    expect: invalidArgument("copysets"),
  }),
  rejects({
    id: "copyset.create_copyset_node.duplicate_in_batch",
    method: m.createCopysetNode,
    spec: "each (pool_id, copyset_id) may appear once (rule create_copyset_node_request.copysets_unique).",
    request: {
      copysets: [
        { poolId: RAFT_POOL_ID, copysetId: 7 },
        { poolId: RAFT_POOL_ID, copysetId: 7 },
      ],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "copyset.create_copyset_node.pool_zero",
    method: m.createCopysetNode,
    spec: "The pool; > 0.",
    request: { copysets: [{ poolId: 0, copysetId: 7 }] },
    expect: invalidArgument("copysets.pool_id"),
  }),
  rejects({
    id: "copyset.create_copyset_node.too_many_peers",
    method: m.createCopysetNode,
    spec: "The initial members: 0 to 9 peers with distinct addresses.",
    request: {
      copysets: [
        {
          poolId: RAFT_POOL_ID,
          copysetId: 7,
          peers: Array.from({ length: 10 }, (_, i) => ({ address: `127.0.0.1:${7000 + i}` })),
        },
      ],
    },
    expect: invalidArgument("copysets.peers"),
  }),
  rejects({
    id: "copyset.create_copyset_node.duplicate_peer_addresses",
    method: m.createCopysetNode,
    spec: "peer addresses must be distinct (rule copyset_node_spec.peers_unique).",
    request: {
      copysets: [
        { poolId: RAFT_POOL_ID, copysetId: 7, peers: peersOf("127.0.0.1:7001", "127.0.0.1:7001") },
      ],
    },
    expect: invalidArgument(),
  }),
  steps({
    id: "copyset.create_copyset_node.repeat_identical_ok",
    method: m.createCopysetNode,
    spec: "Idempotent: a copyset that already exists here with an identical peer set is left as it is and reported with `created` false. … an empty `peers` list matches any existing copyset.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const key = { poolId: group.poolId, copysetId: group.copysetId };
      const reordered = await group.copysets.createCopysetNode({
        copysets: [{ ...key, peers: peersOf(group.b.address, group.target, group.a.address) }],
      });
      check(
        reordered.results.length === 1 && reordered.results[0]?.created === false,
        "a repeat with the same peers in another order created the copyset again",
      );
      const empty = await group.copysets.createCopysetNode({ copysets: [{ ...key, peers: [] }] });
      check(
        empty.results[0]?.created === false,
        "a repeat with empty peers was not matched to the existing copyset",
      );
    },
  }),
  steps({
    id: "copyset.create_copyset_node.results_in_request_order",
    method: m.createCopysetNode,
    spec: "One result per requested copyset, in request order. … True when this call created the node",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "self");
      const fresh = ctx.uniqueNumber();
      const reply = await group.copysets.createCopysetNode({
        copysets: [
          { poolId: RAFT_POOL_ID, copysetId: fresh, peers: peersOf(group.target) },
          { poolId: group.poolId, copysetId: group.copysetId, peers: peersOf(group.target) },
        ],
      });
      const got = reply.results.map((r) => `${r.copysetId}:${r.created}`).join(",");
      check(got === `${fresh}:true,${group.copysetId}:false`, `results ${got}`);
    },
  }),
  steps({
    id: "copyset.create_copyset_node.other_peers_already_exists",
    method: m.createCopysetNode,
    spec: "`already_exists` ERROR_REASON_GROUP_ALREADY_EXISTS: a copyset of the batch exists here with a different peer set.",
    reasons: [ErrorReason.GROUP_ALREADY_EXISTS],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "self");
      await expectError(
        group.copysets.createCopysetNode({
          copysets: [
            {
              poolId: group.poolId,
              copysetId: group.copysetId,
              peers: peersOf(group.target, group.a.address),
            },
          ],
        }),
        { code: Code.AlreadyExists, reason: ErrorReason.GROUP_ALREADY_EXISTS },
      );
    },
  }),
  steps({
    id: "copyset.create_copyset_node.peers_without_self",
    method: m.createCopysetNode,
    spec: "`failed_precondition` ERROR_REASON_PEER_MISMATCH: a non-empty `peers` list does not contain this server's advertised address.",
    reasons: [ErrorReason.PEER_MISMATCH],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "empty");
      await expectError(
        group.copysets.createCopysetNode({
          copysets: [
            {
              poolId: RAFT_POOL_ID,
              copysetId: ctx.uniqueNumber(),
              peers: peersOf(group.a.address),
            },
          ],
        }),
        peerMismatch,
      );
    },
  }),
  steps({
    id: "copyset.create_copyset_node.batch_checked_before_creating",
    method: m.createCopysetNode,
    spec: "The whole batch is checked before anything is created: if any copyset fails a check, the call fails and creates nothing.",
    reasons: [ErrorReason.PEER_MISMATCH, ErrorReason.GROUP_NOT_FOUND],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "empty");
      const first = ctx.uniqueNumber();
      await expectError(
        group.copysets.createCopysetNode({
          copysets: [
            { poolId: RAFT_POOL_ID, copysetId: first, peers: peersOf(group.target) },
            {
              poolId: RAFT_POOL_ID,
              copysetId: ctx.uniqueNumber(),
              peers: peersOf(group.a.address),
            },
          ],
        }),
        peerMismatch,
      );
      await expectError(
        group.copysets.getCopysetStatus({ poolId: RAFT_POOL_ID, copysetId: first }),
        groupNotFound,
      );
    },
  }),
  rejects({
    id: "copyset.get_copyset_status.copyset_zero",
    method: m.getCopysetStatus,
    spec: "The copyset; > 0.",
    request: { poolId: RAFT_POOL_ID, copysetId: 0 },
    expect: invalidArgument("copyset_id"),
  }),
  rejects({
    id: "copyset.get_copyset_status.peer_address_too_short",
    method: m.getCopysetStatus,
    spec: 'When set: the address ("host:port") the caller believes it is talking to … 3 to 255 bytes.',
    request: { poolId: RAFT_POOL_ID, copysetId: 1, peerAddress: "ab" },
    expect: invalidArgument("peer_address"),
  }),
  rejects({
    id: "copyset.get_copyset_status.unknown_copyset",
    method: m.getCopysetStatus,
    spec: "`not_found` ERROR_REASON_GROUP_NOT_FOUND: this server hosts no such copyset.",
    request: { poolId: RAFT_POOL_ID, copysetId: 4_000_000_000 },
    expect: groupNotFound,
  }),
  steps({
    id: "copyset.get_copyset_status.peer_address_mismatch",
    method: m.getCopysetStatus,
    spec: "`failed_precondition` ERROR_REASON_PEER_MISMATCH: `peer_address` is set and is not this server's advertised address (the caller reached the wrong server).",
    reasons: [ErrorReason.PEER_MISMATCH],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "empty");
      await expectError(
        group.copysets.getCopysetStatus({
          poolId: group.poolId,
          copysetId: group.copysetId,
          peerAddress: group.a.address,
        }),
        peerMismatch,
      );
    },
  }),
  steps({
    id: "copyset.get_copyset_status.describes_new_replica",
    method: m.getCopysetStatus,
    spec: "With a non-empty `peers` list the node starts with that initial configuration …, an empty log and no partitions … The Raft group id: `(pool_id << 32) | copyset_id`. … The configuration epoch: 0 at creation",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const { status } = await group.copysets.getCopysetStatus({
        poolId: group.poolId,
        copysetId: group.copysetId,
        peerAddress: group.target,
      });
      check(status !== undefined, "no status");
      check(
        status.groupId === group.groupId,
        `group_id ${status.groupId}, expected ${group.groupId}`,
      );
      check(status.self?.address === group.target, `self ${status.self?.address}`);
      check(
        status.role === CopysetRole.FOLLOWER || status.role === CopysetRole.CANDIDATE,
        `role ${CopysetRole[status.role]} of a new three-member replica`,
      );
      check(
        status.lastLogIndex === 0n && status.commitIndex === 0n,
        "a new replica has log entries",
      );
      check(status.epoch === 0n, `epoch ${status.epoch} at creation`);
      check(status.partitions.length === 0, "a new replica hosts partitions");
      const peers = status.peers
        .map((p) => p.address)
        .sort()
        .join(",");
      const expected = [group.target, group.a.address, group.b.address].sort().join(",");
      check(peers === expected, `peers ${peers}, expected ${expected}`);
    },
  }),
  steps({
    id: "copyset.get_copyset_status.reports_snapshot_index",
    method: m.getCopysetStatus,
    spec: "The last log index covered by this replica's latest snapshot; 0 when it has none.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      // A snapshot of an applied entry: A leads and commits one NO_OP entry on the target.
      await leadTarget(group, group.a, 2n, [2n], 1n);
      const deadline = Date.now() + 10_000;
      while ((await group.status()).appliedIndex < 1n) {
        check(Date.now() < deadline, "the committed entry was not applied");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const snapshot = await group.cli.snapshot({
        poolId: group.poolId,
        copysetId: group.copysetId,
      });
      const status = await group.status();
      check(
        status.snapshotIndex === snapshot.lastIncludedIndex && status.snapshotIndex >= 1n,
        `snapshot_index ${status.snapshotIndex} after a snapshot at ${snapshot.lastIncludedIndex}`,
      );
    },
  }),
  steps({
    id: "copyset.get_copyset_status.empty_configuration_waits",
    method: m.getCopysetStatus,
    spec: "With an empty `peers` list the node starts with an empty configuration: it never campaigns and waits to be added to an existing group … The members of the current configuration; empty for a node waiting to be added.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "empty");
      const status = await group.status();
      check(status.peers.length === 0, `peers ${status.peers.map((p) => p.address).join(",")}`);
      check(status.role === CopysetRole.FOLLOWER, `role ${CopysetRole[status.role]}`);
      check(status.term === 0n, `term ${status.term}: the node campaigned`);
    },
  }),
];
