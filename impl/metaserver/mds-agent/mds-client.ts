/**
 * A client of an MDS cluster given several URLs. Only the MDS leader serves; a follower answers
 * `unavailable` NOT_LEADER with the leader's address as `leader_hint`, which this client
 * follows; a new leader answers NOT_READY, an unreachable MDS a transport error, and on both
 * the client moves on to the next URL. After a full round without an answer it waits a little
 * and starts again, within a bounded number of attempts; the URL that answered is tried first
 * next time.
 */
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { CurveError, errorInfoOf } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { HeartbeatService } from "../../gen/curve/mds/v1/heartbeat_pb.js";
import { MdsService } from "../../gen/curve/mds/v1/mds_pb.js";
import { TopologyService } from "../../gen/curve/mds/v1/topology_pb.js";

/** The MDS services this client reaches. */
export interface MdsServices {
  readonly mds: Client<typeof MdsService>;
  readonly topology: Client<typeof TopologyService>;
  readonly heartbeat: Client<typeof HeartbeatService>;
}

export interface MdsClientOptions {
  /** "http://host:port" URLs of the MDS processes (any of them, leader or not). */
  readonly urls: readonly string[];
  /** Deadline of one call to one MDS (default 5000 ms). */
  readonly callTimeoutMs?: number;
  /** Calls per logical call, across URLs and hints (default 3 rounds of every URL). */
  readonly attempts?: number;
  /** Pause after a round in which no MDS answered (default 200 ms). */
  readonly retryIntervalMs?: number;
}

/** Reasons that mean "ask another MDS". */
const TRY_ELSEWHERE: ReadonlySet<ErrorReason> = new Set([
  ErrorReason.NOT_LEADER,
  ErrorReason.LEADER_UNKNOWN,
  ErrorReason.NOT_READY,
]);
/** Transport failures without a typed detail: the MDS could not be reached. */
const UNREACHABLE: ReadonlySet<Code> = new Set([
  Code.Unavailable,
  Code.DeadlineExceeded,
  Code.Unknown,
  Code.Internal,
  Code.Canceled,
]);

export class MdsClient {
  readonly #urls: string[];
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #retryIntervalMs: number;
  readonly #connections = new Map<
    string,
    { session: Http2SessionManager; services: MdsServices }
  >();
  /** The URL that answered last: tried first. */
  #preferred: string;

  constructor(options: MdsClientOptions) {
    if (options.urls.length === 0) throw new Error("an MDS client needs at least one URL");
    this.#urls = options.urls.map((url) => url.replace(/\/+$/, ""));
    this.#timeoutMs = options.callTimeoutMs ?? 5000;
    this.#attempts = options.attempts ?? 3 * this.#urls.length + 2;
    this.#retryIntervalMs = options.retryIntervalMs ?? 200;
    this.#preferred = this.#urls[0] ?? "";
  }

  /** The URL of the MDS that answered last (the leader, as far as this client knows). */
  get leaderUrl(): string {
    return this.#preferred;
  }

  /**
   * Runs `call` on the MDS leader; `signal` (also to be passed to the RPC) abandons it.
   * @throws CurveError the leader's error with its reason, or LEADER_UNKNOWN when no MDS served
   *   within the attempts.
   */
  async call<T>(
    call: (services: MdsServices, timeoutMs: number) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    let queue = this.#round();
    let lastError: unknown;
    for (let attempt = 0; attempt < this.#attempts; attempt++) {
      signal?.throwIfAborted();
      if (queue.length === 0) {
        await sleep(this.#retryIntervalMs);
        queue = this.#round();
      }
      const url = queue.shift() as string;
      try {
        const result = await call(this.#services(url), this.#timeoutMs);
        this.#preferred = url;
        return result;
      } catch (error) {
        lastError = error;
        const failure = ConnectError.from(error);
        const info = errorInfoOf(failure);
        if (info ? !TRY_ELSEWHERE.has(info.reason) : !UNREACHABLE.has(failure.code)) {
          throw asCurveError(failure);
        }
        const hint = info?.leaderHint ? `http://${info.leaderHint}` : undefined;
        if (hint !== undefined && hint !== url) queue = [hint, ...queue.filter((u) => u !== hint)];
      }
    }
    throw new CurveError(
      ErrorReason.LEADER_UNKNOWN,
      `no MDS leader answered (tried ${this.#urls.join(", ")})`,
      { cause: lastError },
    );
  }

  async close(): Promise<void> {
    for (const { session } of this.#connections.values()) session.abort();
    this.#connections.clear();
  }

  #round(): string[] {
    return [this.#preferred, ...this.#urls.filter((url) => url !== this.#preferred)];
  }

  #services(url: string): MdsServices {
    let connection = this.#connections.get(url);
    if (connection === undefined) {
      const session = new Http2SessionManager(url);
      const transport = createConnectTransport({
        baseUrl: url,
        httpVersion: "2",
        useBinaryFormat: true,
        sessionManager: session,
      });
      connection = {
        session,
        services: {
          mds: createClient(MdsService, transport),
          topology: createClient(TopologyService, transport),
          heartbeat: createClient(HeartbeatService, transport),
        },
      };
      this.#connections.set(url, connection);
    }
    return connection.services;
  }
}

/** An MDS failure as a CurveError with the MDS's reason. */
function asCurveError(failure: ConnectError): CurveError {
  const info = errorInfoOf(failure);
  return new CurveError(info?.reason ?? ErrorReason.INTERNAL, `mds: ${failure.rawMessage}`, {
    cause: failure,
    leaderHint: info?.leaderHint ?? "",
    metadata: { ...(info?.metadata ?? {}) },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
