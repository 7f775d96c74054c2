/**
 * The leader's background task of copyset upkeep (`maintainCopysets`): the initial copysets of
 * pools, and recorded copysets whose creation on the servers failed. Runs every
 * `livenessScanIntervalMs` on the MDS clock for as long as the term that started it lasts.
 */
import { type BackgroundLoop, startBackgroundLoop } from "../background-loop.js";
import { maintainCopysets } from "./copysets.js";
import type { TopologyDeps } from "./topology-deps.js";

/** Starts the task for the current term; it stops when the term ends. */
export function startCopysetMaintenanceTask(deps: TopologyDeps): BackgroundLoop {
  return startBackgroundLoop({
    name: "copyset-maintenance",
    clock: deps.ctx.clock,
    intervalMs: deps.ctx.config.livenessScanIntervalMs,
    signal: deps.ctx.gate.signal,
    logger: deps.ctx.logger,
    run: () => maintainCopysets(deps),
  });
}
