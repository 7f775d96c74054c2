/**
 * `rpc`: what a metadata read costs over a bare call. GetInode served by the leader of a
 * 3-replica metaserver copyset (a linearizable read through the read index) against the echo
 * (remote/echo-rpc.ts: a constant GetLeader answer on the same server stack), both over
 * Connect, at 1 and 64 concurrent callers, driven by Node clients (what our SDK sees) and, when
 * installed, by h2load (what the server alone can do: a Node client spends ~1.5 ms of CPU per
 * call, so Node-driven figures are bounded by the client CPUs).
 */
import { create, toBinary } from "@bufbuild/protobuf";
import {
  GetInodeRequestSchema,
  MetaServerService,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import {
  ECHO_CONFIG,
  type EchoDriver,
  echoKey,
  measureEcho,
  startEchoServer,
} from "../baselines/echo.js";
import type { BenchContext } from "../harness/context.js";
import { h2loadPath } from "../harness/h2load.js";
import { measureClientLoad, measureH2loadLoad } from "../harness/measure.js";
import { type Metric, Ratios, ratioOf } from "../harness/report.js";
import type { Suite, SuiteResult } from "../harness/suite.js";
import { METASERVER_CONFIG, startMetaserver } from "./metaserver-under-test.js";

const CONCURRENCY = [1, 64] as const;
const GET_INODE_PATH = `/${MetaServerService.typeName}/${MetaServerService.method.getInode.name}`;

export function getInodeKey(driver: EchoDriver, concurrency: number): string {
  return `getinode_${driver}_c${concurrency}`;
}

export const rpcSuite: Suite = {
  name: "rpc",
  summary: "GetInode (metaserver leader read, 3 replicas) vs a bare Connect echo",
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const [echo, metaserver] = await Promise.all([
      startEchoServer(ctx),
      startMetaserver(ctx),
      ctx.clients(),
    ]);
    const { fileInodeIds } = await metaserver.makeDirectory("rpc", 1);
    const inodeId = fileInodeIds[0] ?? 0n;
    const drivers: EchoDriver[] = h2loadPath() ? ["node", "h2load"] : ["node"];

    const baselines = await measureEcho(
      ctx,
      echo,
      drivers.flatMap((driver) =>
        CONCURRENCY.map((concurrency) => ({ protocol: "connect" as const, driver, concurrency })),
      ),
    );

    const metrics: Record<string, Metric> = {};
    const request = { fsId: metaserver.fsId, partitionId: metaserver.partitionId, inodeId };
    for (const driver of drivers) {
      for (const concurrency of CONCURRENCY) {
        const key = getInodeKey(driver, concurrency);
        const label = `GetInode over connect by ${driver === "node" ? "Node clients" : "h2load"}, ${concurrency} concurrent`;
        metrics[key] =
          driver === "node"
            ? await measureClientLoad(ctx, {
                key,
                label,
                workload: "metaserver-client",
                params: {
                  url: metaserver.leaderUrl,
                  ...request,
                  op: "stat",
                  dirInodeId: 1n,
                  fileInodeIds: [inodeId],
                },
                concurrency,
                serverCpu: metaserver.cpu,
              })
            : await measureH2loadLoad(ctx, {
                key,
                label,
                url: metaserver.leaderUrl,
                path: GET_INODE_PATH,
                body: toBinary(GetInodeRequestSchema, create(GetInodeRequestSchema, request)),
                headers: { "content-type": "application/proto" },
                concurrency,
                serverCpu: metaserver.cpu,
              });
      }
    }

    const ratios = new Ratios();
    const echoOf = (driver: EchoDriver, c: number) =>
      baselines[echoKey({ protocol: "connect", driver, concurrency: c })];
    for (const c of CONCURRENCY) {
      ratios
        .set(`getinode_vs_echo_c${c}`, ratioOf(metrics[getInodeKey("node", c)], echoOf("node", c)))
        .set(
          `getinode_vs_echo_h2load_c${c}`,
          ratioOf(metrics[getInodeKey("h2load", c)], echoOf("h2load", c)),
        )
        .set(
          `getinode_vs_echo_server_cpu_c${c}`,
          ratioOf(
            metrics[getInodeKey(drivers.at(-1) ?? "node", c)],
            echoOf(drivers.at(-1) ?? "node", c),
            "server_cpu_us_per_op",
          ),
        );
    }
    return {
      config: {
        metaserver: METASERVER_CONFIG,
        getinode: `${GET_INODE_PATH} of one regular file, on the leader, Connect binary`,
        echo: { ...ECHO_CONFIG, protocol: "connect" },
        concurrency: CONCURRENCY,
        drivers: h2loadPath()
          ? "Node clients (forked, one HTTP/2 session each) and h2load (-c1 -mN -t1)"
          : "Node clients only: h2load is not installed",
        server_cpu_ratio: `getinode_vs_echo_server_cpu_c* divides server CPU µs/op of the ${drivers.at(-1)} runs`,
      },
      metrics,
      baselines,
      ratios: ratios.toJSON(),
    };
  },
};
