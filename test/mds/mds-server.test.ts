/**
 * The MDS process over the wire: MdsService through Connect, gRPC and gRPC-Web, bad input,
 * follower redirects, and failover between two MDS processes on the real etcd (chunk ids never
 * repeat, mounts survive, a deposed leader's fenced writes fail).
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { CurveError, errorInfoOf } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FsStatus } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { SpaceAllocService } from "../../impl/gen/curve/space/v1/space_pb.js";
import { electionPrefix } from "../../impl/mds/keys.js";
import { Election } from "../../impl/storage/election.js";
import { EtcdKvStore } from "../../impl/storage/etcd-kv-store.js";
import { eventually } from "../support/eventually.js";
import { mountpoint, s3FsRequest, volumeFsRequest } from "./fs/fs-harness.js";
import {
  type MdsCluster,
  mdsClient,
  onlineMetaServers,
  PROTOCOLS,
  startMdsCluster,
  transportFor,
} from "./mds-cluster.js";

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

function expectFailure(error: ConnectError, code: Code, reason: ErrorReason): void {
  expect(Code[error.code]).toBe(Code[code]);
  expect(ErrorReason[errorInfoOf(error)?.reason ?? ErrorReason.UNSPECIFIED]).toBe(
    ErrorReason[reason],
  );
}

describe("one MDS over the wire", () => {
  let cluster: MdsCluster;
  beforeAll(async () => {
    cluster = await startMdsCluster(1);
    await onlineMetaServers(await cluster.leader());
  });
  afterAll(() => cluster.close());

  describe.each(PROTOCOLS)("over %s", (protocol) => {
    it("CreateFs creates the fs through the topology and hides the secret key", async () => {
      const client = mdsClient(await cluster.leader(), protocol);
      const name = `wire-${protocol}`;
      const { fsInfo } = await client.createFs(s3FsRequest(name));
      expect(fsInfo?.status).toBe(FsStatus.INITED);
      expect(fsInfo?.detail.case).toBe("s3Info");
      if (fsInfo?.detail.case === "s3Info") {
        expect(fsInfo.detail.value.secretKey).toBe("");
        expect(fsInfo.detail.value.secretKeySet).toBe(true);
      }
      expect(cluster.metaServers.partitionsOf(fsInfo?.fsId ?? 0)).toHaveLength(3);
      const listed = await client.listFs({});
      for (const fs of listed.fsInfos) {
        if (fs.detail.case === "s3Info") expect(fs.detail.value.secretKey).toBe("");
      }
    });

    it("an unknown fs id answers not_found FS_NOT_FOUND", async () => {
      const client = mdsClient(await cluster.leader(), protocol);
      expectFailure(
        await failure(client.getFsInfo({ fsId: 4242 })),
        Code.NotFound,
        ErrorReason.FS_NOT_FOUND,
      );
    });
  });

  it("a VOLUME fs gets its space from SpaceAllocService, and loses it when deleted", async () => {
    const leader = await cluster.leader();
    const space = createClient(SpaceAllocService, transportFor(leader.url, "connect"));
    const { fsInfo } = await mdsClient(leader).createFs(volumeFsRequest("wire-volume"));
    const fsId = fsInfo?.fsId ?? 0;
    const stat = await space.statSpace({ fsId });
    expect(stat.space?.volume?.volumeName).toBe("wire-volume-vol");
    await mdsClient(leader).deleteFs({ fsName: "wire-volume", fsId });
    await eventually(async () => {
      const gone = await failure(mdsClient(leader).getFsInfo({ fsId }));
      return errorInfoOf(gone)?.reason === ErrorReason.FS_NOT_FOUND ? true : undefined;
    });
    expectFailure(
      await failure(space.statSpace({ fsId })),
      Code.FailedPrecondition,
      ErrorReason.SPACE_NOT_INITED,
    );
  });

  describe("bad input gets the right code and reason before any state is touched", () => {
    const badNames: [string, string][] = [
      ["empty", ""],
      ["oversized", "a".repeat(129)],
      ["with a double dash", "a--b"],
      ["with upper case and underscore", "My_fs"],
      ["starting with a dash", "-fs"],
    ];
    it.each(badNames)("a name %s answers FS_NAME_INVALID", async (_what, name) => {
      const client = mdsClient(await cluster.leader());
      const error = await failure(client.createFs(s3FsRequest("x", { fsName: name })));
      expectFailure(error, Code.InvalidArgument, ErrorReason.FS_NAME_INVALID);
      expect(errorInfoOf(error)?.metadata.field).toBe("fs_name");
    });

    it("a name of exactly 128 bytes is accepted", async () => {
      const client = mdsClient(await cluster.leader());
      const { fsInfo } = await client.createFs(s3FsRequest("b".repeat(128)));
      expect(fsInfo?.fsName).toHaveLength(128);
    });

    it("GetFsInfo without id and name answers INVALID_ARGUMENT", async () => {
      const client = mdsClient(await cluster.leader());
      expectFailure(
        await failure(client.getFsInfo({})),
        Code.InvalidArgument,
        ErrorReason.INVALID_ARGUMENT,
      );
    });

    it("MountFs without cto answers INVALID_ARGUMENT", async () => {
      const client = mdsClient(await cluster.leader());
      const error = await failure(
        client.mountFs({
          fsName: "wire-connect",
          mountpoint: { hostname: "h", port: 1, path: "/m" },
        }),
      );
      expectFailure(error, Code.InvalidArgument, ErrorReason.INVALID_ARGUMENT);
    });

    it.each([0, 1001])("AllocateS3Chunk of %i ids answers INVALID_ARGUMENT", async (count) => {
      const client = mdsClient(await cluster.leader());
      expectFailure(
        await failure(client.allocateS3Chunk({ fsId: 1, count })),
        Code.InvalidArgument,
        ErrorReason.INVALID_ARGUMENT,
      );
    });

    it("a ListFs page token the server did not issue answers INVALID_ARGUMENT", async () => {
      const client = mdsClient(await cluster.leader());
      const error = await failure(client.listFs({ pageToken: "not-a-token" }));
      expectFailure(error, Code.InvalidArgument, ErrorReason.INVALID_ARGUMENT);
      expect(errorInfoOf(error)?.metadata.field).toBe("page_token");
    });

    it("UpdateFs without a field answers INVALID_ARGUMENT; a mount point on an unknown fs not_found", async () => {
      const client = mdsClient(await cluster.leader());
      expectFailure(
        await failure(client.updateFs({ fsName: "wire-connect" })),
        Code.InvalidArgument,
        ErrorReason.INVALID_ARGUMENT,
      );
      expectFailure(
        await failure(client.umountFs({ fsName: "nowhere", mountpoint: mountpoint("h", 1, "/m") })),
        Code.NotFound,
        ErrorReason.FS_NOT_FOUND,
      );
    });
  });
});

describe("two MDS processes on one etcd", () => {
  let cluster: MdsCluster;
  beforeEach(async () => {
    cluster = await startMdsCluster(2);
  });
  afterEach(() => cluster.close());

  const follower = async () => {
    const leader = await cluster.leader();
    const other = cluster.servers.find((s) => s !== leader);
    if (!other) throw new Error("no follower");
    return { leader, follower: other };
  };

  it("a follower answers unavailable NOT_LEADER with the leader's address", async () => {
    const { leader, follower: f } = await follower();
    const error = await eventually(async () => {
      const e = await failure(mdsClient(f).listFs({}));
      return errorInfoOf(e)?.leaderHint ? e : undefined;
    });
    expectFailure(error, Code.Unavailable, ErrorReason.NOT_LEADER);
    expect(errorInfoOf(error)?.leaderHint).toBe(leader.address);
  });

  it("chunk ids never repeat across a failover, and the old leader's fenced writes fail", async () => {
    const { leader: first, follower: second } = await follower();
    await onlineMetaServers(first);
    const { fsInfo } = await mdsClient(first).createFs(s3FsRequest("failover"));
    const fsId = fsInfo?.fsId ?? 0;
    const seen = new Set<bigint>();
    const take = async (client: ReturnType<typeof mdsClient>, count: number) => {
      const { beginChunkId } = await client.allocateS3Chunk({ fsId, count });
      for (let i = 0n; i < BigInt(count); i++) {
        expect(seen.has(beginChunkId + i)).toBe(false);
        seen.add(beginChunkId + i);
      }
    };
    for (let i = 0; i < 5; i++) await take(mdsClient(first), 7);
    expect(Math.min(...[...seen].map(Number))).toBe(1);

    // Depose the leader from outside, as an expired lease would.
    const kv = new EtcdKvStore({
      endpoints: inject("etcd").endpoints,
      namespace: cluster.namespace,
    });
    const current = await new Election(kv, electionPrefix()).leader();
    if (!current?.lease) throw new Error("no leader key");
    await kv.revokeLease(current.lease);
    await kv.close();

    const fenced = await first.ctx.ids.next("chunk", 5000).catch((e: unknown) => e);
    expect(fenced).toBeInstanceOf(CurveError);
    expect((fenced as CurveError).reason).toBe(ErrorReason.NOT_LEADER);

    expect(await cluster.leader()).toBe(second);
    for (let i = 0; i < 5; i++) await take(mdsClient(second), 7);
    const redirected = await eventually(async () => {
      const e = await failure(mdsClient(first).allocateS3Chunk({ fsId, count: 1 }));
      return errorInfoOf(e)?.leaderHint ? e : undefined;
    });
    expect(errorInfoOf(redirected)?.leaderHint).toBe(second.address);
    expect(seen.size).toBe(70);
  });

  it("mounts survive a failover, and the new leader keeps their sessions", async () => {
    const { leader: first, follower: second } = await follower();
    await onlineMetaServers(first);
    const { fsInfo } = await mdsClient(first).createFs(s3FsRequest("mounted"));
    const mp = mountpoint("client1", 9000, "/mnt");
    await mdsClient(first).mountFs({ fsName: "mounted", mountpoint: mp });
    await first.stop();
    expect(await cluster.leader()).toBe(second);
    const got = await mdsClient(second).getFsInfo({ fsName: "mounted" });
    expect(got.fsInfo?.mountpoints.map((m) => m.hostname)).toEqual(["client1"]);
    const refreshed = await mdsClient(second).refreshSession({
      fsId: fsInfo?.fsId ?? 0,
      mountpoint: mp,
    });
    expect(refreshed.remounted).toBe(false);
    expect(refreshed.sessionTtlMs).toBe(20_000);
  });

  it("after a crash of the leader the other MDS serves within the lease TTL + 2 s", async () => {
    const { leader: first, follower: second } = await follower();
    await onlineMetaServers(first);
    const { fsInfo } = await mdsClient(first).createFs(s3FsRequest("crash"));
    const before = await mdsClient(first).allocateS3Chunk({ fsId: fsInfo?.fsId ?? 0, count: 3 });
    const crashedAt = Date.now();
    await first.crash();
    const after = await eventually(
      () => mdsClient(second).allocateS3Chunk({ fsId: fsInfo?.fsId ?? 0, count: 3 }),
      { pollMs: 20 },
    );
    const failoverMs = Date.now() - crashedAt;
    console.info(`[mds-server.test] failover after a crash: ${failoverMs} ms (lease TTL 2 s)`);
    expect(failoverMs).toBeLessThan(2_000 + 2_000);
    expect(after.beginChunkId).toBeGreaterThan(before.beginChunkId + 2n);
  });

  it("chunk ids continue above every earlier reservation after all MDSs restart", async () => {
    const leader = await cluster.leader();
    await onlineMetaServers(leader);
    const { fsInfo } = await mdsClient(leader).createFs(s3FsRequest("restart"));
    const before = await mdsClient(leader).allocateS3Chunk({ fsId: fsInfo?.fsId ?? 0, count: 10 });
    await Promise.all(cluster.servers.splice(0).map((s) => s.stop()));
    const again = await cluster.add();
    await cluster.leader();
    const after = await mdsClient(again).allocateS3Chunk({ fsId: fsInfo?.fsId ?? 0, count: 1 });
    expect(after.beginChunkId).toBeGreaterThanOrEqual(before.beginChunkId + 10n);
  });
});

describe("shutdown", () => {
  it("a stopped MDS answers unavailable", async () => {
    const cluster = await startMdsCluster(1);
    const server = await cluster.leader();
    const client = mdsClient(server);
    await client.listFs({});
    await server.stop();
    const error = await failure(client.listFs({}));
    expect(Code[error.code]).toBe(Code[Code.Unavailable]);
    await cluster.close();
  });
});
