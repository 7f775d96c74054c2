/**
 * `curve-rpc metaserver`: its arguments, and a metaserver process joining a running MDS into a
 * declared zone, ONLINE through its heartbeats, stopping cleanly on SIGTERM.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freeLoopbackPort } from "../../conformance/providers/free-port.js";
import { parseMetaserverArgs } from "../../impl/cli/metaserver-command.js";
import { LocalCluster } from "../../impl/cluster/local-cluster.js";
import { ServerState } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { mdsClients } from "../cluster/cluster-client.js";
import { eventually } from "../support/eventually.js";

const BIN = fileURLToPath(new URL("../../bin/curve-rpc.js", import.meta.url));

describe("curve-rpc metaserver arguments", () => {
  it("reads the MDS list, listen and advertised addresses, data dir, pool and zone", () => {
    expect(
      parseMetaserverArgs([
        "--mds",
        "http://10.0.0.1:6700, http://10.0.0.2:6700/",
        "--listen",
        "0.0.0.0:6701",
        "--advertise",
        "meta1.example:6701",
        "--data-dir",
        "/var/lib/curve/meta",
        "--pool",
        "pool1",
        "--zone",
        "rack-2",
      ]),
    ).toEqual({
      mdsUrls: ["http://10.0.0.1:6700", "http://10.0.0.2:6700"],
      host: "0.0.0.0",
      port: 6701,
      advertise: "meta1.example:6701",
      dataDir: "/var/lib/curve/meta",
      pool: "pool1",
      zone: "rack-2",
    });
  });

  it.each([
    [["--listen", "h:1", "--data-dir", "d"], "--mds URL"],
    [["--mds", "10.0.0.1:6700", "--listen", "h:1", "--data-dir", "d"], "not an MDS URL"],
    [["--mds", "http://m:1", "--data-dir", "d"], "--listen"],
    [["--mds", "http://m:1", "--listen", "h:1"], "--data-dir"],
    [["--mds", "http://m:1", "--listen", "h:1", "--data-dir", "d", "--zone", "Zone_1"], "--zone"],
  ])("rejects %j", (args, message) => {
    expect(() => parseMetaserverArgs(args)).toThrow(message);
  });
});

describe("a curve-rpc metaserver process", () => {
  it("registers into its zone, turns ONLINE, and exits 0 on SIGTERM", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "curve-metaserver-cmd-"));
    const cluster = await LocalCluster.start({ dataDir: join(dataDir, "cluster") });
    try {
      const clients = mdsClients(cluster.mdsUrls[0] as string);
      await clients.topology.createZone({ poolName: "pool1", name: "zone4" });
      const address = `127.0.0.1:${await freeLoopbackPort()}`;
      const child = spawn(
        process.execPath,
        [
          BIN,
          "metaserver",
          "--mds",
          cluster.mdsUrls.join(","),
          "--listen",
          address,
          "--data-dir",
          join(dataDir, "metaserver"),
          "--zone",
          "zone4",
        ],
        { stdio: "ignore", env: { ...process.env, CURVE_LOG_LEVEL: "error" } },
      );
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      try {
        await eventually(
          async () => {
            const { metaservers } = await clients.topology.listMetaServers({});
            const state = metaservers.find((m) => m.address === address)?.state;
            return state === ServerState.ONLINE ? true : undefined;
          },
          { what: "the metaserver process ONLINE", timeoutMs: 60_000 },
        );
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited).toBe(0);
    } finally {
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
