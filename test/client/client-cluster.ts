/**
 * A LocalCluster (MDS + 3 metaservers in this process) in a temporary directory, with a client
 * connected to it: the setup of the SDK's integration tests.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CurveClient, type FileSystem } from "../../impl/client/index.js";
import { LocalCluster, type LocalClusterOptions } from "../../impl/cluster/local-cluster.js";
import { ObjectStoreResolver } from "../../impl/storage/object-store-resolver.js";

export interface ClientCluster {
  cluster: LocalCluster;
  client: CurveClient;
  readonly dataDir: string;
  /** Creates an fs named `name` on the cluster's object store and mounts it. */
  mountNew(name: string, mountPoint?: string): Promise<FileSystem>;
  /** Stops every server and starts them again on the same data directory; new client. */
  restart(): Promise<void>;
  /** A second client of the same cluster. */
  newClient(): Promise<CurveClient>;
  stop(): Promise<void>;
}

export async function startClientCluster(
  options: Omit<LocalClusterOptions, "dataDir"> = {},
): Promise<ClientCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), "curve-client-"));
  const extraClients: CurveClient[] = [];
  // The MDS never returns secret keys: the client brings its own for the bucket.
  const secrets = options.s3
    ? [{ accessKey: options.s3.accessKey, secretKey: options.s3.secretKey }]
    : [];
  const connect = (cluster: LocalCluster) =>
    CurveClient.connect({
      mdsUrls: cluster.mdsUrls,
      objectStores: new ObjectStoreResolver({ secrets }),
    });
  const cluster = await LocalCluster.start({ ...options, dataDir });
  const handle: ClientCluster = {
    cluster,
    client: await connect(cluster),
    dataDir,
    async mountNew(name, mountPoint = `/mnt/${name}`) {
      await handle.client.createFs(name, { s3: handle.cluster.s3Info });
      return handle.client.mount(name, { mountPoint });
    },
    async restart() {
      await handle.client.close();
      await handle.cluster.stop();
      handle.cluster = await LocalCluster.start({ ...options, dataDir });
      handle.client = await connect(handle.cluster);
    },
    async newClient() {
      const client = await connect(handle.cluster);
      extraClients.push(client);
      return client;
    },
    async stop() {
      await Promise.allSettled([handle.client, ...extraClients].map((c) => c.close()));
      await handle.cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}
