/**
 * One MDS process (DESIGN §1): a KvStore (etcd, or the embedded store in a data directory), the
 * leader election and gate, the id allocator, the services (MdsService, TopologyService,
 * HeartbeatService, SpaceAllocService) on one Connect port, and the background tasks of each
 * term of leadership.
 *
 * Every process serves every service from the start; a follower answers `unavailable`
 * NOT_LEADER with the leader's advertised address (or LEADER_UNKNOWN), a leader that is still
 * loading NOT_READY. On winning the election the process rebuilds its in-memory view from the
 * KV (sessions, rename locks, topology), starts the term's background tasks and then serves.
 */
import type { Logger } from "pino";
import { createLogger } from "../server/logger.js";
import { type RunningServer, startServer } from "../server/start-server.js";
import { registerSpaceRoutes } from "../space/routes.js";
import { createSpaceDeps, type SpaceDeps, volumeSpacesOf } from "../space/space-service.js";
import { type Clock, systemClock } from "../storage/clock.js";
import { EmbeddedKvStore } from "../storage/embedded-kv-store.js";
import { EtcdKvStore } from "../storage/etcd-kv-store.js";
import type { KvStore } from "../storage/kv-store.js";
import { FsManager } from "./fs/fs-manager.js";
import type { StorageProbe } from "./fs/storage-probe.js";
import { startServerLivenessTask } from "./heartbeat/liveness-task.js";
import { registerHeartbeatRoutes } from "./heartbeat/routes.js";
import { IdAllocator } from "./id-allocator.js";
import { LeaderElectionLoop } from "./leader-election.js";
import { ElectedLeaderGate } from "./leader-gate.js";
import { type MdsConfig, type MdsConfigOverrides, withOverrides } from "./mds-config.js";
import type { MdsContext } from "./mds-context.js";
import { ConnectMetaServerClient, type MetaServerClient } from "./metaserver-client.js";
import { registerMdsRoutes } from "./routes.js";
import { startCopysetMaintenanceTask } from "./topology/copyset-maintenance-task.js";
import { fsPartitionsOf } from "./topology/partitions.js";
import { registerTopologyRoutes } from "./topology/routes.js";
import { createTopologyDeps, type TopologyDeps } from "./topology/topology-deps.js";

/** How to start an MDS process. */
export interface MdsServerOptions {
  /** Interface to listen on, e.g. "127.0.0.1" or "0.0.0.0". */
  readonly host: string;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** The "host:port" clients and other MDSs should use; default the bound address. */
  readonly advertise?: string;
  /** etcd client URLs; when absent, the embedded store in `dataDir` is used. */
  readonly etcdEndpoints?: readonly string[];
  /** Keeps every key of this MDS cluster under this prefix in etcd (tests, shared etcd). */
  readonly etcdNamespace?: string;
  /** Data directory of the embedded store (required without `etcdEndpoints` and `kv`). */
  readonly dataDir?: string;
  /** An open store to use instead (not closed by `stop`). */
  readonly kv?: KvStore;
  readonly config?: MdsConfigOverrides;
  /** Drives sessions, locks and background intervals. Default: real time. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Default: the Connect client. */
  readonly metaServers?: MetaServerClient;
  /** Default: the real S3 probe. */
  readonly probe?: StorageProbe;
}

/** A running MDS process. */
export class MdsServer {
  /** "http://host:port" of the listening port. */
  readonly url: string;
  /** The advertised "host:port" (the value this process campaigns with). */
  readonly address: string;
  readonly ctx: MdsContext;
  readonly gate: ElectedLeaderGate;
  readonly fs: FsManager;
  readonly topology: TopologyDeps;
  readonly #server: RunningServer;
  readonly #election: LeaderElectionLoop;
  readonly #ownsKv: boolean;
  readonly #metaServers: MetaServerClient;
  #stopped: Promise<void> | undefined;

  private constructor(parts: {
    server: RunningServer;
    address: string;
    ctx: MdsContext;
    gate: ElectedLeaderGate;
    fs: FsManager;
    topology: TopologyDeps;
    election: LeaderElectionLoop;
    ownsKv: boolean;
    metaServers: MetaServerClient;
  }) {
    this.#server = parts.server;
    this.url = parts.server.url;
    this.address = parts.address;
    this.ctx = parts.ctx;
    this.gate = parts.gate;
    this.fs = parts.fs;
    this.topology = parts.topology;
    this.#election = parts.election;
    this.#ownsKv = parts.ownsKv;
    this.#metaServers = parts.metaServers;
  }

  /** Opens the store, starts serving (as a follower) and joins the election. */
  static async start(options: MdsServerOptions): Promise<MdsServer> {
    const logger = options.logger ?? createLogger("mds");
    const config = withOverrides(options.config);
    const clock = options.clock ?? systemClock;
    const { kv, ownsKv } = await openStore(options);
    const wiring = wire({ options, kv, config, clock, logger });
    const { ctx, gate, fs, topology, space, metaServers } = wiring;
    let server: RunningServer;
    try {
      server = await startServer({
        host: options.host,
        port: options.port,
        logger,
        // Health: every MDS service is leader-only, SERVING on the ready leader alone.
        serving: () => gate.state === "serving",
        routes: (router) => {
          registerMdsRoutes(router, { gate, config, fs });
          registerTopologyRoutes(router, topology);
          registerHeartbeatRoutes(router, topology);
          registerSpaceRoutes(router, space);
        },
      });
    } catch (error) {
      if (ownsKv) await kv.close().catch(() => undefined);
      throw error;
    }
    const address = options.advertise ?? server.address;
    gate.setSelfAddress(address);
    const election = new LeaderElectionLoop({
      kv,
      gate,
      address,
      ttlSeconds: config.electionTtlSeconds,
      retryMs: config.campaignRetryMs,
      clock,
      logger,
      onTerm: async (signal) => {
        await topology.store.term();
        // Last, so that the sessions' full leases start as close to serving as possible.
        await fs.load();
        fs.start(signal);
        startServerLivenessTask(topology);
        startCopysetMaintenanceTask(topology);
      },
    });
    await election.start();
    logger.info({ url: server.url, address }, "MDS started");
    return new MdsServer({
      server,
      address,
      ctx,
      gate,
      fs,
      topology,
      election,
      ownsKv,
      metaServers,
    });
  }

  /** Stops: resigns leadership (a follower takes over at once), closes the port and the store. */
  stop(): Promise<void> {
    return this.#shutDown(() => this.#election.stop());
  }

  /**
   * Stops as if the process were killed (for failover drills and tests): no resignation, so the
   * other MDSs wait for this one's election lease to expire before one of them leads.
   */
  crash(): Promise<void> {
    return this.#shutDown(() => this.#election.abandon());
  }

  #shutDown(leaveElection: () => Promise<void>): Promise<void> {
    this.#stopped ??= (async () => {
      await leaveElection();
      await this.#server.close();
      await this.#metaServers.close().catch(() => undefined);
      if (this.#ownsKv) await this.ctx.kv.close().catch(() => undefined);
    })();
    return this.#stopped;
  }
}

interface Wiring {
  readonly ctx: MdsContext;
  readonly gate: ElectedLeaderGate;
  readonly fs: FsManager;
  readonly topology: TopologyDeps;
  readonly space: SpaceDeps;
  readonly metaServers: MetaServerClient;
}

async function openStore(options: MdsServerOptions): Promise<{ kv: KvStore; ownsKv: boolean }> {
  if (options.kv) return { kv: options.kv, ownsKv: false };
  if (options.etcdEndpoints && options.etcdEndpoints.length > 0) {
    return {
      kv: new EtcdKvStore({
        endpoints: options.etcdEndpoints,
        ...(options.etcdNamespace ? { namespace: options.etcdNamespace } : {}),
      }),
      ownsKv: true,
    };
  }
  if (!options.dataDir) {
    throw new Error("the MDS needs etcd endpoints or a data directory for its embedded store");
  }
  return { kv: await EmbeddedKvStore.open({ dir: options.dataDir }), ownsKv: true };
}

function wire(parts: {
  options: MdsServerOptions;
  kv: KvStore;
  config: MdsConfig;
  clock: Clock;
  logger: Logger;
}): Wiring {
  const { options, kv, config, clock, logger } = parts;
  const gate = new ElectedLeaderGate();
  const ids = new IdAllocator({ kv, gate, bundleSizes: config.idBundleSizes });
  const ctx: MdsContext = { kv, gate, ids, clock, logger, config };
  const metaServers =
    options.metaServers ??
    new ConnectMetaServerClient({
      callTimeoutMs: config.metaServerCallTimeoutMs,
      attempts: config.metaServerCallAttempts,
      budgetMs: config.metaServerCallBudgetMs,
      retryIntervalMs: config.metaServerRetryIntervalMs,
    });
  const topology = createTopologyDeps(ctx, { metaServers });
  const space = createSpaceDeps(ctx);
  const fs = new FsManager({
    ctx,
    partitions: fsPartitionsOf(topology),
    metaServers,
    spaces: volumeSpacesOf(space),
    ...(options.probe ? { probe: options.probe } : {}),
  });
  return { ctx, gate, fs, topology, space, metaServers };
}
