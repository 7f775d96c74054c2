/**
 * Health as the real processes report it: MDS services SERVING on the leader only (two MDS on
 * the run's real etcd), and a metaserver SERVING once it has started (its copysets reopened).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { SpaceAllocService } from "../../impl/gen/curve/space/v1/space_pb.js";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../impl/gen-grpc/grpc/health/v1/health_pb.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { type MdsCluster, startMdsCluster } from "../mds/mds-cluster.js";

function healthOf(url: string) {
  return createClient(Health, createGrpcTransport({ baseUrl: url }));
}

describe("MDS", () => {
  let cluster: MdsCluster;

  beforeAll(async () => {
    cluster = await startMdsCluster(2);
  });
  afterAll(() => cluster.close());

  it("the leader's services are SERVING, a follower's NOT_SERVING, both processes healthy", async () => {
    const leader = await cluster.leader();
    const follower = cluster.servers.find((s) => s !== leader);
    if (follower === undefined) throw new Error("no follower");
    for (const service of [MdsService.typeName, SpaceAllocService.typeName]) {
      expect((await healthOf(leader.url).check({ service })).status).toBe(ServingStatus.SERVING);
      expect((await healthOf(follower.url).check({ service })).status).toBe(
        ServingStatus.NOT_SERVING,
      );
    }
    expect((await healthOf(follower.url).check({ service: "" })).status).toBe(
      ServingStatus.SERVING,
    );
  });

  it("a follower's Watch turns SERVING when it takes over from a stopped leader", async () => {
    const leader = await cluster.leader();
    const follower = cluster.servers.find((s) => s !== leader);
    if (follower === undefined) throw new Error("no follower");
    const seen: ServingStatus[] = [];
    const watch = healthOf(follower.url).watch({ service: MdsService.typeName });
    for await (const res of watch) {
      seen.push(res.status);
      if (seen.length === 1) await leader.stop();
      if (res.status === ServingStatus.SERVING) break;
    }
    expect(seen).toEqual([ServingStatus.NOT_SERVING, ServingStatus.SERVING]);
  });
});

describe("metaserver", () => {
  let dataDir: string;
  let host: MetaserverHost;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "curve-health-metaserver-"));
    host = await MetaserverHost.start({ host: "127.0.0.1", port: 0, dataDir });
  });
  afterAll(async () => {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("is SERVING once started", async () => {
    const res = await healthOf(host.url).check({ service: MetaServerService.typeName });
    expect(res.status).toBe(ServingStatus.SERVING);
  });
});
