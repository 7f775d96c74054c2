/**
 * Serves Connect routes on one HTTP/2 cleartext port that speaks Connect, gRPC and gRPC-Web.
 */
import { createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { errorInterceptor } from "./error-interceptor.js";
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
}

export interface RunningServer {
  /** "http://host:port", for clients. */
  readonly url: string;
  /** "host:port", as advertised to peers. */
  readonly address: string;
  /** Stops accepting calls, ends open sessions and resolves when the port is closed. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const handler = connectNodeAdapter({
    routes: options.routes,
    // Outermost first: every failure, including validation, leaves with an ErrorInfo.
    interceptors: [errorInterceptor(options.logger), validationInterceptor()],
    readMaxBytes: options.readMaxBytes ?? DEFAULT_READ_MAX_BYTES,
  });
  const server = createServer(handler);
  const sessions = trackSessions(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const address = `${formatHost(options.host)}:${port}`;
  return {
    url: `http://${address}`,
    address,
    close: () => closeServer(server, sessions),
  };
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** HTTP/2 clients keep sessions open; `close()` alone would wait for them forever. */
function trackSessions(server: Http2Server): Set<ServerHttp2Session> {
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  return sessions;
}

function closeServer(server: Http2Server, sessions: Set<ServerHttp2Session>): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    for (const session of sessions) session.close();
    // Sessions with calls still in flight get a grace period, then are cut.
    setTimeout(() => {
      for (const session of sessions) session.destroy();
    }, 2000).unref();
  });
}
