/**
 * `raft`: commits/s and commit latency of a three-node Raft group (impl/raft node runtime, real
 * Connect on loopback, RaftStorage on disk) for 1 and 64 concurrent proposers with 100 B and
 * 4 KiB entries, against the disk's fsync rate measured in the same run and the same process.
 * A commit is a proposal to the leader until its entry is applied there: the leader's append
 * and fsync, one follower's append and fsync and a round trip, then the apply.
 *
 * The three nodes share one process, one CPU set and one disk: every commit costs three
 * fsyncs on the same device, so commits/s ÷ fsyncs/s below 1/3 is the unbatched ceiling and
 * anything above it is group commit at work.
 */
import type { Suite } from "../harness/suite.js";
import { runFsyncSweep } from "./fsync-sweep.js";

export const raftSuite: Suite = {
  name: "raft",
  summary: "3-node Raft group commits/s and latency over Connect vs the disk's fsync rate",
  run: (ctx) =>
    runFsyncSweep(ctx, {
      role: "raft",
      remoteModule: "raft-cluster",
      metricPrefix: "raft_commit",
      ratioKey: "raft_commits_vs_fsyncs",
      operation: "commit",
      label: (entryBytes, concurrency) =>
        `commit of one ${entryBytes} B entry on a 3-node group, ${concurrency} concurrent proposers`,
      config: {
        cluster:
          "3 RaftHosts in one process, Connect over HTTP/2 on 127.0.0.1, one RaftStorage per node",
        timing: "100 ms ticks, election timeout 10 ticks, heartbeat 1 tick",
      },
    }),
};
