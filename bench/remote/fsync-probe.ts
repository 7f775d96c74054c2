/**
 * The disk's durable-write rate: serial write(4 KiB) at a growing offset + fdatasync, through
 * fs.promises as the Raft log does. Growing the file makes every fdatasync also persist the new
 * size, exactly like a log append; it is the ceiling for "one fsync per entry".
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { type LoadResult, type Phase, runPhase } from "../harness/load.js";

export const FSYNC_WRITE_BYTES = 4096;

export interface FsyncProbeArgs {
  readonly dir: string;
  readonly warmup: Phase;
  readonly measure: Phase;
  readonly repeats: number;
}

export interface ProbeResult {
  readonly result: LoadResult;
  /** CPU of this process during the measurement. */
  readonly cpuMicros: number;
}

export async function measure(args: FsyncProbeArgs): Promise<ProbeResult[]> {
  const dir = await mkdtemp(join(args.dir, "curve-bench-fsync-"));
  const file = await open(join(dir, "probe"), "w");
  try {
    const block = Buffer.alloc(FSYNC_WRITE_BYTES, 0x5a);
    let offset = 0;
    const op = async () => {
      await file.write(block, 0, block.length, offset);
      offset += block.length;
      await file.datasync();
    };
    await runPhase(op, 1, args.warmup);
    const samples: ProbeResult[] = [];
    for (let repeat = 0; repeat < args.repeats; repeat++) {
      const before = process.cpuUsage();
      const result = await runPhase(op, 1, args.measure);
      const cpu = process.cpuUsage(before);
      samples.push({ result, cpuMicros: cpu.user + cpu.system });
    }
    return samples;
  } finally {
    await file.close();
    await rm(dir, { recursive: true, force: true });
  }
}
