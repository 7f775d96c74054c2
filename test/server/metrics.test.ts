/**
 * `/metrics` as every process serves it (start-server.ts): Prometheus text on the RPC port, over
 * plain HTTP/1.1 (as Prometheus scrapes) and HTTP/2, counting each call by service, method and
 * final code; one registry per server. The MdsService handler is a test double.
 */
import { request as http1Request } from "node:http";
import { connect as http2Connect } from "node:http2";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { Health } from "../../impl/gen-grpc/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../impl/gen-grpc/grpc/reflection/v1/reflection_pb.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";
import { eventually } from "../support/eventually.js";

function startMds(): Promise<RunningServer> {
  return startServer({
    host: "127.0.0.1",
    port: 0,
    logger: pino({ level: "silent" }),
    routes: (router) =>
      router.service(MdsService, {
        getFsInfo(req) {
          if (req.fsName === "missing") throw new CurveError(ErrorReason.FS_NOT_FOUND, "no fs");
          return {};
        },
      }),
  });
}

/** GET over HTTP/1.1, the way Prometheus scrapes: no HTTP/2 prior knowledge. */
function getHttp1(url: string): Promise<{ status: number; version: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http1Request(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, version: res.httpVersion, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function getHttp2(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":path": path });
    let status = 0;
    let body = "";
    stream.setEncoding("utf8");
    stream.on("response", (headers) => {
      status = Number(headers[":status"]);
    });
    stream.on("data", (chunk: string) => {
      body += chunk;
    });
    stream.on("end", () => {
      session.close();
      resolve({ status, body });
    });
    stream.on("error", reject);
  });
}

/** The value of one sample line, e.g. `name{labels} 3`, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf("}"));
    if (wanted.every((pair) => labelText.split(",").includes(pair))) {
      return Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return undefined;
}

describe("/metrics", () => {
  let server: RunningServer;
  let other: RunningServer;

  beforeAll(async () => {
    [server, other] = await Promise.all([startMds(), startMds()]);
    const transport = createGrpcTransport({ baseUrl: server.url });
    const mds = createClient(MdsService, transport);
    await mds.getFsInfo({ fsName: "alpha" });
    await mds.getFsInfo({ fsName: "beta" });
    const error = await mds.getFsInfo({ fsName: "missing" }).catch(ConnectError.from);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
    // A stream is counted when it ends: here when the server has answered the client's one
    // request and the client has closed its side.
    const reflection = createClient(ServerReflection, transport);
    async function* listServices() {
      yield { messageRequest: { case: "listServices" as const, value: "" } };
    }
    for await (const _ of reflection.serverReflectionInfo(listServices())) {
      // drain
    }
  });
  afterAll(() => Promise.all([server.close(), other.close()]));

  it("answers a plain HTTP/1.1 GET with counters by service, method and code", async () => {
    const res = await getHttp1(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.version).toBe("1.1");
    const labels = { grpc_service: "curve.mds.v1.MdsService", grpc_method: "GetFsInfo" };
    expect(sample(res.body, "grpc_server_started_total", labels)).toBe(3);
    expect(sample(res.body, "grpc_server_handled_total", { ...labels, grpc_code: "OK" })).toBe(2);
    expect(
      sample(res.body, "grpc_server_handled_total", { ...labels, grpc_code: "NotFound" }),
    ).toBe(1);
    expect(
      sample(res.body, "grpc_server_handling_seconds_count", { ...labels, grpc_code: "OK" }),
    ).toBe(2);
    expect(
      sample(res.body, "grpc_server_handled_total", {
        grpc_service: "grpc.reflection.v1.ServerReflection",
        grpc_method: "ServerReflectionInfo",
        grpc_type: "bidi_stream",
        grpc_code: "OK",
      }),
    ).toBe(1);
  });

  it("includes the process metrics", async () => {
    const { body } = await getHttp1(`${server.url}/metrics`);
    expect(body).toMatch(/^process_cpu_seconds_total \d/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it("serves the same text over HTTP/2 on the same port", async () => {
    const res = await getHttp2(server.url, "/metrics");
    expect(res.status).toBe(200);
    expect(
      sample(res.body, "grpc_server_handled_total", {
        grpc_service: "curve.mds.v1.MdsService",
        grpc_code: "NotFound",
      }),
    ).toBe(1);
  });

  it("keeps each server's counts apart", async () => {
    const { body } = await getHttp1(`${other.url}/metrics`);
    expect(sample(body, "grpc_server_started_total", { grpc_method: "GetFsInfo" })).toBeUndefined();
  });

  it("counts a stream the client cancels as Canceled", async () => {
    const controller = new AbortController();
    const health = createClient(Health, createGrpcTransport({ baseUrl: server.url }));
    const watch = health.watch({ service: "" }, { signal: controller.signal });
    await watch[Symbol.asyncIterator]().next();
    controller.abort();
    const labels = { grpc_method: "Watch", grpc_code: "Canceled" };
    const count = await eventually(async () =>
      sample((await getHttp1(`${server.url}/metrics`)).body, "grpc_server_handled_total", labels),
    );
    expect(count).toBe(1);
  });

  it("answers 404 to other paths", async () => {
    expect((await getHttp1(`${server.url}/nothing`)).status).toBe(404);
    expect((await getHttp2(server.url, "/nothing")).status).toBe(404);
  });
});
