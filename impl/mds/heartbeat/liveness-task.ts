/**
 * The leader's background task that marks servers UNSTABLE and OFFLINE as their heartbeats stop
 * (heartbeat.proto, topology.proto), every `livenessScanIntervalMs` on the MDS clock, for as long
 * as the term of leadership that started it lasts.
 */
import { ServerState } from "../../gen/curve/mds/v1/topology_pb.js";
import { type BackgroundLoop, startBackgroundLoop } from "../background-loop.js";
import type { TopologyDeps } from "../topology/topology-deps.js";
import type { ServerKind } from "../topology/topology-records.js";
import { judgeServerState } from "./liveness.js";

const KINDS: readonly ServerKind[] = ["metaserver", "chunkserver"];

/** Judges every server once now (also what each pass of the task does). */
export async function judgeServers(deps: TopologyDeps): Promise<void> {
  const term = await deps.store.term();
  const now = deps.ctx.clock.now();
  for (const kind of KINDS) {
    for (const server of term.view.serversOf(kind)) {
      const live = term.liveness(kind, server.id);
      const state = judgeServerState(now, live, deps.ctx.config);
      if (state === live.state) continue;
      deps.ctx.logger.info(
        {
          kind,
          id: server.id,
          address: server.address,
          from: ServerState[live.state],
          to: ServerState[state],
        },
        "server state changed",
      );
      live.state = state;
    }
  }
}

/** Starts the task for the current term; it stops when the term ends. */
export function startServerLivenessTask(deps: TopologyDeps): BackgroundLoop {
  return startBackgroundLoop({
    name: "server-liveness",
    clock: deps.ctx.clock,
    intervalMs: deps.ctx.config.livenessScanIntervalMs,
    signal: deps.ctx.gate.signal,
    logger: deps.ctx.logger,
    run: () => judgeServers(deps),
  });
}
