/** A benchmark suite: one `npm run bench -- <name>`, one result file. */
import type { BenchContext } from "./context.js";
import type { Metric } from "./report.js";

export interface SuiteResult {
  /** What was measured against what (services, sizes, concurrency): goes into the JSON's config. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, Metric>>;
  readonly baselines: Readonly<Record<string, Metric>>;
  readonly ratios: Readonly<Record<string, number>>;
}

export interface Suite {
  readonly name: string;
  /** One line for --help. */
  readonly summary: string;
  run(ctx: BenchContext): Promise<SuiteResult>;
}
