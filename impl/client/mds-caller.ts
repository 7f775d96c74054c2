/**
 * Calls to the MDS (MdsService, TopologyService) from the SDK. Several MDS processes may run;
 * only the leader serves, and a follower names it in `leader_hint` (mds.proto, "High
 * availability"). The caller remembers the leader, follows hints and rotates over the
 * configured addresses with backoff while an election runs.
 */
import type { Client } from "@connectrpc/connect";
import { MdsService } from "../gen/curve/mds/v1/mds_pb.js";
import { TopologyService } from "../gen/curve/mds/v1/topology_pb.js";
import { baseUrlOf, type Connections } from "./connections.js";
import { callReplicated, type ReplicaGroup } from "./replica-call.js";
import type { RetryOptions } from "./retry-policy.js";

export interface MdsClients {
  readonly mds: Client<typeof MdsService>;
  readonly topology: Client<typeof TopologyService>;
}

export interface CallSettings {
  readonly callTimeoutMs: number;
  readonly retry?: RetryOptions;
}

export class MdsCaller {
  readonly #urls: readonly string[];
  readonly #scheme: string;
  #leader: string | undefined;

  constructor(
    mdsUrls: readonly string[],
    private readonly connections: Connections,
    private readonly settings: CallSettings,
  ) {
    this.#urls = mdsUrls.map((url) => baseUrlOf(url).replace(/\/+$/, ""));
    this.#scheme = new URL(this.#urls[0] ?? "http://localhost").protocol;
  }

  /**
   * Runs `call` on the MDS leader. `idempotent`: the RPC is safe to repeat when an attempt
   * timed out unanswered (the spec states it per RPC).
   */
  call<T>(
    call: (clients: MdsClients, timeoutMs: number) => Promise<T>,
    idempotent: boolean,
  ): Promise<T> {
    const group: ReplicaGroup = {
      label: `MDS (${this.#urls.join(", ")})`,
      candidates: () => unique([this.#leader, ...this.#urls]),
      setLeader: (url) => {
        this.#leader = url;
      },
      urlOfHint: (hint) => baseUrlOf(hint, this.#scheme),
    };
    return callReplicated(
      group,
      (url, timeoutMs) =>
        call(
          {
            mds: this.connections.client(MdsService, url),
            topology: this.connections.client(TopologyService, url),
          },
          timeoutMs,
        ),
      { timeoutMs: this.settings.callTimeoutMs, idempotent, ...retryOf(this.settings) },
    );
  }
}

function retryOf(settings: CallSettings): { retry?: RetryOptions } {
  return settings.retry === undefined ? {} : { retry: settings.retry };
}

export function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))];
}
