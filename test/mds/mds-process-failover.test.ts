/**
 * Failover of real `curve-rpc mds` processes (issue 5): three MDS processes on a private etcd;
 * clients keep calling AllocateS3Chunk and MountFs (and refresh their sessions) while the
 * leader is killed with SIGKILL three times. Each time a new leader must serve within the
 * election lease TTL (5 s) + 2 s; no chunk id may be handed out twice; no acknowledged mount
 * may be lost.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideEtcd } from "../../conformance/providers/etcd.js";
import { freeLoopbackPort } from "../../conformance/providers/free-port.js";
import type { EtcdEndpoint, ProvidedService } from "../../conformance/providers/types.js";
import { errorInfoOf } from "../../impl/errors.js";
import { FsType } from "../../impl/gen/curve/common/v1/common_pb.js";
import {
  FsInfoSchema,
  FsStatus,
  MdsService,
  type Mountpoint,
} from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { FsRepository } from "../../impl/mds/fs/fs-repository.js";
import { soleLeaderGate } from "../../impl/mds/leader-gate.js";
import { EtcdKvStore } from "../../impl/storage/etcd-kv-store.js";
import { eventually } from "../support/eventually.js";
import { mountpoint } from "./fs/fs-harness.js";

const CLI = fileURLToPath(new URL("../../bin/curve-rpc.js", import.meta.url));
const LEASE_TTL_MS = 5_000;
const KILLS = 3;

interface MdsProcess {
  readonly address: string;
  child: ChildProcess;
}

let etcd: ProvidedService<EtcdEndpoint>;
const processes: MdsProcess[] = [];

function spawnMds(address: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [CLI, "mds", "--listen", address, "--etcd", etcd.endpoint.endpoints.join(",")],
    { stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, CURVE_LOG_LEVEL: "silent" } },
  );
  return child;
}

/** A client that finds the leader: follows hints, rotates through the addresses otherwise. */
class LeaderSeekingClient {
  #index = 0;
  readonly #clients = new Map<string, Client<typeof MdsService>>();

  async call<T>(
    fn: (client: Client<typeof MdsService>) => Promise<T>,
    deadlineMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const address = processes[this.#index % processes.length]?.address ?? "";
      try {
        return await fn(this.#client(address));
      } catch (error) {
        const failure = ConnectError.from(error);
        // `unavailable` (not the leader, not ready), or no ErrorInfo at all: the connection broke.
        const retryable = failure.code === Code.Unavailable || errorInfoOf(failure) === undefined;
        if (!retryable || Date.now() > deadline) throw failure;
        const hint = errorInfoOf(failure)?.leaderHint;
        const hinted = hint ? processes.findIndex((p) => p.address === hint) : -1;
        if (hinted >= 0) this.#index = hinted;
        else {
          this.#index++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
  }

  #client(address: string): Client<typeof MdsService> {
    let client = this.#clients.get(address);
    if (!client) {
      client = createClient(
        MdsService,
        createConnectTransport({
          baseUrl: `http://${address}`,
          httpVersion: "2",
          defaultTimeoutMs: 1000,
        }),
      );
      this.#clients.set(address, client);
    }
    return client;
  }
}

beforeAll(async () => {
  etcd = await provideEtcd({ restartable: true });
  // The fs the clients use, stored as an INITED record: these processes have no metaservers.
  const kv = new EtcdKvStore({ endpoints: etcd.endpoint.endpoints });
  const gate = await soleLeaderGate(kv);
  await new FsRepository(kv, gate).insert(
    create(FsInfoSchema, {
      fsId: 1,
      fsName: "ha",
      status: FsStatus.INITED,
      rootInodeId: 1n,
      capacity: 1n << 30n,
      blockSize: 4096n,
      fsType: FsType.S3,
      owner: "test",
    }),
  );
  await gate.close();
  await kv.close();
  for (let i = 0; i < 3; i++) {
    const address = `127.0.0.1:${await freeLoopbackPort()}`;
    processes.push({ address, child: spawnMds(address) });
  }
}, 60_000);

afterAll(async () => {
  for (const p of processes) p.child.kill("SIGKILL");
  await etcd?.stop();
});

describe("three curve-rpc mds processes on etcd", () => {
  it("survive three SIGKILLs of the leader: fast failover, no chunk id twice, no mount lost", async () => {
    const client = new LeaderSeekingClient();
    const seen = new Set<bigint>();
    const mounts: Mountpoint[] = [];
    let duplicates = 0;
    let stop = false;

    const allocate = async () => {
      const { beginChunkId } = await client.call((c) => c.allocateS3Chunk({ fsId: 1, count: 10 }));
      for (let i = 0n; i < 10n; i++) {
        if (seen.has(beginChunkId + i)) duplicates++;
        seen.add(beginChunkId + i);
      }
    };
    const workload = (async () => {
      let n = 0;
      while (!stop) {
        await allocate();
        const mp = mountpoint("client", 9000, `/mnt/ha/${n++}`);
        await client.call((c) => c.mountFs({ fsName: "ha", mountpoint: mp }));
        mounts.push(mp);
        for (const m of mounts) {
          await client.call((c) => c.refreshSession({ fsId: 1, mountpoint: m }));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    await client.call((c) => c.listFs({}), 60_000);
    const failovers: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const leader = await leaderProcess();
      const killedAt = Date.now();
      leader.child.kill("SIGKILL");
      // The first call answered by the new leader ends the failover.
      await client
        .call((c) => c.allocateS3Chunk({ fsId: 1, count: 1 }), 60_000)
        .then(({ beginChunkId }) => {
          if (seen.has(beginChunkId)) duplicates++;
          seen.add(beginChunkId);
        });
      failovers.push(Date.now() - killedAt);
      // Bring the killed process back as a follower, so three keep running.
      leader.child = spawnMds(leader.address);
    }
    stop = true;
    await workload;

    console.info(`[mds-process-failover] failover times after SIGKILL: ${failovers.join(", ")} ms`);
    expect(duplicates).toBe(0);
    for (const ms of failovers) expect(ms).toBeLessThan(LEASE_TTL_MS + 2_000);
    const { fsInfo } = await client.call((c) => c.getFsInfo({ fsName: "ha" }));
    const recorded = new Set(fsInfo?.mountpoints.map((m) => m.path));
    for (const m of mounts) expect(recorded.has(m.path)).toBe(true);
  }, 120_000);
});

describe("curve-rpc mds on the embedded store", () => {
  it("serves from a data directory and exits 0 on SIGTERM", async () => {
    const dir = await mkdtemp(join(tmpdir(), "curve-rpc-mds-cli-"));
    const address = `127.0.0.1:${await freeLoopbackPort()}`;
    const child = spawn(process.execPath, [CLI, "mds", "--listen", address, "--data-dir", dir], {
      stdio: ["ignore", "ignore", "ignore"],
      env: { ...process.env, CURVE_LOG_LEVEL: "silent" },
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const client = createClient(
        MdsService,
        createConnectTransport({
          baseUrl: `http://${address}`,
          httpVersion: "2",
          defaultTimeoutMs: 1000,
        }),
      );
      const listed = await eventually(() => client.listFs({}), { what: "the MDS to serve" });
      expect(listed.fsInfos).toEqual([]);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The process that answers as leader now. */
async function leaderProcess(): Promise<MdsProcess> {
  for (;;) {
    for (const p of processes) {
      const client = createClient(
        MdsService,
        createConnectTransport({
          baseUrl: `http://${p.address}`,
          httpVersion: "2",
          defaultTimeoutMs: 1000,
        }),
      );
      try {
        await client.listFs({});
        return p;
      } catch {
        // not the leader (or not up)
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
