/**
 * One cleartext TCP port that speaks both HTTP/2 with prior knowledge (gRPC, Connect, gRPC-Web,
 * grpcurl -plaintext) and HTTP/1.1 (Prometheus scraping /metrics, curl, Connect and gRPC-Web
 * clients on HTTP/1.1).
 *
 * Node's `allowHTTP1` works only with TLS, where ALPN picks the protocol. Without TLS the first
 * bytes decide: an HTTP/2 client opens with the connection preface "PRI * HTTP/2.0", which no
 * HTTP/1.x request line starts with. The bytes read to decide are put back before the socket is
 * handed to Node's HTTP/2 or HTTP/1.1 server, which then never listen themselves.
 */
import {
  createServer as createHttp1Server,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttp2Server, type ServerHttp2Session } from "node:http2";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import type { connectNodeAdapter } from "@connectrpc/connect-node";

/** The request handler both protocols share (connect-node's handlers fit both). */
export type DualHandler = ReturnType<typeof connectNodeAdapter>;

/** The start of the HTTP/2 connection preface (RFC 9113 §3.4). */
const HTTP2_PREFACE_START = "PRI";

/** How long calls in flight may finish after `close` before their connections are cut. */
const CLOSE_GRACE_MS = 2000;

export interface CleartextListener {
  readonly port: number;
  /**
   * Stops accepting, ends idle connections at once and busy ones after their calls (or after a
   * grace period).
   */
  close(): Promise<void>;
}

export async function listenCleartext(
  handler: DualHandler,
  host: string,
  port: number,
): Promise<CleartextListener> {
  const http2 = createHttp2Server(handler);
  const http1 = createHttp1Server(handler);
  const sockets = new Set<Socket>();
  const http1Sockets = new Set<Socket>();
  const decided = new WeakSet<Socket>();
  let closing = false;
  const sessions = trackSessions(http2);
  const busy = trackBusySockets(http1, () => closing);
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      http1Sockets.delete(socket);
    });
    dispatch(socket, (isHttp2) => {
      decided.add(socket);
      if (!isHttp2) http1Sockets.add(socket);
      (isHttp2 ? http2 : http1).emit("connection", socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => {
      tcp.off("error", reject);
      resolve();
    });
  });
  return {
    port: (tcp.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve, reject) => {
        tcp.close((error) => (error ? reject(error) : resolve()));
        closing = true;
        for (const session of sessions) session.close();
        for (const socket of sockets) {
          const idle = !decided.has(socket) || (http1Sockets.has(socket) && !busy.has(socket));
          if (idle) socket.destroy();
        }
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, CLOSE_GRACE_MS).unref();
      }),
  };
}

/** Reads until the first bytes tell the protocol, puts them back, then hands the socket over. */
function dispatch(socket: Socket, handOver: (isHttp2: boolean) => void): void {
  // Until a server owns it, an error (a client that resets at once) must not crash the process.
  const ignore = (): void => undefined;
  socket.on("error", ignore);
  const onReadable = (): void => {
    const head = socket.read(HTTP2_PREFACE_START.length) as Buffer | null;
    // Fewer bytes than needed so far: wait (a socket that ends here closes on its own).
    if (head === null) return;
    socket.off("readable", onReadable);
    socket.off("error", ignore);
    socket.unshift(head);
    handOver(head.toString("latin1") === HTTP2_PREFACE_START);
  };
  socket.on("readable", onReadable);
}

function trackSessions(server: ReturnType<typeof createHttp2Server>): Set<ServerHttp2Session> {
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  return sessions;
}

/**
 * The HTTP/1.1 sockets with a request in flight. Once closing, a socket whose response is done
 * is ended instead of being kept alive for the next request.
 */
function trackBusySockets(
  server: ReturnType<typeof createHttp1Server>,
  closing: () => boolean,
): Set<Socket> {
  const busy = new Set<Socket>();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    busy.add(socket);
    res.once("close", () => {
      busy.delete(socket);
      if (closing()) socket.destroy();
    });
  });
  return busy;
}
