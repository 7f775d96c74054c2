/**
 * A benchmark role in its own Node process (child_process.fork), driven over the IPC channel.
 *
 * Processes rather than worker_threads: a process can be pinned to CPUs by pid (taskset), its
 * CPU time is its own (process.cpuUsage in a worker thread reports the whole process), and it
 * has its own heap, GC and event loop, so server and clients never steal each other's pauses.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CpuProbe } from "./cpu.js";
import { pinProcess } from "./pinning.js";
import type { RemoteTarget } from "./remote-targets.js";

const CHILD_MAIN = fileURLToPath(new URL("./child-main.ts", import.meta.url));

/**
 * CURVE_BENCH_CPU_PROF=<role>[,<role>…] (e.g. "echo-server", "mds", "client-0") runs those
 * children under --cpu-prof; profiles land in bench/results/profiles when the run ends.
 */
const PROFILE_DIR = fileURLToPath(new URL("../results/profiles", import.meta.url));

function profileArgs(role: string): string[] {
  const roles = (process.env.CURVE_BENCH_CPU_PROF ?? "").split(",").map((r) => r.trim());
  return roles.includes(role) ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
}

/** A child that does not exit this long after being asked to is killed. */
const EXIT_GRACE_MS = 5_000;

/** Messages from parent to child. */
export type ChildRequest =
  | {
      readonly kind: "call";
      readonly id: number;
      readonly target: RemoteTarget;
      readonly fn: string;
      readonly args: unknown;
    }
  | { readonly kind: "cpu"; readonly id: number }
  | { readonly kind: "exit" };

/** Messages from child to parent. */
export type ChildReply =
  | { readonly kind: "ok"; readonly id: number; readonly value: unknown }
  | { readonly kind: "error"; readonly id: number; readonly message: string };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class ChildHandle {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  #exitCode: number | null | undefined;

  private constructor(
    child: ChildProcess,
    readonly role: string,
  ) {
    this.#child = child;
    child.on("message", (message: ChildReply) => this.#settle(message));
    this.#exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.#exitCode = code;
        for (const pending of this.#pending.values()) {
          pending.reject(new Error(`${role} child exited (code ${code}, signal ${signal})`));
        }
        this.#pending.clear();
        resolve();
      });
    });
  }

  /** Forks a child for `role` (a name for messages) and pins it to `cpus` when given. */
  static async fork(role: string, cpus?: readonly number[]): Promise<ChildHandle> {
    const child = fork(CHILD_MAIN, [role], {
      execArgv: [...process.execArgv, ...profileArgs(role)],
      serialization: "advanced",
      env: {
        ...process.env,
        CURVE_LOG_LEVEL: process.env.CURVE_LOG_LEVEL ?? "silent",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    const handle = new ChildHandle(child, role);
    if (cpus && child.pid !== undefined) await pinProcess(child.pid, cpus);
    return handle;
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Calls the exported function `fn` of `target` in the child with `args`. */
  call<T>(target: RemoteTarget, fn: string, args: unknown = undefined): Promise<T> {
    const id = this.#nextId++;
    return this.#send<T>({ kind: "call", id, target, fn, args });
  }

  /** The child's own CPU time (user + system, all its threads), for server-side cost. */
  cpuProbe(): CpuProbe {
    return {
      description: `process.cpuUsage() of the ${this.role} child (pid ${this.pid})`,
      micros: () => this.#send<number>({ kind: "cpu", id: this.#nextId++ }),
    };
  }

  /** Asks the child to exit and waits; kills it if it does not. */
  async close(): Promise<void> {
    if (this.#exitCode !== undefined) return;
    if (this.#child.connected) this.#child.send({ kind: "exit" } satisfies ChildRequest);
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), EXIT_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  #send<T>(request: ChildRequest & { readonly id: number }): Promise<T> {
    if (this.#exitCode !== undefined || !this.#child.connected) {
      return Promise.reject(new Error(`${this.role} child is not running`));
    }
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(request.id, { resolve: (value) => resolve(value as T), reject });
      this.#child.send(request);
    });
  }

  #settle(message: ChildReply): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.kind === "ok") pending.resolve(message.value);
    else pending.reject(new Error(`${this.role} child: ${message.message}`));
  }
}
