/**
 * `--reference`: our cluster, started in this process on real etcd and MinIO from the
 * providers: `LocalCluster` (an MDS and three metaservers registered with it, one per zone),
 * plus one metaserver that is not registered, for the Raft black-box cases.
 *
 * In-process rather than `curve-rpc up` as a child: the runner can then give the MDS its own
 * etcd namespace (a shared etcd from CURVE_TEST_ETCD stays clean) and a silent logger, and
 * stop it deterministically. The wire is the same: every case goes through HTTP/2 over the
 * loopback, in the three protocols.
 *
 * Why a fourth, unregistered metaserver: the Raft, CliService and CopysetService cases create
 * copysets the MDS does not know, which a registered metaserver purges at its next heartbeat
 * (heartbeat.proto). The runner uses the first metaserver URL for those cases, so that one is
 * the unregistered server; the cluster's metaservers follow it in `metaserverUrls`, and every
 * partition comes from the MDS (CreateFs). Chunkservers are not built yet: chunk cases run
 * and fail, listed in conformance/known-failing/reference.txt.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { LocalCluster } from "../../impl/cluster/index.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { EtcdKvStore } from "../../impl/storage/etcd-kv-store.js";
import { provideEtcd } from "../providers/etcd.js";
import { provideS3 } from "../providers/s3.js";
import type { Target } from "./target.js";

export async function startReferenceTarget(runId: string): Promise<Target> {
  const etcd = await provideEtcd();
  const s3 = await provideS3().catch(async (error: unknown) => {
    await etcd.stop();
    throw error;
  });
  const namespace = `curve-conformance/${runId}/`;
  const logger = pino({ level: process.env.CURVE_LOG_LEVEL ?? "silent" }, pino.destination(2));
  const dataDir = await mkdtemp(join(tmpdir(), "curve-conformance-"));
  let cluster: LocalCluster | undefined;
  let standalone: MetaserverHost | undefined;
  try {
    cluster = await LocalCluster.start({
      dataDir: join(dataDir, "cluster"),
      basePort: 0,
      etcdEndpoints: etcd.endpoint.endpoints,
      etcdNamespace: namespace,
      s3: s3.endpoint,
      logger,
    });
    standalone = await MetaserverHost.start({
      host: "127.0.0.1",
      port: 0,
      dataDir: join(dataDir, "standalone-metaserver"),
      logger,
    });
  } catch (error) {
    await Promise.allSettled([cluster?.stop()]);
    await Promise.allSettled([etcd.stop(), s3.stop()]);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const [started, blackBox] = [cluster, standalone];
  return {
    description: [
      `reference cluster (in-process): MDS ${started.mdsUrls.join(",")}, metaservers ${started.metaserverUrls.join(",")}, etcd namespace ${namespace}`,
      `unregistered metaserver for the Raft black-box cases at ${blackBox.url}`,
      etcd.description,
      s3.description,
    ].join("\n  "),
    mdsUrls: started.mdsUrls,
    metaserverUrls: [blackBox.url, ...started.metaserverUrls],
    chunkserverUrls: [],
    partitionSource: "mds",
    s3: s3.endpoint,
    offers: new Set(["metaserver", "chunkserver", "s3"]),
    async close() {
      await Promise.allSettled([blackBox.stop(), started.stop()]);
      await rm(dataDir, { recursive: true, force: true });
      const cleaner = new EtcdKvStore({ endpoints: etcd.endpoint.endpoints });
      await cleaner.deletePrefix(namespace).catch(() => undefined);
      await cleaner.close();
      await Promise.allSettled([etcd.stop(), s3.stop()]);
    },
  };
}
