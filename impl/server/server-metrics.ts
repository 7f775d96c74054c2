/**
 * The Prometheus metrics of one server: every RPC counted by service, method and final code,
 * with a latency histogram, plus Node's process metrics, served as text at `GET /metrics` on the
 * server's own port (over HTTP/1.1, as Prometheus scrapes, and HTTP/2).
 *
 * Names and labels follow go-grpc-prometheus (`grpc_server_handled_total{grpc_service,
 * grpc_method, grpc_type, grpc_code}`), so the usual gRPC dashboards work unchanged. Each server
 * has its own registry, not prom-client's global one: tests run several servers in one process.
 */
import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { connectNodeAdapter } from "@connectrpc/connect-node";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** The path Prometheus scrapes. */
export const METRICS_PATH = "/metrics";

/** Latency buckets in seconds: from a cached read (~0.5 ms) to a slow Raft write under load. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** go-grpc-prometheus's names for the four kinds of RPC. */
const RPC_TYPES: Record<DescMethod["methodKind"], string> = {
  unary: "unary",
  server_streaming: "server_stream",
  client_streaming: "client_stream",
  bidi_streaming: "bidi_stream",
};

/** A request handler for both Node's HTTP/1.1 and HTTP/2 servers, as connect-node's. */
type NodeHandler = ReturnType<typeof connectNodeAdapter>;

type Labels = "grpc_service" | "grpc_method" | "grpc_type";

export class ServerMetrics {
  readonly registry = new Registry();
  readonly #started: Counter<Labels>;
  readonly #handled: Counter<Labels | "grpc_code">;
  readonly #latency: Histogram<Labels | "grpc_code">;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const labelNames = ["grpc_service", "grpc_method", "grpc_type"] as const;
    this.#started = new Counter({
      name: "grpc_server_started_total",
      help: "RPCs started on the server.",
      labelNames,
      registers: [this.registry],
    });
    this.#handled = new Counter({
      name: "grpc_server_handled_total",
      help: "RPCs completed on the server, by final code.",
      labelNames: [...labelNames, "grpc_code"],
      registers: [this.registry],
    });
    this.#latency = new Histogram({
      name: "grpc_server_handling_seconds",
      help: "Time from the start of an RPC to its final code, in seconds.",
      labelNames: [...labelNames, "grpc_code"],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  /**
   * Counts each call when it starts and when it ends: for a unary call when the handler returns
   * or throws, for a streaming response when its last message is sent (or it fails). Put it
   * outermost, so that it sees the code the client gets.
   */
  interceptor(): Interceptor {
    return (next) => async (req) => {
      const labels = {
        grpc_service: req.service.typeName,
        grpc_method: req.method.name,
        grpc_type: RPC_TYPES[req.method.methodKind],
      };
      this.#started.inc(labels);
      const end = this.#latency.startTimer();
      const done = (error: unknown): void => {
        // A call the client cancelled (or whose deadline passed) ends however the interrupted
        // handler ends; the signal's reason says what really happened.
        const outcome = req.signal.aborted ? req.signal.reason : error;
        const grpc_code = outcome === undefined ? "OK" : Code[ConnectError.from(outcome).code];
        this.#handled.inc({ ...labels, grpc_code });
        end({ ...labels, grpc_code });
      };
      let res: Awaited<ReturnType<typeof next>>;
      try {
        res = await next(req);
      } catch (error) {
        done(error);
        throw error;
      }
      if (!res.stream) {
        done(undefined);
        return res;
      }
      return { ...res, message: observeEnd(res.message, done) };
    };
  }

  /** Answers `GET /metrics`, and 404 to anything else no route took. */
  async serve(req: Parameters<NodeHandler>[0], res: Parameters<NodeHandler>[1]): Promise<void> {
    const path = new URL(req.url ?? "/", "http://any").pathname;
    if (path !== METRICS_PATH || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    try {
      const body = await this.registry.metrics();
      res.writeHead(200, { "content-type": this.registry.contentType });
      res.end(req.method === "HEAD" ? "" : body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`metrics failed: ${String(error)}\n`);
    }
  }
}

/** Passes the messages on and reports how the stream ended: done, failed, or abandoned. */
async function* observeEnd<T>(
  messages: AsyncIterable<T>,
  done: (error: unknown) => void,
): AsyncGenerator<T> {
  let outcome: unknown = new ConnectError("the stream was abandoned", Code.Canceled);
  try {
    yield* messages;
    outcome = undefined;
  } catch (error) {
    outcome = error;
    throw error;
  } finally {
    done(outcome);
  }
}
