/**
 * JUnit XML: one <testsuite> per service, one <testcase> per case and protocol. A known
 * failure is reported as skipped (expected), with its message.
 */
import type { CaseResult } from "../runner/case-result.js";
import { failureDetail } from "./failure-detail.js";

export function junitXml(results: readonly CaseResult[]): string {
  const byService = groupBy(results, (result) => result.service);
  const suites = [...byService].map(([service, cases]) => {
    const failures = cases.filter((c) => c.status === "fail").length;
    const skipped = cases.filter((c) => c.status === "skip" || c.status === "known_fail").length;
    const time = seconds(cases.reduce((sum, c) => sum + c.duration_ms, 0));
    const body = cases.map(testcase).join("");
    return `  <testsuite name="${xml(service)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">\n${body}  </testsuite>\n`;
  });
  const failures = results.filter((r) => r.status === "fail").length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="curve-rpc-conformance" tests="${results.length}" failures="${failures}">\n` +
    `${suites.join("")}</testsuites>\n`
  );
}

function testcase(result: CaseResult): string {
  const open = `    <testcase classname="${xml(result.service)}" name="${xml(`${result.id} [${result.protocol}]`)}" time="${seconds(result.duration_ms)}"`;
  switch (result.status) {
    case "pass":
      return `${open}/>\n`;
    case "skip":
      return `${open}>\n      <skipped message="${xml(result.message)}"/>\n    </testcase>\n`;
    case "known_fail":
      return `${open}>\n      <skipped message="${xml(`known failing: ${result.message}`)}"/>\n    </testcase>\n`;
    case "fail":
      return `${open}>\n      <failure message="${xml(result.message)}">${xml(failureDetail(result))}</failure>\n    </testcase>\n`;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}
