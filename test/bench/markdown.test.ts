/** BENCHMARKS.md sections from result files: every metric, baseline and ratio, one row each. */
import { describe, expect, it } from "vitest";
import type { BenchReport, Metric } from "../../bench/harness/report.js";
import { reportToMarkdown } from "../../bench/markdown.js";

function metric(overrides: Partial<Metric>): Metric {
  return {
    label: "m",
    driver: "node-clients",
    concurrency: 64,
    ops: 5000,
    errors: 0,
    seconds: 5,
    ops_per_s: 1000,
    mean_ms: 1,
    p50_ms: 0.75,
    p90_ms: 2,
    p99_ms: 3.5,
    max_ms: 9,
    server_cpu_us_per_op: 120.4,
    client_cpu_us_per_op: null,
    ...overrides,
  };
}

const report: BenchReport = {
  suite: "meta",
  machine: { cpus: 2, model: "EPYC", memory: 8 * 2 ** 30, node: "v20.0.0", os: "Linux" },
  config: { command: "npm run bench -- meta", started_at: "2026-01-01T00:00:00Z", duration_s: 90 },
  metrics: { meta_create_c64: metric({}) },
  baselines: {
    etcd_put_c64: metric({ ops_per_s: 2000, extra: { mib_per_s: 12.5 }, errors: 3 }),
  },
  ratios: { creates_vs_etcd_puts_c64: 0.5 },
};

describe("reportToMarkdown", () => {
  it("names the suite, the command and the machine", () => {
    const text = reportToMarkdown(report);
    expect(text).toContain("### `meta`");
    expect(text).toContain("`npm run bench -- meta` (2026-01-01T00:00:00Z, 90 s)");
    expect(text).toContain("2 × EPYC, 8.0 GiB, node v20.0.0, Linux");
  });

  it("one row per metric and baseline, with CPU per op and MiB/s when measured", () => {
    const rows = reportToMarkdown(report)
      .split("\n")
      .filter((line) => line.startsWith("| metric") || line.startsWith("| baseline"));
    expect(rows).toEqual([
      "| metric | `meta_create_c64` | 64 | node-clients | 1000.0 | 0.75 | 3.50 | 120 | – | 0 |",
      "| baseline | `etcd_put_c64` | 64 | node-clients | 2000.0 (12.5 MiB/s) | 0.75 | 3.50 | 120 | – | 3 |",
    ]);
  });

  it("lists every ratio with 3 decimals", () => {
    expect(reportToMarkdown(report)).toContain("| `creates_vs_etcd_puts_c64` | 0.500 |");
  });
});
