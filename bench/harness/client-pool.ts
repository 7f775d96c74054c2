/**
 * Load from several client processes. On these machines a Node Connect client spends ~1.5 ms of
 * CPU per call (reference/tooling.md §2), so one client process cannot load a server; the pool
 * spreads the callers of a load over its processes, which sit on the client CPUs.
 */
import { ChildHandle } from "./child.js";
import type { ClientPhaseResult, SetupArgs } from "./client-host.js";
import type { CpuProbe } from "./cpu.js";
import { type LoadResult, mergeResults, type Phase, splitEvenly } from "./load.js";
import type { WorkloadName, WorkloadParams } from "./workload.js";

export interface LoadSpec<K extends WorkloadName> {
  readonly workload: K;
  readonly params: WorkloadParams[K];
  readonly concurrency: number;
  readonly warmup: Phase;
  readonly measure: Phase;
  /** Measurements after the one warm-up (default 1). */
  readonly repeats?: number;
  /** The server whose CPU is charged to the operations. */
  readonly serverCpu?: CpuProbe;
}

export interface LoadOutcome {
  /** The measurement phase of all processes, merged. */
  readonly result: LoadResult;
  readonly serverCpuMicros?: number;
  /** CPU of all client processes during the measurement. */
  readonly clientCpuMicros: number;
  readonly processes: number;
}

export class ClientPool {
  private constructor(private readonly children: readonly ChildHandle[]) {}

  /** Forks `size` client processes, pinned to `cpus` when given. */
  static async start(size: number, cpus?: readonly number[]): Promise<ClientPool> {
    const children = await Promise.all(
      Array.from({ length: size }, (_, i) => ChildHandle.fork(`client-${i}`, cpus)),
    );
    return new ClientPool(children);
  }

  get size(): number {
    return this.children.length;
  }

  /** Sets the workload up in every process used, warms up once, measures `repeats` times. */
  async run<K extends WorkloadName>(spec: LoadSpec<K>): Promise<LoadOutcome[]> {
    const used = this.children.slice(0, Math.min(this.children.length, spec.concurrency));
    const callers = splitEvenly(spec.concurrency, used.length);
    try {
      await Promise.all(
        used.map((child, index) =>
          child.call("client-host", "setup", {
            workload: spec.workload,
            params: spec.params,
            index,
            callers: callers[index] ?? 1,
          } satisfies SetupArgs<K>),
        ),
      );
      const runPhase = (phase: Phase) =>
        Promise.all(
          used.map((child, index) =>
            child.call<ClientPhaseResult>("client-host", "phase", {
              phase: shareOf(phase, callers[index] ?? 1, spec.concurrency),
            }),
          ),
        );
      await runPhase(spec.warmup);
      const outcomes: LoadOutcome[] = [];
      for (let repeat = 0; repeat < (spec.repeats ?? 1); repeat++) {
        const before = await spec.serverCpu?.micros();
        const results = await runPhase(spec.measure);
        const after = await spec.serverCpu?.micros();
        outcomes.push({
          result: mergeResults(results),
          ...(before === undefined || after === undefined
            ? {}
            : { serverCpuMicros: after - before }),
          clientCpuMicros: results.reduce((sum, r) => sum + r.clientCpuMicros, 0),
          processes: used.length,
        });
      }
      return outcomes;
    } finally {
      // A process whose setup failed has nothing to tear down; teardown is a no-op there.
      await Promise.all(used.map((child) => child.call("client-host", "teardown")));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((child) => child.close()));
  }
}

/** A process's part of a phase: the whole duration, or its callers' share of the operations. */
function shareOf(phase: Phase, callers: number, concurrency: number): Phase {
  if ("durationMs" in phase) return phase;
  return { ops: Math.max(1, Math.round((phase.ops * callers) / concurrency)) };
}
