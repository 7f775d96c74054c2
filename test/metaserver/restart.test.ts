/**
 * A metaserver restart reopens the copysets it hosts: three hosts create a copyset, a partition
 * and a dentry, all three stop, and started again on the same data directories and ports they
 * serve the dentry through the new leader (state restored by Raft replay from the manifest's
 * copysets).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import {
  FsType,
  PartitionInfoSchema,
  PeerSchema,
} from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { CopysetRole, CopysetService } from "../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { COPYSET_MANIFEST_FILE } from "../../impl/metaserver/copyset-manifest.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { eventually } from "../support/eventually.js";
import { COPYSET, FS, PART, POOL, ts } from "./harness.js";

let hosts: MetaserverHost[] = [];
const dirs: string[] = [];

function metaClient(host: MetaserverHost): Client<typeof MetaServerService> {
  return createClient(
    MetaServerService,
    createConnectTransport({ baseUrl: host.url, httpVersion: "2", defaultTimeoutMs: 10_000 }),
  );
}

async function leader(): Promise<MetaserverHost> {
  return eventually(
    async () => {
      const leaders = hosts.filter(
        (h) => h.byCopyset(POOL, COPYSET)?.status().role === CopysetRole.LEADER,
      );
      if (leaders.length !== 1) return undefined;
      const [host] = leaders;
      await host?.byCopyset(POOL, COPYSET)?.read(() => true);
      return host;
    },
    { what: "a copyset leader" },
  );
}

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("metaserver restart", () => {
  it("reopens its copysets and serves their state after all hosts restart", async () => {
    for (let i = 0; i < 3; i++) {
      const dataDir = await mkdtemp(join(tmpdir(), "curve-metaserver-restart-"));
      dirs.push(dataDir);
      hosts.push(await MetaserverHost.start({ host: "127.0.0.1", port: 0, dataDir, tickMs: 25 }));
    }
    const peers = hosts.map((h) => create(PeerSchema, { address: h.address }));
    for (const host of hosts) {
      const client = createClient(
        CopysetService,
        createConnectTransport({ baseUrl: host.url, httpVersion: "2", defaultTimeoutMs: 10_000 }),
      );
      await client.createCopysetNode({ copysets: [{ poolId: POOL, copysetId: COPYSET, peers }] });
    }
    const client = metaClient(await leader());
    await client.createPartition({
      partition: create(PartitionInfoSchema, {
        fsId: FS,
        poolId: POOL,
        copysetId: COPYSET,
        partitionId: PART,
        start: 0n,
        end: (1n << 20n) - 1n,
      }),
      fsType: FsType.S3,
    });
    await client.createRootInode({ fsId: FS, partitionId: PART, mode: 0o1777, time: ts(1000) });
    const created = await client.createInode({
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
      type: FileType.REGULAR,
      mode: 0o644,
      uid: 10,
      gid: 20,
      time: ts(2000),
    });
    const fileId = created.attr?.inodeId ?? 0n;
    await client.createDentry({
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
      name: "kept.txt",
      inodeId: fileId,
      type: FileType.REGULAR,
      time: ts(3000),
    });

    // Stop every host, then start each again on its data directory and port (peers keep the
    // addresses the group was created with).
    const ports = hosts.map((h) => Number(h.address.split(":")[1]));
    for (const host of hosts) await host.stop();
    hosts = [];
    for (let i = 0; i < 3; i++) {
      hosts.push(
        await MetaserverHost.start({
          host: "127.0.0.1",
          port: ports[i] as number,
          dataDir: dirs[i] as string,
          tickMs: 25,
        }),
      );
    }
    expect(hosts.map((h) => h.address)).toEqual(peers.map((p) => p.address));
    for (const host of hosts) expect(host.byCopyset(POOL, COPYSET)).toBeDefined();

    const dentry = await eventually(
      async () =>
        metaClient(await leader()).getDentry({
          fsId: FS,
          partitionId: PART,
          parentInodeId: 1n,
          name: "kept.txt",
        }),
      { what: "the dentry after restart" },
    );
    expect(dentry.dentry?.inodeId).toBe(fileId);
  });

  it("refuses to start on a damaged manifest (DATA_CORRUPTED)", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "curve-metaserver-restart-"));
    dirs.push(dataDir);
    await writeFile(join(dataDir, COPYSET_MANIFEST_FILE), '{"v":1,"copysets":[]}\n00000000');
    const error = await MetaserverHost.start({ host: "127.0.0.1", port: 0, dataDir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CurveError);
    expect((error as CurveError).reason).toBe(ErrorReason.DATA_CORRUPTED);
  });
});
