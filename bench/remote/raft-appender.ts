/**
 * Durable appends to one Raft group's log through RaftStorage: each appender appends one entry
 * and waits until it is durable, then appends the next — a leader with that many proposals in
 * flight. Group commit should make many appends share one fsync.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { EntryType } from "../../impl/raft/core/types.js";
import { FsyncBatcher, RaftStorage } from "../../impl/raft/storage/index.js";
import { type Phase, runPhase } from "../harness/load.js";
import type { ProbeResult } from "./fsync-probe.js";

export interface AppendArgs {
  readonly dir: string;
  readonly entryBytes: number;
  readonly concurrency: number;
  readonly warmup: Phase;
  readonly measure: Phase;
  readonly repeats: number;
}

export interface AppendResult extends ProbeResult {
  /** fsync system calls made during the measurement. */
  readonly fsyncs: number;
}

export async function measure(args: AppendArgs): Promise<AppendResult[]> {
  const dir = await mkdtemp(join(args.dir, "curve-bench-raft-"));
  const fsync = new FsyncBatcher();
  const storage = await RaftStorage.open(join(dir, "group"), { fsync });
  try {
    const data = new Uint8Array(args.entryBytes).fill(0x61);
    let next = storage.lastIndex() + 1;
    // The index is taken and the append issued in the same tick: appends reach the log in
    // index order, as a leader's would.
    const op = () => storage.append([{ index: next++, term: 1, type: EntryType.Normal, data }]);
    await runPhase(op, args.concurrency, args.warmup);
    const samples: AppendResult[] = [];
    for (let repeat = 0; repeat < args.repeats; repeat++) {
      const fsyncsBefore = fsync.stats().fsyncs;
      const before = process.cpuUsage();
      const result = await runPhase(op, args.concurrency, args.measure);
      const cpu = process.cpuUsage(before);
      samples.push({
        result,
        cpuMicros: cpu.user + cpu.system,
        fsyncs: fsync.stats().fsyncs - fsyncsBefore,
      });
    }
    return samples;
  } finally {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  }
}
