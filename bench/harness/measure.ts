/** A load from the client pool or from h2load, measured and turned into one logged Metric. */
import type { LoadOutcome } from "./client-pool.js";
import type { BenchContext } from "./context.js";
import type { CpuProbe } from "./cpu.js";
import { runH2load } from "./h2load.js";
import type { LoadResult, Phase } from "./load.js";
import { describeMetric, type Metric, metricOfSamples, type Sample } from "./report.js";
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
  /**
   * Phases other than the context's timed ones: an operation budget, for loads that consume
   * what an earlier load made (files to unlink) and must not run out of it.
   */
  readonly warmup?: Phase;
  readonly measure?: Phase;
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
    warmup: load.warmup ?? ctx.warmup,
    measure: load.measure ?? ctx.measure,
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

export interface H2loadLoad {
  readonly key: string;
  readonly label: string;
  readonly url: string;
  /** `/<service>/<method>`. */
  readonly path: string;
  /** The pre-encoded request body, sent with every call. */
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  /** Concurrent streams on one connection. */
  readonly concurrency: number;
  readonly serverCpu?: CpuProbe | undefined;
  /**
   * Calls the server's handler has answered so far, when it counts them: every 2xx of the
   * measured run must be one of them, or it was an error that h2load cannot see (gRPC).
   */
  readonly served?: () => Promise<number>;
}

/** One unary call driven by h2load: a warm-up run, then `ctx.repeats` measured runs. */
export async function measureH2loadLoad(ctx: BenchContext, load: H2loadLoad): Promise<Metric> {
  const spec = {
    url: load.url,
    path: load.path,
    body: load.body,
    headers: load.headers,
    streams: load.concurrency,
    ...(ctx.clientCpus ? { cpus: ctx.clientCpus } : {}),
  };
  await runH2load({ ...spec, durationMs: ctx.timing.warmupMs });
  const samples: Sample[] = [];
  for (let repeat = 0; repeat < ctx.repeats; repeat++) {
    const before = await load.served?.();
    const outcome = await runH2load({
      ...spec,
      durationMs: ctx.timing.measureMs,
      ...(load.serverCpu ? { serverCpu: load.serverCpu } : {}),
    });
    const after = await load.served?.();
    const served = before === undefined || after === undefined ? undefined : after - before;
    const unserved = served === undefined ? 0 : Math.max(0, outcome.result.ops - served);
    const result =
      unserved === 0
        ? outcome.result
        : {
            ...outcome.result,
            errors: outcome.result.errors + unserved,
            firstError: `${unserved} responses did not reach the handler (gRPC errors?)`,
          };
    samples.push({ result, serverCpuMicros: outcome.serverCpuMicros });
  }
  const metric = metricOfSamples(
    { label: load.label, driver: "h2load", concurrency: load.concurrency },
    samples,
  );
  ctx.log(describeMetric(load.key, metric));
  return metric;
}
