/**
 * Baseline: etcd puts and gets (etcd3 client, 100 B values by default) on an etcd started for
 * the run by conformance/providers/etcd.ts, moved onto the server CPUs.
 */
import { provideEtcd } from "../../conformance/providers/etcd.js";
import type { BenchContext } from "../harness/context.js";
import { type CpuProbe, pidListeningOn, procCpuProbe } from "../harness/cpu.js";
import { measureClientLoad } from "../harness/measure.js";
import type { Metric } from "../harness/report.js";

export interface EtcdUnderTest {
  readonly endpoints: readonly string[];
  readonly description: string;
  /** Absent when the server is not a process on this host we can see (CURVE_TEST_ETCD). */
  readonly cpu?: CpuProbe;
}

export const ETCD_VALUE_BYTES = 100;

export async function startEtcd(ctx: BenchContext): Promise<EtcdUnderTest> {
  const etcd = await provideEtcd();
  ctx.defer(() => etcd.stop());
  const endpoints = etcd.endpoint.endpoints;
  const pid = await pidListeningOn(Number(new URL(endpoints[0] ?? "").port));
  await ctx.pinServer(pid);
  ctx.log(etcd.description);
  return {
    endpoints,
    description: etcd.description,
    ...(pid === undefined ? {} : { cpu: procCpuProbe(pid, "etcd") }),
  };
}

export function etcdKey(op: "put" | "get", concurrency: number): string {
  return `etcd_${op}_c${concurrency}`;
}

/** `valueBytes` lets a suite match the size of the records its own operations store. */
export async function measureEtcd(
  ctx: BenchContext,
  etcd: EtcdUnderTest,
  runs: readonly { readonly op: "put" | "get"; readonly concurrency: number }[],
  valueBytes = ETCD_VALUE_BYTES,
): Promise<Record<string, Metric>> {
  const metrics: Record<string, Metric> = {};
  for (const { op, concurrency } of runs) {
    const key = etcdKey(op, concurrency);
    metrics[key] = await measureClientLoad(ctx, {
      key,
      label: `etcd ${op} ${valueBytes} B, ${concurrency} concurrent`,
      workload: "etcd-kv",
      params: { endpoints: etcd.endpoints, op, valueBytes },
      concurrency,
      serverCpu: etcd.cpu,
    });
  }
  return metrics;
}
