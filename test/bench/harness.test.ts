/**
 * The pure parts of the benchmark harness (bench/harness): the histogram, the merging of
 * per-process results, ratios, the result file's shape and the parsers of h2load and /proc
 * output. No timing thresholds: what a machine measures is never asserted.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseProcStatCpuTicks } from "../../bench/harness/cpu.js";
import { parseRequestLog, parseSummary } from "../../bench/harness/h2load.js";
import { bucketBounds, bucketIndex, Histogram } from "../../bench/harness/histogram.js";
import { type LoadResult, mergeResults, runPhase, splitEvenly } from "../../bench/harness/load.js";
import { parseCpuList } from "../../bench/harness/pinning.js";
import {
  type BenchReport,
  type Metric,
  metricOfSamples,
  Ratios,
  ratioOf,
  reportProblems,
  toMetric,
} from "../../bench/harness/report.js";

function histogramOf(values: readonly number[]): Histogram {
  const histogram = new Histogram();
  for (const value of values) histogram.record(value);
  return histogram;
}

function loadResult(values: readonly number[], startedAtMs: number, endedAtMs: number): LoadResult {
  return {
    ops: values.length,
    errors: 0,
    startedAtMs,
    endedAtMs,
    latencyUs: histogramOf(values).snapshot(),
  };
}

function metric(overrides: Partial<Metric> = {}): Metric {
  return {
    label: "m",
    driver: "node-clients",
    concurrency: 1,
    ops: 100,
    errors: 0,
    seconds: 1,
    ops_per_s: 100,
    mean_ms: 1,
    p50_ms: 1,
    p90_ms: 1,
    p99_ms: 1,
    max_ms: 1,
    server_cpu_us_per_op: 50,
    client_cpu_us_per_op: null,
    ...overrides,
  };
}

describe("Histogram", () => {
  it("values below 128 are exact", () => {
    const histogram = histogramOf([3, 3, 7, 100]);
    expect(histogram.quantile(0.5)).toBe(3.5);
    expect(histogram.quantile(0.75)).toBe(7.5);
    expect(histogram.min).toBe(3);
    expect(histogram.max).toBe(100);
  });

  it("percentiles of 1..100000 are within 1 % of the true value", () => {
    const histogram = histogramOf(Array.from({ length: 100_000 }, (_, i) => i + 1));
    for (const [q, exact] of [
      [0.5, 50_000],
      [0.9, 90_000],
      [0.99, 99_000],
      [0.999, 99_900],
    ] as const) {
      expect(Math.abs(histogram.quantile(q) - exact) / exact).toBeLessThan(0.01);
    }
    expect(histogram.quantile(1)).toBe(100_000);
    expect(histogram.quantile(0)).toBe(1.5);
  });

  it("every value falls inside its bucket, and a bucket is at most 1/128 of its values wide", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (value) => {
        const { low, high } = bucketBounds(bucketIndex(value, 7), 7);
        expect(Math.floor(value)).toBeGreaterThanOrEqual(low);
        expect(Math.floor(value)).toBeLessThan(high);
        expect(high - low).toBeLessThanOrEqual(Math.max(1, low / 128));
      }),
    );
  });

  it("exact powers of two open a new bucket", () => {
    for (let exponent = 7; exponent < 40; exponent++) {
      const { low } = bucketBounds(bucketIndex(2 ** exponent, 7), 7);
      expect(low).toBe(2 ** exponent);
    }
  });

  it("merging histograms equals recording every value in one", () => {
    const a = [5, 90, 1200, 40_000];
    const b = [7, 7, 300_000];
    const merged = histogramOf(a);
    merged.add(histogramOf(b).snapshot());
    const together = histogramOf([...a, ...b]);
    expect(merged.snapshot()).toEqual(together.snapshot());
  });

  it("survives a snapshot round trip", () => {
    const histogram = histogramOf([1, 2, 3, 5000, 123_456]);
    expect(Histogram.fromSnapshot(histogram.snapshot()).snapshot()).toEqual(histogram.snapshot());
  });

  it("an empty histogram reports zeros", () => {
    const histogram = new Histogram();
    expect([histogram.quantile(0.99), histogram.min, histogram.max, histogram.mean]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it("rejects negative and non-finite values, and merges of other precisions", () => {
    const histogram = new Histogram();
    expect(() => histogram.record(-1)).toThrow(RangeError);
    expect(() => histogram.record(Number.NaN)).toThrow(RangeError);
    expect(() => histogram.add(new Histogram(5))).toThrow(RangeError);
  });
});

describe("loads", () => {
  it("an operation budget runs exactly that many operations over all callers", async () => {
    const callers = new Set<number>();
    const result = await runPhase(
      async (caller) => {
        callers.add(caller);
      },
      4,
      { ops: 103 },
    );
    expect(result.ops).toBe(103);
    expect(result.latencyUs.count).toBe(103);
    expect(callers.size).toBe(4);
  });

  it("failed operations are counted, not timed, and the first error is kept", async () => {
    const result = await runPhase(
      async (_caller, seq) => {
        if (seq % 2 === 1) throw new Error(`boom ${seq}`);
      },
      1,
      { ops: 10 },
    );
    expect(result).toMatchObject({ ops: 5, errors: 5, firstError: "Error: boom 1" });
  });

  it("results of several processes merge into one window and one histogram", () => {
    const merged = mergeResults([
      loadResult([100, 200], 1_000, 2_000),
      loadResult([300], 1_010, 2_050),
    ]);
    expect(merged).toMatchObject({ ops: 3, errors: 0, startedAtMs: 1_000, endedAtMs: 2_050 });
    expect(merged.latencyUs.count).toBe(3);
    expect(merged.latencyUs.max).toBe(300);
  });

  it("callers split evenly over processes", () => {
    expect(splitEvenly(64, 3)).toEqual([22, 21, 21]);
    expect(splitEvenly(1, 2)).toEqual([1, 0]);
  });
});

describe("metrics and ratios", () => {
  it("a metric's throughput is its operations over the measured window", () => {
    const result = loadResult(
      Array.from({ length: 500 }, () => 2_000),
      10_000,
      12_000,
    );
    const m = toMetric({
      label: "x",
      driver: "node-clients",
      concurrency: 8,
      result,
      serverCpuMicros: 50_000,
      clientCpuMicros: undefined,
    });
    expect(m).toMatchObject({
      ops: 500,
      seconds: 2,
      ops_per_s: 250,
      server_cpu_us_per_op: 100,
      client_cpu_us_per_op: null,
    });
    expect(m.p50_ms).toBeCloseTo(2, 1);
  });

  it("repeated measurements report the median one by throughput, and the range", () => {
    const sample = (ops: number, latencyUs: number, cpu: number) => ({
      result: loadResult(
        Array.from({ length: ops }, () => latencyUs),
        0,
        1_000,
      ),
      serverCpuMicros: cpu,
    });
    const m = metricOfSamples({ label: "x", driver: "h2load", concurrency: 64 }, [
      sample(300, 9_000, 30_000),
      sample(100, 1_000, 99_999),
      sample(200, 5_000, 20_000),
    ]);
    expect(m).toMatchObject({ ops_per_s: 200, server_cpu_us_per_op: 100 });
    expect(m.p50_ms).toBeCloseTo(5, 1);
    expect(m.extra).toEqual({ repeats: 3, ops_per_s_min: 100, ops_per_s_max: 300 });
  });

  it("a ratio divides the chosen figure and is rounded to 3 decimals", () => {
    expect(ratioOf(metric({ ops_per_s: 2000 }), metric({ ops_per_s: 300 }))).toBe(6.667);
    expect(ratioOf(metric({ p50_ms: 1.5 }), metric({ p50_ms: 1 }), "p50_ms")).toBe(1.5);
    expect(
      ratioOf(
        metric({ server_cpu_us_per_op: 170 }),
        metric({ server_cpu_us_per_op: 100 }),
        "server_cpu_us_per_op",
      ),
    ).toBe(1.7);
  });

  it("no ratio is invented for a missing, empty or zero figure", () => {
    expect(ratioOf(undefined, metric())).toBeUndefined();
    expect(ratioOf(metric(), metric({ ops: 0, ops_per_s: 0 }))).toBeUndefined();
    expect(
      ratioOf(metric(), metric({ server_cpu_us_per_op: null }), "server_cpu_us_per_op"),
    ).toBeUndefined();
    const ratios = new Ratios().set("a", 1.5).set("b", undefined).set("c", Number.NaN);
    expect(ratios.toJSON()).toEqual({ a: 1.5 });
  });
});

describe("the result file", () => {
  const report: BenchReport = {
    suite: "raft-storage",
    machine: { cpus: 2, model: "cpu", memory: 1024, node: "v20.20.2", os: "Linux" },
    config: { quick: true },
    metrics: { raft_append_100b_c64: metric({ concurrency: 64, ops_per_s: 20_000 }) },
    baselines: { fsync_4k_serial: metric({ ops_per_s: 1_000 }) },
    ratios: { raft_appends_vs_fsyncs: 20 },
  };

  it("holds suite, machine, config, metrics, baselines and ratios", () => {
    expect(reportProblems(report)).toEqual([]);
    expect(reportProblems(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it("names what is wrong with a malformed one", () => {
    const { ratios: _ratios, ...noRatios } = report;
    expect(reportProblems(noRatios)).toEqual(["ratios: not an object"]);
    expect(reportProblems({ ...report, ratios: { x: "fast" } })).toEqual([
      "ratios.x: not a finite number",
    ]);
    expect(
      reportProblems({ ...report, baselines: { fsync: { ...metric(), ops_per_s: "many" } } }),
    ).toEqual(["baselines.fsync: ops_per_s: not a number"]);
    expect(reportProblems([])).toEqual(["not an object"]);
  });
});

describe("parsers", () => {
  it("h2load's request log: 2xx are operations, other statuses errors", () => {
    const log = ["1000000\t200\t300", "1000100\t200\t500", "1000200\t503\t100", ""].join("\n");
    const result = parseRequestLog(log);
    expect(result).toMatchObject({ ops: 2, errors: 1, firstError: "HTTP 503" });
    expect(result.startedAtMs).toBe(1000);
    expect(result.endedAtMs).toBe(1000.6);
  });

  it("h2load's summary line", () => {
    const stdout =
      "finished in 500.83ms, 4016.00 req/s, 121.68KB/s\n" +
      "requests: 2008 total, 2012 started, 2008 done, 2007 succeeded, 1 failed, 0 errored, 0 timeout\n";
    expect(parseSummary(stdout)).toEqual({
      total: 2008,
      succeeded: 2007,
      failed: 1,
      errored: 0,
      timeout: 0,
    });
  });

  it("/proc/<pid>/stat CPU ticks, with a command name holding spaces and parentheses", () => {
    const stat = "4242 (my (odd) proc) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 12";
    expect(parseProcStatCpuTicks(stat)).toBe(175);
  });

  it("CPU lists", () => {
    expect(parseCpuList("0")).toEqual([0]);
    expect(parseCpuList("0,2-4")).toEqual([0, 2, 3, 4]);
    expect(() => parseCpuList("x")).toThrow(RangeError);
  });
});
