/**
 * grpc.health.v1.Health as every process serves it (start-server.ts), over gRPC and Connect:
 * per-service status from the process's probe, the whole server as "", NOT_FOUND for a service
 * the process does not serve, Watch streaming changes, and NOT_SERVING before the port closes.
 * The MdsService handler is a test double: only its name matters here.
 */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../impl/gen-grpc/grpc/health/v1/health_pb.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";

const MDS = MdsService.typeName;

function startProbedServer(probe: { serving: boolean }): Promise<RunningServer> {
  return startServer({
    host: "127.0.0.1",
    port: 0,
    logger: pino({ level: "silent" }),
    serving: () => probe.serving,
    routes: (router) => router.service(MdsService, { getFsInfo: () => ({}) }),
  });
}

const transports: [string, (url: string) => Transport][] = [
  ["grpc", (baseUrl) => createGrpcTransport({ baseUrl })],
  ["connect", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" })],
  // The same port answers HTTP/1.1 too (cleartext-listener.ts).
  ["connect on HTTP/1.1", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" })],
];

describe.each(transports)("Health over %s", (_protocol, transport) => {
  const probe = { serving: true };
  let server: RunningServer;
  const health = () => createClient(Health, transport(server.url));

  beforeAll(async () => {
    server = await startProbedServer(probe);
  });
  afterAll(() => server.close());

  it("Check reports a service's status as its probe says", async () => {
    probe.serving = true;
    expect((await health().check({ service: MDS })).status).toBe(ServingStatus.SERVING);
    probe.serving = false;
    expect((await health().check({ service: MDS })).status).toBe(ServingStatus.NOT_SERVING);
  });

  it('Check of "" reports the whole server SERVING whatever its services say', async () => {
    probe.serving = false;
    expect((await health().check({ service: "" })).status).toBe(ServingStatus.SERVING);
  });

  it("Check of a service the process does not serve is NOT_FOUND", async () => {
    const error = await health()
      .check({ service: "curve.metaserver.v1.MetaServerService" })
      .then(() => undefined, ConnectError.from);
    expect(error?.code).toBe(Code.NotFound);
  });

  it("Watch sends the current status, then each change", async () => {
    probe.serving = true;
    const controller = new AbortController();
    const stream = health().watch({ service: MDS }, { signal: controller.signal });
    const seen: ServingStatus[] = [];
    for await (const res of stream) {
      seen.push(res.status);
      if (seen.length === 1) probe.serving = false;
      if (seen.length === 2) probe.serving = true;
      if (seen.length === 3) break;
    }
    controller.abort();
    expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING, ServingStatus.SERVING]);
  });

  it("Watch of an unknown service reports SERVICE_UNKNOWN and keeps the stream open", async () => {
    const controller = new AbortController();
    const stream = health().watch({ service: "no.such.Service" }, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.status).toBe(ServingStatus.SERVICE_UNKNOWN);
    const second = iterator.next();
    const stillOpen = await Promise.race([
      second.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 500)),
    ]);
    controller.abort();
    await second.catch(() => undefined);
    expect(stillOpen).toBe(true);
  });

  it("List reports every service and the whole server", async () => {
    probe.serving = false;
    const res = await health().list({});
    expect(Object.keys(res.statuses).sort()).toEqual(["", MDS]);
    expect(res.statuses[MDS]?.status).toBe(ServingStatus.NOT_SERVING);
    expect(res.statuses[""]?.status).toBe(ServingStatus.SERVING);
  });
});

describe.each(transports)("shutdown over %s", (_protocol, transport) => {
  it("a watcher hears NOT_SERVING before the port closes", async () => {
    const server = await startProbedServer({ serving: true });
    const seen: ServingStatus[] = [];
    let closing: Promise<void> | undefined;
    try {
      const health = createClient(Health, transport(server.url));
      for await (const res of health.watch({ service: "" })) {
        seen.push(res.status);
        closing ??= server.close();
      }
    } finally {
      await (closing ?? server.close());
    }
    expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
  });
});
