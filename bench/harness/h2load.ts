/**
 * h2load (nghttp2) as a load generator for pre-encoded unary requests: a C client that spends a
 * few µs per request where a Node Connect client spends ~1.5 ms, so it measures the server, not
 * the client. Latencies come from its per-request log (--log-file); it has no percentiles of
 * its own. Warm up with a separate, shorter run: h2load's --warm-up-time still logs the warm-up
 * requests.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type CpuProbe, measureCpu } from "./cpu.js";
import { Histogram } from "./histogram.js";
import type { LoadResult } from "./load.js";
import { findExecutable } from "./pinning.js";

export interface H2loadSpec {
  readonly url: string;
  readonly path: string;
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  /** Concurrent streams on the one connection (-c 1 -m N): how a Node client multiplexes. */
  readonly streams: number;
  readonly durationMs: number;
  /** Pins h2load to these CPUs (taskset) when given. */
  readonly cpus?: readonly number[];
  readonly serverCpu?: CpuProbe;
}

export interface H2loadOutcome {
  readonly result: LoadResult;
  readonly serverCpuMicros?: number;
  /** h2load's own summary counts, for cross-checking. */
  readonly summary: H2loadSummary;
}

export interface H2loadSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly errored: number;
  readonly timeout: number;
}

export function h2loadPath(): string | undefined {
  return findExecutable("h2load");
}

export async function runH2load(spec: H2loadSpec): Promise<H2loadOutcome> {
  const binary = h2loadPath();
  if (!binary) throw new Error("h2load is not installed (Debian: apt-get install nghttp2-client)");
  const dir = await mkdtemp(join(tmpdir(), "curve-bench-h2load-"));
  try {
    const bodyFile = join(dir, "body.bin");
    const logFile = join(dir, "requests.log");
    await writeFile(bodyFile, spec.body);
    const args = (durationMs: number) => [
      `-D${Math.max(1, Math.round(durationMs))}ms`,
      "-c1",
      `-m${spec.streams}`,
      "-t1",
      `-d${bodyFile}`,
      ...Object.entries(spec.headers).map(([name, value]) => `-H${name}: ${value}`),
      `${spec.url}${spec.path}`,
    ];
    const { value: stdout, cpuMicros } = await measureCpu(spec.serverCpu, () =>
      run(binary, [`--log-file=${logFile}`, ...args(spec.durationMs)], spec.cpus),
    );
    const result = parseRequestLog(await readFile(logFile, "utf8"));
    const summary = parseSummary(stdout);
    return {
      result: { ...result, errors: result.errors + summary.errored + summary.timeout },
      ...(cpuMicros === undefined ? {} : { serverCpuMicros: cpuMicros }),
      summary,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(binary: string, args: string[], cpus?: readonly number[]): Promise<string> {
  const [file, argv] = cpus ? ["taskset", ["-c", cpus.join(","), binary, ...args]] : [binary, args];
  const { stdout } = await promisify(execFile)(file, argv, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/**
 * The per-request log: "start µs since epoch \t HTTP status \t µs to end of response". 2xx
 * responses are operations, anything else an error.
 */
export function parseRequestLog(text: string): LoadResult {
  const histogram = new Histogram();
  let errors = 0;
  let firstError: string | undefined;
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const line of text.split("\n")) {
    const [startUs, status, durationUs] = line.split("\t").map(Number);
    if (startUs === undefined || status === undefined || durationUs === undefined) continue;
    if (!Number.isFinite(startUs) || !Number.isFinite(durationUs) || line.trim() === "") continue;
    start = Math.min(start, startUs);
    end = Math.max(end, startUs + durationUs);
    if (status >= 200 && status < 300) histogram.record(durationUs);
    else {
      errors++;
      firstError ??= `HTTP ${status}`;
    }
  }
  if (start === Number.POSITIVE_INFINITY) start = end;
  return {
    ops: histogram.count,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    startedAtMs: start / 1000,
    endedAtMs: end / 1000,
    latencyUs: histogram.snapshot(),
  };
}

/** "requests: 2008 total, 2012 started, 2008 done, 2008 succeeded, 0 failed, 0 errored, 0 timeout" */
export function parseSummary(stdout: string): H2loadSummary {
  const line = /^requests: (.*)$/m.exec(stdout)?.[1] ?? "";
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return {
    total: count("total"),
    succeeded: count("succeeded"),
    failed: count("failed"),
    errored: count("errored"),
    timeout: count("timeout"),
  };
}
