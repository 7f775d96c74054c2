/**
 * ConnectMetaServerClient against stand-in metaservers served over Connect (test doubles that
 * only answer as leader or not): leader discovery through hints and members, domain errors
 * passed through, bounded attempts, CreateCopysetNode on every member.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeLoopbackPort } from "../../conformance/providers/free-port.js";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { CopysetService } from "../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { InodeAttrSchema } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { ConnectMetaServerClient, type CopysetLocation } from "../../impl/mds/metaserver-client.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";

/** How a stand-in answers CreateRootInode. */
type Behaviour = { kind: "leader" } | { kind: "follower"; hint: string } | { kind: "exists" };

interface StandIn {
  server: RunningServer;
  behaviour: Behaviour;
  rootCalls: number;
  copysetCalls: number;
}

const standIns: StandIn[] = [];
let downAddress: string;

async function startStandIn(behaviour: Behaviour): Promise<StandIn> {
  const standIn: StandIn = { behaviour, rootCalls: 0, copysetCalls: 0 } as StandIn;
  standIn.server = await startServer({
    host: "127.0.0.1",
    port: 0,
    logger: pino({ level: "silent" }),
    routes: (router) => {
      router.service(MetaServerService, {
        createRootInode(req) {
          standIn.rootCalls++;
          const b = standIn.behaviour;
          if (b.kind === "follower") {
            throw new CurveError(ErrorReason.NOT_LEADER, "not the leader", { leaderHint: b.hint });
          }
          if (b.kind === "exists")
            throw new CurveError(ErrorReason.INODE_ALREADY_EXISTS, "differs");
          return { attr: create(InodeAttrSchema, { inodeId: 1n, fsId: req.fsId, mode: req.mode }) };
        },
      });
      router.service(CopysetService, {
        createCopysetNode(req) {
          standIn.copysetCalls++;
          return {
            results: req.copysets.map((c) => ({
              poolId: c.poolId,
              copysetId: c.copysetId,
              created: true,
            })),
          };
        },
      });
    },
  });
  standIns.push(standIn);
  return standIn;
}

beforeAll(async () => {
  downAddress = `127.0.0.1:${await freeLoopbackPort()}`;
});
afterAll(() => Promise.all(standIns.map((s) => s.server.close())));

const rootRequest = {
  fsId: 7,
  partitionId: 1,
  uid: 0,
  gid: 0,
  mode: 0o1777,
  time: timestampFromMs(0),
};

describe("ConnectMetaServerClient", () => {
  it("finds the leader through a down member and a follower's hint, then goes there directly", async () => {
    const leader = await startStandIn({ kind: "leader" });
    const follower = await startStandIn({ kind: "follower", hint: leader.server.address });
    const copyset: CopysetLocation = {
      poolId: 1,
      copysetId: 1,
      members: [downAddress, follower.server.address, leader.server.address],
    };
    const client = new ConnectMetaServerClient({
      callTimeoutMs: 1000,
      attempts: 5,
      retryIntervalMs: 10,
    });
    const attr = await client.createRootInode(copyset, rootRequest);
    expect(attr.inodeId).toBe(1n);
    expect(follower.rootCalls).toBe(1);
    await client.createRootInode(copyset, rootRequest);
    expect(follower.rootCalls).toBe(1);
    expect(leader.rootCalls).toBe(2);
    await client.close();
  });

  it("passes a domain error of the leader through without trying elsewhere", async () => {
    const leader = await startStandIn({ kind: "exists" });
    const other = await startStandIn({ kind: "leader" });
    const client = new ConnectMetaServerClient({
      callTimeoutMs: 1000,
      attempts: 5,
      retryIntervalMs: 10,
    });
    const error = await client
      .createRootInode(
        {
          poolId: 1,
          copysetId: 2,
          members: [other.server.address],
          leaderHint: leader.server.address,
        },
        rootRequest,
      )
      .catch((e: unknown) => e);
    expect((error as CurveError).reason).toBe(ErrorReason.INODE_ALREADY_EXISTS);
    expect(other.rootCalls).toBe(0);
    await client.close();
  });

  it("answers LEADER_UNKNOWN after its bounded attempts when nobody leads", async () => {
    const a = await startStandIn({ kind: "follower", hint: "" });
    const client = new ConnectMetaServerClient({
      callTimeoutMs: 500,
      attempts: 4,
      retryIntervalMs: 10,
    });
    const error = await client
      .createRootInode(
        { poolId: 1, copysetId: 3, members: [a.server.address, downAddress] },
        rootRequest,
      )
      .catch((e: unknown) => e);
    expect((error as CurveError).reason).toBe(ErrorReason.LEADER_UNKNOWN);
    expect(a.rootCalls).toBeLessThanOrEqual(4);
    await client.close();
  });

  it("starts no attempt after its time budget, however many attempts remain", async () => {
    const a = await startStandIn({ kind: "follower", hint: "" });
    const client = new ConnectMetaServerClient({
      callTimeoutMs: 500,
      attempts: 1_000_000,
      budgetMs: 300,
      retryIntervalMs: 10,
    });
    const error = await client
      .createRootInode({ poolId: 1, copysetId: 3, members: [a.server.address] }, rootRequest)
      .catch((e: unknown) => e);
    expect((error as CurveError).reason).toBe(ErrorReason.LEADER_UNKNOWN);
    expect(a.rootCalls).toBeLessThan(1000);
    await client.close();
  });

  it("creates a copyset's replica on every member", async () => {
    const members = await Promise.all([1, 2, 3].map(() => startStandIn({ kind: "leader" })));
    const client = new ConnectMetaServerClient({ callTimeoutMs: 1000 });
    await client.createCopysetNode(
      members.map((m, i) => ({ id: i + 1, address: m.server.address })),
      { poolId: 1, copysetId: 9 },
    );
    expect(members.map((m) => m.copysetCalls)).toEqual([1, 1, 1]);
    await client.close();
  });
});
