/**
 * node --import tsx bench/markdown.ts RESULT.json [RESULT.json …]
 *
 * Prints each result file as the Markdown section BENCHMARKS.md keeps per suite: the command,
 * the machine, a table of metrics and baselines, and the ratios — so that rerunning a suite and
 * pasting its section is the whole update.
 */
import { readFile } from "node:fs/promises";
import { type BenchReport, type Metric, reportProblems } from "./harness/report.js";

export function reportToMarkdown(report: BenchReport): string {
  const { machine, config } = report;
  const lines = [
    `### \`${report.suite}\``,
    "",
    `- command: \`${String(config.command)}\` (${String(config.started_at)}, ${String(config.duration_s)} s)`,
    `- machine: ${machine.cpus} × ${machine.model}, ${(machine.memory / 2 ** 30).toFixed(1)} GiB, node ${machine.node}, ${machine.os}` +
      (machine.disk ? `; data dir ${machine.disk.fstype} on ${machine.disk.device}` : ""),
    "",
    "| kind | name | conc | driver | ops/s | p50 ms | p99 ms | server µs/op | client µs/op | errors |",
    "|---|---|--:|---|--:|--:|--:|--:|--:|--:|",
    ...Object.entries(report.metrics).map(([name, m]) => row("metric", name, m)),
    ...Object.entries(report.baselines).map(([name, m]) => row("baseline", name, m)),
    "",
    "| ratio | value |",
    "|---|--:|",
    ...Object.entries(report.ratios).map(
      ([name, value]) => `| \`${name}\` | ${value.toFixed(3)} |`,
    ),
  ];
  return lines.join("\n");
}

function row(kind: string, name: string, m: Metric): string {
  const perOp = (value: number | null) => (value === null ? "–" : value.toFixed(0));
  const extra = m.extra?.mib_per_s === undefined ? "" : ` (${m.extra.mib_per_s} MiB/s)`;
  return `| ${kind} | \`${name}\` | ${m.concurrency} | ${m.driver} | ${m.ops_per_s.toFixed(1)}${extra} | ${m.p50_ms.toFixed(2)} | ${m.p99_ms.toFixed(2)} | ${perOp(m.server_cpu_us_per_op)} | ${perOp(m.client_cpu_us_per_op)} | ${m.errors} |`;
}

async function main(files: readonly string[]): Promise<number> {
  if (files.length === 0) {
    console.error("usage: node --import tsx bench/markdown.ts RESULT.json [RESULT.json …]");
    return 2;
  }
  const sections: string[] = [];
  for (const file of files) {
    const report: unknown = JSON.parse(await readFile(file, "utf8"));
    const problems = reportProblems(report);
    if (problems.length > 0)
      throw new Error(`${file}: not a result file:\n  ${problems.join("\n  ")}`);
    sections.push(reportToMarkdown(report as BenchReport));
  }
  console.log(sections.join("\n\n"));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
