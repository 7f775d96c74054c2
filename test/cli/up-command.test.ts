/**
 * `curve-rpc up` as a user runs it: a child process on a fresh data directory, the endpoints it
 * writes, a file system created through them, a clean stop on SIGTERM, and the same file system
 * after starting again on the same directory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ENDPOINTS_FILE, type Endpoints, parseUpArgs } from "../../impl/cli/up-command.js";
import { LOCAL_SECRET_KEY } from "../../impl/cluster/local-cluster.js";
import { FsStatus } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import {
  createFile,
  createFs,
  mdsClients,
  onLeader,
  partitionsOf,
  routeOf,
} from "../cluster/cluster-client.js";
import { eventually } from "../support/eventually.js";

const BIN = fileURLToPath(new URL("../../bin/curve-rpc.js", import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Up {
  readonly child: ChildProcess;
  readonly endpoints: Endpoints;
  readonly stdout: () => string;
  readonly exited: Promise<number | null>;
}

async function up(dataDir: string): Promise<Up> {
  const child = spawn(process.execPath, [BIN, "up", "--data-dir", dataDir, "--base-port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CURVE_LOG_LEVEL: "error" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const endpoints = await eventually(
      async () => JSON.parse(await readFile(join(dataDir, ENDPOINTS_FILE), "utf8")) as Endpoints,
      { what: `endpoints.json (stderr: ${stderr.slice(-2000)})`, timeoutMs: 60_000 },
    );
    return { child, endpoints, stdout: () => stdout, exited };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

async function stop(cluster: Up): Promise<number | null> {
  cluster.child.kill("SIGTERM");
  return cluster.exited;
}

describe("curve-rpc up", () => {
  it("serves a file system through the endpoints it writes, and brings it back after a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "curve-up-"));
    dirs.push(dataDir);
    let cluster = await up(dataDir);
    let inodeId: bigint;
    try {
      const { endpoints } = cluster;
      expect(endpoints.mds).toHaveLength(1);
      expect(endpoints.metaservers).toHaveLength(3);
      expect(endpoints.s3.endpoint).toMatch(/^file:\/\//);
      expect(JSON.stringify(endpoints)).not.toContain("secret");
      expect(cluster.stdout()).toContain(
        `next: curve-rpc fs --endpoints ${join(dataDir, ENDPOINTS_FILE)} mkfs`,
      );
      const clients = mdsClients(endpoints.mds[0] as string);
      const fs = await createFs(clients, "mine", {
        ...endpoints.s3,
        secretKey: LOCAL_SECRET_KEY,
        blockSize: 4n << 20n,
        chunkSize: 64n << 20n,
      } as Parameters<typeof createFs>[2]);
      inodeId = await createFile(routeOf(await partitionsOf(clients, fs.fsId), 1n), "kept");
    } finally {
      expect(await stop(cluster)).toBe(0);
    }

    cluster = await up(dataDir);
    try {
      const clients = mdsClients(cluster.endpoints.mds[0] as string);
      const { fsInfo } = await clients.mds.getFsInfo({ fsName: "mine" });
      expect(fsInfo?.status).toBe(FsStatus.INITED);
      const route = routeOf(await partitionsOf(clients, fsInfo?.fsId ?? 0), 1n);
      const { dentry } = await onLeader(route, (client) =>
        client.getDentry({
          fsId: fsInfo?.fsId ?? 0,
          partitionId: route.partition?.partitionId ?? 0,
          parentInodeId: 1n,
          name: "kept",
        }),
      );
      expect(dentry?.inodeId).toBe(inodeId);
    } finally {
      expect(await stop(cluster)).toBe(0);
    }
  });
});

describe("curve-rpc up arguments", () => {
  it("defaults to ./curve-data, 127.0.0.1, base port 6700 and the embedded object store", () => {
    expect(parseUpArgs([])).toMatchObject({
      dataDir: join(process.cwd(), "curve-data"),
      host: "127.0.0.1",
      basePort: 6700,
      etcdEndpoints: [],
      s3: undefined,
    });
  });

  it("takes an S3 server only with all four settings", () => {
    const s3 = ["--s3-endpoint", "http://s3:9000", "--s3-bucket", "b", "--s3-access-key", "k"];
    expect(() => parseUpArgs(s3)).toThrow("give all of");
    expect(parseUpArgs([...s3, "--s3-secret-key", "s"]).s3).toEqual({
      endpoint: "http://s3:9000",
      bucket: "b",
      accessKey: "k",
      secretKey: "s",
    });
  });

  it.each([
    [["--base-port", "x"], "--base-port"],
    [["--base-port", "70000"], "--base-port"],
    [["--etcd", "10.0.0.1:2379"], "not an etcd client URL"],
    [["--listen-host", "0.0.0.0"], "not a wildcard"],
  ])("rejects %j", (args, message) => {
    expect(() => parseUpArgs(args)).toThrow(message);
  });
});
