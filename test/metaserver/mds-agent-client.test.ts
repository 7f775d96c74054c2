/**
 * The MDS client of the metaserver agent against a real highly available MDS (two processes on
 * the run's etcd): it reaches the leader whichever URL comes first — following a follower's
 * NOT_LEADER hint, skipping an unreachable URL — and reports the leader's own errors as they are.
 */
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { MdsServer } from "../../impl/mds/mds-server.js";
import { MdsClient } from "../../impl/metaserver/mds-agent/index.js";
import { eventually } from "../support/eventually.js";

describe("MdsClient", () => {
  const servers: MdsServer[] = [];
  let leader: MdsServer;
  let follower: MdsServer;

  beforeAll(async () => {
    const namespace = `test/mds-agent-client/${randomUUID()}/`;
    for (let i = 0; i < 2; i++) {
      servers.push(
        await MdsServer.start({
          host: "127.0.0.1",
          port: 0,
          etcdEndpoints: inject("etcd").endpoints,
          etcdNamespace: namespace,
          config: { electionTtlSeconds: 2, campaignRetryMs: 100 },
          logger: pino({ level: "silent" }),
        }),
      );
    }
    leader = await eventually(() => servers.find((s) => s.gate.state === "serving"), {
      what: "an MDS leader",
    });
    follower = servers.find((s) => s !== leader) as MdsServer;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it("follows the follower's leader hint and past an unreachable MDS", async () => {
    const client = new MdsClient({ urls: ["http://127.0.0.1:1", follower.url, leader.url] });
    try {
      await eventually(() =>
        client.call((s, timeoutMs) => s.topology.listPools({}, { timeoutMs })),
      );
      expect(client.leaderUrl).toBe(leader.url);
    } finally {
      await client.close();
    }
  });

  it("passes the leader's own errors through with their reason", async () => {
    const client = new MdsClient({ urls: [leader.url] });
    try {
      const error = await client
        .call((s, timeoutMs) =>
          s.topology.createZone({ poolName: "no-such-pool", name: "z" }, { timeoutMs }),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CurveError);
      expect((error as CurveError).reason).toBe(ErrorReason.POOL_NOT_FOUND);
    } finally {
      await client.close();
    }
  });
});
