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
import { afterAll, describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { PeerSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { COPYSET_MANIFEST_FILE } from "../../impl/metaserver/copyset-manifest.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { eventually } from "../support/eventually.js";
import { COPYSET, FS, PART, POOL } from "./harness.js";
import {
  copysetClient,
  createFileInNewPartition,
  leaderOf,
  metaClient,
} from "./metaserver-cluster.js";

let hosts: MetaserverHost[] = [];
const leader = () => leaderOf(hosts);
const dirs: string[] = [];

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
      await copysetClient(host).createCopysetNode({
        copysets: [{ poolId: POOL, copysetId: COPYSET, peers }],
      });
    }
    const fileId = await createFileInNewPartition(metaClient(await leader()), "kept.txt");

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
