/**
 * The metaserver's membership in a real cluster (MDS on the run's etcd, three MetaserverHosts
 * with the `mds` option): registration and its durable identity, heartbeats the MDS acts on,
 * and the commands of heartbeat replies carried out on the real Raft groups.
 */
import { randomUUID } from "node:crypto";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LocalCluster } from "../../impl/cluster/local-cluster.js";
import { errorInfoOf } from "../../impl/errors.js";
import { PartitionStatus, PeerSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { ConfigChangeType, MetaServerSpaceSchema } from "../../impl/gen/curve/mds/v1/cluster_pb.js";
import {
  CopysetCommandSchema,
  HeartbeatService,
} from "../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import { ServerState } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { CopysetService } from "../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { CopysetManifest } from "../../impl/metaserver/copyset-manifest.js";
import { CopysetCommands, IdentityStore } from "../../impl/metaserver/mds-agent/index.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { groupIdOf } from "../../impl/raft/cli-service.js";
import { RaftHost } from "../../impl/raft/node/index.js";
import {
  createFile,
  createFs,
  mdsClients,
  partitionsOf,
  routeOf,
} from "../cluster/cluster-client.js";
import { eventually } from "../support/eventually.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "curve-mds-agent-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function onEtcd(dataDir: string) {
  return {
    dataDir,
    etcdEndpoints: inject("etcd").endpoints,
    etcdNamespace: `test/mds-agent/${randomUUID()}/`,
  };
}

function reasonOf(error: unknown): ErrorReason | undefined {
  return errorInfoOf(ConnectError.from(error))?.reason;
}

describe("a metaserver in a cluster", () => {
  let cluster: LocalCluster;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDir();
    cluster = await LocalCluster.start({
      ...onEtcd(dataDir),
      mdsConfig: { partitionsPerFs: 2, fsDeletionIntervalMs: 200 },
    });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("registers, stores its identity durably and is ONLINE through its heartbeats", async () => {
    const { metaservers } = await mdsClients(cluster.mdsUrls[0] as string).topology.listMetaServers(
      {},
    );
    expect(metaservers).toHaveLength(3);
    for (const [i, host] of cluster.metaservers.entries()) {
      const stored = await new IdentityStore(join(dataDir, `metaserver-${i + 1}`)).load();
      const listed = metaservers.find((m) => m.address === host.address);
      expect(listed?.state).toBe(ServerState.ONLINE);
      expect(listed?.space?.diskThresholdBytes).toBeGreaterThan(0n);
      expect(stored).toMatchObject({ metaserverId: listed?.metaserverId, address: host.address });
      // The period the MDS asks for (LocalCluster's 1 s), not the 10 s default.
      expect(host.agent?.heartbeatIntervalMs).toBe(1000);
    }
  });

  it("CreateFs places partitions on the real metaservers; the copyset report reaches GetCopysets", async () => {
    const clients = mdsClients(cluster.mdsUrls[0] as string);
    const fs = await createFs(clients, "placed", cluster.s3Info);
    const routes = await partitionsOf(clients, fs.fsId);
    expect(routes).toHaveLength(2);
    for (const route of routes) {
      const partitionId = route.partition?.partitionId ?? 0;
      expect(cluster.metaservers.every((m) => m.byPartition(partitionId) !== undefined)).toBe(true);
    }
    const inodeId = await createFile(routeOf(routes, 1n), "a-file");
    expect(inodeId).toBeGreaterThan(2n);
    const copysetId = routes[0]?.copyset?.copysetId ?? 0;
    const poolId = routes[0]?.copyset?.poolId ?? 0;
    const addresses = cluster.metaservers.map((m) => m.address).sort();
    const copyset = await eventually(async () => {
      const [c] = (await clients.topology.getCopysets({ poolId, copysetIds: [copysetId] }))
        .copysets;
      return c?.leader ? c : undefined;
    });
    expect(copyset.peers.map((p) => p.address).sort()).toEqual(addresses);
    expect(copyset.epoch).toBe(0n);
    expect(addresses).toContain(copyset.leader?.address);
    // The leader's report carries the partition counts: root, and the file with its dentry.
    await eventually(async () => {
      const routes = await partitionsOf(clients, fs.fsId);
      const root = routeOf(routes, 1n).partition;
      return root && root.inodeCount >= 2n && root.dentryCount >= 1n ? true : undefined;
    });
  });

  it("DeleteFs removes empty partitions on the metaservers and in the topology, and turns the others DELETING", async () => {
    const clients = mdsClients(cluster.mdsUrls[0] as string);
    const fs = await createFs(clients, "doomed", cluster.s3Info);
    const routes = await partitionsOf(clients, fs.fsId);
    const rootId = routeOf(routes, 1n).partition?.partitionId ?? 0;
    const emptyIds = routes.map((r) => r.partition?.partitionId ?? 0).filter((id) => id !== rootId);
    expect(emptyIds.length).toBeGreaterThan(0);
    await clients.mds.deleteFs({ fsName: "doomed", fsId: fs.fsId });
    // The root partition is emptied by its leader in the background: DELETING until then.
    const deletingOrGone = (status: PartitionStatus | undefined) =>
      status === undefined || status === PartitionStatus.DELETING;
    await eventually(
      async () => {
        const left = await partitionsOf(clients, fs.fsId).catch(() => []);
        const root = left.find((r) => r.partition?.partitionId === rootId)?.partition;
        const others = left.filter((r) => r.partition?.partitionId !== rootId);
        return others.length === 0 && deletingOrGone(root?.status) ? true : undefined;
      },
      { what: "the empty partitions gone from the topology, the root one DELETING" },
    );
    for (const host of cluster.metaservers) {
      await eventually(
        () => {
          const gone = emptyIds.every((id) => host.byPartition(id) === undefined);
          const root = host.byPartition(rootId)?.node.stateMachine.state.partition(rootId);
          return gone && deletingOrGone(root?.status) ? true : undefined;
        },
        { what: `partitions deleted on ${host.address}` },
      );
    }
  });

  it("a copyset the MDS does not know is purged: replica stopped, data deleted, manifest updated", async () => {
    const host = cluster.metaservers[0] as MetaserverHost;
    const copysets = createClient(
      CopysetService,
      createConnectTransport({ baseUrl: host.url, httpVersion: "2" }),
    );
    await copysets.createCopysetNode({
      copysets: [
        { poolId: 1, copysetId: 4000, peers: [create(PeerSchema, { address: host.address })] },
      ],
    });
    expect(host.byCopyset(1, 4000)).toBeDefined();
    const groupDir = RaftHost.groupDir(host.dataDir, groupIdOf(1, 4000));
    await eventually(
      async () => {
        const listed = (await CopysetManifest.load(host.dataDir))
          .list()
          .some((e) => e.copysetId === 4000);
        const dataLeft = await access(groupDir).then(
          () => true,
          () => false,
        );
        return host.byCopyset(1, 4000) === undefined && !listed && !dataLeft ? true : undefined;
      },
      { what: "the purge: replica stopped, data deleted, manifest updated" },
    );
  });

  it("a restart presents the stored token and keeps the id; a wrong token is refused", async () => {
    const index = 1;
    const old = cluster.metaservers[index] as MetaserverHost;
    const dir = join(dataDir, `metaserver-${index + 1}`);
    const before = await new IdentityStore(dir).load();
    const [host, port] = old.address.split(":");
    await old.stop();
    const restarted = await MetaserverHost.start({
      host: host as string,
      port: Number(port),
      dataDir: dir,
      mds: { urls: cluster.mdsUrls, pool: "pool1", zone: `zone${index + 1}` },
    });
    (cluster.metaservers as MetaserverHost[])[index] = restarted;
    await eventually(() => (restarted.agent?.acceptedHeartbeats ? true : undefined));
    expect(restarted.agent?.identity).toEqual(before);
    expect(await readFile(join(dir, "identity.json"), "utf8")).toContain(before?.token);

    const clients = mdsClients(cluster.mdsUrls[0] as string);
    const register = clients.topology.registerMetaServer({
      address: restarted.address,
      hostname: "impostor",
      poolName: "pool1",
      zoneName: `zone${index + 1}`,
      token: "not-the-token-of-this-server",
    });
    await expect(register.catch(reasonOf)).resolves.toBe(ErrorReason.SERVER_TOKEN_MISMATCH);
    const heartbeats = createClient(
      HeartbeatService,
      createConnectTransport({ baseUrl: cluster.mdsUrls[0] as string, httpVersion: "2" }),
    );
    const heartbeat = heartbeats.metaServerHeartbeat({
      metaserverId: before?.metaserverId ?? 0,
      token: "not-the-token-of-this-server",
      address: restarted.address,
      startTime: timestampFromMs(Date.now()),
      space: create(MetaServerSpaceSchema),
    });
    await expect(heartbeat.catch(reasonOf)).resolves.toBe(ErrorReason.SERVER_TOKEN_MISMATCH);
  });

  it("a transfer-leader command moves the leadership to the named member", async () => {
    const clients = mdsClients(cluster.mdsUrls[0] as string);
    const fs = await createFs(clients, "moving", cluster.s3Info);
    const route = (await partitionsOf(clients, fs.fsId))[0];
    const { poolId, copysetId } = route?.copyset ?? { poolId: 0, copysetId: 0 };
    const leader = await eventually(() =>
      cluster.metaservers.find(
        (m) => m.byCopyset(poolId, copysetId)?.node.status().role === "leader",
      ),
    );
    const target = cluster.metaservers.find((m) => m !== leader) as MetaserverHost;
    const commands = new CopysetCommands(leader, pino({ level: "silent" }));
    const copyset = leader.byCopyset(poolId, copysetId);
    const command = create(CopysetCommandSchema, {
      poolId,
      copysetId,
      epoch: copyset?.node.stateMachine.epoch ?? 0n,
      action: {
        case: "change",
        value: {
          type: ConfigChangeType.TRANSFER_LEADER,
          peer: create(PeerSchema, { address: target.address }),
        },
      },
    });
    const staleEpoch = create(CopysetCommandSchema, { ...command, epoch: 7n });
    expect(commands.execute(staleEpoch)).toBe("ignored");
    expect(commands.execute(command)).toBe("started");
    await commands.settled();
    await eventually(() =>
      target.byCopyset(poolId, copysetId)?.node.status().role === "leader" ? true : undefined,
    );
  });
});

describe("a metaserver the MDS no longer knows", () => {
  it("discards its identity and copysets and registers anew", async () => {
    const dataDir = await tempDir();
    let cluster = await LocalCluster.start({ dataDir });
    const dir = join(dataDir, "metaserver-1");
    let before: Awaited<ReturnType<IdentityStore["load"]>>;
    try {
      await createFs(mdsClients(cluster.mdsUrls[0] as string), "forgotten", cluster.s3Info);
      before = await new IdentityStore(dir).load();
      expect((await CopysetManifest.load(dir)).list().length).toBeGreaterThan(0);
    } finally {
      await cluster.stop();
    }
    // The MDS loses its state: the stored tokens name registrations it never heard of.
    await rm(join(dataDir, "mds"), { recursive: true, force: true });
    cluster = await LocalCluster.start({ dataDir });
    try {
      const after = await new IdentityStore(dir).load();
      expect(after?.token).not.toBe(before?.token);
      expect((await CopysetManifest.load(dir)).list()).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });
});
