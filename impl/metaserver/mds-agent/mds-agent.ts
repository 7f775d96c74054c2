/**
 * What makes a metaserver a member of the cluster: it registers with the MDS (presenting its
 * stored token after a restart), then sends one heartbeat every `heartbeat_interval_ms` (as
 * the MDS's last answer says) with every copyset replica it holds, and carries out the
 * commands of each reply (copyset-commands.ts).
 *
 * Failures never stop the server: an MDS without a leader, a refused or lost heartbeat are
 * retried at the next interval. The registration table's answers (topology.proto) are followed:
 * METASERVER_NOT_FOUND means the stored identity is unknown to the MDS, so the server discards
 * it and its copysets and registers anew; a heartbeat refused with SERVER_TOKEN_MISMATCH or
 * SERVER_ADDRESS_MISMATCH sends the server back to registration with its stored token.
 */
import { hostname } from "node:os";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Logger } from "pino";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import {
  type MetaServerCopysetReport,
  MetaServerHeartbeatRequestSchema,
  type MetaServerHeartbeatResponse,
} from "../../gen/curve/mds/v1/heartbeat_pb.js";
import type { RegisterMetaServerResponse } from "../../gen/curve/mds/v1/topology_pb.js";
import type { CopysetNode } from "../copyset-node.js";
import { CopysetCommands, type ReplicaDirectory } from "./copyset-commands.js";
import { ReplayWatch, reportCopyset } from "./copyset-report.js";
import { IdentityStore, type MetaserverIdentity } from "./identity-store.js";
import { MdsClient } from "./mds-client.js";
import { measureSpace, type SpaceBudget } from "./server-space.js";

/** The pool and zone a metaserver joins when none is configured. */
export const DEFAULT_POOL = "pool1";
export const DEFAULT_ZONE = "zone1";
/** Until the MDS says otherwise (its registration answer), as heartbeat.proto's default. */
const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
/** Retry period of a failed registration (no MDS leader yet, pool not declared yet, ...). */
const DEFAULT_REGISTER_RETRY_MS = 1000;

/** How a metaserver joins the cluster (MetaserverHost's `mds` option). */
export interface MdsAgentOptions {
  /** "http://host:port" URLs of the MDS processes. */
  readonly urls: readonly string[];
  /** The METASERVER pool to join (default "pool1"). */
  readonly pool?: string;
  /** The zone of that pool this server is in (default "zone1"). */
  readonly zone?: string;
  /** Reported host name (default the machine's). */
  readonly hostname?: string;
  readonly space?: SpaceBudget;
  /** Pause between failed registrations (default 1000 ms). */
  readonly registerRetryMs?: number;
}

/** The metaserver as the agent sees it. */
export interface AgentHost extends ReplicaDirectory {
  readonly address: string;
  readonly dataDir: string;
  replicas(): readonly CopysetNode[];
}

export class MdsAgent {
  readonly #host: AgentHost;
  readonly #options: MdsAgentOptions;
  readonly #logger: Logger;
  readonly #client: MdsClient;
  readonly #identities: IdentityStore;
  readonly #commands: CopysetCommands;
  readonly #startTime = timestampFromMs(Date.now());
  readonly #replay = new ReplayWatch();
  #identity: MetaserverIdentity | undefined;
  /** Whether the stored identity was accepted by the MDS in this incarnation. */
  #registered = false;
  #intervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  #stopped = false;
  /** Aborts the MDS call in progress on stop. */
  readonly #stopping = new AbortController();
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #heartbeats = 0;

  constructor(host: AgentHost, options: MdsAgentOptions, logger: Logger) {
    this.#host = host;
    this.#options = options;
    this.#logger = logger;
    this.#client = new MdsClient({ urls: options.urls });
    this.#identities = new IdentityStore(host.dataDir);
    this.#commands = new CopysetCommands(host, logger);
  }

  /** The identity in use (undefined before the first registration). */
  get identity(): MetaserverIdentity | undefined {
    return this.#identity;
  }

  /** The heartbeat period in use: the MDS's last answer (or the default before the first). */
  get heartbeatIntervalMs(): number {
    return this.#intervalMs;
  }

  /** Heartbeats the MDS accepted in this incarnation. */
  get acceptedHeartbeats(): number {
    return this.#heartbeats;
  }

  /** Loads the stored identity and starts registering and heartbeating in the background. */
  async start(): Promise<void> {
    this.#identity = await this.#identities.load();
    this.#loop = this.#run();
  }

  /** Stops the loop; waits for the round in progress and the commands in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.#wake?.();
    await this.#loop;
    await this.#commands.settled();
    await this.#client.close();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        if (!this.#registered) await this.#register();
        await this.#heartbeat();
      } catch (error) {
        if (!this.#stopped)
          this.#logger.warn({ err: error }, "MDS registration or heartbeat failed");
      }
      // After the round: its answers set the interval.
      await this.#sleep(
        this.#registered
          ? this.#intervalMs
          : (this.#options.registerRetryMs ?? DEFAULT_REGISTER_RETRY_MS),
      );
    }
  }

  async #register(): Promise<void> {
    const pool = this.#options.pool ?? DEFAULT_POOL;
    const zone = this.#options.zone ?? DEFAULT_ZONE;
    const stored = this.#identity;
    const request = {
      address: this.#host.address,
      hostname: this.#options.hostname ?? hostname(),
      poolName: pool,
      zoneName: zone,
      ...(stored === undefined ? {} : { token: stored.token }),
    };
    let answer: RegisterMetaServerResponse;
    try {
      const signal = this.#stopping.signal;
      answer = await this.#client.call(
        (s, timeoutMs) => s.topology.registerMetaServer(request, { timeoutMs, signal }),
        signal,
      );
    } catch (error) {
      if (error instanceof CurveError && error.reason === ErrorReason.METASERVER_NOT_FOUND) {
        await this.#discardIdentity();
      }
      throw error;
    }
    const identity: MetaserverIdentity = {
      metaserverId: answer.metaserverId,
      token: answer.token,
      address: this.#host.address,
      poolName: pool,
      zoneName: zone,
    };
    if (!sameIdentity(stored, identity)) await this.#identities.save(identity);
    this.#identity = identity;
    this.#registered = true;
    if (answer.heartbeatIntervalMs > 0) this.#intervalMs = answer.heartbeatIntervalMs;
    this.#logger.info(
      { metaserverId: identity.metaserverId, pool, zone, restart: stored !== undefined },
      "registered with the MDS",
    );
  }

  /** The MDS does not know the stored identity: forget it and every copyset held under it. */
  async #discardIdentity(): Promise<void> {
    this.#logger.warn(
      "the MDS does not know this server's identity: discarding it and its copysets",
    );
    for (const replica of this.#host.replicas()) {
      await this.#host.purge(replica.poolId, replica.copysetId);
    }
    await this.#identities.clear();
    this.#identity = undefined;
  }

  async #heartbeat(): Promise<void> {
    const identity = this.#identity;
    if (identity === undefined) return;
    const self = { id: identity.metaserverId, address: this.#host.address };
    const copysets: MetaServerCopysetReport[] = [];
    for (const replica of this.#host.replicas()) {
      const pending = this.#commands.pendingChange(replica.poolId, replica.copysetId);
      const loading = this.#replay.loading(replica);
      const report = replica.node.running
        ? reportCopyset(replica, self, pending, loading)
        : undefined;
      if (report !== undefined) copysets.push(report);
    }
    const request = create(MetaServerHeartbeatRequestSchema, {
      metaserverId: identity.metaserverId,
      token: identity.token,
      address: this.#host.address,
      startTime: this.#startTime,
      copysets,
      space: await measureSpace(this.#host.dataDir, this.#options.space ?? {}),
    });
    let answer: MetaServerHeartbeatResponse;
    try {
      const signal = this.#stopping.signal;
      answer = await this.#client.call(
        (s, timeoutMs) => s.heartbeat.metaServerHeartbeat(request, { timeoutMs, signal }),
        signal,
      );
    } catch (error) {
      if (
        error instanceof CurveError &&
        (error.reason === ErrorReason.SERVER_TOKEN_MISMATCH ||
          error.reason === ErrorReason.SERVER_ADDRESS_MISMATCH)
      ) {
        // Stop using this identity; registration (with the stored token) says what to do.
        this.#registered = false;
      }
      throw error;
    }
    this.#heartbeats += 1;
    if (answer.heartbeatIntervalMs > 0) this.#intervalMs = answer.heartbeatIntervalMs;
    for (const command of answer.commands) {
      if (this.#commands.execute(command) === "started") {
        this.#logger.info(
          { pool: command.poolId, copyset: command.copysetId, action: command.action.case },
          "carrying out a copyset command",
        );
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}

function sameIdentity(a: MetaserverIdentity | undefined, b: MetaserverIdentity): boolean {
  return (
    a !== undefined &&
    a.metaserverId === b.metaserverId &&
    a.token === b.token &&
    a.address === b.address &&
    a.poolName === b.poolName &&
    a.zoneName === b.zoneName
  );
}
