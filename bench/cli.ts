/**
 * npm run bench -- <suite> [--quick] [--out FILE.json] [options]
 *
 * Runs one suite, writes `{suite, machine, config, metrics, baselines, ratios}` to FILE.json
 * (default bench/results/<suite>[-quick].json) and prints a short table. It fails only when a
 * suite cannot run, never on a number.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BenchContext, FULL_TIMING, QUICK_TIMING, type Timing } from "./harness/context.js";
import { describeMachine } from "./harness/machine.js";
import { parseCpuList, pinProcess, planCpus } from "./harness/pinning.js";
import { type BenchReport, reportProblems } from "./harness/report.js";
import { formatReport } from "./harness/table.js";
import { findSuite, SUITES } from "./suites/index.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

// The SDK warns about Node 20 on every client it builds; the version is pinned on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const USAGE = `usage: npm run bench -- <suite> [--quick] [--out FILE.json]
  --quick              CI smoke: short warm-up and measurement (every path runs)
  --out FILE.json      result file (default bench/results/<suite>[-quick].json)
  --seconds N          measurement window of each load (default ${FULL_TIMING.measureMs / 1000}, quick ${QUICK_TIMING.measureMs / 1000})
  --warmup-seconds N   warm-up before each load, excluded from results
  --repeat N           measure each load N times after its warm-up, report the median (default 1)
  --data-dir DIR       where disk figures are measured (default $CURVE_BENCH_DATA_DIR or ${tmpdir()})
  --client-procs N     client processes of the load (default max(2, client CPUs))
  --server-cpus LIST   CPUs of the server under test (default 0)
  --client-cpus LIST   CPUs of the load generators (default all others)
  --no-pin             do not pin roles to CPUs
env CURVE_BENCH_CPU_PROF=<role>[,<role>]  profile children (echo-server, mds, client-0, …)
                                          into bench/results/profiles
suites:
${SUITES.map((suite) => `  ${suite.name.padEnd(14)} ${suite.summary}`).join("\n")}`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      seconds: { type: "string" },
      "warmup-seconds": { type: "string" },
      repeat: { type: "string" },
      "data-dir": { type: "string" },
      "client-procs": { type: "string" },
      "server-cpus": { type: "string" },
      "client-cpus": { type: "string" },
      "no-pin": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const suite = findSuite(positionals[0] ?? "");
  if (!suite || positionals.length !== 1) {
    console.error(positionals[0] ? `unknown suite ${positionals[0]}\n${USAGE}` : USAGE);
    return 2;
  }
  const quick = values.quick ?? false;
  const base = quick ? QUICK_TIMING : FULL_TIMING;
  const timing: Timing = {
    warmupMs: seconds(values["warmup-seconds"], base.warmupMs),
    measureMs: seconds(values.seconds, base.measureMs),
  };
  const plan = planCpus({
    pin: !values["no-pin"],
    ...(values["server-cpus"] ? { serverCpus: parseCpuList(values["server-cpus"]) } : {}),
    ...(values["client-cpus"] ? { clientCpus: parseCpuList(values["client-cpus"]) } : {}),
  });
  const clientProcesses = values["client-procs"]
    ? positiveInteger(values["client-procs"], "--client-procs")
    : Math.max(2, plan.clientCpus.length);
  const repeats = values.repeat ? positiveInteger(values.repeat, "--repeat") : 1;
  const dataDir = resolve(values["data-dir"] ?? process.env.CURVE_BENCH_DATA_DIR ?? tmpdir());
  const out = resolve(
    values.out ?? `${BENCH_DIR}/results/${suite.name}${quick ? "-quick" : ""}.json`,
  );

  // The orchestrator is idle during measurements; keep it off the server CPUs all the same.
  if (plan.enabled) await pinProcess(process.pid, plan.clientCpus);
  const ctx = new BenchContext({ quick, timing, dataDir, clientProcesses, plan, repeats });
  const startedAt = new Date();
  let report: BenchReport;
  try {
    ctx.log(
      `${suite.name}: warm-up ${timing.warmupMs} ms, measure ${timing.measureMs} ms per load`,
    );
    const result = await suite.run(ctx);
    report = {
      suite: suite.name,
      machine: await describeMachine(dataDir),
      config: {
        command: `npm run bench -- ${process.argv.slice(2).join(" ")}`,
        started_at: startedAt.toISOString(),
        duration_s: Math.round((Date.now() - startedAt.getTime()) / 1000),
        quick,
        warmup_ms: timing.warmupMs,
        measure_ms: timing.measureMs,
        repeats,
        repeat_rule:
          "each load: one warm-up, then `repeats` measurements; the median by throughput is " +
          "reported (its latency and CPU too), extra.ops_per_s_min/max give the range",
        load:
          "closed loop: each caller issues one operation, awaits it, issues the next; " +
          "throughput = successful operations in the measurement window ÷ its length",
        client_processes: clientProcesses,
        client_mode:
          "child_process.fork (one HTTP/2 session or client per process): pinnable by pid, " +
          "own CPU accounting, own heap and event loop",
        pinning: {
          enabled: plan.enabled,
          server_cpus: plan.serverCpus,
          client_cpus: plan.clientCpus,
          note: plan.note,
        },
        server_cpu:
          "process.cpuUsage() of our server child over IPC; /proc/<pid>/stat of etcd and MinIO " +
          "(found by their listening port); sampled before and after the measurement",
        ...result.config,
      },
      metrics: result.metrics,
      baselines: result.baselines,
      ratios: result.ratios,
    };
  } finally {
    await ctx.close();
  }
  const problems = reportProblems(report);
  if (problems.length > 0) throw new Error(`malformed report:\n  ${problems.join("\n  ")}`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatReport(report));
  console.log(`\nwrote ${out}`);
  return 0;
}

function seconds(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const value = Number(text);
  if (!(value > 0)) throw new RangeError(`not a positive number of seconds: ${text}`);
  return Math.round(value * 1000);
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${flag}: not a positive integer`);
  return value;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
