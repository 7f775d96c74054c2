/**
 * Records every call a case makes (request, and response or error, as JSON) so that a failure
 * can be printed with the exchange that broke the rule.
 */
import { type JsonValue, toJson } from "@bufbuild/protobuf";
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { ErrorInfoSchema } from "../../impl/gen/curve/common/v1/error_pb.js";
import { specRegistry } from "../../impl/spec/index.js";
import { codeName } from "./code-name.js";

/** One recorded call. */
export interface TracedCall {
  /** `curve.mds.v1.MdsService/CreateFs`. */
  readonly procedure: string;
  readonly request: JsonValue;
  readonly response?: JsonValue;
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly errorInfo?: JsonValue;
  };
}

/** The calls of the case running now; cases run one at a time. */
export class CallTrace {
  #calls: TracedCall[] = [];

  /** Starts a new case: forgets the calls of the previous one. */
  reset(): void {
    this.#calls = [];
  }

  get calls(): readonly TracedCall[] {
    return this.#calls;
  }

  /** The interceptor that feeds this trace; install it on every transport of the run. */
  interceptor(): Interceptor {
    return (next) => async (req) => {
      const procedure = `${req.service.typeName}/${req.method.name}`;
      const request = req.stream ? "(stream)" : json(() => toJson(req.method.input, req.message));
      try {
        const res = await next(req);
        const response = res.stream
          ? "(stream)"
          : json(() => toJson(req.method.output, res.message, { registry: specRegistry }));
        this.#calls.push({ procedure, request, response });
        return res;
      } catch (error) {
        const connectError = ConnectError.from(error);
        const info = connectError.findDetails(ErrorInfoSchema)[0];
        this.#calls.push({
          procedure,
          request,
          error: {
            code: codeName(connectError.code),
            message: connectError.rawMessage,
            ...(info ? { errorInfo: json(() => toJson(ErrorInfoSchema, info)) } : {}),
          },
        });
        throw error;
      }
    };
  }
}

function json(render: () => JsonValue): JsonValue {
  try {
    return render();
  } catch (error) {
    return `(not JSON-printable: ${error instanceof Error ? error.message : String(error)})`;
  }
}
