/**
 * `curve-rpc status` on a running cluster: the MDS leader, the metaservers with liveness, the
 * copysets with members and leader, the partitions with counts; as JSON and as tables.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderStatus } from "../../impl/cli/status-command.js";
import { type ClusterStatus, clusterStatus } from "../../impl/cluster/cluster-status.js";
import { LocalCluster } from "../../impl/cluster/local-cluster.js";
import { MdsClient } from "../../impl/metaserver/mds-agent/index.js";
import {
  createFile,
  createFs,
  mdsClients,
  partitionsOf,
  routeOf,
} from "../cluster/cluster-client.js";
import { eventually } from "../support/eventually.js";

const BIN = fileURLToPath(new URL("../../bin/curve-rpc.js", import.meta.url));

describe("curve-rpc status", () => {
  let dataDir: string;
  let cluster: LocalCluster;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "curve-status-"));
    cluster = await LocalCluster.start({ dataDir, mdsConfig: { partitionsPerFs: 1 } });
    const clients = mdsClients(cluster.mdsUrls[0] as string);
    const fs = await createFs(clients, "shown", cluster.s3Info);
    await createFile(routeOf(await partitionsOf(clients, fs.fsId), 1n), "f");
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("reports the leader, ONLINE metaservers, the copyset's members and leader, and partition counts", async () => {
    const client = new MdsClient({ urls: ["http://127.0.0.1:1", ...cluster.mdsUrls] });
    try {
      // Counts arrive with the leader's next heartbeat.
      const status = await eventually(async () => {
        const s = await clusterStatus(client);
        return s.partitions[0]?.inodes === "2" ? s : undefined;
      });
      expect(status.mdsLeader).toBe(cluster.mdsUrls[0]);
      expect(status.metaservers.map((m) => m.state)).toEqual(["ONLINE", "ONLINE", "ONLINE"]);
      expect(status.copysets).toHaveLength(1);
      const [copyset] = status.copysets;
      expect(copyset?.members).toHaveLength(3);
      expect(cluster.metaservers.map((m) => m.address)).toContain(copyset?.leader);
      expect(status.fileSystems).toEqual([{ name: "shown", id: 1, status: "INITED" }]);
      expect(status.partitions[0]).toMatchObject({
        fsName: "shown",
        status: "READ_WRITE",
        dentries: "1",
      });
      const text = renderStatus(status);
      expect(text).toContain(`MDS leader: ${cluster.mdsUrls[0]}`);
      expect(text).toMatch(/metaservers:\nid +address/);
    } finally {
      await client.close();
    }
  });

  it("prints the same as JSON from the command line", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      BIN,
      "status",
      "--mds",
      cluster.mdsUrls.join(","),
      "--json",
    ]);
    const status = JSON.parse(stdout) as ClusterStatus;
    expect(status.metaservers).toHaveLength(3);
    expect(status.partitions).toHaveLength(1);
  });

  it("rejects a missing --mds with exit code 2", async () => {
    const run = promisify(execFile)(process.execPath, [BIN, "status"]);
    await expect(run).rejects.toMatchObject({ code: 2 });
  });
});
