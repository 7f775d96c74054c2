import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { LocalCluster } from "../../impl/cluster/local-cluster.js";
import { FsStatus } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { ServerState } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import {
  createFile,
  createFs,
  mdsClients,
  onLeader,
  partitionsOf,
  routeOf,
} from "./cluster-client.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "curve-local-cluster-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("LocalCluster", () => {
  it("on embedded defaults: three ONLINE metaservers, an fs whose inodes survive a restart", async () => {
    const dataDir = await tempDir();
    let cluster = await LocalCluster.start({ dataDir });
    let inodeId: bigint;
    let fsId: number;
    try {
      const clients = mdsClients(cluster.mdsUrls[0] as string);
      const { metaservers } = await clients.topology.listMetaServers({});
      expect(metaservers.map((m) => m.state)).toEqual([
        ServerState.ONLINE,
        ServerState.ONLINE,
        ServerState.ONLINE,
      ]);
      expect(cluster.s3Info.endpoint).toMatch(/^file:\/\//);
      const fs = await createFs(clients, "local", cluster.s3Info);
      fsId = fs.fsId;
      expect(fs.status).toBe(FsStatus.INITED);
      const routes = await partitionsOf(clients, fsId);
      expect(routes.length).toBeGreaterThan(0);
      inodeId = await createFile(routeOf(routes, 1n), "hello");
    } finally {
      await cluster.stop();
    }

    cluster = await LocalCluster.start({ dataDir });
    try {
      const clients = mdsClients(cluster.mdsUrls[0] as string);
      const { fsInfo } = await clients.mds.getFsInfo({ fsName: "local" });
      expect(fsInfo?.fsId).toBe(fsId);
      const route = routeOf(await partitionsOf(clients, fsId), 1n);
      const dentry = await onLeader(route, (client) =>
        client.getDentry({
          fsId,
          partitionId: route.partition?.partitionId ?? 0,
          parentInodeId: 1n,
          name: "hello",
        }),
      );
      expect(dentry.dentry?.inodeId).toBe(inodeId);
    } finally {
      await cluster.stop();
    }
  });

  it("on real etcd: the MDS state lives in etcd and a restart reuses the recorded ports", async () => {
    const dataDir = await tempDir();
    const { endpoints } = inject("etcd");
    const options = {
      dataDir,
      etcdEndpoints: endpoints,
      etcdNamespace: `test/local-cluster/${randomUUID()}/`,
    };
    let cluster = await LocalCluster.start(options);
    const urls = [...cluster.mdsUrls, ...cluster.metaserverUrls];
    try {
      await createFs(mdsClients(cluster.mdsUrls[0] as string), "on-etcd", cluster.s3Info);
    } finally {
      await cluster.stop();
    }
    cluster = await LocalCluster.start(options);
    try {
      expect([...cluster.mdsUrls, ...cluster.metaserverUrls]).toEqual(urls);
      const { fsInfo } = await mdsClients(cluster.mdsUrls[0] as string).mds.getFsInfo({
        fsName: "on-etcd",
      });
      expect(fsInfo?.status).toBe(FsStatus.INITED);
    } finally {
      await cluster.stop();
    }
  });
});
