/**
 * The core of a metaserver process: one Connect port serving RaftService, CliService,
 * MetaServerService and CopysetService, and one RaftHost running a Raft group per copyset
 * replica, with its storage under the data directory.
 *
 * The copysets it hosts are listed in a durable manifest (copyset-manifest.ts), recorded before
 * CreateCopysetNode answers; at start every listed copyset's group is reopened from its storage,
 * its state restored by the group's snapshot and log replay.
 *
 * Not yet: registering with the MDS and heartbeats.
 */
import { mkdir } from "node:fs/promises";
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
import { type CopysetDirectory, registerMetaserverRoutes } from "./routes.js";

export interface MetaserverHostOptions {
  readonly host: string;
  /** 0 picks a free port (the advertised address is then known after start). */
  readonly port: number;
  readonly dataDir: string;
  readonly logger?: Logger;
  /** Raft tick period (default 100 ms). */
  readonly tickMs?: number;
  readonly core?: CoreOptions;
}

export class MetaserverHost implements CopysetDirectory {
  private readonly copysets = new Map<bigint, CopysetNode>();
  /** Replicas being opened: a concurrent CreateCopysetNode joins the same open. */
  private readonly opening = new Map<bigint, Promise<CopysetNode>>();

  private constructor(
    private readonly server: RunningServer,
    readonly raft: RaftHost,
    private readonly manifest: CopysetManifest,
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
      // RaftService needs 64 MiB bodies; metaserver messages stay far below (16 MiB).
      readMaxBytes: RAFT_READ_MAX_BYTES,
      routes: (router) => {
        registerRaftService(router, () => holder.raft);
        registerCliService(router, () => holder.raft);
        registerMetaserverRoutes(router, () => holder.host);
      },
    });
    const raft = new RaftHost({
      address: server.address,
      dataDir: options.dataDir,
      transport: new ConnectRaftTransport({ logger }),
      logger,
      ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
      ...(options.core === undefined ? {} : { core: options.core }),
    });
    holder.raft = raft;
    const host = new MetaserverHost(server, raft, manifest);
    try {
      for (const entry of manifest.list()) {
        const groupId = groupIdOf(entry.poolId, entry.copysetId);
        host.copysets.set(
          groupId,
          await CopysetNode.open(raft, entry.poolId, entry.copysetId, entry.peers),
        );
      }
    } catch (error) {
      await host.stop().catch(() => {});
      throw error;
    }
    holder.host = host;
    return host;
  }

  /** "host:port": this server's id in every copyset. */
  get address(): NodeId {
    return this.server.address;
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
      .then(() => CopysetNode.open(this.raft, poolId, copysetId, peers));
    this.opening.set(groupId, opening);
    try {
      this.copysets.set(groupId, await opening);
      return true;
    } finally {
      this.opening.delete(groupId);
    }
  }

  /** Stops every copyset, then the port. */
  async stop(): Promise<void> {
    this.copysets.clear();
    await this.raft.shutdown();
    await this.server.close();
  }
}
