/**
 * The core of a metaserver process: one Connect port serving RaftService, CliService,
 * MetaServerService and CopysetService, and one RaftHost running a Raft group per copyset
 * replica, with its storage under the data directory.
 *
 * The copysets it hosts are listed in a durable manifest (copyset-manifest.ts), recorded before
 * CreateCopysetNode answers; at start every listed copyset's group is reopened from its storage,
 * its state restored by the group's snapshot and log replay.
 *
 * With the `mds` option the host joins a cluster once its copysets are open: it registers
 * and sends heartbeats (mds-agent/); without it, it runs standalone (copysets are created by
 * whoever calls CreateCopysetNode).
 *
 * For every copyset it leads, the host runs the trash task (trash/trash-collector.ts): the data
 * of inodes unlinked to nlink 0 is deleted from object storage, then the inodes are purged.
 */
import { mkdir, rm } from "node:fs/promises";
import type { Logger } from "pino";
import { pino } from "pino";
import { groupIdOf, registerCliService } from "../raft/cli-service.js";
import type { NodeId } from "../raft/core/index.js";
import { type CoreOptions, RaftHost } from "../raft/node/index.js";
import {
  ConnectRaftTransport,
  RAFT_READ_MAX_BYTES,
  registerRaftService,
} from "../raft/transport/index.js";
import { type RunningServer, startServer } from "../server/start-server.js";
import { CopysetManifest } from "./copyset-manifest.js";
import { CopysetNode } from "./copyset-node.js";
import { MdsAgent, type MdsAgentOptions } from "./mds-agent/index.js";
import type { PendingWriteLimitOptions } from "./pending-write-limit.js";
import { type CopysetDirectory, registerMetaserverRoutes } from "./routes.js";
import { MdsFsStorageLookup, TrashCollector, type TrashOptions } from "./trash/index.js";

export interface MetaserverHostOptions {
  readonly host: string;
  /** 0 picks a free port (the advertised address is then known after start). */
  readonly port: number;
  /**
   * The "host:port" peers, the MDS and clients use (default the bound address): this server's
   * id in every copyset, so it must stay the same across restarts.
   */
  readonly advertise?: string;
  readonly dataDir: string;
  readonly logger?: Logger;
  /** Raft tick period (default 100 ms). */
  readonly tickMs?: number;
  readonly core?: CoreOptions;
  /** Join the cluster of these MDSs (register, heartbeats, commands); standalone when absent. */
  readonly mds?: MdsAgentOptions;
  /** Snapshot cadence of every copyset's group (RaftHost defaults when absent). */
  readonly snapshots?: { readonly everyEntries?: number; readonly keepEntries?: number };
  /** The trash task: delay, S3 settings lookup, object stores (trash/trash-collector.ts). */
  readonly trash?: TrashOptions;
  /** Overload protection: the most writes pending per copyset, and the retry hint. */
  readonly writeLimits?: PendingWriteLimitOptions;
}

export class MetaserverHost implements CopysetDirectory {
  private readonly copysets = new Map<bigint, CopysetNode>();
  /** Replicas being opened: a concurrent CreateCopysetNode joins the same open. */
  private readonly opening = new Map<bigint, Promise<CopysetNode>>();
  /** The cluster membership (undefined when standalone). */
  agent: MdsAgent | undefined;
  /** The leader-only trash task over this server's copysets (set once started). */
  private trash: TrashCollector | undefined;
  private writeLimits: PendingWriteLimitOptions = {};

  private constructor(
    private readonly server: RunningServer,
    readonly raft: RaftHost,
    private readonly manifest: CopysetManifest,
    readonly dataDir: string,
  ) {}

  /**
   * Loads the copyset manifest, listens, starts the Raft host on the advertised address, then
   * reopens every listed copyset.
   * @throws CurveError DATA_CORRUPTED when the manifest is damaged.
   */
  static async start(options: MetaserverHostOptions): Promise<MetaserverHost> {
    const logger = options.logger ?? pino({ level: "silent" });
    // Before listening: a damaged manifest fails the start rather than serve fewer copysets.
    await mkdir(options.dataDir, { recursive: true });
    const manifest = await CopysetManifest.load(options.dataDir);
    // The routes exist before the address is known: until then they answer NOT_READY. Raft
    // messages are served while the copysets reopen, the metaserver's services only after.
    const holder: { host?: MetaserverHost; raft?: RaftHost } = {};
    const server = await startServer({
      host: options.host,
      port: options.port,
      logger,
      // The port's limit is RaftService's 64 MiB; the metaserver's own services lower it to
      // 16 MiB for themselves (routes.ts, METASERVER_READ_MAX_BYTES).
      readMaxBytes: RAFT_READ_MAX_BYTES,
      // Health: SERVING once every listed copyset is reopened.
      serving: () => holder.host !== undefined,
      routes: (router) => {
        registerRaftService(router, () => holder.raft);
        registerCliService(router, () => holder.raft);
        registerMetaserverRoutes(router, () => holder.host);
      },
    });
    const raft = new RaftHost({
      address: options.advertise ?? server.address,
      dataDir: options.dataDir,
      transport: new ConnectRaftTransport({ logger }),
      logger,
      ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
      ...(options.core === undefined ? {} : { core: options.core }),
      ...(options.snapshots?.everyEntries === undefined
        ? {}
        : { snapshotEveryEntries: options.snapshots.everyEntries }),
      ...(options.snapshots?.keepEntries === undefined
        ? {}
        : { snapshotKeepEntries: options.snapshots.keepEntries }),
    });
    holder.raft = raft;
    const host = new MetaserverHost(server, raft, manifest, options.dataDir);
    host.writeLimits = options.writeLimits ?? {};
    try {
      for (const entry of manifest.list()) {
        const groupId = groupIdOf(entry.poolId, entry.copysetId);
        host.copysets.set(
          groupId,
          await CopysetNode.open(
            raft,
            entry.poolId,
            entry.copysetId,
            entry.peers,
            host.writeLimits,
          ),
        );
      }
    } catch (error) {
      await host.stop().catch(() => {});
      throw error;
    }
    holder.host = host;
    // In a cluster the trash task learns each fs's S3 settings from the MDS by default.
    const fsStorage =
      options.trash?.fsStorage ??
      (options.mds && new MdsFsStorageLookup({ mdsAddresses: options.mds.urls }));
    host.trash = new TrashCollector(
      () => host.copysets.values(),
      { ...options.trash, fsStorage },
      logger,
    );
    host.trash.start();
    if (options.mds !== undefined) {
      const agent = new MdsAgent(host, options.mds, logger);
      try {
        await agent.start();
      } catch (error) {
        await host.stop().catch(() => {});
        throw error;
      }
      host.agent = agent;
    }
    return host;
  }

  /** "host:port": this server's id in every copyset. */
  get address(): NodeId {
    return this.raft.address;
  }

  get url(): string {
    return this.server.url;
  }

  byPartition(partitionId: number): CopysetNode | undefined {
    for (const copyset of this.copysets.values()) {
      if (copyset.node.running && copyset.hosts(partitionId)) return copyset;
    }
    return undefined;
  }

  byCopyset(poolId: number, copysetId: number): CopysetNode | undefined {
    return this.copysets.get(groupIdOf(poolId, copysetId));
  }

  async open(poolId: number, copysetId: number, peers: readonly NodeId[]): Promise<boolean> {
    const groupId = groupIdOf(poolId, copysetId);
    if (this.copysets.has(groupId)) return false;
    const pending = this.opening.get(groupId);
    if (pending !== undefined) {
      await pending;
      return false;
    }
    // Recorded first: once the group may exist on disk, the next start must reopen it.
    const opening = this.manifest
      .add({ poolId, copysetId, peers })
      .then(() => CopysetNode.open(this.raft, poolId, copysetId, peers, this.writeLimits));
    this.opening.set(groupId, opening);
    try {
      this.copysets.set(groupId, await opening);
      return true;
    } finally {
      this.opening.delete(groupId);
    }
  }

  /** The copyset replicas this server holds. */
  replicas(): readonly CopysetNode[] {
    return [...this.copysets.values()];
  }

  /**
   * Stops a replica, deletes its Raft storage and removes it from the manifest (a purge from
   * the MDS). A no-op for a copyset this server does not hold.
   */
  async purge(poolId: number, copysetId: number): Promise<void> {
    const groupId = groupIdOf(poolId, copysetId);
    await this.opening.get(groupId)?.catch(() => {});
    this.copysets.delete(groupId);
    await this.raft.removeGroup(groupId, { destroy: true });
    // A group dir left by a failed open is not listed by the host; it goes too.
    await rm(RaftHost.groupDir(this.dataDir, groupId), { recursive: true, force: true });
    await this.manifest.remove(poolId, copysetId);
  }

  /** Stops the cluster membership, every copyset, then the port. */
  async stop(): Promise<void> {
    await this.agent?.stop();
    await this.trash?.stop();
    this.copysets.clear();
    await this.raft.shutdown();
    await this.server.close();
  }
}
