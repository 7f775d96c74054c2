/**
 * The client side of a load, inside one client child process: set up a workload, run phases
 * of it on command (the parent runs every process's warm-up, then every process's measurement,
 * so the measurement windows line up), tear it down.
 */
import { type LoadResult, type Phase, runPhase } from "./load.js";
import {
  createWorkload,
  type Workload,
  type WorkloadName,
  type WorkloadParams,
} from "./workload.js";

/**
 * The workload of this process. `seq` carries on across phases, so operations that need fresh
 * names (a new mount point each time) do not repeat the warm-up's in the measurement.
 */
let current: { workload: Workload; callers: number; seq: number } | undefined;

export interface SetupArgs<K extends WorkloadName = WorkloadName> {
  readonly workload: K;
  readonly params: WorkloadParams[K];
  readonly index: number;
  readonly callers: number;
}

export async function setup(args: SetupArgs): Promise<void> {
  if (current) await teardown();
  const workload = await createWorkload(args.workload, args.params, {
    index: args.index,
    callers: args.callers,
  });
  current = { workload, callers: args.callers, seq: 0 };
}

/** A phase's result plus the CPU this client process spent on it. */
export interface ClientPhaseResult extends LoadResult {
  readonly clientCpuMicros: number;
}

export async function phase(args: { readonly phase: Phase }): Promise<ClientPhaseResult> {
  if (!current) throw new Error("no workload set up");
  const state = current;
  const before = process.cpuUsage();
  const result = await runPhase(
    (caller, seq) => state.workload.run(caller, seq),
    state.callers,
    args.phase,
    state.seq,
  );
  const cpu = process.cpuUsage(before);
  // Every attempt took one seq.
  state.seq += result.ops + result.errors;
  return { ...result, clientCpuMicros: cpu.user + cpu.system };
}

export async function teardown(): Promise<void> {
  const workload = current?.workload;
  current = undefined;
  await workload?.close();
}
