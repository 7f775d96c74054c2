/** The table printed at the end of a run: per service, how its cases went. */
import type { CaseResult } from "../runner/case-result.js";

const COLUMNS = ["passed", "failed", "known-failing", "skipped"] as const;

export function summaryTable(results: readonly CaseResult[]): string {
  const rows = new Map<string, [number, number, number, number]>();
  const total: [number, number, number, number] = [0, 0, 0, 0];
  for (const result of results) {
    const row = rows.get(result.service) ?? [0, 0, 0, 0];
    const column = ["pass", "fail", "known_fail", "skip"].indexOf(result.status);
    row[column] = (row[column] ?? 0) + 1;
    total[column] = (total[column] ?? 0) + 1;
    rows.set(result.service, row);
  }
  const lines = [...[...rows].sort(([a], [b]) => a.localeCompare(b)), ["total", total] as const];
  const width = Math.max(7, ...lines.map(([name]) => name.length));
  const header = ["service".padEnd(width), ...COLUMNS.map((c) => c.padStart(13))].join(" ");
  const body = lines.map(([name, counts]) =>
    [name.padEnd(width), ...counts.map((n) => String(n).padStart(13))].join(" "),
  );
  return [header, "-".repeat(header.length), ...body].join("\n");
}
