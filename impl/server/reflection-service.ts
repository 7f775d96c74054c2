/**
 * gRPC server reflection, grpc.reflection.v1 and its identical predecessor v1alpha (older
 * clients, grpcurl among them, still ask for v1alpha first): one bidi stream on which a client
 * lists the services and fetches the FileDescriptorProtos it needs to call them without .proto
 * files.
 *
 * Like the reference implementations, a file answer carries the requested file first and then
 * its imports, transitively, except those this stream has already returned. A symbol, file or
 * extension the process does not know is an `error_response` NOT_FOUND on the stream (the stream
 * goes on); a request with no question set is INVALID_ARGUMENT.
 */
import type { DescFile } from "@bufbuild/protobuf";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import { ServerReflection as ServerReflectionV1 } from "../gen-grpc/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1Alpha } from "../gen-grpc/grpc/reflection/v1alpha/reflection_pb.js";
import type { DescriptorPool } from "./descriptor-pool.js";

/** A question of ServerReflectionRequest (the same shape in v1 and v1alpha). */
type Question =
  | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: "listServices"; value: string }
  | { case: undefined; value?: undefined };

/** The answer of ServerReflectionResponse (the same shape in v1 and v1alpha). */
type Answer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | {
      case: "allExtensionNumbersResponse";
      value: { baseTypeName: string; extensionNumber: number[] };
    }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

export interface ReflectionOptions {
  readonly pool: DescriptorPool;
  /** Fully qualified names of the services the process serves, reflection included. */
  readonly services: () => readonly string[];
}

/** The proto files of the reflection services themselves, which reflection describes too. */
export const reflectionFiles = [ServerReflectionV1.file, ServerReflectionV1Alpha.file];

export function registerReflectionServices(
  router: ConnectRouter,
  options: ReflectionOptions,
): void {
  router.service(ServerReflectionV1, { serverReflectionInfo: reflectionInfo(options) });
  router.service(ServerReflectionV1Alpha, { serverReflectionInfo: reflectionInfo(options) });
}

/** The ServerReflectionRequest of either version. */
interface Request {
  readonly host: string;
  readonly messageRequest: Question;
}

/** One stream: each request answered in order, with the files already sent remembered. */
function reflectionInfo(options: ReflectionOptions) {
  return async function* <R extends Request>(requests: AsyncIterable<R>) {
    const sent = new Set<string>();
    for await (const request of requests) {
      yield {
        validHost: request.host,
        originalRequest: request,
        messageResponse: answer(options, request.messageRequest, sent),
      };
    }
  };
}

function answer(options: ReflectionOptions, question: Question, sent: Set<string>): Answer {
  const { pool } = options;
  switch (question.case) {
    case "listServices":
      return {
        case: "listServicesResponse",
        value: { service: options.services().map((name) => ({ name })) },
      };
    case "fileByFilename":
      return files(pool, pool.fileByName(question.value), sent, `file "${question.value}"`);
    case "fileContainingSymbol":
      return files(
        pool,
        pool.fileContainingSymbol(question.value),
        sent,
        `symbol "${question.value}"`,
      );
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = question.value;
      const file = pool.fileContainingExtension(containingType, extensionNumber);
      return files(pool, file, sent, `extension ${extensionNumber} of "${containingType}"`);
    }
    case "allExtensionNumbersOfType": {
      const numbers = pool.extensionNumbersOf(question.value);
      if (numbers === undefined)
        return failure(Code.NotFound, `type "${question.value}" not found`);
      return {
        case: "allExtensionNumbersResponse",
        value: { baseTypeName: question.value, extensionNumber: numbers },
      };
    }
    case undefined:
      return failure(Code.InvalidArgument, "the request asks nothing (message_request is unset)");
  }
}

function files(
  pool: DescriptorPool,
  file: DescFile | undefined,
  sent: Set<string>,
  what: string,
): Answer {
  if (file === undefined) return failure(Code.NotFound, `${what} not found`);
  return {
    case: "fileDescriptorResponse",
    value: { fileDescriptorProto: pool.encodeWithImports(file, sent) },
  };
}

function failure(code: Code, message: string): Answer {
  return { case: "errorResponse", value: { errorCode: code, errorMessage: message } };
}
