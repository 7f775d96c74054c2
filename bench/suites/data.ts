/**
 * `data`: file data through the client SDK against raw S3 on the same MinIO, same run. Two
 * shapes, each written then read back sequentially by one caller:
 *
 * - large: one 1 GiB file (quick: 64 MiB) in 4 MiB writes / reads — the fs block size, so the
 *   client stores one object per write;
 * - small: 1,000 files of 100 KiB (quick: 100), each created, written and closed, then read.
 *
 * The baseline puts and gets objects of the same size, one after another: what the data
 * path would cost if it were nothing but the object store.
 */
import { KIB, MIB, startS3 } from "../baselines/s3.js";
import { ChildHandle } from "../harness/child.js";
import type { BenchContext } from "../harness/context.js";
import { type CpuProbe, combinedCpuProbe, measureCpu } from "../harness/cpu.js";
import {
  describeMetric,
  type Metric,
  metricOfSamples,
  Ratios,
  ratioOf,
  round,
  type Sample,
} from "../harness/report.js";
import type { Suite, SuiteResult } from "../harness/suite.js";
import type {
  ClientSequentialArgs,
  DataPhaseResult,
  MountArgs,
  S3SequentialArgs,
} from "../remote/data-workload.js";
import type { LocalClusterArgs } from "../remote/local-cluster-server.js";

export interface DataShape {
  readonly name: "large" | "small";
  /** Files written (and read) one after another. */
  readonly files: number;
  readonly fileBytes: number;
  /** Bytes per write and per read call: the object size of the baseline. */
  readonly blockBytes: number;
}

export function dataShapes(quick: boolean): DataShape[] {
  return [
    { name: "large", files: 1, fileBytes: (quick ? 64 : 1024) * MIB, blockBytes: 4 * MIB },
    { name: "small", files: quick ? 100 : 1000, fileBytes: 100 * KIB, blockBytes: 100 * KIB },
  ];
}

/** Operations (blocks) of a shape: every file's blocks. */
function blocksOf(shape: DataShape): number {
  return shape.files * Math.ceil(shape.fileBytes / shape.blockBytes);
}

/**
 * The warm-up of a shape, on other names: a tenth of its files (at least one), or for one file
 * a tenth of its blocks (at least 2), so warming up never costs as much as the measurement.
 */
export function warmupShape(shape: DataShape): DataShape {
  if (shape.files > 1) return { ...shape, files: Math.max(1, Math.round(shape.files / 10)) };
  const blocks = Math.max(2, Math.round(blocksOf(shape) / 10));
  return { ...shape, fileBytes: Math.min(shape.fileBytes, blocks * shape.blockBytes) };
}

export function s3DataKey(op: "put" | "get", shape: DataShape): string {
  return `s3_${op}_${shape.name}_seq`;
}

export function clientDataKey(op: "write" | "read", shape: DataShape): string {
  return `data_${op}_${shape.name}_seq`;
}

const FS_NAME = "bench-data";

export const dataSuite: Suite = {
  name: "data",
  summary: "client SDK sequential write/read of 1 GiB and of 1,000 × 100 KiB files vs raw S3",
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const [s3, clusterChild] = await Promise.all([startS3(ctx), ctx.forkServer("cluster")]);
    const { mdsUrls } = await clusterChild.call<{ mdsUrls: string[] }>("local-cluster", "start", {
      dir: ctx.dataDir,
      s3: s3.s3,
    } satisfies LocalClusterArgs);
    ctx.defer(() => clusterChild.call("local-cluster", "stop"));
    // Forked last so it closes first: unmounting needs the MDS still up.
    const loader = await forkLoader(ctx);
    await loader.call("data-workload", "mount", {
      mdsUrls,
      s3: s3.s3,
      fsName: FS_NAME,
    } satisfies MountArgs);
    ctx.log(`cluster up (MDS ${mdsUrls.join(",")}), ${FS_NAME} mounted`);
    const clusterCpu = combinedCpuProbe([clusterChild.cpuProbe(), ...(s3.cpu ? [s3.cpu] : [])]);

    const shapes = dataShapes(ctx.quick);
    const baselines: Record<string, Metric> = {};
    const metrics: Record<string, Metric> = {};
    for (const shape of shapes) {
      const total = sizeName(shape.files * shape.fileBytes);
      for (const op of ["put", "get"] as const) {
        const key = s3DataKey(op, shape);
        const args = (prefix: string, of: DataShape): S3SequentialArgs => ({
          s3: s3.s3,
          op,
          prefix: `bench/data/${shape.name}/${prefix}`,
          objectBytes: shape.blockBytes,
          objects: blocksOf(of),
        });
        baselines[key] = await measureSequential(ctx, {
          key,
          label: `S3 ${op === "put" ? "PutObject" : "GetObject"} of ${sizeName(shape.blockBytes)} objects one after another (${total})`,
          blockBytes: shape.blockBytes,
          serverCpu: s3.cpu,
          warmup: () =>
            loader.call("data-workload", "s3Sequential", args("warm", warmupShape(shape))),
          measure: () => loader.call("data-workload", "s3Sequential", args("run", shape)),
        });
      }
      for (const op of ["write", "read"] as const) {
        const key = clientDataKey(op, shape);
        const args = (prefix: string, of: DataShape): ClientSequentialArgs => ({
          op,
          prefix: `${shape.name}-${prefix}`,
          files: of.files,
          fileBytes: of.fileBytes,
          blockBytes: of.blockBytes,
        });
        metrics[key] = await measureSequential(ctx, {
          key,
          label: `client ${op} of ${shape.files} × ${sizeName(shape.fileBytes)} in ${sizeName(shape.blockBytes)} calls, one after another (${total})`,
          blockBytes: shape.blockBytes,
          serverCpu: clusterCpu,
          warmup: () =>
            loader.call("data-workload", "clientSequential", args("warm", warmupShape(shape))),
          measure: () => loader.call("data-workload", "clientSequential", args("run", shape)),
        });
      }
    }
    const ratios = new Ratios();
    for (const shape of shapes) {
      const suffix = shape.name === "large" ? "" : `_${shape.name}`;
      ratios
        .set(
          `write_vs_s3_put${suffix}`,
          ratioOf(metrics[clientDataKey("write", shape)], baselines[s3DataKey("put", shape)]),
        )
        .set(
          `read_vs_s3_get${suffix}`,
          ratioOf(metrics[clientDataKey("read", shape)], baselines[s3DataKey("get", shape)]),
        );
    }
    return {
      config: {
        s3: s3.description,
        cluster:
          "impl/cluster LocalCluster in one child: an MDS on its embedded KV store and 3 metaservers " +
          "(fsync on); file data in the MinIO above",
        client:
          "impl/client CurveClient in one loader child: createFs, mount, open/write/read/close",
        shapes: Object.fromEntries(shapes.map((shape) => [shape.name, shape])),
        load:
          "one caller, operations one after another; an operation is one write/read call of one " +
          "block (one object of the baseline); a file's first call includes its open, its last " +
          "call its close (the final flush)",
        warmup:
          "a tenth of the files (or of the one file's blocks) under other names, before each measurement",
        server_cpu: "baseline: MinIO; client: the cluster child + MinIO",
      },
      metrics,
      baselines,
      ratios: ratios.toJSON(),
    };
  },
};

/** The client process of the suite, on the client CPUs; closed with the context. */
async function forkLoader(ctx: BenchContext): Promise<ChildHandle> {
  const child = await ChildHandle.fork("data-client", ctx.clientCpus);
  ctx.defer(async () => {
    await child.call("data-workload", "close");
    await child.close();
  });
  return child;
}

interface SequentialLoad {
  readonly key: string;
  readonly label: string;
  readonly blockBytes: number;
  readonly serverCpu?: CpuProbe | undefined;
  readonly warmup: () => Promise<DataPhaseResult>;
  readonly measure: () => Promise<DataPhaseResult>;
}

/** One warm-up, then `ctx.repeats` measured runs with the servers' CPU sampled around each. */
async function measureSequential(ctx: BenchContext, load: SequentialLoad): Promise<Metric> {
  await load.warmup();
  const samples: Sample[] = [];
  for (let repeat = 0; repeat < ctx.repeats; repeat++) {
    const { value, cpuMicros } = await measureCpu(load.serverCpu, load.measure);
    const seconds = (value.result.endedAtMs - value.result.startedAtMs) / 1000;
    samples.push({
      result: value.result,
      serverCpuMicros: cpuMicros,
      clientCpuMicros: value.cpuMicros,
      extra: { mib_per_s: round((value.result.ops * load.blockBytes) / MIB / seconds, 1) },
    });
  }
  const metric = metricOfSamples(
    { label: load.label, driver: "node-clients", concurrency: 1 },
    samples,
  );
  ctx.log(`${describeMetric(load.key, metric)}, ${metric.extra?.mib_per_s} MiB/s`);
  return metric;
}

function sizeName(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes / KIB} KiB`;
}
