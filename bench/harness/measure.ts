/** A load from the client pool, measured and turned into one logged Metric. */
import type { LoadOutcome } from "./client-pool.js";
import type { BenchContext } from "./context.js";
import type { CpuProbe } from "./cpu.js";
import type { LoadResult } from "./load.js";
import { describeMetric, type Metric, metricOfSamples } from "./report.js";
import type { WorkloadName, WorkloadParams } from "./workload.js";

export interface ClientLoad<K extends WorkloadName> {
  /** The metric's key in the result file. */
  readonly key: string;
  readonly label: string;
  readonly workload: K;
  readonly params: WorkloadParams[K];
  readonly concurrency: number;
  readonly serverCpu?: CpuProbe | undefined;
  /** Figures of a measurement besides the standard ones (MiB/s…). */
  readonly extra?: (result: LoadResult) => Record<string, number>;
}

export async function measureClientLoad<K extends WorkloadName>(
  ctx: BenchContext,
  load: ClientLoad<K>,
): Promise<Metric> {
  const pool = await ctx.clients();
  const outcomes = await pool.run({
    workload: load.workload,
    params: load.params,
    concurrency: load.concurrency,
    warmup: ctx.warmup,
    measure: ctx.measure,
    repeats: ctx.repeats,
    ...(load.serverCpu ? { serverCpu: load.serverCpu } : {}),
  });
  const samples = outcomes.map((outcome: LoadOutcome) =>
    load.extra ? { ...outcome, extra: load.extra(outcome.result) } : outcome,
  );
  const metric = metricOfSamples(
    { label: load.label, driver: "node-clients", concurrency: load.concurrency },
    samples,
  );
  ctx.log(describeMetric(load.key, metric));
  return metric;
}
