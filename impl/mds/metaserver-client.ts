/**
 * How the MDS talks to metaservers (curve-protos §3.10): create copyset replicas on every
 * member, and create or delete partitions, root and management inodes and dentries on a
 * copyset's leader.
 *
 * `ConnectMetaServerClient` is the real one, over Connect (binary, HTTP/2). It finds a copyset's
 * leader by trying the last known leader, then the hint it was given, then each member, and it
 * follows ERROR_REASON_NOT_LEADER leader hints; every attempt has a deadline and the attempts
 * per call are bounded. A domain error of the metaserver (e.g. PARTITION_ALREADY_EXISTS) comes
 * back as a CurveError with the metaserver's reason; when no member answers as leader the call
 * fails with `unavailable` ERROR_REASON_LEADER_UNKNOWN.
 *
 * Tests of MDS logic use `FakeMetaServerClient` (test/support/fake-metaserver-client.ts).
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { CurveError, errorInfoOf } from "../errors.js";
import type { FsType, PartitionInfo } from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { CopysetService } from "../gen/curve/metaserver/v1/copyset_pb.js";
import type { InodeAttr } from "../gen/curve/metaserver/v1/inode_pb.js";
import {
  type CreateDentryRequestSchema,
  type CreateManageInodeRequestSchema,
  type CreateRootInodeRequestSchema,
  type DeleteInodeRequestSchema,
  MetaServerService,
} from "../gen/curve/metaserver/v1/metaserver_pb.js";

/** Where a copyset lives. */
export interface CopysetLocation {
  readonly poolId: number;
  readonly copysetId: number;
  /** The members' advertised "host:port" addresses. */
  readonly members: readonly string[];
  /** The leader last reported (heartbeats), tried first after the client's own cache. */
  readonly leaderHint?: string | undefined;
}

/** A copyset member, as CreateCopysetNode lists it. */
export interface CopysetPeer {
  readonly id: number;
  readonly address: string;
}

/** The partition fields DeletePartition needs. */
export interface PartitionRef {
  readonly fsId: number;
  readonly partitionId: number;
}

export type CreateRootInodeInput = MessageInitShape<typeof CreateRootInodeRequestSchema>;
export type CreateManageInodeInput = MessageInitShape<typeof CreateManageInodeRequestSchema>;
export type CreateDentryInput = MessageInitShape<typeof CreateDentryRequestSchema>;
export type DeleteInodeInput = MessageInitShape<typeof DeleteInodeRequestSchema>;

/** The calls the MDS makes on metaservers. Every method fails with a CurveError. */
export interface MetaServerClient {
  /**
   * Creates the copyset's replica on every member of `peers` (each with the full peer list).
   * Idempotent on the metaserver side.
   */
  createCopysetNode(
    peers: readonly CopysetPeer[],
    copyset: { readonly poolId: number; readonly copysetId: number },
  ): Promise<void>;
  /** Creates a partition on the copyset's leader; returns it as hosted. Idempotent. */
  createPartition(
    copyset: CopysetLocation,
    partition: PartitionInfo,
    fsType: FsType,
  ): Promise<PartitionInfo>;
  /** Deletes a partition on the copyset's leader; `removed` once it is gone. Idempotent. */
  deletePartition(copyset: CopysetLocation, partition: PartitionRef): Promise<{ removed: boolean }>;
  /** Creates inode 1 in the partition holding it. Idempotent. */
  createRootInode(copyset: CopysetLocation, request: CreateRootInodeInput): Promise<InodeAttr>;
  /** Creates a management inode (the recycle directory, inode 2). Idempotent. */
  createManageInode(copyset: CopysetLocation, request: CreateManageInodeInput): Promise<InodeAttr>;
  /** Creates a dentry in the partition holding its parent. Idempotent. */
  createDentry(copyset: CopysetLocation, request: CreateDentryInput): Promise<void>;
  /** Deletes an inode (OK when it does not exist). */
  deleteInode(copyset: CopysetLocation, request: DeleteInodeInput): Promise<void>;
  /** Closes connections. */
  close(): Promise<void>;
}

/** Options of ConnectMetaServerClient. */
export interface ConnectMetaServerClientOptions {
  /** Deadline of one attempt on one metaserver. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  /** Attempts per call, across members and hints. Default 6. */
  readonly attempts?: number;
  /**
   * No new attempt starts once a call has taken this long (so many attempts on servers that
   * time out stay bounded). Default: unbounded (attempts only).
   */
  readonly budgetMs?: number;
  /** Pause before trying the members again when a whole round found no leader. Default 200 ms. */
  readonly retryIntervalMs?: number;
}

/** Reasons after which another member (or the hinted one) may succeed. */
const RETRY_ELSEWHERE = new Set<ErrorReason>([
  ErrorReason.NOT_LEADER,
  ErrorReason.LEADER_UNKNOWN,
  ErrorReason.LEADER_TRANSFERRING,
  ErrorReason.NOT_READY,
  ErrorReason.OVERLOADED,
  // A member that has not created its replica yet does not know the group.
  ErrorReason.GROUP_NOT_FOUND,
]);

/** Codes of failures below the domain (connection refused, deadline): try another member. */
const TRANSPORT_CODES = new Set<Code>([Code.Unavailable, Code.DeadlineExceeded, Code.Canceled]);

type Peers = {
  readonly meta: Client<typeof MetaServerService>;
  readonly copyset: Client<typeof CopysetService>;
};

/** The MetaServerClient over Connect. */
export class ConnectMetaServerClient implements MetaServerClient {
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #retryIntervalMs: number;
  readonly #budgetMs: number;
  readonly #connections = new Map<string, { peers: Peers; session: Http2SessionManager }>();
  /** Last leader seen per copyset ("pool/copyset"). */
  readonly #leaders = new Map<string, string>();

  constructor(options: ConnectMetaServerClientOptions = {}) {
    this.#timeoutMs = options.callTimeoutMs ?? 5000;
    this.#attempts = Math.max(1, options.attempts ?? 6);
    this.#retryIntervalMs = options.retryIntervalMs ?? 200;
    this.#budgetMs = options.budgetMs ?? Number.POSITIVE_INFINITY;
  }

  async createCopysetNode(
    peers: readonly CopysetPeer[],
    copyset: { readonly poolId: number; readonly copysetId: number },
  ): Promise<void> {
    const spec = { poolId: copyset.poolId, copysetId: copyset.copysetId, peers: [...peers] };
    await Promise.all(
      peers.map((peer) =>
        this.#withRetries(peer.address, (client, timeoutMs) =>
          client.copyset.createCopysetNode({ copysets: [spec] }, { timeoutMs }),
        ),
      ),
    );
  }

  async createPartition(
    copyset: CopysetLocation,
    partition: PartitionInfo,
    fsType: FsType,
  ): Promise<PartitionInfo> {
    const response = await this.#onLeader(copyset, (client, timeoutMs) =>
      client.meta.createPartition({ partition, fsType }, { timeoutMs }),
    );
    return response.partition ?? partition;
  }

  async deletePartition(
    copyset: CopysetLocation,
    partition: PartitionRef,
  ): Promise<{ removed: boolean }> {
    const response = await this.#onLeader(copyset, (client, timeoutMs) =>
      client.meta.deletePartition(
        {
          fsId: partition.fsId,
          poolId: copyset.poolId,
          copysetId: copyset.copysetId,
          partitionId: partition.partitionId,
        },
        { timeoutMs },
      ),
    );
    return { removed: response.removed };
  }

  async createRootInode(
    copyset: CopysetLocation,
    request: CreateRootInodeInput,
  ): Promise<InodeAttr> {
    const response = await this.#onLeader(copyset, (client, timeoutMs) =>
      client.meta.createRootInode(request, { timeoutMs }),
    );
    return requireAttr(response.attr, "CreateRootInode");
  }

  async createManageInode(
    copyset: CopysetLocation,
    request: CreateManageInodeInput,
  ): Promise<InodeAttr> {
    const response = await this.#onLeader(copyset, (client, timeoutMs) =>
      client.meta.createManageInode(request, { timeoutMs }),
    );
    return requireAttr(response.attr, "CreateManageInode");
  }

  async createDentry(copyset: CopysetLocation, request: CreateDentryInput): Promise<void> {
    await this.#onLeader(copyset, (client, timeoutMs) =>
      client.meta.createDentry(request, { timeoutMs }),
    );
  }

  async deleteInode(copyset: CopysetLocation, request: DeleteInodeInput): Promise<void> {
    await this.#onLeader(copyset, (client, timeoutMs) =>
      client.meta.deleteInode(request, { timeoutMs }),
    );
  }

  async close(): Promise<void> {
    for (const { session } of this.#connections.values()) session.abort();
    this.#connections.clear();
  }

  /** Runs `call` on the copyset's leader, finding it as the module comment describes. */
  async #onLeader<T>(
    copyset: CopysetLocation,
    call: (client: Peers, timeoutMs: number) => Promise<T>,
  ): Promise<T> {
    const id = `${copyset.poolId}/${copyset.copysetId}`;
    const firstRound = unique([this.#leaders.get(id), copyset.leaderHint, ...copyset.members]);
    let queue = [...firstRound];
    let lastError: unknown;
    const deadline = Date.now() + this.#budgetMs;
    for (let attempt = 0; attempt < this.#attempts && Date.now() < deadline; attempt++) {
      if (queue.length === 0) {
        await sleep(this.#retryIntervalMs);
        queue = unique([...copyset.members]);
      }
      const address = queue.shift();
      if (address === undefined) break;
      try {
        const result = await call(this.#peers(address), this.#timeoutMs);
        this.#leaders.set(id, address);
        return result;
      } catch (error) {
        lastError = error;
        const failure = ConnectError.from(error);
        const info = errorInfoOf(failure);
        if (info && !RETRY_ELSEWHERE.has(info.reason)) throw asCurveError(failure);
        if (!info && !TRANSPORT_CODES.has(failure.code)) throw asCurveError(failure);
        if (this.#leaders.get(id) === address) this.#leaders.delete(id);
        const hint = info?.leaderHint;
        if (hint && hint !== address) queue = [hint, ...queue.filter((a) => a !== hint)];
      }
    }
    throw new CurveError(
      ErrorReason.LEADER_UNKNOWN,
      `copyset ${id} has no reachable leader (members ${copyset.members.join(", ")})`,
      {
        cause: lastError,
        metadata: { pool_id: `${copyset.poolId}`, copyset_id: `${copyset.copysetId}` },
      },
    );
  }

  /** Runs `call` on one given server, retrying transient failures. */
  async #withRetries<T>(
    address: string,
    call: (client: Peers, timeoutMs: number) => Promise<T>,
  ): Promise<T> {
    let lastError: unknown;
    const deadline = Date.now() + this.#budgetMs;
    for (let attempt = 0; attempt < this.#attempts && Date.now() < deadline; attempt++) {
      if (attempt > 0) await sleep(this.#retryIntervalMs);
      try {
        return await call(this.#peers(address), this.#timeoutMs);
      } catch (error) {
        lastError = error;
        const failure = ConnectError.from(error);
        const info = errorInfoOf(failure);
        const transient = info
          ? info.reason === ErrorReason.NOT_READY || info.reason === ErrorReason.OVERLOADED
          : TRANSPORT_CODES.has(failure.code);
        if (!transient) throw asCurveError(failure);
      }
    }
    throw new CurveError(ErrorReason.LEADER_UNKNOWN, `metaserver ${address} is unreachable`, {
      cause: lastError,
      metadata: { address },
    });
  }

  #peers(address: string): Peers {
    let connection = this.#connections.get(address);
    if (!connection) {
      const baseUrl = `http://${address}`;
      const session = new Http2SessionManager(baseUrl);
      const transport: Transport = createConnectTransport({
        baseUrl,
        httpVersion: "2",
        useBinaryFormat: true,
        sessionManager: session,
      });
      connection = {
        session,
        peers: {
          meta: createClient(MetaServerService, transport),
          copyset: createClient(CopysetService, transport),
        },
      };
      this.#connections.set(address, connection);
    }
    return connection.peers;
  }
}

/** A metaserver's failure as a CurveError with its own reason. */
function asCurveError(failure: ConnectError): CurveError {
  const info = errorInfoOf(failure);
  return new CurveError(info?.reason ?? ErrorReason.INTERNAL, `metaserver: ${failure.rawMessage}`, {
    cause: failure,
    leaderHint: info?.leaderHint ?? "",
    metadata: { ...(info?.metadata ?? {}) },
  });
}

function requireAttr(attr: InodeAttr | undefined, rpc: string): InodeAttr {
  if (!attr) throw new CurveError(ErrorReason.INTERNAL, `metaserver: ${rpc} returned no inode`);
  return attr;
}

function unique(addresses: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const address of addresses) if (address) seen.add(address);
  return [...seen];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
