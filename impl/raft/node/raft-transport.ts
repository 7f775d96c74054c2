/**
 * How a host's nodes reach their peers. The node runtime is transport-agnostic: the Connect
 * implementation is transport/connect-raft-transport.ts; a simulator can deliver in memory.
 */
import type { Request, Response } from "../core/index.js";
import type { SnapshotChunkReader } from "../storage/index.js";

/** Where a transport reports what became of one request. */
export interface ReplySink {
  /** A response from the peer: stepped into the sender's core. */
  deliver(response: Response): void;
  /** The request was not answered (network failure, error status, timeout). */
  failed(request: Request, error: unknown): void;
  /** The newest durable snapshot of the sender's group, for install-snapshot requests. */
  openSnapshot(): Promise<SnapshotChunkReader | undefined>;
  /** Whether the sender still leads in `term` (a snapshot transfer stops otherwise). */
  leadsIn(term: number): boolean;
}

export interface RaftTransport {
  /**
   * Sends a request of group `groupId` to `request.to` without blocking the caller. Every
   * request ends in `deliver` or `failed` (install-snapshot: `deliver` once per chunk answer).
   */
  send(groupId: bigint, request: Request, replies: ReplySink): void;
  /** Ends every connection; later sends fail. */
  close(): Promise<void>;
}
