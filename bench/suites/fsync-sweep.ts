/**
 * The shape shared by the suites that measure durable operations against the disk: one child
 * process does the disk work, the fsync rate is measured there first, then every entry size ×
 * concurrency is measured and each is reported as a ratio to that fsync rate.
 */
import { FSYNC_KEY, measureFsync } from "../baselines/fsync.js";
import type { BenchContext } from "../harness/context.js";
import type { RemoteTarget } from "../harness/remote-targets.js";
import {
  describeMetric,
  type Metric,
  metricOfSamples,
  Ratios,
  ratioOf,
  round,
} from "../harness/report.js";
import type { SuiteResult } from "../harness/suite.js";
import type { ProbeResult } from "../remote/fsync-probe.js";

export const ENTRY_BYTES = [100, 4096] as const;
export const CONCURRENCY = [1, 64] as const;
/** The headline ratio's figure: many callers, small entries (metadata operations). */
const HEADLINE = { entryBytes: 100, concurrency: 64 } as const;

/** What the remote `measure` of a sweep returns per repeat. */
export interface DurableOpsResult extends ProbeResult {
  /** fsync system calls made during the measurement. */
  readonly fsyncs: number;
}

export interface FsyncSweep {
  /** The child process role (`ctx.forkServer`) and the remote module it runs. */
  readonly role: string;
  readonly remoteModule: RemoteTarget;
  /** Metric keys are `<metricPrefix>_<size>_c<concurrency>`, e.g. `raft_commit_100b_c64`. */
  readonly metricPrefix: string;
  /** The headline ratio key, e.g. `raft_commits_vs_fsyncs`; per-figure ratios extend it. */
  readonly ratioKey: string;
  /** What one operation is, for labels and the per-fsync figure (`commits_per_fsync`). */
  readonly operation: string;
  readonly label: (entryBytes: number, concurrency: number) => string;
  readonly config: Record<string, unknown>;
}

function sizeLabel(entryBytes: number): string {
  return entryBytes === 4096 ? "4k" : `${entryBytes}b`;
}

export async function runFsyncSweep(ctx: BenchContext, sweep: FsyncSweep): Promise<SuiteResult> {
  const child = await ctx.forkServer(sweep.role);
  const fsync = await measureFsync(ctx, child);
  const key = (entryBytes: number, concurrency: number) =>
    `${sweep.metricPrefix}_${sizeLabel(entryBytes)}_c${concurrency}`;
  const metrics: Record<string, Metric> = {};
  const ratios = new Ratios();
  for (const entryBytes of ENTRY_BYTES) {
    for (const concurrency of CONCURRENCY) {
      const samples = await child.call<DurableOpsResult[]>(sweep.remoteModule, "measure", {
        dir: ctx.dataDir,
        entryBytes,
        concurrency,
        warmup: ctx.warmup,
        measure: ctx.measure,
        repeats: ctx.repeats,
      });
      const name = key(entryBytes, concurrency);
      metrics[name] = metricOfSamples(
        { label: sweep.label(entryBytes, concurrency), driver: "in-process", concurrency },
        samples.map(({ fsyncs, cpuMicros, result }) => ({
          result,
          serverCpuMicros: cpuMicros,
          extra: {
            fsyncs_per_s: round(fsyncs / ((result.endedAtMs - result.startedAtMs) / 1000), 1),
            [`${sweep.operation}s_per_fsync`]: fsyncs === 0 ? 0 : round(result.ops / fsyncs, 2),
          },
        })),
      );
      ctx.log(describeMetric(name, metrics[name]));
      ratios.set(
        `${sweep.ratioKey}_${sizeLabel(entryBytes)}_c${concurrency}`,
        ratioOf(metrics[name], fsync),
      );
    }
  }
  const headline = key(HEADLINE.entryBytes, HEADLINE.concurrency);
  ratios.set(sweep.ratioKey, ratioOf(metrics[headline], fsync));
  return {
    config: {
      ...sweep.config,
      entry_bytes: ENTRY_BYTES,
      concurrency: CONCURRENCY,
      headline_ratio: `${sweep.ratioKey} = ${headline} ÷ ${FSYNC_KEY}`,
      dir: ctx.dataDir,
    },
    metrics,
    baselines: { [FSYNC_KEY]: fsync },
    ratios: ratios.toJSON(),
  };
}
