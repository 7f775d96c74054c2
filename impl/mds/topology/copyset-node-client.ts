/**
 * CopysetService.CreateCopysetNode on one kind of server (curve.chunk.v1 for chunkservers,
 * curve.metaserver.v1 for metaservers), over Connect (binary, HTTP/2), with a deadline per
 * attempt and a bounded number of attempts on transient failures. The MDS uses it to create
 * the replicas of a new CHUNKSERVER copyset, and to create the empty replica on the server a
 * repair adds to a copyset (the leader then adds it and sends it a snapshot).
 */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { CurveError, errorInfoOf } from "../../errors.js";
import { CopysetService as ChunkCopysetService } from "../../gen/curve/chunk/v1/copyset_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { CopysetService as MetaCopysetService } from "../../gen/curve/metaserver/v1/copyset_pb.js";
import type { CopysetPeer } from "../metaserver-client.js";
import type { ServerKind } from "./topology-records.js";

/** A copyset, by pool and id. */
export interface CopysetKey {
  readonly poolId: number;
  readonly copysetId: number;
}

/** The CreateCopysetNode calls the MDS makes. Every method fails with a CurveError. */
export interface CopysetNodeClient {
  /** Creates the copyset's replica on every member of `peers`, each with the full peer list. */
  createCopysetNode(peers: readonly CopysetPeer[], copyset: CopysetKey): Promise<void>;
  /** Creates an empty replica (no configuration) on the server at `address`. Idempotent. */
  createEmptyCopysetNode(address: string, copyset: CopysetKey): Promise<void>;
  close(): Promise<void>;
}

/** Failures after which the same server may succeed shortly. */
const TRANSIENT_REASONS = new Set([ErrorReason.NOT_READY, ErrorReason.OVERLOADED]);
const TRANSIENT_CODES = new Set([Code.Unavailable, Code.DeadlineExceeded]);

type Spec = { poolId: number; copysetId: number; peers: CopysetPeer[] };

/** CopysetNodeClient over Connect, for servers of `kind`. */
export class ConnectCopysetNodeClient implements CopysetNodeClient {
  readonly #kind: ServerKind;
  readonly #sessions = new Map<string, Http2SessionManager>();
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #retryIntervalMs: number;

  constructor(
    kind: ServerKind,
    options: { callTimeoutMs?: number; attempts?: number; retryIntervalMs?: number } = {},
  ) {
    this.#kind = kind;
    this.#timeoutMs = options.callTimeoutMs ?? 5000;
    this.#attempts = Math.max(1, options.attempts ?? 3);
    this.#retryIntervalMs = options.retryIntervalMs ?? 200;
  }

  async createCopysetNode(peers: readonly CopysetPeer[], copyset: CopysetKey): Promise<void> {
    const spec = { ...key(copyset), peers: [...peers] };
    await Promise.all(peers.map((peer) => this.#create(peer.address, spec)));
  }

  async createEmptyCopysetNode(address: string, copyset: CopysetKey): Promise<void> {
    await this.#create(address, { ...key(copyset), peers: [] });
  }

  async close(): Promise<void> {
    for (const session of this.#sessions.values()) session.abort();
    this.#sessions.clear();
  }

  async #create(address: string, spec: Spec): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.#attempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.#retryIntervalMs).unref());
      try {
        await this.#call(address, spec);
        return;
      } catch (error) {
        lastError = error;
        const failure = ConnectError.from(error);
        const info = errorInfoOf(failure);
        const transient = info
          ? TRANSIENT_REASONS.has(info.reason)
          : TRANSIENT_CODES.has(failure.code);
        if (!transient) {
          throw new CurveError(
            info?.reason ?? ErrorReason.INTERNAL,
            `${this.#kind} ${address}: ${failure.rawMessage}`,
            { cause: failure },
          );
        }
      }
    }
    throw new CurveError(ErrorReason.LEADER_UNKNOWN, `${this.#kind} ${address} is unreachable`, {
      cause: lastError,
      metadata: { address },
    });
  }

  async #call(address: string, spec: Spec): Promise<void> {
    const transport = this.#transport(address);
    const options = { timeoutMs: this.#timeoutMs };
    if (this.#kind === "chunkserver") {
      await createClient(ChunkCopysetService, transport).createCopysetNode(
        { copysets: [spec] },
        options,
      );
    } else {
      await createClient(MetaCopysetService, transport).createCopysetNode(
        { copysets: [spec] },
        options,
      );
    }
  }

  #transport(address: string): Transport {
    let session = this.#sessions.get(address);
    if (!session) {
      session = new Http2SessionManager(`http://${address}`);
      this.#sessions.set(address, session);
    }
    return createConnectTransport({
      baseUrl: `http://${address}`,
      httpVersion: "2",
      useBinaryFormat: true,
      sessionManager: session,
    });
  }
}

function key(copyset: CopysetKey): { poolId: number; copysetId: number } {
  return { poolId: copyset.poolId, copysetId: copyset.copysetId };
}
