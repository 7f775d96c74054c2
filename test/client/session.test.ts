/**
 * A mount stays alive through the SDK's background RefreshSession, with a session TTL of one
 * second: a mount point nobody refreshes (made with a bare MountFs) expires meanwhile.
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileSystem } from "../../impl/client/index.js";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { eventually } from "../support/eventually.js";
import { type ClientCluster, startClientCluster } from "./client-cluster.js";

const SESSION_TTL_MS = 1000;

let env: ClientCluster;
let fs: FileSystem;

beforeAll(async () => {
  env = await startClientCluster({
    mdsConfig: {
      sessionTtlMs: SESSION_TTL_MS,
      refreshIntervalMs: SESSION_TTL_MS / 5,
      sessionScanIntervalMs: 100,
    },
  });
  fs = await env.mountNew("sessions", "/mnt/refreshed");
});

afterAll(async () => {
  await env?.stop();
});

describe("mount sessions", () => {
  it("keeps a mounted fs's mount point while an unrefreshed one expires", {
    timeout: 60_000,
  }, async () => {
    const mds = createClient(
      MdsService,
      createConnectTransport({ baseUrl: env.cluster.mdsUrls[0] as string, httpVersion: "2" }),
    );
    await mds.mountFs({
      fsName: "sessions",
      mountpoint: { hostname: "elsewhere", port: 1, path: "/mnt/abandoned", cto: true },
    });
    const paths = async () => (await env.client.getFs("sessions")).mountpoints.map((m) => m.path);
    await eventually(async () => (!(await paths()).includes("/mnt/abandoned") ? true : undefined), {
      what: "the abandoned mount point expiring",
      timeoutMs: 20 * SESSION_TTL_MS,
    });
    expect(await paths()).toContain("/mnt/refreshed");
    await fs.writeFile("/still-mounted", new Uint8Array([1]));
  });
});
