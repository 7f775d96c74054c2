/**
 * The file-system area of the MDS in one object: what MdsService's handlers call, plus the
 * per-term life cycle (`load` when this process becomes leader, `start` for the background
 * tasks). The rules live in the modules it delegates to.
 */
import type {
  CommitTxRequest,
  CreateFsRequest,
  FsInfo,
  Mountpoint,
  RefreshSessionRequest,
  UpdateFsRequest,
} from "../../gen/curve/mds/v1/mds_pb.js";
import type { BackgroundLoop } from "../background-loop.js";
import { KeyedMutex } from "../keyed-mutex.js";
import type { MdsContext } from "../mds-context.js";
import type { MetaServerClient } from "../metaserver-client.js";
import { allocateS3Chunk } from "./chunk-ids.js";
import { createFs } from "./fs-creator.js";
import { deleteFs, startFsDeletion } from "./fs-deleter.js";
import type { FsDeps } from "./fs-deps.js";
import {
  mountFs,
  type RefreshResult,
  refreshSession,
  startSessionExpiry,
  umountFs,
} from "./fs-mounts.js";
import type { FsPartitions, VolumeSpaces } from "./fs-ports.js";
import { type FsListing, getFsInfo, listFs, updateFs } from "./fs-queries.js";
import { FsRepository } from "./fs-repository.js";
import { MountSessions } from "./mount-sessions.js";
import { commitTx, getLatestTxId, type LatestTxIds, RenameLocks } from "./rename-tx.js";
import { type StorageProbe, s3StorageProbe } from "./storage-probe.js";
import { TxIdRepository } from "./tx-id-repository.js";

/** What an FsManager is built from. */
export interface FsManagerOptions {
  readonly ctx: MdsContext;
  readonly partitions: FsPartitions;
  readonly metaServers: MetaServerClient;
  readonly spaces: VolumeSpaces;
  /** Default: the real S3 probe. */
  readonly probe?: StorageProbe;
}

/** The running background tasks of the current term (for tests: `kick` and `idle`). */
export interface FsBackgroundTasks {
  readonly sessionExpiry: BackgroundLoop;
  readonly deletion: BackgroundLoop;
}

export class FsManager {
  readonly deps: FsDeps;
  readonly #txIds: TxIdRepository;
  readonly #locks: RenameLocks;
  #tasks: FsBackgroundTasks | undefined;

  constructor(options: FsManagerOptions) {
    const { ctx } = options;
    this.deps = {
      ctx,
      repo: new FsRepository(ctx.kv, ctx.gate),
      partitions: options.partitions,
      metaServers: options.metaServers,
      spaces: options.spaces,
      probe: options.probe ?? s3StorageProbe(ctx.config.s3ProbeTimeoutMs),
      sessions: new MountSessions(ctx.clock),
      nameLocks: new KeyedMutex(),
      fsLocks: new KeyedMutex(),
    };
    this.#txIds = new TxIdRepository(ctx.kv, ctx.gate);
    this.#locks = new RenameLocks(ctx.clock);
  }

  /**
   * A new term of leadership: rebuilds the in-memory view from etcd. Every stored mount point
   * gets a full session lease from now, and each fs's last rename-lock owner holds the lock
   * for a full TTL from now.
   */
  async load(): Promise<void> {
    const all = (await this.deps.repo.listAll()).map((fs) => fs.info);
    this.deps.sessions.reset(all);
    this.#locks.reset(all, this.deps.ctx.config.txLockTtlMs);
  }

  /** Starts the background tasks of the term whose signal is given. */
  start(signal: AbortSignal): FsBackgroundTasks {
    const tasks = {
      sessionExpiry: startSessionExpiry(this.deps, signal),
      deletion: startFsDeletion(this.deps, this.#txIds, signal),
    };
    this.#tasks = tasks;
    return tasks;
  }

  /** The background tasks of the current term, if started. */
  get tasks(): FsBackgroundTasks | undefined {
    return this.#tasks;
  }

  createFs(request: CreateFsRequest): Promise<FsInfo> {
    return createFs(this.deps, request);
  }

  getFsInfo(fsId: number | undefined, fsName: string | undefined): Promise<FsInfo> {
    return getFsInfo(this.deps, fsId, fsName);
  }

  listFs(pageSize: number, pageToken: string): Promise<FsListing> {
    return listFs(this.deps, pageSize, pageToken);
  }

  updateFs(request: UpdateFsRequest): Promise<FsInfo> {
    return updateFs(this.deps, request);
  }

  async deleteFs(fsName: string, fsId: number | undefined): Promise<FsInfo> {
    const deleting = await deleteFs(this.deps, fsName, fsId);
    this.#tasks?.deletion.kick();
    return deleting;
  }

  mountFs(fsName: string, mountpoint: Mountpoint): Promise<FsInfo> {
    return mountFs(this.deps, fsName, mountpoint);
  }

  umountFs(fsName: string, mountpoint: Mountpoint): Promise<void> {
    return umountFs(this.deps, fsName, mountpoint);
  }

  refreshSession(request: RefreshSessionRequest): Promise<RefreshResult> {
    return refreshSession(this.deps, this.#txIds, request);
  }

  allocateS3Chunk(fsId: number, count: number): Promise<bigint> {
    return allocateS3Chunk(this.deps, fsId, count);
  }

  getLatestTxId(fsId: number, lockOwner: string | undefined): Promise<LatestTxIds> {
    return getLatestTxId(this.deps, this.#txIds, this.#locks, fsId, lockOwner);
  }

  commitTx(request: CommitTxRequest): Promise<void> {
    return commitTx(this.deps, this.#txIds, this.#locks, request);
  }
}
