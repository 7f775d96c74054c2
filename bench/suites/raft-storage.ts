/**
 * `raft-storage`: durable appends/s and latency through impl/raft/storage RaftStorage for 1 and
 * 64 concurrent appenders with 100 B and 4 KiB entries, against the disk's fsync rate measured
 * in the same run and the same process. Group commit is what lets appends outrun fsyncs; once
 * the full Raft node exists, a `raft` suite reports commits the same way
 * (`raft_commits_vs_fsyncs`).
 */
import type { Suite } from "../harness/suite.js";
import { runFsyncSweep } from "./fsync-sweep.js";

export const raftStorageSuite: Suite = {
  name: "raft-storage",
  summary: "RaftStorage durable appends/s (group commit) vs the disk's fsync rate",
  // One process on the server CPUs does the disk work of the whole suite.
  run: (ctx) =>
    runFsyncSweep(ctx, {
      role: "raft-storage",
      remoteModule: "raft-appender",
      metricPrefix: "raft_append",
      ratioKey: "raft_appends_vs_fsyncs",
      operation: "entry",
      label: (entryBytes, concurrency) =>
        `RaftStorage.append of one ${entryBytes} B entry, ${concurrency} concurrent`,
      config: {
        storage:
          "impl/raft/storage RaftStorage, one group, its own FsyncBatcher, default 64 MiB segments",
        note: "appends only (no replication, no state machine): see the raft suite for commits",
      },
    }),
};
