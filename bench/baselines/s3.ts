/**
 * Baseline: whole-object PutObject / GetObject on a MinIO started for the run by
 * conformance/providers/s3.ts, once through the raw @aws-sdk/client-s3 and once through our
 * S3ObjectStore, so the adapter's overhead is a ratio of two figures of the same run.
 */
import { provideS3 } from "../../conformance/providers/s3.js";
import type { S3Endpoint } from "../../conformance/providers/types.js";
import type { BenchContext } from "../harness/context.js";
import { type CpuProbe, pidListeningOn, procCpuProbe } from "../harness/cpu.js";
import { measureClientLoad } from "../harness/measure.js";
import { type Metric, round } from "../harness/report.js";

export interface S3UnderTest {
  readonly s3: S3Endpoint;
  readonly description: string;
  readonly cpu?: CpuProbe;
}

export type S3Via = "raw-sdk" | "adapter";

export interface S3Run {
  readonly via: S3Via;
  readonly op: "put" | "get";
  readonly objectBytes: number;
  readonly concurrency: number;
}

export const MIB = 1024 * 1024;
export const KIB = 1024;

export async function startS3(ctx: BenchContext): Promise<S3UnderTest> {
  const provided = await provideS3();
  ctx.defer(() => provided.stop());
  const s3 = provided.endpoint;
  const pid = await pidListeningOn(Number(new URL(s3.endpoint).port));
  await ctx.pinServer(pid);
  ctx.log(provided.description);
  return {
    s3,
    description: provided.description,
    ...(pid === undefined ? {} : { cpu: procCpuProbe(pid, "minio") }),
  };
}

export function s3Key(run: S3Run): string {
  const via = run.via === "raw-sdk" ? "raw" : "adapter";
  return `s3_${via}_${run.op}_${sizeName(run.objectBytes)}_c${run.concurrency}`;
}

function sizeName(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB}mib` : `${bytes / KIB}kib`;
}

export async function measureS3(
  ctx: BenchContext,
  s3: S3UnderTest,
  runs: readonly S3Run[],
): Promise<Record<string, Metric>> {
  const metrics: Record<string, Metric> = {};
  for (const run of runs) {
    const key = s3Key(run);
    metrics[key] = await measureClientLoad(ctx, {
      key,
      label: `S3 ${run.op === "put" ? "PutObject" : "GetObject"} ${sizeName(run.objectBytes)} via ${run.via}, ${run.concurrency} concurrent`,
      workload: "s3-object",
      params: { s3: s3.s3, via: run.via, op: run.op, objectBytes: run.objectBytes },
      concurrency: run.concurrency,
      serverCpu: s3.cpu,
      extra: (result) => {
        const seconds = (result.endedAtMs - result.startedAtMs) / 1000;
        return { mib_per_s: round((result.ops * run.objectBytes) / MIB / seconds, 1) };
      },
    });
  }
  return metrics;
}
