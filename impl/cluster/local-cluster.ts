/**
 * A whole cluster in one process, for `curve-rpc up`, the client SDK's tests and the
 * conformance reference target: one MDS (the embedded KV store under `<dataDir>/mds`, or etcd)
 * and three metaservers (`<dataDir>/metaserver-1..3`) that register with it, one per zone of a
 * METASERVER pool with three replicas; file data goes to the S3 server given, or by default to
 * the embedded local object store under `<dataDir>/objects`.
 *
 * Starting again on the same data directory brings everything back: the MDS's state is in its
 * store, each metaserver's identity and copysets in its directory, and the ports (which are
 * the metaservers' Raft ids) in `<dataDir>/ports.json`.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { create } from "@bufbuild/protobuf";
import type { Logger } from "pino";
import { pino } from "pino";
import { type S3Info, S3InfoSchema } from "../gen/curve/common/v1/common_pb.js";
import { PoolType, ServerState } from "../gen/curve/mds/v1/topology_pb.js";
import type { MdsConfigOverrides } from "../mds/mds-config.js";
import { MdsServer } from "../mds/mds-server.js";
import { MdsClient } from "../metaserver/mds-agent/index.js";
import { MetaserverHost } from "../metaserver/metaserver-host.js";
import { localEndpoint } from "../storage/object-store-resolver.js";
import {
  type ClusterPorts,
  loadClusterPorts,
  plannedPorts,
  saveClusterPorts,
} from "./cluster-ports.js";

/** The pool every local metaserver joins; zones `zone1`..`zone3`, one metaserver each. */
export const LOCAL_POOL = "pool1";
export const LOCAL_METASERVERS = 3;
/** The bucket of the embedded object store (a subdirectory of `<dataDir>/objects`). */
export const LOCAL_BUCKET = "curve";
/**
 * The keys named in the embedded store's S3Info: the store checks no credentials, but CreateFs
 * requires both to be present.
 */
export const LOCAL_ACCESS_KEY = "local";
export const LOCAL_SECRET_KEY = "local";
/**
 * Heartbeats every second: on one machine they cost nothing, and the MDS learns leaders,
 * counts and finished deletions quickly.
 */
const LOCAL_HEARTBEAT_INTERVAL_MS = 1000;
/**
 * One copyset made as soon as the metaservers are ONLINE: its first Raft election (1–2 s) then
 * happens while `up` is idle rather than inside the first CreateFs.
 */
const LOCAL_INITIAL_COPYSETS = 1;
/** Bound on waiting for the MDS to lead and the metaservers to be ONLINE (only a hang hits it). */
const READY_TIMEOUT_MS = 30_000;

/** An S3 server to keep file data in, instead of the embedded store. */
export interface LocalClusterS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region?: string;
}

export interface LocalClusterOptions {
  /** Everything the cluster keeps; created if needed. */
  readonly dataDir: string;
  /** Interface every server listens on and advertises (default 127.0.0.1). */
  readonly host?: string;
  /**
   * First start only: the MDS listens on `basePort`, the metaservers on the next three; 0 (the
   * default) picks free ports. Later starts reuse the recorded ports.
   */
  readonly basePort?: number;
  /** etcd client URLs for the MDS's state; the embedded store under `<dataDir>/mds` when absent. */
  readonly etcdEndpoints?: readonly string[];
  /** Key prefix of this cluster in etcd. */
  readonly etcdNamespace?: string;
  /** Where file data goes; the embedded local object store when absent. */
  readonly s3?: LocalClusterS3;
  readonly logger?: Logger;
  /** MDS settings on top of the local defaults (heartbeats every second). */
  readonly mdsConfig?: MdsConfigOverrides;
}

export class LocalCluster {
  private constructor(
    /** The MDS's "http://host:port" URL (one MDS; a list, as clients take one). */
    readonly mdsUrls: readonly string[],
    /** The metaservers' "http://host:port" URLs. */
    readonly metaserverUrls: readonly string[],
    /** The S3Info a CreateFs should use (with the secret key: the MDS probes the bucket). */
    readonly s3Info: S3Info,
    readonly mds: MdsServer,
    readonly metaservers: readonly MetaserverHost[],
    private readonly client: MdsClient,
  ) {}

  /**
   * Starts the MDS, declares the pool and its zones (idempotent), starts the metaservers and
   * waits until all of them are ONLINE.
   */
  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const host = options.host ?? "127.0.0.1";
    const logger = options.logger ?? pino({ level: "silent" });
    const recorded = await loadClusterPorts(dataDir);
    const ports = recorded ?? plannedPorts(options.basePort ?? 0, LOCAL_METASERVERS);
    const started: { mds?: MdsServer; metaservers: MetaserverHost[]; client?: MdsClient } = {
      metaservers: [],
    };
    try {
      const mds = await MdsServer.start({
        host,
        port: ports.mds,
        ...(options.etcdEndpoints?.length
          ? {
              etcdEndpoints: options.etcdEndpoints,
              ...(options.etcdNamespace ? { etcdNamespace: options.etcdNamespace } : {}),
            }
          : { dataDir: join(dataDir, "mds") }),
        config: { heartbeatIntervalMs: LOCAL_HEARTBEAT_INTERVAL_MS, ...options.mdsConfig },
        logger: logger.child({ server: "mds" }),
      });
      started.mds = mds;
      const client = new MdsClient({ urls: [mds.url] });
      started.client = client;
      await declareLayout(client);
      for (let i = 0; i < LOCAL_METASERVERS; i++) {
        const metaserver = await MetaserverHost.start({
          host,
          port: ports.metaservers[i] ?? 0,
          dataDir: join(dataDir, `metaserver-${i + 1}`),
          logger: logger.child({ server: `metaserver-${i + 1}` }),
          mds: { urls: [mds.url], pool: LOCAL_POOL, zone: `zone${i + 1}`, registerRetryMs: 200 },
        });
        started.metaservers.push(metaserver);
      }
      const actual: ClusterPorts = {
        mds: portOf(mds.url),
        metaservers: started.metaservers.map((m) => portOf(m.url)),
      };
      if (recorded === undefined) await saveClusterPorts(dataDir, actual);
      await waitUntilOnline(
        client,
        started.metaservers.map((m) => m.address),
      );
      return new LocalCluster(
        [mds.url],
        started.metaservers.map((m) => m.url),
        s3InfoOf(dataDir, options.s3),
        mds,
        started.metaservers,
        client,
      );
    } catch (error) {
      await stopAll(started.metaservers, started.mds, started.client);
      throw error;
    }
  }

  /** Stops the metaservers, then the MDS. */
  async stop(): Promise<void> {
    await stopAll(this.metaservers, this.mds, this.client);
  }
}

async function stopAll(
  metaservers: readonly MetaserverHost[],
  mds: MdsServer | undefined,
  client: MdsClient | undefined,
): Promise<void> {
  await Promise.allSettled(metaservers.map((m) => m.stop()));
  await client?.close();
  await mds?.stop();
}

/** The pool and its zones; both calls are idempotent, so a restart repeats them harmlessly. */
async function declareLayout(client: MdsClient): Promise<void> {
  await retryUntilLeader(() =>
    client.call((s, timeoutMs) =>
      s.topology.createPool(
        {
          name: LOCAL_POOL,
          type: PoolType.METASERVER,
          replicaCount: LOCAL_METASERVERS,
          initialCopysetCount: LOCAL_INITIAL_COPYSETS,
        },
        { timeoutMs },
      ),
    ),
  );
  for (let i = 1; i <= LOCAL_METASERVERS; i++) {
    await client.call((s, timeoutMs) =>
      s.topology.createZone({ poolName: LOCAL_POOL, name: `zone${i}` }, { timeoutMs }),
    );
  }
}

/** Repeats `call` while the MDS has no leader yet (its election takes a moment). */
async function retryUntilLeader<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function waitUntilOnline(client: MdsClient, addresses: readonly string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const { metaservers } = await client.call((s, timeoutMs) =>
      s.topology.listMetaServers({ pageSize: 1000 }, { timeoutMs }),
    );
    const online = new Set(
      metaservers.filter((m) => m.state === ServerState.ONLINE).map((m) => m.address),
    );
    if (addresses.every((a) => online.has(a))) return;
    if (Date.now() > deadline) {
      throw new Error(
        `metaservers not ONLINE after ${READY_TIMEOUT_MS} ms: ${addresses.filter((a) => !online.has(a)).join(", ")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function s3InfoOf(dataDir: string, s3: LocalClusterS3 | undefined): S3Info {
  const sizes = { blockSize: 4n << 20n, chunkSize: 64n << 20n };
  if (s3 !== undefined) {
    return create(S3InfoSchema, {
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      region: s3.region ?? "",
      ...sizes,
    });
  }
  return create(S3InfoSchema, {
    endpoint: localEndpoint(join(dataDir, "objects")),
    bucket: LOCAL_BUCKET,
    accessKey: LOCAL_ACCESS_KEY,
    secretKey: LOCAL_SECRET_KEY,
    ...sizes,
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}
