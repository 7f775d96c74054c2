/**
 * `--reference`: our MDS, started in this process on real etcd and MinIO from the providers.
 *
 * In-process rather than `curve-rpc mds` as a child: the runner can then give the MDS its own
 * etcd namespace (a shared etcd from CURVE_TEST_ETCD stays clean) and a silent logger, and
 * stop it deterministically. The wire is the same: every case goes through HTTP/2 over the
 * loopback, in the three protocols.
 *
 * The reference declares every role of the spec (metaserver, chunkserver, S3), so cases for
 * roles it has not built yet run and fail; conformance/known-failing/reference.txt lists them,
 * and the list shrinks as the roles land.
 */
import { pino } from "pino";
import { MdsServer } from "../../impl/mds/mds-server.js";
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
  let mds: MdsServer;
  try {
    mds = await MdsServer.start({
      host: "127.0.0.1",
      port: 0,
      etcdEndpoints: etcd.endpoint.endpoints,
      etcdNamespace: namespace,
      logger: pino({ level: process.env.CURVE_LOG_LEVEL ?? "silent" }, pino.destination(2)),
    });
  } catch (error) {
    await Promise.allSettled([etcd.stop(), s3.stop()]);
    throw error;
  }
  return {
    description: [
      `reference MDS (in-process) at ${mds.url}, etcd namespace ${namespace}`,
      etcd.description,
      s3.description,
    ].join("\n  "),
    mdsUrls: [mds.url],
    metaserverUrls: [],
    chunkserverUrls: [],
    s3: s3.endpoint,
    offers: new Set(["metaserver", "chunkserver", "s3"]),
    async close() {
      await mds.stop();
      const cleaner = new EtcdKvStore({ endpoints: etcd.endpoint.endpoints });
      await cleaner.deletePrefix(namespace).catch(() => undefined);
      await cleaner.close();
      await Promise.allSettled([etcd.stop(), s3.stop()]);
    },
  };
}
