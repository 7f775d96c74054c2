/**
 * The result file: `{suite, machine, config, metrics, baselines, ratios}`. Machines here are
 * shared and noisy, so absolute figures only describe this run; `ratios` — a figure over a
 * baseline measured in the same run on the same machine — is what compares across commits.
 */
import { Histogram } from "./histogram.js";
import type { LoadResult } from "./load.js";
import type { MachineInfo } from "./machine.js";

/** How the load was generated. */
export type Driver = "node-clients" | "h2load" | "in-process";

/** One measured figure. Latencies in milliseconds, CPU in microseconds per operation. */
export interface Metric {
  readonly label: string;
  readonly driver: Driver;
  readonly concurrency: number;
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly ops_per_s: number;
  readonly mean_ms: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  /** CPU of the server process(es) per successful operation; null when not measurable. */
  readonly server_cpu_us_per_op: number | null;
  /** CPU of the load generators per operation (shows when the clients are the bottleneck). */
  readonly client_cpu_us_per_op: number | null;
  readonly first_error?: string;
  /** Figures specific to the metric (MiB/s, fsyncs/s, entries per fsync…). */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface BenchReport {
  readonly suite: string;
  readonly machine: MachineInfo;
  readonly config: Readonly<Record<string, unknown>>;
  /** Figures of the code under test. */
  readonly metrics: Readonly<Record<string, Metric>>;
  /** Figures of the reference systems (etcd, S3, a bare echo, the disk), same run. */
  readonly baselines: Readonly<Record<string, Metric>>;
  /** Named quotients of a metric over a baseline (or of two baselines). */
  readonly ratios: Readonly<Record<string, number>>;
}

export interface MetricInput {
  readonly label: string;
  readonly driver: Driver;
  readonly concurrency: number;
  readonly result: LoadResult;
  readonly serverCpuMicros?: number | undefined;
  readonly clientCpuMicros?: number | undefined;
  readonly extra?: Readonly<Record<string, number>>;
}

/** Turns a measured load into a Metric (throughput over the measurement window). */
export function toMetric(input: MetricInput): Metric {
  const { result } = input;
  const seconds = Math.max(1e-9, (result.endedAtMs - result.startedAtMs) / 1000);
  const latency = Histogram.fromSnapshot(result.latencyUs);
  const ms = (us: number) => round(us / 1000, 3);
  const perOp = (micros: number | undefined) =>
    micros === undefined || result.ops === 0 ? null : round(micros / result.ops, 1);
  return {
    label: input.label,
    driver: input.driver,
    concurrency: input.concurrency,
    ops: result.ops,
    errors: result.errors,
    seconds: round(seconds, 3),
    ops_per_s: round(result.ops / seconds, 1),
    mean_ms: ms(latency.mean),
    p50_ms: ms(latency.quantile(0.5)),
    p90_ms: ms(latency.quantile(0.9)),
    p99_ms: ms(latency.quantile(0.99)),
    max_ms: ms(latency.max),
    server_cpu_us_per_op: perOp(input.serverCpuMicros),
    client_cpu_us_per_op: perOp(input.clientCpuMicros),
    ...(result.firstError === undefined ? {} : { first_error: result.firstError }),
    ...(input.extra ? { extra: input.extra } : {}),
  };
}

/** One measurement of a load; a metric is built from one or more (--repeat). */
export interface Sample {
  readonly result: LoadResult;
  readonly serverCpuMicros?: number | undefined;
  readonly clientCpuMicros?: number | undefined;
  readonly extra?: Readonly<Record<string, number>>;
}

/**
 * The metric of the median sample by throughput (latency and CPU of that same sample, so the
 * figures stay consistent); with several samples, `extra` also holds their throughput range,
 * which shows how noisy the machine was.
 */
export function metricOfSamples(
  base: Pick<MetricInput, "label" | "driver" | "concurrency">,
  samples: readonly Sample[],
): Metric {
  if (samples.length === 0) throw new RangeError("no samples");
  const rate = (sample: Sample) =>
    sample.result.ops / Math.max(1e-9, sample.result.endedAtMs - sample.result.startedAtMs);
  const sorted = [...samples].sort((a, b) => rate(a) - rate(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as Sample;
  const spread: Record<string, number> =
    samples.length < 2
      ? {}
      : {
          repeats: samples.length,
          ops_per_s_min: round(rate(sorted[0] as Sample) * 1000, 1),
          ops_per_s_max: round(rate(sorted[sorted.length - 1] as Sample) * 1000, 1),
        };
  const extra: Record<string, number> = { ...median.extra, ...spread };
  return toMetric({
    ...base,
    result: median.result,
    serverCpuMicros: median.serverCpuMicros,
    clientCpuMicros: median.clientCpuMicros,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  });
}

/** Which figure of two metrics a ratio divides. */
export type RatioField = "ops_per_s" | "p50_ms" | "p99_ms" | "server_cpu_us_per_op";

/**
 * numerator.field ÷ denominator.field, rounded to 3 decimals; undefined when either side is
 * missing, failed entirely, or the denominator is 0 — a ratio is never invented.
 */
export function ratioOf(
  numerator: Metric | undefined,
  denominator: Metric | undefined,
  field: RatioField = "ops_per_s",
): number | undefined {
  const a = numerator?.[field];
  const b = denominator?.[field];
  if (a === undefined || b === undefined || a === null || b === null) return undefined;
  if (numerator?.ops === 0 || denominator?.ops === 0 || b === 0) return undefined;
  return round(a / b, 3);
}

/** Collects ratios, skipping the ones that could not be computed. */
export class Ratios {
  readonly #values: Record<string, number> = {};

  set(key: string, value: number | undefined): this {
    if (value !== undefined && Number.isFinite(value)) this.#values[key] = value;
    return this;
  }

  toJSON(): Record<string, number> {
    return { ...this.#values };
  }
}

/** One line for the progress log. */
export function describeMetric(key: string, metric: Metric | undefined): string {
  if (!metric) return `${key}: not measured`;
  const cpu =
    metric.server_cpu_us_per_op === null ? "" : `, server ${metric.server_cpu_us_per_op} µs/op`;
  const errors = metric.errors > 0 ? `, ${metric.errors} errors (${metric.first_error})` : "";
  return `${key}: ${metric.ops_per_s} ops/s, p50 ${metric.p50_ms} ms, p99 ${metric.p99_ms} ms${cpu}${errors}`;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The problems with a value that should be a BenchReport (empty when it is one). */
export function reportProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(value)) return ["not an object"];
  if (typeof value.suite !== "string" || value.suite === "") problems.push("suite: not a name");
  const machine = value.machine;
  if (!isRecord(machine)) problems.push("machine: not an object");
  else {
    for (const key of ["cpus", "memory"]) {
      if (typeof machine[key] !== "number") problems.push(`machine.${key}: not a number`);
    }
    for (const key of ["model", "node", "os"]) {
      if (typeof machine[key] !== "string") problems.push(`machine.${key}: not a string`);
    }
  }
  if (!isRecord(value.config)) problems.push("config: not an object");
  for (const group of ["metrics", "baselines"] as const) {
    const metrics = value[group];
    if (!isRecord(metrics)) {
      problems.push(`${group}: not an object`);
      continue;
    }
    for (const [name, metric] of Object.entries(metrics)) {
      problems.push(...metricProblems(metric).map((p) => `${group}.${name}: ${p}`));
    }
  }
  const ratios = value.ratios;
  if (!isRecord(ratios)) problems.push("ratios: not an object");
  else {
    for (const [name, ratio] of Object.entries(ratios)) {
      if (typeof ratio !== "number" || !Number.isFinite(ratio)) {
        problems.push(`ratios.${name}: not a finite number`);
      }
    }
  }
  return problems;
}

function metricProblems(metric: unknown): string[] {
  if (!isRecord(metric)) return ["not an object"];
  const problems: string[] = [];
  for (const key of [
    "concurrency",
    "ops",
    "errors",
    "seconds",
    "ops_per_s",
    "mean_ms",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "max_ms",
  ]) {
    if (typeof metric[key] !== "number") problems.push(`${key}: not a number`);
  }
  for (const key of ["server_cpu_us_per_op", "client_cpu_us_per_op"]) {
    if (metric[key] !== null && typeof metric[key] !== "number") {
      problems.push(`${key}: not a number or null`);
    }
  }
  if (typeof metric.label !== "string") problems.push("label: not a string");
  if (!["node-clients", "h2load", "in-process"].includes(String(metric.driver))) {
    problems.push("driver: unknown");
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
