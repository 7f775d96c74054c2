/**
 * The SDK's MDS calls across a leader change: three MDS processes on the run's etcd (metaservers
 * faked on the MDS side, as in the MDS tests), a client that knows all three addresses. It finds
 * the leader through followers' hints, and keeps working when the leader stops and another
 * process takes over.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CurveClient } from "../../impl/client/index.js";
import { type MdsCluster, startMdsCluster } from "../mds/mds-cluster.js";
import { onlineMetaServers } from "../support/online-metaservers.js";

let cluster: MdsCluster;
let client: CurveClient;

beforeAll(async () => {
  cluster = await startMdsCluster(3);
  const leader = await cluster.leader();
  await onlineMetaServers(leader);
  // Followers first: the first call must be redirected by a hint.
  const followers = cluster.servers.filter((s) => s !== leader);
  client = await CurveClient.connect({
    mdsUrls: [...followers, leader].map((s) => s.url),
    retry: { baseDelayMs: 20, maxDelayMs: 500 },
  });
});

afterAll(async () => {
  await client?.close();
  await cluster?.close();
});

describe("a client of several MDS processes", () => {
  it("reaches the leader through a follower's hint", async () => {
    const s3 = inject("s3");
    const created = await client.createFs("failover", {
      s3: {
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        accessKey: s3.accessKey,
        secretKey: s3.secretKey,
        region: s3.region,
      },
    });
    expect((await client.getFs("failover")).fsId).toBe(created.fsId);
  });

  it("keeps working after the leader stops", { timeout: 60_000 }, async () => {
    const leader = await cluster.leader();
    await leader.stop();
    cluster.servers.splice(cluster.servers.indexOf(leader), 1);
    const names = (await client.listFs()).map((f) => f.fsName);
    expect(names).toContain("failover");
    expect(cluster.servers).toContain(await cluster.leader());
  });
});
