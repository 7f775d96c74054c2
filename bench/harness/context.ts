/**
 * What a suite runs with: the timing of every load, the CPU plan, the data directory, the
 * client pool and the processes to clean up. One context per `npm run bench` invocation.
 */
import { ChildHandle } from "./child.js";
import { ClientPool } from "./client-pool.js";
import type { Phase } from "./load.js";
import { type CpuPlan, pinProcess } from "./pinning.js";

export interface Timing {
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** --quick: a CI smoke that must run every path, and never fails on a number. */
export const QUICK_TIMING: Timing = { warmupMs: 150, measureMs: 400 };
export const FULL_TIMING: Timing = { warmupMs: 2_000, measureMs: 5_000 };

export interface ContextOptions {
  readonly quick: boolean;
  readonly timing: Timing;
  readonly dataDir: string;
  readonly clientProcesses: number;
  readonly plan: CpuPlan;
  /** Measurements per load after one warm-up; the median one is reported. */
  readonly repeats: number;
}

export class BenchContext {
  readonly quick: boolean;
  readonly timing: Timing;
  readonly dataDir: string;
  readonly plan: CpuPlan;
  readonly clientProcesses: number;
  readonly repeats: number;
  readonly #cleanups: (() => Promise<void>)[] = [];
  readonly #startedAt = performance.now();
  #pool: Promise<ClientPool> | undefined;

  constructor(options: ContextOptions) {
    this.quick = options.quick;
    this.timing = options.timing;
    this.dataDir = options.dataDir;
    this.plan = options.plan;
    this.clientProcesses = options.clientProcesses;
    this.repeats = options.repeats;
  }

  get warmup(): Phase {
    return { durationMs: this.timing.warmupMs };
  }

  get measure(): Phase {
    return { durationMs: this.timing.measureMs };
  }

  /** Progress on stderr (stdout carries the table). */
  log(line: string): void {
    const elapsed = ((performance.now() - this.#startedAt) / 1000).toFixed(1);
    process.stderr.write(`[bench +${elapsed}s] ${line}\n`);
  }

  /** CPUs for the load generators, or undefined when nothing is pinned. */
  get clientCpus(): readonly number[] | undefined {
    return this.plan.enabled ? this.plan.clientCpus : undefined;
  }

  /** A child process for a server role, on the server CPUs; closed with the context. */
  async forkServer(role: string): Promise<ChildHandle> {
    const child = await ChildHandle.fork(
      role,
      this.plan.enabled ? this.plan.serverCpus : undefined,
    );
    this.defer(() => child.close());
    return child;
  }

  /** Moves a server we did not fork (etcd, MinIO) onto the server CPUs. */
  async pinServer(pid: number | undefined): Promise<void> {
    if (this.plan.enabled && pid !== undefined) await pinProcess(pid, this.plan.serverCpus);
  }

  /** The client processes, started on first use and shared by every load of the run. */
  clients(): Promise<ClientPool> {
    this.#pool ??= ClientPool.start(this.clientProcesses, this.clientCpus).then((pool) => {
      this.defer(() => pool.close());
      return pool;
    });
    return this.#pool;
  }

  /** Runs `cleanup` when the context closes (last registered, first run). */
  defer(cleanup: () => Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => this.log(`cleanup failed: ${String(error)}`));
    }
  }
}
