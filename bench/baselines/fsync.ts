/** Baseline: the disk's serial 4 KiB write + fdatasync rate in the data directory. */
import type { ChildHandle } from "../harness/child.js";
import type { BenchContext } from "../harness/context.js";
import { describeMetric, type Metric, metricOfSamples } from "../harness/report.js";
import type { FsyncProbeArgs, ProbeResult } from "../remote/fsync-probe.js";

export const FSYNC_KEY = "fsync_4k_serial";

/** Runs in `child` (a server-role process) when given, else in a child of its own. */
export async function measureFsync(ctx: BenchContext, child?: ChildHandle): Promise<Metric> {
  const host = child ?? (await ctx.forkServer("fsync"));
  const samples = await host.call<ProbeResult[]>("fsync-probe", "measure", {
    dir: ctx.dataDir,
    warmup: ctx.warmup,
    measure: ctx.measure,
    repeats: ctx.repeats,
  } satisfies FsyncProbeArgs);
  const metric = metricOfSamples(
    {
      label: "disk: write 4 KiB + fdatasync, serial (fs.promises)",
      driver: "in-process",
      concurrency: 1,
    },
    samples.map(({ result, cpuMicros }) => ({ result, serverCpuMicros: cpuMicros })),
  );
  ctx.log(describeMetric(FSYNC_KEY, metric));
  return metric;
}
