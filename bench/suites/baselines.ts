/**
 * `baselines`: every reference figure the other suites divide by, measured on their own — the
 * disk's fsync rate, etcd puts and gets, raw S3 objects (and our S3 adapter next to them), and a
 * bare unary call on our server stack.
 */
import { ECHO_CONFIG, echoKey, echoRuns, measureEcho, startEchoServer } from "../baselines/echo.js";
import { ETCD_VALUE_BYTES, measureEtcd, startEtcd } from "../baselines/etcd.js";
import { FSYNC_KEY, measureFsync } from "../baselines/fsync.js";
import { KIB, MIB, measureS3, type S3Run, s3Key, startS3 } from "../baselines/s3.js";
import type { BenchContext } from "../harness/context.js";
import { h2loadPath } from "../harness/h2load.js";
import { type Metric, Ratios, ratioOf } from "../harness/report.js";
import type { Suite, SuiteResult } from "../harness/suite.js";

const ETCD_CONCURRENCY = [1, 64] as const;
const S3_OBJECT_BYTES = [4 * MIB, 100 * KIB] as const;
const S3_CONCURRENCY = [1, 16] as const;
const ECHO_CONCURRENCY = [1, 64] as const;

/** Raw and adapter runs of the same shape next to each other, so drift hits both alike. */
function s3Runs(): S3Run[] {
  return S3_OBJECT_BYTES.flatMap((objectBytes) =>
    (["put", "get"] as const).flatMap((op) =>
      S3_CONCURRENCY.flatMap((concurrency) =>
        (["raw-sdk", "adapter"] as const).map((via) => ({ via, op, objectBytes, concurrency })),
      ),
    ),
  );
}

export const baselinesSuite: Suite = {
  name: "baselines",
  summary: "disk fsync rate, etcd put/get, raw S3 vs S3ObjectStore, bare Connect/gRPC echo",
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const baselines: Record<string, Metric> = {};
    const metrics: Record<string, Metric> = {};

    // Everything starts up front (idle until its turn), so setup does not add up; the
    // measurements then run one at a time.
    ctx.log("starting etcd, MinIO, the echo server and the client processes");
    const [etcd, s3, echoServer, diskWriter] = await Promise.all([
      startEtcd(ctx),
      startS3(ctx),
      startEchoServer(ctx),
      ctx.forkServer("fsync"),
      ctx.clients(),
    ]);

    baselines[FSYNC_KEY] = await measureFsync(ctx, diskWriter);

    const etcdRuns = (["put", "get"] as const).flatMap((op) =>
      ETCD_CONCURRENCY.map((concurrency) => ({ op, concurrency })),
    );
    Object.assign(baselines, await measureEtcd(ctx, etcd, etcdRuns));

    const runs = s3Runs();
    const s3Metrics = await measureS3(ctx, s3, runs);
    for (const run of runs) {
      const key = s3Key(run);
      const metric = s3Metrics[key];
      if (!metric) continue;
      // The adapter is our code under test; the raw SDK is its baseline.
      if (run.via === "adapter") metrics[key] = metric;
      else baselines[key] = metric;
    }

    Object.assign(baselines, await measureEcho(ctx, echoServer, echoRuns(ECHO_CONCURRENCY)));

    const ratios = new Ratios();
    for (const run of runs.filter((r) => r.via === "adapter")) {
      const adapterKey = s3Key(run);
      const rawKey = s3Key({ ...run, via: "raw-sdk" });
      ratios.set(
        adapterKey.replace("s3_adapter_", "s3_adapter_vs_raw_"),
        ratioOf(metrics[adapterKey], baselines[rawKey]),
      );
    }
    const echoMetric = (protocol: "connect" | "grpc", driver: "node" | "h2load", c: number) =>
      baselines[echoKey({ protocol, driver, concurrency: c })];
    for (const c of ECHO_CONCURRENCY) {
      ratios.set(
        `echo_grpc_vs_connect_h2load_c${c}`,
        ratioOf(echoMetric("grpc", "h2load", c), echoMetric("connect", "h2load", c)),
      );
      ratios.set(
        `echo_grpc_vs_connect_server_cpu_c${c}`,
        ratioOf(
          echoMetric("grpc", "h2load", c),
          echoMetric("connect", "h2load", c),
          "server_cpu_us_per_op",
        ),
      );
      ratios.set(
        `echo_node_vs_h2load_connect_c${c}`,
        ratioOf(echoMetric("connect", "node", c), echoMetric("connect", "h2load", c)),
      );
    }
    ratios.set("etcd_get_vs_put_c64", ratioOf(baselines.etcd_get_c64, baselines.etcd_put_c64));

    return {
      config: {
        etcd: {
          server: etcd.description,
          value_bytes: ETCD_VALUE_BYTES,
          concurrency: ETCD_CONCURRENCY,
          client: "etcd3 (defaults: linearizable gets)",
        },
        s3: {
          server: s3.description,
          object_bytes: S3_OBJECT_BYTES,
          concurrency: S3_CONCURRENCY,
          clients:
            "raw @aws-sdk/client-s3 and impl/storage/s3-object-store.ts, same socket settings",
        },
        echo: {
          ...ECHO_CONFIG,
          concurrency: ECHO_CONCURRENCY,
          h2load: h2loadPath() ?? "not installed: the h2load runs were skipped",
          h2load_shape: "one connection, N concurrent streams (-c1 -mN -t1), pre-encoded body",
        },
        fsync: { write_bytes: 4096, dir: ctx.dataDir },
      },
      metrics,
      baselines,
      ratios: ratios.toJSON(),
    };
  },
};
