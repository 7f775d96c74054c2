/** What the figures were measured on. */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { arch, cpus, release, totalmem, type } from "node:os";
import { promisify } from "node:util";

export interface DiskInfo {
  /** The directory the disk figures (fsync, Raft log) were measured in. */
  readonly path: string;
  readonly device: string;
  readonly fstype: string;
  readonly size_bytes: number;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly model: string;
  /** Total memory in bytes. */
  readonly memory: number;
  readonly node: string;
  readonly os: string;
  readonly disk?: DiskInfo;
}

export async function describeMachine(dataDir?: string): Promise<MachineInfo> {
  const list = cpus();
  const disk = dataDir ? await describeDisk(dataDir) : undefined;
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? "unknown",
    memory: totalmem(),
    node: process.version,
    os: `${await distribution()}; ${type()} ${release()} ${arch()}`,
    ...(disk ? { disk } : {}),
  };
}

async function distribution(): Promise<string> {
  const text = await readFile("/etc/os-release", "utf8").catch(() => "");
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1];
  return pretty ?? "unknown distribution";
}

/** The filesystem holding `path`, from `df -PT` (undefined where df is unavailable). */
async function describeDisk(path: string): Promise<DiskInfo | undefined> {
  try {
    const { stdout } = await promisify(execFile)("df", ["-PT", "-B1", path]);
    const [device, fstype, size] = (stdout.trim().split("\n")[1] ?? "").split(/\s+/);
    if (!device || !fstype) return undefined;
    return { path, device, fstype, size_bytes: Number(size) };
  } catch {
    return undefined;
  }
}
