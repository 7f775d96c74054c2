/** The short human-readable table printed after a run. */
import type { BenchReport, Metric } from "./report.js";

const COLUMNS = [
  ["name", 34],
  ["conc", 5],
  ["driver", 12],
  ["ops/s", 9],
  ["p50 ms", 8],
  ["p99 ms", 8],
  ["max ms", 8],
  ["srv µs/op", 10],
  ["cli µs/op", 10],
  ["errors", 6],
] as const;

export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const { machine } = report;
  lines.push(
    `suite ${report.suite} on ${machine.cpus} × ${machine.model}, ${(machine.memory / 2 ** 30).toFixed(1)} GiB, node ${machine.node}`,
  );
  for (const [title, metrics] of [
    ["metrics", report.metrics],
    ["baselines", report.baselines],
  ] as const) {
    const entries = Object.entries(metrics);
    if (entries.length === 0) continue;
    lines.push("", title, header());
    for (const [name, metric] of entries) lines.push(row(name, metric));
  }
  const ratios = Object.entries(report.ratios);
  if (ratios.length > 0) {
    lines.push("", "ratios");
    const width = Math.max(...ratios.map(([name]) => name.length));
    for (const [name, value] of ratios) lines.push(`  ${name.padEnd(width)}  ${value.toFixed(3)}`);
  }
  return lines.join("\n");
}

function header(): string {
  return `  ${COLUMNS.map(([name, width], i) => (i === 0 ? name.padEnd(width) : name.padStart(width))).join(" ")}`;
}

function row(name: string, metric: Metric): string {
  const cells = [
    name,
    String(metric.concurrency),
    metric.driver,
    metric.ops_per_s.toFixed(0),
    metric.p50_ms.toFixed(3),
    metric.p99_ms.toFixed(3),
    metric.max_ms.toFixed(2),
    metric.server_cpu_us_per_op === null ? "-" : metric.server_cpu_us_per_op.toFixed(0),
    metric.client_cpu_us_per_op === null ? "-" : metric.client_cpu_us_per_op.toFixed(0),
    String(metric.errors),
  ];
  return `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(COLUMNS[i]?.[1] ?? 0) : cell.padStart(COLUMNS[i]?.[1] ?? 0))).join(" ")}`;
}
