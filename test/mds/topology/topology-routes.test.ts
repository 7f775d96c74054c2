/**
 * TopologyService and HeartbeatService over the wire (Connect, gRPC, gRPC-Web) against a real
 * MDS process on the real etcd, with the FAKE metaserver client behind it.
 */
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoOf } from "../../../impl/errors.js";
import { HeartbeatService } from "../../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import {
  PoolType,
  ServerState,
  TopologyService,
} from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import { s3FsRequest } from "../fs/fs-harness.js";
import {
  type MdsCluster,
  mdsClient,
  PROTOCOLS,
  startMdsCluster,
  transportFor,
} from "../mds-cluster.js";
import {
  connectFailure as failure,
  ROOMY_SPACE,
  wireReason as reasonOf,
} from "./topology-harness.js";

describe("TopologyService and HeartbeatService over the wire", () => {
  let cluster: MdsCluster;

  beforeAll(async () => {
    cluster = await startMdsCluster(2);
  });

  afterAll(() => cluster.close());

  describe.each(PROTOCOLS)("over %s", (protocol) => {
    const pool = `wire-${protocol}`;
    const clients = async () => {
      const leader = await cluster.leader();
      const transport = transportFor(leader.url, protocol);
      return {
        topology: createClient(TopologyService, transport),
        heartbeat: createClient(HeartbeatService, transport),
        mds: mdsClient(leader, protocol),
      };
    };

    it("declares a pool, registers metaservers that heartbeat, and routes an fs's partitions", async () => {
      const { topology, heartbeat, mds } = await clients();
      const created = await topology.createPool({
        name: pool,
        type: PoolType.METASERVER,
        replicaCount: 3,
        initialCopysetCount: 1,
      });
      expect(created.pool?.name).toBe(pool);
      const octet = PROTOCOLS.indexOf(protocol) + 1;
      const servers = [];
      for (let z = 1; z <= 3; z++) {
        await topology.createZone({ poolName: pool, name: `z${z}` });
        const registered = await topology.registerMetaServer({
          address: `10.${octet}.${z}.1:6701`,
          hostname: `meta-${z}`,
          poolName: pool,
          zoneName: `z${z}`,
        });
        expect(registered.token).toMatch(/^[a-z0-9]{16,}$/);
        expect(registered.heartbeatIntervalMs).toBe(10_000);
        servers.push(registered);
        const reply = await heartbeat.metaServerHeartbeat({
          metaserverId: registered.metaserverId,
          token: registered.token,
          address: `10.${octet}.${z}.1:6701`,
          startTime: timestampFromMs(Date.now()),
          space: ROOMY_SPACE,
        });
        expect(reply.commands).toEqual([]);
      }
      const listed = await topology.listMetaServers({
        poolId: created.pool?.poolId,
        state: ServerState.ONLINE,
      });
      expect(listed.metaservers.map((m) => m.metaserverId)).toEqual(
        servers.map((s) => s.metaserverId),
      );
      expect(listed.metaservers[0]?.lastHeartbeatTime).toBeDefined();

      const { fsInfo } = await mds.createFs(s3FsRequest(`topo-${protocol}`));
      const fsId = fsInfo?.fsId ?? 0;
      const routes = await topology.listPartitions({ fsId });
      expect(routes.partitions.length).toBeGreaterThanOrEqual(3);
      const first = routes.partitions[0];
      expect(first?.partition?.start).toBe(0n);
      expect(first?.copyset?.peers).toHaveLength(3);
      expect(first?.copyset?.peers.every((p) => p.id > 0 && p.address !== "")).toBe(true);
      const more = await topology.createPartitions({ fsId, count: 5 });
      expect(more.partitions).toHaveLength(5);
      expect(more.createdCount).toBe(5 - routes.partitions.length);

      const copysets = await topology.getCopysets({
        poolId: first?.copyset?.poolId ?? 0,
        copysetIds: [first?.copyset?.copysetId ?? 0, 99999],
      });
      expect(copysets.copysets).toHaveLength(1);
      expect(copysets.missingCopysetIds).toEqual([99999]);
    });

    it("documented errors arrive as their code and reason", async () => {
      const { topology, heartbeat } = await clients();
      const taken = await failure(
        topology.createPool({
          name: pool,
          type: PoolType.METASERVER,
          replicaCount: 1,
          initialCopysetCount: 0,
        }),
      );
      expect(taken.code).toBe(Code.AlreadyExists);
      expect(reasonOf(taken)).toBe("TOPOLOGY_NAME_TAKEN");
      const stranger = await failure(
        heartbeat.metaServerHeartbeat({
          metaserverId: 4242,
          token: "nope",
          address: "10.0.0.1:1",
          startTime: timestampFromMs(Date.now()),
          space: ROOMY_SPACE,
        }),
      );
      expect(stranger.code).toBe(Code.PermissionDenied);
      expect(reasonOf(stranger)).toBe("SERVER_TOKEN_MISMATCH");
      const noZone = await failure(
        topology.registerMetaServer({
          address: "10.0.0.1:1",
          hostname: "h",
          poolName: pool,
          zoneName: "nope",
        }),
      );
      expect(noZone.code).toBe(Code.NotFound);
      expect(reasonOf(noZone)).toBe("ZONE_NOT_FOUND");
      const badToken = await failure(topology.listPools({ pageToken: "garbage" }));
      expect(badToken.code).toBe(Code.InvalidArgument);
      expect(errorInfoOf(badToken)?.metadata.field).toBe("page_token");
      // Validation happens before the handler.
      const badCount = await failure(topology.createPartitions({ fsId: 1, count: 0 }));
      expect(badCount.code).toBe(Code.InvalidArgument);
      expect(reasonOf(badCount)).toBe("INVALID_ARGUMENT");
    });
  });

  it("a follower answers unavailable NOT_LEADER with the leader's address", async () => {
    const leader = await cluster.leader();
    const follower = cluster.servers.find((s) => s !== leader);
    if (!follower) throw new Error("no follower");
    const transport = transportFor(follower.url, "connect");
    for (const call of [
      createClient(TopologyService, transport).listPools({}),
      createClient(HeartbeatService, transport).metaServerHeartbeat({
        metaserverId: 1,
        token: "t",
        address: "10.0.0.1:1",
        startTime: timestampFromMs(Date.now()),
        space: ROOMY_SPACE,
      }),
    ]) {
      const error = await failure(call);
      expect(error.code).toBe(Code.Unavailable);
      expect(reasonOf(error)).toBe("NOT_LEADER");
      expect(errorInfoOf(error)?.leaderHint).toBe(leader.address);
    }
  });
});
