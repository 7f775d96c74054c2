/**
 * Serves Connect routes on one cleartext port that speaks Connect, gRPC and gRPC-Web, and next
 * to them what every process serves (DESIGN §1): grpc.health.v1.Health, gRPC server reflection
 * (v1 and v1alpha) and Prometheus metrics at `GET /metrics` (HTTP/1.1 or HTTP/2).
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { specFiles } from "../spec/index.js";
import { listenCleartext } from "./cleartext-listener.js";
import { DescriptorPool } from "./descriptor-pool.js";
import { errorInterceptor } from "./error-interceptor.js";
import { registerHealthService } from "./health-service.js";
import { HealthStatuses } from "./health-statuses.js";
import { reflectionFiles, registerReflectionServices } from "./reflection-service.js";
import { ServerMetrics } from "./server-metrics.js";
import { validationInterceptor } from "./validation-interceptor.js";

/** The largest request a server reads by default: a 4 MiB chunk write plus headroom. */
export const DEFAULT_READ_MAX_BYTES = 8 * 1024 * 1024;

export interface ServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly routes: (router: ConnectRouter) => void;
  readonly logger: Logger;
  readonly readMaxBytes?: number;
  /**
   * Whether a service of `routes` (by fully qualified name) can take calls right now, as the
   * health service reports it; asked on every health check. Default: always.
   */
  readonly serving?: (service: string) => boolean;
}

export interface RunningServer {
  /** "http://host:port", for clients. */
  readonly url: string;
  /** "host:port", as advertised to peers. */
  readonly address: string;
  /**
   * Reports NOT_SERVING to health checks and watchers, stops accepting calls, ends open sessions
   * and resolves when the port is closed.
   */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const metrics = new ServerMetrics();
  const health = new HealthStatuses();
  const serving = options.serving ?? (() => true);
  const handler = connectNodeAdapter({
    routes: (router) => {
      options.routes(router);
      for (const service of servicesOf(router)) health.register(service, () => serving(service));
      registerHealthService(router, health);
      const pool = new DescriptorPool([
        ...specFiles,
        ...router.handlers.map((h) => h.service.file),
        ...reflectionFiles,
      ]);
      registerReflectionServices(router, { pool, services: () => servicesOf(router) });
    },
    // Outermost first: metrics see the final code; every failure, including validation,
    // leaves with an ErrorInfo.
    interceptors: [
      metrics.interceptor(),
      errorInterceptor(options.logger),
      validationInterceptor(),
    ],
    readMaxBytes: options.readMaxBytes ?? DEFAULT_READ_MAX_BYTES,
    fallback: (req, res) => void metrics.serve(req, res),
  });
  const listener = await listenCleartext(handler, options.host, options.port);
  const address = `${formatHost(options.host)}:${listener.port}`;
  return {
    url: `http://${address}`,
    address,
    close: () => {
      health.shutDown();
      return listener.close();
    },
  };
}

/** The fully qualified names of the services registered on `router`, sorted. */
function servicesOf(router: ConnectRouter): string[] {
  return [...new Set(router.handlers.map((h) => h.service.typeName))].sort();
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
