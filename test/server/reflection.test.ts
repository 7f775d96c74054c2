/**
 * gRPC server reflection as every process serves it (start-server.ts), v1 and v1alpha over gRPC:
 * a client with no .proto file lists the services, fetches the descriptors it needs (with their
 * imports), builds a registry from them and calls the server with it. The MdsService handler is
 * a test double that returns a fixed FsInfo.
 */
import { create, createFileRegistry, type FileRegistry, fromBinary } from "@bufbuild/protobuf";
import {
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsInfoSchema, MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { ServerReflection as ServerReflectionV1 } from "../../impl/gen-grpc/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1Alpha } from "../../impl/gen-grpc/grpc/reflection/v1alpha/reflection_pb.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";
import { specServices } from "../../impl/spec/index.js";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    host: "127.0.0.1",
    port: 0,
    logger: pino({ level: "silent" }),
    routes: (router) =>
      router.service(MdsService, {
        getFsInfo: (req) => ({
          fsInfo: create(FsInfoSchema, { fsId: 42, fsName: req.fsName ?? "", capacity: 1n << 40n }),
        }),
      }),
  });
});
afterAll(() => server.close());

/** The question of one request, as both versions spell it. */
type Question =
  | { case: "listServices"; value: string }
  | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: undefined; value?: undefined };

const versions = [
  ["v1", ServerReflectionV1],
  ["v1alpha", ServerReflectionV1Alpha],
] as const;

describe.each(versions)("reflection %s", (_version, service) => {
  /** Asks the questions in order on one stream and returns the answers. */
  async function ask(...questions: Question[]) {
    const client = createClient(service, createGrpcTransport({ baseUrl: server.url }));
    async function* requests() {
      for (const messageRequest of questions) yield { host: "", messageRequest };
    }
    const answers = [];
    for await (const res of client.serverReflectionInfo(requests())) answers.push(res);
    return answers;
  }

  function filesOf(answer: Awaited<ReturnType<typeof ask>>[number] | undefined): string[] {
    if (answer?.messageResponse.case !== "fileDescriptorResponse") {
      throw new Error(`expected files, got ${answer?.messageResponse.case}`);
    }
    return answer.messageResponse.value.fileDescriptorProto.map(
      (bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name,
    );
  }

  /**
   * A registry of the answer's files. A FileDescriptorSet lists imports before their importers,
   * so the client orders the files (reflection sends the requested one first).
   */
  function registryOf(answer: Awaited<ReturnType<typeof ask>>[number] | undefined): FileRegistry {
    if (answer?.messageResponse.case !== "fileDescriptorResponse") throw new Error("no files");
    const byName = new Map(
      answer.messageResponse.value.fileDescriptorProto.map((bytes) => {
        const file = fromBinary(FileDescriptorProtoSchema, bytes);
        return [file.name, file];
      }),
    );
    const ordered: FileDescriptorProto[] = [];
    const visit = (name: string): void => {
      const file = byName.get(name);
      if (file === undefined || ordered.includes(file)) return;
      for (const dependency of file.dependency) visit(dependency);
      ordered.push(file);
    };
    for (const name of byName.keys()) visit(name);
    return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
  }

  it("lists the served services: the routes', health and both reflections", async () => {
    const [answer] = await ask({ case: "listServices", value: "" });
    expect(answer?.messageResponse.case).toBe("listServicesResponse");
    const names =
      answer?.messageResponse.case === "listServicesResponse"
        ? answer.messageResponse.value.service.map((s) => s.name)
        : [];
    expect(names).toEqual([
      "curve.mds.v1.MdsService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
  });

  it("a symbol's file comes with its imports, enough to call the server without protos", async () => {
    const [answer] = await ask({ case: "fileContainingSymbol", value: "curve.mds.v1.MdsService" });
    const names = filesOf(answer);
    expect(names[0]).toBe("curve/mds/v1/mds.proto");
    expect(names).toEqual(
      expect.arrayContaining([
        "curve/common/v1/common.proto",
        "buf/validate/validate.proto",
        "google/protobuf/descriptor.proto",
      ]),
    );
    const registry = registryOf(answer);
    const mds = registry.getService("curve.mds.v1.MdsService");
    expect(mds).toBeDefined();
    if (mds === undefined) return;
    // A client made only from the reflected descriptors decodes the real response.
    const client = createClient(mds, createGrpcTransport({ baseUrl: server.url }));
    const getFsInfo = client.getFsInfo as (req: object) => Promise<Record<string, unknown>>;
    const res = await getFsInfo({ fsName: "alpha" });
    expect(res.fsInfo).toMatchObject({ fsId: 42, fsName: "alpha", capacity: 1n << 40n });
  });

  it("finds nested symbols: methods, fields and enum values", async () => {
    const answers = await ask(
      { case: "fileContainingSymbol", value: "curve.mds.v1.MdsService.GetFsInfo" },
      { case: "fileContainingSymbol", value: "curve.mds.v1.GetFsInfoRequest.fs_name" },
      { case: "fileContainingSymbol", value: "curve.common.v1.ERROR_REASON_NOT_LEADER" },
    );
    expect(answers.map((a) => filesOf(a)[0])).toEqual([
      "curve/mds/v1/mds.proto",
      "curve/mds/v1/mds.proto",
      "curve/common/v1/error.proto",
    ]);
  });

  it("a file already sent on the stream is not sent again as an import", async () => {
    const [first, second] = await ask(
      { case: "fileByFilename", value: "curve/common/v1/error.proto" },
      { case: "fileByFilename", value: "curve/mds/v1/mds.proto" },
    );
    expect(filesOf(first)).toContain("google/protobuf/descriptor.proto");
    const again = filesOf(second);
    expect(again[0]).toBe("curve/mds/v1/mds.proto");
    expect(again).not.toContain("curve/common/v1/error.proto");
    expect(again).not.toContain("google/protobuf/descriptor.proto");
  });

  it("describes every service it lists, health and reflection included (grpcurl describe)", async () => {
    const [listing] = await ask({ case: "listServices", value: "" });
    const names =
      listing?.messageResponse.case === "listServicesResponse"
        ? listing.messageResponse.value.service.map((s) => s.name)
        : [];
    const answers = await ask(
      ...names.map((name) => ({ case: "fileContainingSymbol" as const, value: name })),
    );
    for (const answer of answers)
      expect(answer.messageResponse.case).toBe("fileDescriptorResponse");
  });

  it("knows every service of the spec, whichever this process serves", async () => {
    const answers = await ask(
      ...specServices.map((s) => ({ case: "fileContainingSymbol" as const, value: s.typeName })),
    );
    expect(answers.map((a) => filesOf(a)[0])).toEqual(specServices.map((s) => s.file.proto.name));
  });

  it("answers extension questions about the spec's own option", async () => {
    const [byNumber, numbers] = await ask(
      {
        case: "fileContainingExtension",
        value: { containingType: "google.protobuf.FieldOptions", extensionNumber: 51000 },
      },
      { case: "allExtensionNumbersOfType", value: "google.protobuf.FieldOptions" },
    );
    expect(filesOf(byNumber)[0]).toBe("curve/common/v1/error.proto");
    expect(numbers?.messageResponse.case).toBe("allExtensionNumbersResponse");
    if (numbers?.messageResponse.case === "allExtensionNumbersResponse") {
      expect(numbers.messageResponse.value.baseTypeName).toBe("google.protobuf.FieldOptions");
      // buf.validate.field (1159) and curve.common.v1.invalid_reason (51000).
      expect(numbers.messageResponse.value.extensionNumber).toEqual(
        expect.arrayContaining([1159, 51000]),
      );
    }
  });

  it("an unknown symbol, file, extension or type is NOT_FOUND, and the stream goes on", async () => {
    const answers = await ask(
      { case: "fileContainingSymbol", value: "curve.mds.v1.NoSuchThing" },
      { case: "fileByFilename", value: "no/such.proto" },
      {
        case: "fileContainingExtension",
        value: { containingType: "google.protobuf.FieldOptions", extensionNumber: 9 },
      },
      { case: "allExtensionNumbersOfType", value: "no.such.Message" },
      { case: "listServices", value: "" },
    );
    expect(answers.map((a) => a.messageResponse.case)).toEqual([
      "errorResponse",
      "errorResponse",
      "errorResponse",
      "errorResponse",
      "listServicesResponse",
    ]);
    for (const answer of answers.slice(0, 4)) {
      if (answer.messageResponse.case === "errorResponse") {
        expect(answer.messageResponse.value.errorCode).toBe(Code.NotFound);
      }
    }
  });

  it("a request that asks nothing is INVALID_ARGUMENT", async () => {
    const [answer] = await ask({ case: undefined });
    expect(answer?.messageResponse.case).toBe("errorResponse");
    if (answer?.messageResponse.case === "errorResponse") {
      expect(answer.messageResponse.value.errorCode).toBe(Code.InvalidArgument);
    }
  });

  it("echoes the request it answers", async () => {
    const [answer] = await ask({ case: "fileByFilename", value: "curve/mds/v1/mds.proto" });
    expect(answer?.originalRequest?.messageRequest).toEqual({
      case: "fileByFilename",
      value: "curve/mds/v1/mds.proto",
    });
  });
});
