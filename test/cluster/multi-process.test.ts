/**
 * The real thing as separate OS processes: `curve-rpc mds` and three `curve-rpc metaserver`
 * processes on loopback. A file system is created through the MDS, then several writers create
 * inodes in its root partition while the copyset's leader is killed with SIGKILL twice (and
 * restarted from its data directory each time). Afterwards every acknowledged create is there
 * with the attributes it was created with, no inode id was handed out twice, the replicas agree
 * on the partition, and the inodes beyond the acknowledged ones are at most the creates whose
 * outcome was unknown (each write is sent once and never retried, so a duplicate can only come
 * from the servers).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, expect, it, onTestFailed } from "vitest";
import { freeLoopbackPort } from "../../conformance/providers/free-port.js";
import { LOCAL_SECRET_KEY } from "../../impl/cluster/local-cluster.js";
import { errorInfoOf } from "../../impl/errors.js";
import { PoolType, ServerState } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { CopysetRole, CopysetService } from "../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { localEndpoint } from "../../impl/storage/object-store-resolver.js";
import { eventually } from "../support/eventually.js";
import { createFs, mdsClients, metaClient, partitionsOf, routeOf } from "./cluster-client.js";

const BIN = fileURLToPath(new URL("../../bin/curve-rpc.js", import.meta.url));
const KILLS = 2;
const WRITERS = 4;
/** Acknowledged creates to wait for between two kills. */
const CREATES_PER_ROUND = 30;

interface Server {
  readonly name: string;
  readonly args: string[];
  readonly address: string;
  child: ChildProcess | undefined;
  stderr: string;
}

const servers: Server[] = [];
let baseDir: string | undefined;

function launch(server: Server): void {
  const child = spawn(process.execPath, [BIN, ...server.args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, CURVE_LOG_LEVEL: "warn" },
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    server.stderr = (server.stderr + chunk.toString()).slice(-10_000);
  });
  server.child = child;
}

async function kill(server: Server, signal: NodeJS.Signals): Promise<void> {
  const child = server.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => kill(s, "SIGKILL")));
  if (baseDir) await rm(baseDir, { recursive: true, force: true });
});

it("every acknowledged CreateInode survives kill -9 of the copyset leader, exactly once", {
  timeout: 240_000,
}, async () => {
  onTestFailed(() => {
    for (const s of servers) console.error(`--- ${s.name} stderr:\n${s.stderr}`);
  });
  baseDir = await mkdtemp(join(tmpdir(), "curve-multi-process-"));
  const mdsAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  const mdsUrl = `http://${mdsAddress}`;
  const mds: Server = {
    name: "mds",
    address: mdsAddress,
    args: ["mds", "--listen", mdsAddress, "--data-dir", join(baseDir, "mds")],
    child: undefined,
    stderr: "",
  };
  servers.push(mds);
  launch(mds);
  const clients = mdsClients(mdsUrl);
  await eventually(
    () =>
      clients.topology.createPool({
        name: "pool1",
        type: PoolType.METASERVER,
        replicaCount: 3,
        initialCopysetCount: 0,
      }),
    { what: "the MDS leading", timeoutMs: 60_000 },
  );
  const metaservers: Server[] = [];
  for (let i = 1; i <= 3; i++) {
    await clients.topology.createZone({ poolName: "pool1", name: `zone${i}` });
    const address = `127.0.0.1:${await freeLoopbackPort()}`;
    const server: Server = {
      name: `metaserver-${i}`,
      address,
      args: [
        "metaserver",
        "--mds",
        mdsUrl,
        "--listen",
        address,
        "--data-dir",
        join(baseDir, `metaserver-${i}`),
        "--zone",
        `zone${i}`,
      ],
      child: undefined,
      stderr: "",
    };
    metaservers.push(server);
    servers.push(server);
    launch(server);
  }
  await eventually(
    async () => {
      const { metaservers: listed } = await clients.topology.listMetaServers({});
      const online = listed.filter((m) => m.state === ServerState.ONLINE).length;
      return online === 3 ? true : undefined;
    },
    { what: "3 metaservers ONLINE", timeoutMs: 60_000 },
  );

  const fs = await createFs(clients, "stress", {
    endpoint: localEndpoint(join(baseDir, "objects")),
    bucket: "curve",
    accessKey: "local",
    secretKey: LOCAL_SECRET_KEY,
    blockSize: 4n << 20n,
    chunkSize: 64n << 20n,
  } as Parameters<typeof createFs>[2]);
  const route = routeOf(await partitionsOf(clients, fs.fsId), 1n);
  const partitionId = route.partition?.partitionId ?? 0;
  const poolId = route.copyset?.poolId ?? 0;
  const copysetId = route.copyset?.copysetId ?? 0;

  const statusOf = async (server: Server) => {
    const client = createClient(
      CopysetService,
      createConnectTransport({ baseUrl: `http://${server.address}`, httpVersion: "2" }),
    );
    const { status } = await client.getCopysetStatus({ poolId, copysetId }, { timeoutMs: 2000 });
    return status;
  };
  const leader = () =>
    eventually(
      async () => {
        for (const server of metaservers) {
          const status = await statusOf(server).catch(() => undefined);
          if (status?.role === CopysetRole.LEADER) return server;
        }
        return undefined;
      },
      { what: "a copyset leader", timeoutMs: 30_000 },
    );

  // Writers: each create is sent once, with a unique uid; an error makes its outcome unknown.
  const acknowledged = new Map<bigint, number>();
  let unknown = 0;
  let next = 0;
  let writing = true;
  let target = (await leader()).address;
  const writer = async () => {
    while (writing) {
      const uid = ++next;
      try {
        const { attr } = await metaClient(target).createInode(
          {
            fsId: fs.fsId,
            partitionId,
            parentInodeId: 1n,
            type: FileType.REGULAR,
            mode: 0o644,
            uid,
            time: timestampFromMs(Date.now()),
          },
          { timeoutMs: 3000 },
        );
        const id = attr?.inodeId ?? 0n;
        expect(acknowledged.has(id)).toBe(false);
        acknowledged.set(id, uid);
      } catch (error) {
        unknown += 1;
        const hint = errorInfoOf(ConnectError.from(error))?.leaderHint;
        if (hint) target = hint;
        else {
          const others = metaservers.filter((m) => m.address !== target);
          target = others[uid % others.length]?.address ?? target;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, writer);
  const waitForAcks = (count: number) =>
    eventually(() => (acknowledged.size >= count ? true : undefined), {
      what: `${count} acknowledged creates`,
      timeoutMs: 60_000,
    });

  for (let round = 1; round <= KILLS; round++) {
    await waitForAcks(round * CREATES_PER_ROUND);
    const victim = await leader();
    await kill(victim, "SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    launch(victim);
  }
  await waitForAcks((KILLS + 1) * CREATES_PER_ROUND);
  writing = false;
  await Promise.all(writers);

  // The replicas converge on one state of the partition.
  const counts = await eventually(
    async () => {
      const statuses = await Promise.all(metaservers.map(statusOf));
      const of = statuses.map((s) => s?.partitions.find((p) => p.partitionId === partitionId));
      const inodes = of.map((p) => p?.inodeCount);
      const nextIds = of.map((p) => p?.nextId);
      return inodes.every((c) => c === inodes[0]) && nextIds.every((n) => n === nextIds[0])
        ? inodes[0]
        : undefined;
    },
    { what: "the replicas agreeing", timeoutMs: 30_000 },
  );
  const acked = BigInt(acknowledged.size);
  expect(counts).toBeGreaterThanOrEqual(acked + 1n);
  expect(counts).toBeLessThanOrEqual(acked + 1n + BigInt(unknown));
  const reader = metaClient((await leader()).address);
  for (const [inodeId, uid] of acknowledged) {
    const { inode } = await eventually(() =>
      reader.getInode({ fsId: fs.fsId, partitionId, inodeId }, { timeoutMs: 3000 }),
    );
    expect(inode?.attr?.uid).toBe(uid);
  }
  await Promise.all(servers.map((s) => kill(s, "SIGTERM")));
});
