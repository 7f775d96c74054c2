/**
 * The MDS repairs a copyset with an OFFLINE member through a heartbeat command, and the real
 * metaservers carry it out: the copyset's leader replaces the member by a fourth metaserver
 * (add, then remove, through its Raft group), which then serves the copyset's partitions.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, inject, it } from "vitest";
import { LocalCluster } from "../../impl/cluster/local-cluster.js";
import { ServerState } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import {
  createFile,
  createFs,
  mdsClients,
  partitionsOf,
  routeOf,
} from "../cluster/cluster-client.js";
import { eventually } from "../support/eventually.js";

let dataDir: string | undefined;
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it("a copyset with an OFFLINE member is repaired onto a fourth metaserver", async () => {
  dataDir = await mkdtemp(join(tmpdir(), "curve-repair-"));
  const cluster = await LocalCluster.start({
    dataDir,
    etcdEndpoints: inject("etcd").endpoints,
    etcdNamespace: `test/mds-agent-repair/${randomUUID()}/`,
    mdsConfig: {
      partitionsPerFs: 1,
      serverUnstableAfterMs: 1000,
      serverOfflineAfterMs: 2000,
      livenessScanIntervalMs: 200,
    },
  });
  let fourth: MetaserverHost | undefined;
  try {
    const clients = mdsClients(cluster.mdsUrls[0] as string);
    const fs = await createFs(clients, "repaired", cluster.s3Info);
    const [route] = await partitionsOf(clients, fs.fsId);
    const poolId = route?.copyset?.poolId ?? 0;
    const copysetId = route?.copyset?.copysetId ?? 0;
    await clients.topology.createZone({ poolName: "pool1", name: "zone4" });
    fourth = await MetaserverHost.start({
      host: "127.0.0.1",
      port: 0,
      dataDir: join(dataDir, "metaserver-4"),
      mds: { urls: cluster.mdsUrls, pool: "pool1", zone: "zone4" },
    });
    const added = fourth;
    await eventually(async () => {
      const { metaservers } = await clients.topology.listMetaServers({});
      const state = metaservers.find((m) => m.address === added.address)?.state;
      return state === ServerState.ONLINE ? true : undefined;
    });

    const lost = cluster.metaservers[2] as MetaserverHost;
    await lost.stop();

    const repaired = await eventually(
      async () => {
        const [c] = (await clients.topology.getCopysets({ poolId, copysetIds: [copysetId] }))
          .copysets;
        const members = c?.peers.map((p) => p.address) ?? [];
        return members.includes(added.address) &&
          !members.includes(lost.address) &&
          !c?.pendingChange
          ? c
          : undefined;
      },
      { what: "the copyset repaired", timeoutMs: 60_000 },
    );
    expect(repaired.peers).toHaveLength(3);
    expect(repaired.epoch).toBeGreaterThan(0n);
    // The new member has the copyset's partition (by snapshot or log) and the group serves.
    const partitionId = route?.partition?.partitionId ?? 0;
    await eventually(() => (added.byPartition(partitionId) ? true : undefined));
    const routes = await partitionsOf(clients, fs.fsId);
    expect(await createFile(routeOf(routes, 1n), "after-repair")).toBeGreaterThan(2n);
  } finally {
    await fourth?.stop();
    await cluster.stop();
  }
});
