/**
 * The client side of RaftService over Connect: one HTTP/2 session per peer address (binary
 * protobuf), shared by every group of the host. `send` never blocks the node: it starts the
 * unary call and feeds the answer back through the request's `ReplySink` as the core's response
 * message, or reports the failure (a lost message; the core retries on its next heartbeat or
 * election tick).
 */
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport, type Http2SessionManager } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { RaftService } from "../../gen/curve/raft/v1/raft_pb.js";
import type { NodeId, Request, Response } from "../core/index.js";
import type { RaftTransport, ReplySink } from "../node/index.js";
import { GuardedHttp2SessionManager } from "./guarded-session-manager.js";
import {
  appendEntriesResponseFromWire,
  appendEntriesToWire,
  preVoteResponseFromWire,
  preVoteToWire,
  requestVoteResponseFromWire,
  requestVoteToWire,
  timeoutNowResponseFromWire,
  timeoutNowToWire,
} from "./raft-codec.js";
import { SNAPSHOT_CHUNK_BYTES, SNAPSHOT_LOAD_TIMEOUT_MS, sendSnapshot } from "./snapshot-sender.js";

/** One election timeout (the spec's default): a reply later than that is useless anyway. */
export const DEFAULT_RAFT_CALL_TIMEOUT_MS = 1_000;
/**
 * raft.proto: receivers accept RaftService bodies of at least 64 MiB (an AppendEntries carries up
 * to 1 MiB of entries, or one larger entry of up to 32 MiB). Pass it as the server's readMaxBytes.
 */
export const RAFT_READ_MAX_BYTES = 64 * 1024 * 1024;
/** Snapshot chunks are large; give them more than a heartbeat. */
const DEFAULT_CHUNK_TIMEOUT_MS = 10_000;

export interface ConnectRaftTransportOptions {
  /** Deadline of each call but snapshot chunks (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Deadline of each snapshot chunk but the last (default 10 s). */
  readonly snapshotChunkTimeoutMs?: number;
  /** Deadline of the last snapshot chunk, which loads the snapshot (default 60 s). */
  readonly snapshotLoadTimeoutMs?: number;
  /** Snapshot chunk size (default and maximum 1 MiB). */
  readonly snapshotChunkBytes?: number;
  readonly logger?: Logger;
}

interface Peer {
  readonly session: Http2SessionManager;
  readonly client: Client<typeof RaftService>;
}

export class ConnectRaftTransport implements RaftTransport {
  private readonly peers = new Map<NodeId, Peer>();
  /** (group, peer, term) with a snapshot transfer running: the core never needs two. */
  private readonly transfers = new Set<string>();
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly options: ConnectRaftTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RAFT_CALL_TIMEOUT_MS;
  }

  send(groupId: bigint, request: Request, replies: ReplySink): void {
    if (this.closed) {
      replies.failed(request, new Error("the raft transport is closed"));
      return;
    }
    const { client } = this.peer(request.to);
    const fail = (error: unknown) => {
      this.options.logger?.debug(
        { err: error, to: request.to, type: request.type },
        "raft call failed",
      );
      replies.failed(request, error);
    };
    try {
      this.start(client, groupId, request, replies, fail);
    } catch (error) {
      fail(error);
    }
  }

  private start(
    client: Client<typeof RaftService>,
    groupId: bigint,
    request: Request,
    replies: ReplySink,
    fail: (error: unknown) => void,
  ): void {
    const call = { timeoutMs: this.timeoutMs };
    // The answer of a unary call, as the core's response message.
    const answer = <Wire>(pending: Promise<Wire>, decode: (wire: Wire) => Response) => {
      pending.then((wire) => replies.deliver(decode(wire))).catch(fail);
    };
    switch (request.type) {
      case "pre-vote":
        answer(client.preVote(preVoteToWire(groupId, request), call), (wire) =>
          preVoteResponseFromWire(request, wire),
        );
        return;
      case "request-vote":
        answer(client.requestVote(requestVoteToWire(groupId, request), call), (wire) =>
          requestVoteResponseFromWire(request, wire),
        );
        return;
      case "append-entries":
        answer(client.appendEntries(appendEntriesToWire(groupId, request), call), (wire) =>
          appendEntriesResponseFromWire(request, wire),
        );
        return;
      case "timeout-now":
        answer(client.timeoutNow(timeoutNowToWire(groupId, request), call), (wire) =>
          timeoutNowResponseFromWire(request, wire),
        );
        return;
      case "install-snapshot": {
        // Per term: a transfer of an earlier leadership stops by itself at its next chunk, and
        // must not swallow the request of the current one (the core would wait for it forever).
        const key = `${groupId}/${request.to}/${request.term}`;
        if (this.transfers.has(key)) return;
        this.transfers.add(key);
        sendSnapshot(client, groupId, request, replies, {
          chunkBytes: Math.min(
            this.options.snapshotChunkBytes ?? SNAPSHOT_CHUNK_BYTES,
            SNAPSHOT_CHUNK_BYTES,
          ),
          chunkTimeoutMs: this.options.snapshotChunkTimeoutMs ?? DEFAULT_CHUNK_TIMEOUT_MS,
          loadTimeoutMs: this.options.snapshotLoadTimeoutMs ?? SNAPSHOT_LOAD_TIMEOUT_MS,
        })
          .catch(fail)
          .finally(() => this.transfers.delete(key));
        return;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { session } of this.peers.values()) session.abort();
    this.peers.clear();
  }

  private peer(address: NodeId): Peer {
    let peer = this.peers.get(address);
    if (peer === undefined) {
      const baseUrl = `http://${address}`;
      // Pings find a dead peer behind a silent network within about one election timeout.
      const session = new GuardedHttp2SessionManager(baseUrl, {
        pingIntervalMs: this.timeoutMs,
        pingTimeoutMs: this.timeoutMs,
      });
      const transport = createConnectTransport({
        baseUrl,
        httpVersion: "2",
        useBinaryFormat: true,
        sessionManager: session,
      });
      peer = { session, client: createClient(RaftService, transport) };
      this.peers.set(address, peer);
    }
    return peer;
  }
}
