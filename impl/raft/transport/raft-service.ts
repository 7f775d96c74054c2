/**
 * The server side of RaftService: decode, check the addressing (raft.proto's order: the field
 * rules are checked by the validation interceptor, then PEER_MISMATCH, GROUP_NOT_FOUND,
 * NOT_READY), hand the message to the group's node, encode its answer. Protocol refusals (stale
 * term, log mismatch, vote not granted, ...) are OK responses; only a message that could not be
 * handled at all is an error.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { RaftService } from "../../gen/curve/raft/v1/raft_pb.js";
import type { MessageType, Response } from "../core/index.js";
import type { RaftHost, RaftNode } from "../node/index.js";
import {
  appendEntriesFromWire,
  appendEntriesResponseToWire,
  preVoteFromWire,
  preVoteResponseToWire,
  requestVoteFromWire,
  requestVoteResponseToWire,
  snapshotAnswerToWire,
  snapshotChunkFromWire,
  timeoutNowFromWire,
  timeoutNowResponseToWire,
} from "./raft-codec.js";

/**
 * Registers RaftService. `host` returns undefined while the server is starting (its address is
 * known only once it listens), which answers NOT_READY.
 */
export function registerRaftService(router: ConnectRouter, host: () => RaftHost | undefined): void {
  router.service(RaftService, {
    async preVote(request) {
      const node = locateNode(host, request.groupId, request.to);
      const answer = await node.handleRequest(preVoteFromWire(request));
      return preVoteResponseToWire(expectResponse(answer, "pre-vote-response"));
    },
    async requestVote(request) {
      const node = locateNode(host, request.groupId, request.to);
      const answer = await node.handleRequest(requestVoteFromWire(request));
      return requestVoteResponseToWire(expectResponse(answer, "request-vote-response"));
    },
    async appendEntries(request) {
      const node = locateNode(host, request.groupId, request.to);
      const answer = await node.handleRequest(appendEntriesFromWire(request));
      return appendEntriesResponseToWire(expectResponse(answer, "append-entries-response"));
    },
    async installSnapshot(request) {
      const node = locateNode(host, request.groupId, request.to);
      return snapshotAnswerToWire(await node.receiveSnapshotChunk(snapshotChunkFromWire(request)));
    },
    async timeoutNow(request) {
      const node = locateNode(host, request.groupId, request.to);
      const answer = await node.handleRequest(timeoutNowFromWire(request));
      return timeoutNowResponseToWire(expectResponse(answer, "timeout-now-response"));
    },
  });
}

/**
 * The node a call is for.
 * @throws CurveError NOT_READY, PEER_MISMATCH, GROUP_NOT_FOUND.
 */
export function locateNode(
  host: () => RaftHost | undefined,
  groupId: bigint,
  to: string,
): RaftNode {
  const current = host();
  if (current === undefined)
    throw new CurveError(ErrorReason.NOT_READY, "the raft host is starting");
  if (to !== current.address) {
    throw new CurveError(
      ErrorReason.PEER_MISMATCH,
      `this server is ${current.address}, the message is for ${to}`,
    );
  }
  return current.locate(groupId);
}

function expectResponse<T extends MessageType>(
  response: Response,
  type: T,
): Extract<Response, { type: T }> {
  if (response.type !== type) {
    throw new CurveError(
      ErrorReason.INTERNAL,
      `the raft core answered ${response.type} to a ${type}`,
    );
  }
  return response as Extract<Response, { type: T }>;
}
