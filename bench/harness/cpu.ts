/**
 * Server CPU time, sampled before and after a measurement: far less noisy than requests/s on a
 * shared machine, because it does not depend on how much CPU the neighbours left us.
 */
import { execFile } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import { promisify } from "node:util";

/** Reads a process's accumulated CPU time (user + system, all threads) in microseconds. */
export interface CpuProbe {
  readonly description: string;
  micros(): Promise<number>;
}

let clockTicks: number | undefined;

/** Clock ticks per second of /proc times (CLK_TCK, 100 on virtually every Linux). */
async function ticksPerSecond(): Promise<number> {
  if (clockTicks === undefined) {
    try {
      const { stdout } = await promisify(execFile)("getconf", ["CLK_TCK"]);
      const parsed = Number(stdout.trim());
      clockTicks = Number.isFinite(parsed) && parsed > 0 ? parsed : 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU of a process we did not fork (etcd, MinIO), from /proc/<pid>/stat: 10 ms resolution. */
export function procCpuProbe(pid: number, name: string): CpuProbe {
  return {
    description: `/proc/${pid}/stat utime+stime of ${name}`,
    micros: async () => {
      const [stat, hz] = await Promise.all([
        readFile(`/proc/${pid}/stat`, "utf8"),
        ticksPerSecond(),
      ]);
      return parseProcStatCpuTicks(stat) * (1e6 / hz);
    },
  };
}

/**
 * utime + stime (fields 14 and 15) of a /proc/<pid>/stat line. The command name (field 2) is in
 * parentheses and may contain spaces, so fields are counted from the last ")".
 */
export function parseProcStatCpuTicks(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state); utime is field 14, stime field 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`unexpected /proc stat line: ${stat.slice(0, 120)}`);
  }
  return utime + stime;
}

/** The pid of the process listening on TCP `port` on this host (Linux /proc), if we can see it. */
export async function pidListeningOn(port: number): Promise<number | undefined> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      // State 0A is LISTEN.
      if (!local || cols[3] !== "0A") continue;
      if (Number.parseInt(local.split(":")[1] ?? "", 16) === port && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && inodes.has(inode)) return Number(entry);
    }
  }
  return undefined;
}

/** The CPU a probe saw while `run` ran, and what `run` returned. */
export async function measureCpu<T>(
  probe: CpuProbe | undefined,
  run: () => Promise<T>,
): Promise<{ value: T; cpuMicros: number | undefined }> {
  const before = probe ? await probe.micros() : undefined;
  const value = await run();
  const after = probe ? await probe.micros() : undefined;
  return {
    value,
    cpuMicros: before === undefined || after === undefined ? undefined : after - before,
  };
}

/** The CPU of several processes that serve one operation together (our servers and MinIO). */
export function combinedCpuProbe(probes: readonly CpuProbe[]): CpuProbe {
  return {
    description: probes.map((probe) => probe.description).join(" + "),
    micros: async () => {
      const values = await Promise.all(probes.map((probe) => probe.micros()));
      return values.reduce((sum, value) => sum + value, 0);
    },
  };
}
