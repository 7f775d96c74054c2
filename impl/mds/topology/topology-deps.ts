/**
 * What the topology and heartbeat areas share: one value per MDS process (mds-server.ts builds
 * it with `createTopologyDeps` and hands the same value to the TopologyService and
 * HeartbeatService routes, the liveness task and the fs area's partition port).
 */
import type { FsInfo } from "../../gen/curve/mds/v1/mds_pb.js";
import { FsRepository } from "../fs/fs-repository.js";
import { TxIdRepository } from "../fs/tx-id-repository.js";
import { KeyedMutex } from "../keyed-mutex.js";
import type { MdsContext } from "../mds-context.js";
import type { MetaServerClient } from "../metaserver-client.js";
import { ConnectCopysetNodeClient, type CopysetNodeClient } from "./copyset-node-client.js";
import { TopologyStore } from "./topology-store.js";

/** The file systems, as far as the topology needs them (read only). */
export interface FsReader {
  /** The fs with this id in any status, or undefined. */
  get(fsId: number): Promise<FsInfo | undefined>;
  /** The committed rename-tx ids of the fs's partitions (absent: 0), from MdsService.CommitTx. */
  txIds(fsId: number): Promise<ReadonlyMap<number, bigint>>;
}

export interface TopologyDeps {
  readonly ctx: MdsContext;
  readonly store: TopologyStore;
  readonly metaServers: MetaServerClient;
  /** CreateCopysetNode on chunkservers (new CHUNKSERVER copysets, repair targets). */
  readonly chunkServers: CopysetNodeClient;
  /** CreateCopysetNode on metaservers, for repair targets (new copysets go through `metaServers`). */
  readonly metaServerNodes: Pick<CopysetNodeClient, "createEmptyCopysetNode">;
  readonly fs: FsReader;
  /** Wall-clock milliseconds, for the timestamps the RPCs report. */
  readonly wallClock: () => number;
  /** Partition creation for one fs runs one call at a time ("calls for one fs are serialised"). */
  readonly partitionLocks: KeyedMutex<number>;
}

export interface TopologyDepsOptions {
  readonly metaServers: MetaServerClient;
  readonly chunkServers?: CopysetNodeClient;
  readonly metaServerNodes?: Pick<CopysetNodeClient, "createEmptyCopysetNode">;
  readonly fs?: FsReader;
  readonly wallClock?: () => number;
}

/** The topology deps of one MDS process. */
export function createTopologyDeps(ctx: MdsContext, options: TopologyDepsOptions): TopologyDeps {
  const callOptions = {
    callTimeoutMs: ctx.config.metaServerCallTimeoutMs,
    retryIntervalMs: ctx.config.metaServerRetryIntervalMs,
  };
  return {
    ctx,
    store: new TopologyStore(ctx),
    metaServers: options.metaServers,
    chunkServers: options.chunkServers ?? new ConnectCopysetNodeClient("chunkserver", callOptions),
    metaServerNodes:
      options.metaServerNodes ?? new ConnectCopysetNodeClient("metaserver", callOptions),
    fs: options.fs ?? fsReaderOf(ctx),
    wallClock: options.wallClock ?? Date.now,
    partitionLocks: new KeyedMutex(),
  };
}

/** The FsReader over the fs area's repositories. */
export function fsReaderOf(ctx: MdsContext): FsReader {
  const fs = new FsRepository(ctx.kv, ctx.gate);
  const txIds = new TxIdRepository(ctx.kv, ctx.gate);
  return {
    get: async (fsId) => (await fs.getById(fsId))?.info,
    txIds: async (fsId) => {
      const committed = await txIds.read(fsId);
      return new Map([...committed].map(([id, c]) => [id, c.txId]));
    },
  };
}
