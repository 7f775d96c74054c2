/**
 * A whole cluster in its own process for the `data` suite: impl/cluster LocalCluster — one MDS
 * (its embedded KV store) and three metaservers with fsync on — keeping file data in the
 * run's MinIO, so the client SDK in another process does what a real client does: mount
 * through the MDS, metadata through the metaserver leaders, data straight to S3.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { S3Endpoint } from "../../conformance/providers/types.js";
import { LocalCluster } from "../../impl/cluster/local-cluster.js";

export interface LocalClusterArgs {
  /** Parent of the cluster's data directory (the disk under test). */
  readonly dir: string;
  readonly s3: S3Endpoint;
}

let running: { cluster: LocalCluster; dir: string } | undefined;

export async function start(args: LocalClusterArgs): Promise<{ mdsUrls: readonly string[] }> {
  if (running) throw new Error("the cluster is already running");
  const dir = await mkdtemp(join(args.dir, "curve-bench-cluster-"));
  try {
    const cluster = await LocalCluster.start({
      dataDir: dir,
      s3: {
        endpoint: args.s3.endpoint,
        bucket: args.s3.bucket,
        accessKey: args.s3.accessKey,
        secretKey: args.s3.secretKey,
        region: args.s3.region,
      },
    });
    running = { cluster, dir };
    return { mdsUrls: cluster.mdsUrls };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export async function stop(): Promise<void> {
  const current = running;
  running = undefined;
  if (!current) return;
  await current.cluster.stop();
  await rm(current.dir, { recursive: true, force: true });
}
