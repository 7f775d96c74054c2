/**
 * Roles pinned to CPUs so runs are comparable: the server under test (ours, etcd, MinIO, the
 * Raft log writer) on the server CPUs, the load generators (client processes, h2load, the
 * orchestrator) on the others. Uses `taskset`; without it (or on one CPU) nothing is pinned and
 * the JSON says so.
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { cpus } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

export interface CpuPlan {
  /** False when taskset is missing, the machine has one CPU, or --no-pin was given. */
  readonly enabled: boolean;
  readonly serverCpus: readonly number[];
  readonly clientCpus: readonly number[];
  /** Why pinning is off, or how it is done. */
  readonly note: string;
}

/**
 * The default plan: CPU 0 serves, every other CPU loads. One server CPU matches how the
 * comparison is meant to be read — our single-threaded Node server against etcd or MinIO given
 * the same single core — and leaves the most CPUs to the clients, which cost more per call.
 */
export function planCpus(options: {
  readonly pin: boolean;
  readonly serverCpus?: readonly number[];
  readonly clientCpus?: readonly number[];
}): CpuPlan {
  const all = cpus().map((_, i) => i);
  const serverCpus = options.serverCpus ?? all.slice(0, 1);
  const clientCpus = options.clientCpus ?? (all.length > 1 ? all.slice(1) : all);
  if (!options.pin) return { enabled: false, serverCpus, clientCpus, note: "disabled (--no-pin)" };
  if (all.length < 2) {
    return { enabled: false, serverCpus, clientCpus, note: "not pinned: only one CPU" };
  }
  if (!findExecutable("taskset")) {
    return { enabled: false, serverCpus, clientCpus, note: "not pinned: taskset not found" };
  }
  return {
    enabled: true,
    serverCpus,
    clientCpus,
    note: "taskset -a -c -p <cpus> <pid> on every role after it starts; h2load starts under taskset",
  };
}

/** Pins every thread of `pid` to `cpus` (later threads inherit it). */
export async function pinProcess(pid: number, cpuList: readonly number[]): Promise<void> {
  await promisify(execFile)("taskset", ["-a", "-c", "-p", cpuList.join(","), String(pid)]);
}

/** Parses "0", "1-3", "0,2-3" into CPU numbers. */
export function parseCpuList(text: string): number[] {
  const list: number[] = [];
  for (const part of text.split(",")) {
    const [lo, hi] = part.split("-").map((s) => Number(s.trim()));
    if (lo === undefined || !Number.isInteger(lo) || lo < 0) {
      throw new RangeError(`not a CPU list: ${JSON.stringify(text)}`);
    }
    const end = hi === undefined ? lo : hi;
    if (!Number.isInteger(end) || end < lo) throw new RangeError(`not a CPU list: ${text}`);
    for (let cpu = lo; cpu <= end; cpu++) list.push(cpu);
  }
  return list;
}

/** The first executable named `name` on PATH. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined;
}
