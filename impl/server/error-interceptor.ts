import type { Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { CurveError, toConnectError } from "../errors.js";
import { specServices } from "../spec/index.js";

/**
 * Reports every failure of a handler as a Connect error with exactly one ErrorInfo detail, and
 * logs the ones that are the server's fault (everything that is not a documented CurveError).
 * ErrorInfo belongs to the spec: gRPC's own services (health, reflection) keep plain errors.
 */
export function errorInterceptor(logger: Logger): Interceptor {
  const spec = new Set(specServices);
  return (next) => async (req) => {
    if (!spec.has(req.service)) return next(req);
    try {
      return await next(req);
    } catch (error) {
      if (!(error instanceof CurveError)) {
        logger.error({ err: error, procedure: req.method.name }, "unexpected failure");
      }
      throw toConnectError(error);
    }
  };
}
