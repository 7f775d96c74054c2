import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freeLoopbackPort } from "./free-port.js";

/** MinIO is live within ~0.4 s here; this only bounds a binary that hangs at start. */
const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 25;

/** SIGTERM lets MinIO close cleanly; past this it is killed. */
const STOP_GRACE_MS = 5_000;

/** Output kept for error messages (the end of it says why a start failed). */
const OUTPUT_TAIL_CHARS = 4_000;

/** A MinIO server process we started on loopback, with its own temp data dir. */
export interface NativeMinio {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Stops the process and starts it again on the same address and data. */
  restart(): Promise<void>;
  /** Stops the process and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * Starts `minio server` on free loopback ports with fresh credentials and a temp data dir, and
 * resolves once `/minio/health/live` answers. Nothing leaks: a start failure, `stop()`, or the
 * exit of this Node process ends the server.
 */
export async function startNativeMinio(binary: string): Promise<NativeMinio> {
  const dataDir = await mkdtemp(join(tmpdir(), "curve-rpc-minio-"));
  try {
    const [port, consolePort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const server = new MinioProcess(binary, dataDir, port, consolePort);
    await server.start();
    return {
      endpoint: server.endpoint,
      accessKey: server.accessKey,
      secretKey: server.secretKey,
      restart: async () => {
        await server.stop();
        await server.start();
      },
      stop: async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

class MinioProcess {
  readonly endpoint: string;
  readonly accessKey = "curve-rpc-test";
  readonly secretKey = randomBytes(16).toString("hex");
  private child: ChildProcess | undefined;
  private output = "";
  private readonly killOnExit = () => this.child?.kill("SIGKILL");

  constructor(
    private readonly binary: string,
    private readonly dataDir: string,
    private readonly port: number,
    private readonly consolePort: number,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const child = spawn(this.binary, this.args(), {
      env: {
        ...process.env,
        MINIO_ROOT_USER: this.accessKey,
        MINIO_ROOT_PASSWORD: this.secretKey,
        MINIO_UPDATE: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.output = "";
    const keep = (data: Buffer) => {
      this.output = (this.output + data.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    // A forgotten stop() must neither keep the test runner alive nor outlive it.
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as Socket | null)?.unref();
    process.once("exit", this.killOnExit);
    try {
      await this.waitUntilLive(child);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    process.removeListener("exit", this.killOnExit);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  private args(): string[] {
    return [
      "server",
      this.dataDir,
      "--address",
      `127.0.0.1:${this.port}`,
      "--console-address",
      `127.0.0.1:${this.consolePort}`,
    ];
  }

  private async waitUntilLive(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `minio exited at start (${child.exitCode ?? child.signalCode}):\n${this.output}`,
        );
      }
      if (await isLive(this.endpoint)) return;
      await sleep(READY_POLL_MS);
    }
    throw new Error(`minio not live after ${READY_TIMEOUT_MS} ms:\n${this.output}`);
  }
}

async function isLive(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/minio/health/live`, {
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
