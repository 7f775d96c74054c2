import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { etcdVersion, waitForEtcdHealth } from "./etcd-http.js";
import { freeLoopbackPort } from "./free-port.js";

/** etcd with the test flags is healthy in 36–130 ms here; this only bounds a hung start. */
const READY_TIMEOUT_MS = 15_000;
/** SIGTERM lets etcd close cleanly; past this the process group is killed. */
const STOP_GRACE_MS = 5_000;
/** Output kept for error messages (its end says why a start failed). */
const OUTPUT_TAIL_CHARS = 4_000;
/** Free ports can be taken between the probe and etcd's bind; try fresh ones this often. */
const START_ATTEMPTS = 3;

/** An etcd process we started on loopback, with its own temp data dir. */
export interface NativeEtcd {
  readonly clientUrl: string;
  readonly version: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Kills etcd (SIGKILL: a crash), runs `whileDown`, starts it again on the same port and data. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops etcd and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * Starts a one-member etcd from `binary` on free 127.0.0.1 ports, with a data dir on /dev/shm
 * (etcd 3.4 has no --unsafe-no-fsync; tmpfs is the substitute) and short raft timers
 * (`--heartbeat-interval 10 --election-timeout 100`), and resolves once GET /health says true.
 * etcd runs in its own process group, which stop() kills whole; so does the exit of this process.
 */
export async function startNativeEtcd(binary: string): Promise<NativeEtcd> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const dataDir = await mkdtemp(
      join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "curve-rpc-etcd-"),
    );
    const server = new EtcdProcess(
      binary,
      dataDir,
      await freeLoopbackPort(),
      await freeLoopbackPort(),
    );
    try {
      await server.start();
    } catch (error) {
      lastError = error;
      await rm(dataDir, { recursive: true, force: true });
      if (!String(error).includes("address already in use")) break;
      continue;
    }
    return {
      clientUrl: server.clientUrl,
      version: await etcdVersion(server.clientUrl),
      dataDir,
      pid: server.pid,
      restart: async (whileDown) => {
        await server.stop("SIGKILL");
        await whileDown?.();
        await server.start();
      },
      stop: async () => {
        await server.stop("SIGTERM");
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  throw lastError;
}

class EtcdProcess {
  readonly clientUrl: string;
  readonly #peerUrl: string;
  #child: ChildProcess | undefined;
  #output = "";
  readonly #killOnExit = (): void => this.#killGroup("SIGKILL");

  constructor(
    private readonly binary: string,
    private readonly dataDir: string,
    clientPort: number,
    peerPort: number,
  ) {
    this.clientUrl = `http://127.0.0.1:${clientPort}`;
    this.#peerUrl = `http://127.0.0.1:${peerPort}`;
  }

  get pid(): number {
    return this.#child?.pid ?? 0;
  }

  async start(): Promise<void> {
    // detached: etcd leads its own process group, so stopping it cannot leave children behind.
    const child = spawn(this.binary, this.#args(), {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    this.#output = "";
    const keep = (data: Buffer): void => {
      this.#output = (this.#output + data.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("error", (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));
    // A forgotten stop() must neither keep the test runner alive nor outlive it.
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as Socket | null)?.unref();
    process.once("exit", this.#killOnExit);
    try {
      await waitForEtcdHealth(this.clientUrl, READY_TIMEOUT_MS, () =>
        exited(child) || child.pid === undefined
          ? `etcd exited at start (${child.exitCode ?? child.signalCode}):\n${this.#output}`
          : undefined,
      );
    } catch (error) {
      await this.stop("SIGKILL");
      throw error;
    }
  }

  async stop(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const child = this.#child;
    process.removeListener("exit", this.#killOnExit);
    if (!child || exited(child) || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    this.#killGroup(signal);
    const timer = setTimeout(() => this.#killGroup("SIGKILL"), STOP_GRACE_MS);
    await gone;
    clearTimeout(timer);
    this.#child = undefined;
  }

  #killGroup(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }

  #args(): string[] {
    return [
      "--name",
      "curve-test",
      "--data-dir",
      this.dataDir,
      "--listen-client-urls",
      this.clientUrl,
      "--advertise-client-urls",
      this.clientUrl,
      "--listen-peer-urls",
      this.#peerUrl,
      "--initial-advertise-peer-urls",
      this.#peerUrl,
      "--initial-cluster",
      `curve-test=${this.#peerUrl}`,
      "--heartbeat-interval",
      "10",
      "--election-timeout",
      "100",
      "--logger",
      "zap",
      "--log-level",
      "error",
    ];
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
