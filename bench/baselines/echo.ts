/**
 * Baseline: a bare unary call on our server stack (see remote/echo-rpc.ts for why GetLeader
 * stands in for an echo), over Connect and gRPC, driven by Node clients (what our SDK will be)
 * and by h2load with pre-encoded requests (what the server alone can do).
 */
import type { BenchContext } from "../harness/context.js";
import type { CpuProbe } from "../harness/cpu.js";
import { h2loadPath } from "../harness/h2load.js";
import { measureClientLoad, measureH2loadLoad } from "../harness/measure.js";
import type { Metric } from "../harness/report.js";
import { connectBody, ECHO_PATH, grpcBody } from "../remote/echo-rpc.js";

export type EchoProtocol = "connect" | "grpc";
export type EchoDriver = "node" | "h2load";

export interface EchoRun {
  readonly protocol: EchoProtocol;
  readonly driver: EchoDriver;
  readonly concurrency: number;
}

export const ECHO_CONFIG = {
  rpc: `curve.raft.v1.CliService/GetLeader (${ECHO_PATH})`,
  note:
    "the spec has no echo service: a trivial GetLeader handler returning a constant response, " +
    "served by impl/server/start-server.ts (error + protovalidate interceptors) in its own process",
} as const;

export function echoKey(run: EchoRun): string {
  return `echo_${run.protocol}_${run.driver}_c${run.concurrency}`;
}

/** Every combination for `concurrencies`; h2load runs only when it is installed. */
export function echoRuns(concurrencies: readonly number[]): EchoRun[] {
  const drivers: EchoDriver[] = h2loadPath() ? ["node", "h2load"] : ["node"];
  return (["connect", "grpc"] as const).flatMap((protocol) =>
    drivers.flatMap((driver) =>
      concurrencies.map((concurrency) => ({ protocol, driver, concurrency })),
    ),
  );
}

/** The echo server child, started and ready. */
export interface EchoServer {
  readonly url: string;
  readonly cpu: CpuProbe;
  /** Calls the handler has answered so far. */
  handled(): Promise<number>;
}

export async function startEchoServer(ctx: BenchContext): Promise<EchoServer> {
  const server = await ctx.forkServer("echo-server");
  const { url } = await server.call<{ url: string }>("echo-server", "start");
  ctx.defer(() => server.call("echo-server", "stop"));
  return {
    url,
    cpu: server.cpuProbe(),
    handled: () => server.call<number>("echo-server", "calls"),
  };
}

export async function measureEcho(
  ctx: BenchContext,
  server: EchoServer,
  runs: readonly EchoRun[],
): Promise<Record<string, Metric>> {
  const metrics: Record<string, Metric> = {};
  for (const run of runs) {
    const key = echoKey(run);
    const label = `echo over ${run.protocol} by ${run.driver === "node" ? "Node clients" : "h2load"}, ${run.concurrency} concurrent`;
    metrics[key] =
      run.driver === "node"
        ? await measureClientLoad(ctx, {
            key,
            label,
            workload: "echo-client",
            params: { url: server.url, protocol: run.protocol },
            concurrency: run.concurrency,
            serverCpu: server.cpu,
          })
        : await measureWithH2load(ctx, server, run, key, label);
  }
  return metrics;
}

function measureWithH2load(
  ctx: BenchContext,
  server: EchoServer,
  run: EchoRun,
  key: string,
  label: string,
): Promise<Metric> {
  return measureH2loadLoad(ctx, {
    key,
    label,
    url: server.url,
    path: ECHO_PATH,
    ...preEncoded(run.protocol),
    concurrency: run.concurrency,
    serverCpu: server.cpu,
    // h2load counts HTTP 2xx, and a gRPC error is a 200 too: the handler's own count must
    // cover every 2xx of the measured run, or some of them were errors.
    served: server.handled,
  });
}

/** The request h2load sends: the encoded message, plus the 5-byte frame prefix for gRPC. */
function preEncoded(protocol: EchoProtocol): {
  body: Uint8Array;
  headers: Record<string, string>;
} {
  return protocol === "connect"
    ? { body: connectBody(), headers: { "content-type": "application/proto" } }
    : { body: grpcBody(), headers: { "content-type": "application/grpc", te: "trailers" } };
}
