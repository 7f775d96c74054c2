/**
 * `mds`: MdsService calls of one MDS leading alone on the run's etcd — AllocateS3Chunk (ids
 * come in bundles, so most calls never reach etcd), MountFs (a fenced rewrite of the fs record)
 * and RefreshSession (a mounted client's heartbeat) — against etcd puts of the same run.
 */
import { ETCD_VALUE_BYTES, etcdKey, measureEtcd, startEtcd } from "../baselines/etcd.js";
import { startS3 } from "../baselines/s3.js";
import type { BenchContext } from "../harness/context.js";
import { measureClientLoad } from "../harness/measure.js";
import { type Metric, Ratios, ratioOf } from "../harness/report.js";
import type { Suite, SuiteResult } from "../harness/suite.js";
import type { MdsCall } from "../remote/mds-client.js";
import type { MdsStartArgs } from "../remote/mds-server.js";

const CONCURRENCY = [1, 64] as const;
const CALLS: readonly MdsCall[] = ["allocate-s3-chunk", "mount-fs", "refresh-session"];

function mdsKey(call: MdsCall, concurrency: number): string {
  return `mds_${call.replaceAll("-", "_")}_c${concurrency}`;
}

export const mdsSuite: Suite = {
  name: "mds",
  summary: "MDS AllocateS3Chunk, MountFs, RefreshSession vs etcd puts",
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const [etcd, s3, mdsProcess] = await Promise.all([
      startEtcd(ctx),
      startS3(ctx),
      ctx.forkServer("mds"),
      ctx.clients(),
    ]);
    const { url } = await mdsProcess.call<{ url: string }>("mds-server", "start", {
      etcdEndpoints: etcd.endpoints,
    } satisfies MdsStartArgs);
    ctx.defer(() => mdsProcess.call("mds-server", "stop"));
    const mdsCpu = mdsProcess.cpuProbe();

    const baselines = await measureEtcd(
      ctx,
      etcd,
      CONCURRENCY.map((concurrency) => ({ op: "put" as const, concurrency })),
    );

    const metrics: Record<string, Metric> = {};
    let fsCount = 0;
    for (const call of CALLS) {
      for (const concurrency of CONCURRENCY) {
        // A fresh fs per load: a mount point list that grows with earlier loads would make each
        // load's MountFs cost depend on the ones before it.
        const fsName = `bench-${++fsCount}`;
        const fsId = await mdsProcess.call<number>("mds-server", "createFs", { fsName, s3: s3.s3 });
        const key = mdsKey(call, concurrency);
        metrics[key] = await measureClientLoad(ctx, {
          key,
          label: `MdsService ${call} over Connect, ${concurrency} concurrent`,
          workload: "mds-client",
          params: { url, call, fsId, fsName },
          concurrency,
          serverCpu: mdsCpu,
        });
      }
    }

    const put = (c: number) => baselines[etcdKey("put", c)];
    const ratios = new Ratios()
      .set(
        "allocate_chunk_vs_etcd_puts_c64",
        ratioOf(metrics[mdsKey("allocate-s3-chunk", 64)], put(64)),
      )
      .set("mount_vs_etcd_puts_c1", ratioOf(metrics[mdsKey("mount-fs", 1)], put(1)))
      .set("mount_vs_etcd_puts_c64", ratioOf(metrics[mdsKey("mount-fs", 64)], put(64)))
      .set(
        "refresh_session_vs_etcd_puts_c64",
        ratioOf(metrics[mdsKey("refresh-session", 64)], put(64)),
      );
    return {
      config: {
        mds: "impl/mds/mds-server.ts MdsServer, one process leading alone, on the etcd below",
        etcd: { server: etcd.description, value_bytes: ETCD_VALUE_BYTES },
        s3: s3.description,
        calls: CALLS,
        concurrency: CONCURRENCY,
        setup:
          "file systems are created with the FAKE metaserver client of test/support (no " +
          "metaservers exist yet); the measured calls never reach a metaserver",
        server_cpu: "of the MDS process only (etcd's CPU is not included)",
      },
      metrics,
      baselines,
      ratios: ratios.toJSON(),
    };
  },
};
