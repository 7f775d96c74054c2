/**
 * `raft-storage`: durable appends/s and latency through impl/raft/storage RaftStorage for 1 and
 * 64 concurrent appenders with 100 B and 4 KiB entries, against the disk's fsync rate measured
 * in the same run and the same process. Group commit is what lets appends outrun fsyncs; once
 * the full Raft node exists, a `raft` suite reports commits the same way
 * (`raft_commits_vs_fsyncs`).
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
import type { AppendArgs, AppendResult } from "../remote/raft-appender.js";

const ENTRY_BYTES = [100, 4096] as const;
const CONCURRENCY = [1, 64] as const;

/** The figure the headline ratio uses: many proposers, small entries (metadata operations). */
const HEADLINE = { entryBytes: 100, concurrency: 64 } as const;

function appendKey(entryBytes: number, concurrency: number): string {
  return `raft_append_${entryBytes === 4096 ? "4k" : `${entryBytes}b`}_c${concurrency}`;
}

export const raftStorageSuite: Suite = {
  name: "raft-storage",
  summary: "RaftStorage durable appends/s (group commit) vs the disk's fsync rate",
  async run(ctx: BenchContext): Promise<SuiteResult> {
    // One process on the server CPUs does the disk work of the whole suite.
    const writer = await ctx.forkServer("raft-storage");
    const fsync = await measureFsync(ctx, writer);
    const metrics: Record<string, Metric> = {};
    for (const entryBytes of ENTRY_BYTES) {
      for (const concurrency of CONCURRENCY) {
        const samples = await writer.call<AppendResult[]>("raft-appender", "measure", {
          dir: ctx.dataDir,
          entryBytes,
          concurrency,
          warmup: ctx.warmup,
          measure: ctx.measure,
          repeats: ctx.repeats,
        } satisfies AppendArgs);
        const key = appendKey(entryBytes, concurrency);
        metrics[key] = metricOfSamples(
          {
            label: `RaftStorage.append of one ${entryBytes} B entry, ${concurrency} concurrent`,
            driver: "in-process",
            concurrency,
          },
          samples.map(({ result, cpuMicros, fsyncs }) => ({
            result,
            serverCpuMicros: cpuMicros,
            extra: {
              fsyncs_per_s: round(fsyncs / ((result.endedAtMs - result.startedAtMs) / 1000), 1),
              entries_per_fsync: fsyncs === 0 ? 0 : round(result.ops / fsyncs, 2),
            },
          })),
        );
        ctx.log(describeMetric(key, metrics[key]));
      }
    }
    const ratios = new Ratios().set(
      "raft_appends_vs_fsyncs",
      ratioOf(metrics[appendKey(HEADLINE.entryBytes, HEADLINE.concurrency)], fsync),
    );
    for (const entryBytes of ENTRY_BYTES) {
      for (const concurrency of CONCURRENCY) {
        const key = appendKey(entryBytes, concurrency);
        ratios.set(
          `${key.replace("raft_append_", "raft_appends_vs_fsyncs_")}`,
          ratioOf(metrics[key], fsync),
        );
      }
    }
    return {
      config: {
        storage:
          "impl/raft/storage RaftStorage, one group, its own FsyncBatcher, default 64 MiB segments",
        entry_bytes: ENTRY_BYTES,
        concurrency: CONCURRENCY,
        headline_ratio: `raft_appends_vs_fsyncs = ${appendKey(HEADLINE.entryBytes, HEADLINE.concurrency)} ÷ ${FSYNC_KEY}`,
        dir: ctx.dataDir,
        note: "appends only (no replication, no state machine): raft_commits_vs_fsyncs needs the Raft node",
      },
      metrics,
      baselines: { [FSYNC_KEY]: fsync },
      ratios: ratios.toJSON(),
    };
  },
};
