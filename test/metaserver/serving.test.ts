/**
 * The metaserver served over Raft: three metaserver hosts in this process, each on its own port
 * and data directory, create one copyset together, then serve a partition through its leader;
 * a follower redirects, and after the leader stops a new leader serves the same data.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoOf } from "../../impl/errors.js";
import { PeerSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { CopysetRole } from "../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { eventually } from "../support/eventually.js";
import { COPYSET, FS, PART, POOL, ts } from "./harness.js";
import {
  copysetClient,
  createFileInNewPartition,
  leaderOf,
  metaClient,
} from "./metaserver-cluster.js";

const hosts: MetaserverHost[] = [];
const leader = () => leaderOf(hosts);
const dirs: string[] = [];

async function reasonOf(call: Promise<unknown>): Promise<{ reason: ErrorReason; hint: string }> {
  try {
    await call;
  } catch (error) {
    const info = errorInfoOf(error);
    return { reason: info?.reason ?? ErrorReason.UNSPECIFIED, hint: info?.leaderHint ?? "" };
  }
  throw new Error("the call succeeded");
}

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), "curve-metaserver-"));
    dirs.push(dataDir);
    hosts.push(await MetaserverHost.start({ host: "127.0.0.1", port: 0, dataDir, tickMs: 25 }));
  }
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("metaserver over raft", () => {
  let fileId = 0n;

  it("creates the copyset on all three, idempotently", async () => {
    const peers = hosts.map((h) => create(PeerSchema, { address: h.address }));
    const spec = { poolId: POOL, copysetId: COPYSET, peers };
    for (const host of hosts) {
      const first = await copysetClient(host).createCopysetNode({ copysets: [spec] });
      expect(first.results.map((r) => r.created)).toEqual([true]);
    }
    const again = await copysetClient(hosts[0] as MetaserverHost).createCopysetNode({
      copysets: [spec],
    });
    expect(again.results.map((r) => r.created)).toEqual([false]);
    const other = await reasonOf(
      copysetClient(hosts[0] as MetaserverHost).createCopysetNode({
        copysets: [{ ...spec, peers: peers.slice(0, 2) }],
      }),
    );
    expect(other.reason).toBe(ErrorReason.GROUP_ALREADY_EXISTS);
    await leader();
  });

  it("serves writes and linearizable reads through the leader", async () => {
    const client = metaClient(await leader());
    fileId = await createFileInNewPartition(client, "a.txt");
    expect(fileId).toBeGreaterThan(2n);

    const dentry = await client.getDentry({
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
      name: "a.txt",
    });
    expect(dentry.dentry?.inodeId).toBe(fileId);
    const listed = await client.listDentry({ fsId: FS, partitionId: PART, parentInodeId: 1n });
    expect(listed.dentries.map((d) => d.name)).toEqual(["a.txt"]);
    const inode = await client.getInode({ fsId: FS, partitionId: PART, inodeId: fileId });
    expect(inode.inode?.attr?.mode).toBe(0o644);

    // A refusal of the state machine reaches the caller as its error.
    const missing = await reasonOf(
      client.getDentry({ fsId: FS, partitionId: PART, parentInodeId: 1n, name: "nope" }),
    );
    expect(missing.reason).toBe(ErrorReason.DENTRY_NOT_FOUND);
    const unknown = await reasonOf(client.getInode({ fsId: FS, partitionId: 999, inodeId: 1n }));
    expect(unknown.reason).toBe(ErrorReason.PARTITION_NOT_FOUND);
  });

  it("answers over gRPC too", async () => {
    const grpc = createClient(
      MetaServerService,
      createGrpcTransport({ baseUrl: (await leader()).url, defaultTimeoutMs: 10_000 }),
    );
    const dentry = await grpc.getDentry({
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
      name: "a.txt",
    });
    expect(dentry.dentry?.inodeId).toBe(fileId);
  });

  it("redirects from a follower with the leader's address", async () => {
    const current = await leader();
    const follower = hosts.find((h) => h !== current) as MetaserverHost;
    // The follower must have applied the partition to route the call to its copyset.
    await eventually(() => (follower.byPartition(PART) === undefined ? undefined : true));
    const read = await reasonOf(
      metaClient(follower).getDentry({
        fsId: FS,
        partitionId: PART,
        parentInodeId: 1n,
        name: "a.txt",
      }),
    );
    expect(read).toEqual({ reason: ErrorReason.NOT_LEADER, hint: current.address });
    const write = await reasonOf(
      metaClient(follower).createRootInode({
        fsId: FS,
        partitionId: PART,
        mode: 0o1777,
        time: ts(1000),
      }),
    );
    expect(write).toEqual({ reason: ErrorReason.NOT_LEADER, hint: current.address });
    const status = await copysetClient(follower).getCopysetStatus({
      poolId: POOL,
      copysetId: COPYSET,
    });
    expect(status.status?.role).toBe(CopysetRole.FOLLOWER);
    expect(status.status?.leader?.address).toBe(current.address);
    expect(status.status?.partitions.map((p) => p.partitionId)).toEqual([PART]);
  });

  it("serves the same data from a new leader after the leader stops", async () => {
    const old = await leader();
    await old.stop();
    hosts.splice(hosts.indexOf(old), 1);
    const next = await leader();
    expect(next).not.toBe(old);
    const client = metaClient(next);
    const dentry = await client.getDentry({
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
      name: "a.txt",
    });
    expect(dentry.dentry?.inodeId).toBe(fileId);
    // And it takes writes with the remaining majority.
    await client.createDentry({
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
      name: "b.txt",
      inodeId: fileId,
      type: FileType.REGULAR,
      time: ts(4000),
    });
    const listed = await client.listDentry({ fsId: FS, partitionId: PART, parentInodeId: 1n });
    expect(listed.dentries.map((d) => d.name)).toEqual(["a.txt", "b.txt"]);
  });
});
