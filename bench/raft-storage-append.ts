/**
 * Group commit of the Raft log: durable appends/s against fsyncs/s for 1..256 concurrent
 * proposers, next to this disk's raw fsync rate measured in the same run.
 *
 *   node --import tsx bench/raft-storage-append.ts [--seconds 3]
 *
 * Each proposer appends one entry and waits until it is durable, then appends the next — the
 * pattern of a leader with that many client requests in flight.
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EntryType } from "../impl/raft/core/types.js";
import { FsyncBatcher } from "../impl/raft/storage/fsync-batcher.js";
import { SegmentLog } from "../impl/raft/storage/segment-log.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "3" } } });
const seconds = Number(values.seconds);

/** Serial write(4 KiB) + fdatasync through the async API: the ceiling for one fsync per entry. */
async function rawFsyncRate(dir: string): Promise<number> {
  const file = await open(join(dir, "raw"), "w");
  const block = Buffer.alloc(4096, 0x5a);
  let count = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await file.write(block, 0, block.length, count * block.length);
    await file.datasync();
    count++;
  }
  await file.close();
  return count / seconds;
}

interface Result {
  appendsPerSecond: number;
  fsyncsPerSecond: number;
  p50: number;
  p99: number;
}

async function groupCommit(dir: string, proposers: number, entryBytes: number): Promise<Result> {
  const fsync = new FsyncBatcher();
  const log = await SegmentLog.open(dir, { fsync });
  const data = Buffer.alloc(entryBytes, 0x61);
  const latencies: number[] = [];
  let next = log.lastIndex() + 1;
  const before = fsync.stats().fsyncs;
  const start = performance.now();
  const end = start + seconds * 1000;
  const proposer = async () => {
    while (performance.now() < end) {
      const at = performance.now();
      await log.append([{ index: next++, term: 1, type: EntryType.Normal, data }]);
      latencies.push(performance.now() - at);
    }
  };
  await Promise.all(Array.from({ length: proposers }, proposer));
  const elapsed = (performance.now() - start) / 1000;
  const fsyncs = fsync.stats().fsyncs - before;
  await log.close();
  latencies.sort((a, b) => a - b);
  return {
    appendsPerSecond: latencies.length / elapsed,
    fsyncsPerSecond: fsyncs / elapsed,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  };
}

const root = await mkdtemp(join(tmpdir(), "curve-bench-raft-storage-"));
try {
  const raw = await rawFsyncRate(root);
  console.log(`disk: ${raw.toFixed(0)} write(4 KiB)+fdatasync/s (serial, fs.promises)\n`);
  console.log("entry  proposers  appends/s  fsyncs/s  entries/fsync  p50 ms  p99 ms  x raw fsync");
  for (const entryBytes of [100, 4096]) {
    for (const proposers of [1, 8, 64, 256]) {
      const dir = await mkdtemp(join(root, "log-"));
      const r = await groupCommit(dir, proposers, entryBytes);
      console.log(
        [
          `${entryBytes} B`.padEnd(6),
          String(proposers).padStart(9),
          r.appendsPerSecond.toFixed(0).padStart(10),
          r.fsyncsPerSecond.toFixed(0).padStart(9),
          (r.appendsPerSecond / r.fsyncsPerSecond).toFixed(1).padStart(14),
          r.p50.toFixed(2).padStart(7),
          r.p99.toFixed(2).padStart(7),
          (r.appendsPerSecond / raw).toFixed(1).padStart(12),
        ].join(" "),
      );
      await rm(dir, { recursive: true, force: true });
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
