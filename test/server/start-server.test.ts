/**
 * The shared server wiring over all three protocols: validation before the handler, domain
 * errors as code + ErrorInfo, the request size limit. The MdsService handler here is a test
 * double that exists only to exercise the wiring.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CurveError, errorInfoOf } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FsInfoSchema, MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";

const READ_MAX_BYTES = 64 * 1024;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    host: "127.0.0.1",
    port: 0,
    logger: pino({ level: "silent" }),
    readMaxBytes: READ_MAX_BYTES,
    routes: (router) =>
      router.service(MdsService, {
        getFsInfo(req) {
          if (req.fsName === "missing")
            throw new CurveError(ErrorReason.FS_NOT_FOUND, "no such fs");
          if (req.fsName === "crash") throw new Error("handler bug");
          return { fsInfo: create(FsInfoSchema, { fsId: 7, fsName: req.fsName ?? "" }) };
        },
      }),
  });
});

afterAll(() => server.close());

const transports: [string, () => Transport][] = [
  ["connect", () => createConnectTransport({ baseUrl: server.url, httpVersion: "2" })],
  ["grpc", () => createGrpcTransport({ baseUrl: server.url })],
  ["grpc-web", () => createGrpcWebTransport({ baseUrl: server.url, httpVersion: "2" })],
];

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

describe.each(transports)("over %s", (_protocol, transport) => {
  const client = () => createClient(MdsService, transport());

  it("serves a valid request", async () => {
    const res = await client().getFsInfo({ fsName: "alpha" });
    expect(res.fsInfo?.fsId).toBe(7);
  });

  it("rejects a bad fs name before the handler with the field's own reason", async () => {
    const error = await failure(client().getFsInfo({ fsName: "Bad_Name" }));
    expect(error.code).toBe(Code.InvalidArgument);
    const info = errorInfoOf(error);
    expect(info?.reason).toBe(ErrorReason.FS_NAME_INVALID);
    expect(info?.metadata.field).toBe("fs_name");
  });

  it("reports a domain error as its code with an ErrorInfo", async () => {
    const error = await failure(client().getFsInfo({ fsName: "missing" }));
    expect(error.code).toBe(Code.NotFound);
    expect(errorInfoOf(error)?.reason).toBe(ErrorReason.FS_NOT_FOUND);
  });

  it("reports an unexpected handler failure as internal", async () => {
    const error = await failure(client().getFsInfo({ fsName: "crash" }));
    expect(error.code).toBe(Code.Internal);
    expect(errorInfoOf(error)?.reason).toBe(ErrorReason.INTERNAL);
  });

  it("refuses a request above the size limit while reading it, before the handler", async () => {
    const error = await failure(client().getFsInfo({ fsName: "a".repeat(READ_MAX_BYTES + 1) }));
    expect(error.code).toBe(Code.ResourceExhausted);
    // Connect refuses it before interceptors run, so it carries no ErrorInfo (error.proto says so).
    expect(errorInfoOf(error)).toBeUndefined();
  });
});
