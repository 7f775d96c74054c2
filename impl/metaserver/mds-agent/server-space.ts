/**
 * The `MetaServerSpace` a heartbeat reports, measured: disk used is the size of the data
 * directory's files, the disk budget is that plus what the file system still offers (unless
 * configured), memory used is the process's resident set, the memory budget the machine's
 * memory (unless configured).
 */
import { readdir, stat, statfs } from "node:fs/promises";
import { totalmem } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { type MetaServerSpace, MetaServerSpaceSchema } from "../../gen/curve/mds/v1/cluster_pb.js";

/**
 * What one more copyset needs at least: a Raft log segment, a snapshot and the partitions of a
 * young copyset fit in this (the MDS places no copyset on a server with less room).
 */
export const MIN_BYTES_PER_COPYSET = 16n << 20n;

export interface SpaceBudget {
  /** Disk bytes the metaserver may use; default: used + available on its file system. */
  readonly diskBytes?: bigint;
  /** Memory bytes the metaserver may use; default: the machine's memory. */
  readonly memoryBytes?: bigint;
}

export async function measureSpace(dataDir: string, budget: SpaceBudget): Promise<MetaServerSpace> {
  const diskUsed = await directorySize(dataDir);
  let diskThreshold = budget.diskBytes;
  if (diskThreshold === undefined) {
    const fs = await statfs(dataDir, { bigint: true });
    diskThreshold = diskUsed + fs.bavail * fs.bsize;
  }
  return create(MetaServerSpaceSchema, {
    diskThresholdBytes: diskThreshold,
    diskMinBytesPerCopyset: MIN_BYTES_PER_COPYSET,
    diskUsedBytes: diskUsed,
    memoryThresholdBytes: budget.memoryBytes ?? BigInt(totalmem()),
    memoryMinBytesPerCopyset: MIN_BYTES_PER_COPYSET,
    memoryUsedBytes: BigInt(process.memoryUsage.rss()),
  });
}

/** The bytes of every file under `dir` (files removed meanwhile are skipped). */
async function directorySize(dir: string): Promise<bigint> {
  let total = 0n;
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0n;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile())
      total += await stat(path).then(
        (s) => BigInt(s.size),
        () => 0n,
      );
  }
  return total;
}
