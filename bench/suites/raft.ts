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
import { FSYNC_KEY, measureFsync } from "../baselines/fsync.js";
import type { BenchContext } from "../harness/context.js";
import {
  describeMetric,
  type Metric,
  metricOfSamples,
  Ratios,
  ratioOf,
  round,
} from "../harness/report.js";
import type { Suite, SuiteResult } from "../harness/suite.js";
import type { CommitArgs, CommitResult } from "../remote/raft-cluster.js";

const ENTRY_BYTES = [100, 4096] as const;
const CONCURRENCY = [1, 64] as const;

/** The headline ratio: many proposers, small entries (metadata operations). */
const HEADLINE = { entryBytes: 100, concurrency: 64 } as const;

function commitKey(entryBytes: number, concurrency: number): string {
  return `raft_commit_${entryBytes === 4096 ? "4k" : `${entryBytes}b`}_c${concurrency}`;
}

export const raftSuite: Suite = {
  name: "raft",
  summary: "3-node Raft group commits/s and latency over Connect vs the disk's fsync rate",
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const cluster = await ctx.forkServer("raft");
    const fsync = await measureFsync(ctx, cluster);
    const metrics: Record<string, Metric> = {};
    for (const entryBytes of ENTRY_BYTES) {
      for (const concurrency of CONCURRENCY) {
        const samples = await cluster.call<CommitResult[]>("raft-cluster", "measure", {
          dir: ctx.dataDir,
          entryBytes,
          concurrency,
          warmup: ctx.warmup,
          measure: ctx.measure,
          repeats: ctx.repeats,
        } satisfies CommitArgs);
        const key = commitKey(entryBytes, concurrency);
        metrics[key] = metricOfSamples(
          {
            label: `commit of one ${entryBytes} B entry on a 3-node group, ${concurrency} concurrent proposers`,
            driver: "in-process",
            concurrency,
          },
          samples.map(({ result, cpuMicros, fsyncs }) => {
            const seconds = (result.endedAtMs - result.startedAtMs) / 1000;
            return {
              result,
              serverCpuMicros: cpuMicros,
              extra: {
                fsyncs_per_s: round(fsyncs / seconds, 1),
                commits_per_fsync: fsyncs === 0 ? 0 : round(result.ops / fsyncs, 2),
              },
            };
          }),
        );
        ctx.log(describeMetric(key, metrics[key]));
      }
    }
    const ratios = new Ratios().set(
      "raft_commits_vs_fsyncs",
      ratioOf(metrics[commitKey(HEADLINE.entryBytes, HEADLINE.concurrency)], fsync),
    );
    for (const entryBytes of ENTRY_BYTES) {
      for (const concurrency of CONCURRENCY) {
        const key = commitKey(entryBytes, concurrency);
        ratios.set(
          key.replace("raft_commit_", "raft_commits_vs_fsyncs_"),
          ratioOf(metrics[key], fsync),
        );
      }
    }
    return {
      config: {
        cluster:
          "3 RaftHosts in one process, Connect over HTTP/2 on 127.0.0.1, one RaftStorage per node",
        timing: "100 ms ticks, election timeout 10 ticks, heartbeat 1 tick",
        entry_bytes: ENTRY_BYTES,
        concurrency: CONCURRENCY,
        headline_ratio: `raft_commits_vs_fsyncs = ${commitKey(HEADLINE.entryBytes, HEADLINE.concurrency)} ÷ ${FSYNC_KEY}`,
        dir: ctx.dataDir,
      },
      metrics,
      baselines: { [FSYNC_KEY]: fsync },
      ratios: ratios.toJSON(),
    };
  },
};
