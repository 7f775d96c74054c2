/**
 * CliService (proto/curve/raft/v1/cli.proto): who leads a group, membership changes, leadership
 * transfer, snapshots. Each handler finds the group's node on this server's RaftHost, checks what
 * the spec makes the handler's business (leader-only calls, idempotent answers), and leaves the
 * Raft rules to the node and its core.
 *
 * ResetPeer checks PEER_MISMATCH here; the idempotent no-op, GROUP_HEALTHY and the forced
 * configuration itself are the core's (Raft.forceConfiguration), made durable by the node
 * before the answer.
 */
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { CurveError } from "../errors.js";
import type { Peer } from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import {
  AddPeerResponseSchema,
  ChangePeersResponseSchema,
  CliService,
  GetLeaderResponseSchema,
  RemovePeerResponseSchema,
  ResetPeerResponseSchema,
  SnapshotResponseSchema,
  TransferLeaderResponseSchema,
} from "../gen/curve/raft/v1/cli_pb.js";
import type { ConfState, NodeId, Status } from "./core/index.js";
import type { RaftHost, RaftNode } from "./node/index.js";
import { notLeader } from "./node/node-error.js";
import { peerOf, toUint64 } from "./transport/raft-codec.js";

/**
 * Registers CliService. `host` returns undefined while the server is starting, which answers
 * NOT_READY.
 */
export function registerCliService(router: ConnectRouter, host: () => RaftHost | undefined): void {
  router.service(CliService, {
    async getLeader(request) {
      const { node } = locate(host, request.poolId, request.copysetId);
      const status = node.status();
      if (status.leader === "") {
        throw new CurveError(
          ErrorReason.LEADER_UNKNOWN,
          `no leader is known in term ${status.term}`,
        );
      }
      return create(GetLeaderResponseSchema, {
        leader: peerOf(status.leader),
        term: toUint64(status.term),
        peers: peersOf(status.conf),
      });
    },

    async addPeer(request) {
      const { node } = locate(host, request.poolId, request.copysetId);
      const old = leaderStatus(node).conf;
      const address = requirePeer(request.peer, "peer");
      // Idempotent: a retry after a lost reply finds the peer added.
      if (old.voters.includes(address)) {
        return create(AddPeerResponseSchema, { oldPeers: peersOf(old), newPeers: peersOf(old) });
      }
      const conf = await node.changeMembership({ kind: "add", node: address });
      return create(AddPeerResponseSchema, { oldPeers: peersOf(old), newPeers: peersOf(conf) });
    },

    async removePeer(request) {
      const { node } = locate(host, request.poolId, request.copysetId);
      const old = leaderStatus(node).conf;
      const address = requirePeer(request.peer, "peer");
      const conf = await node.changeMembership({ kind: "remove", node: address });
      return create(RemovePeerResponseSchema, { oldPeers: peersOf(old), newPeers: peersOf(conf) });
    },

    async changePeers(request) {
      const { node } = locate(host, request.poolId, request.copysetId);
      const old = leaderStatus(node).conf;
      const target = request.newPeers.map((peer) => peer.address);
      const added = target.filter((address) => !old.voters.includes(address));
      const removed = old.voters.filter((address) => !target.includes(address));
      if (added.length > 1 || removed.length > 1) {
        throw new CurveError(
          ErrorReason.CONF_CHANGE_INVALID,
          `new_peers adds ${added.length} and removes ${removed.length} voters; at most one each`,
        );
      }
      // Add first, then remove: the group keeps its fault tolerance in between.
      let conf = old;
      const [add] = added;
      const [remove] = removed;
      if (add !== undefined) conf = await node.changeMembership({ kind: "add", node: add });
      if (remove !== undefined)
        conf = await node.changeMembership({ kind: "remove", node: remove });
      return create(ChangePeersResponseSchema, { oldPeers: peersOf(old), newPeers: peersOf(conf) });
    },

    async transferLeader(request) {
      const { node } = locate(host, request.poolId, request.copysetId);
      const transferee = request.transferee?.address || undefined;
      // Idempotent: the transferee already leads (this node, or the leader this node follows).
      if (transferee !== undefined && node.status().leader === transferee) {
        return create(TransferLeaderResponseSchema, { leader: peerOf(transferee) });
      }
      const leader = await node.transferLeader(transferee);
      return create(TransferLeaderResponseSchema, { leader: peerOf(leader) });
    },

    async resetPeer(request) {
      const { node, self } = locate(host, request.poolId, request.copysetId);
      if (requirePeer(request.peer, "peer") !== self) {
        throw new CurveError(ErrorReason.PEER_MISMATCH, `this server is ${self}`);
      }
      const { old, conf } = await node.resetPeer(request.newPeers.map((peer) => peer.address));
      return create(ResetPeerResponseSchema, { oldPeers: peersOf(old), newPeers: peersOf(conf) });
    },

    async snapshot(request) {
      const { node, self } = locate(host, request.poolId, request.copysetId);
      if (request.peer !== undefined && request.peer.address !== self) {
        throw new CurveError(ErrorReason.PEER_MISMATCH, `this server is ${self}`);
      }
      const meta = await node.snapshotNow();
      return create(SnapshotResponseSchema, {
        lastIncludedIndex: toUint64(meta?.index ?? 0),
        lastIncludedTerm: toUint64(meta?.term ?? 0),
      });
    },
  });
}

/** The Raft group id of a copyset: (pool_id << 32) | copyset_id. */
export function groupIdOf(poolId: number, copysetId: number): bigint {
  return (BigInt(poolId) << 32n) | BigInt(copysetId);
}

function locate(
  host: () => RaftHost | undefined,
  poolId: number,
  copysetId: number,
): { node: RaftNode; self: NodeId } {
  const current = host();
  if (current === undefined)
    throw new CurveError(ErrorReason.NOT_READY, "the raft host is starting");
  return { node: current.locate(groupIdOf(poolId, copysetId)), self: current.address };
}

/** The node's status, or NOT_LEADER / LEADER_UNKNOWN when it does not lead. */
function leaderStatus(node: RaftNode): Status {
  const status = node.status();
  if (status.role !== "leader") throw notLeader(status.leader);
  return status;
}

function requirePeer(peer: Peer | undefined, field: string): NodeId {
  if (peer === undefined || peer.address === "") {
    throw new CurveError(ErrorReason.INVALID_ARGUMENT, `${field} is required`, {
      metadata: { field },
    });
  }
  return peer.address;
}

function peersOf(conf: ConfState): Peer[] {
  return conf.voters.map(peerOf);
}
