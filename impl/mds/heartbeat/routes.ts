/**
 * The HeartbeatService handlers: leader check → (validation already done by the interceptor) →
 * the domain → the response message.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { HeartbeatService } from "../../gen/curve/mds/v1/heartbeat_pb.js";
import type { TopologyDeps } from "../topology/topology-deps.js";
import { handleHeartbeat } from "./heartbeat-service.js";

/** Serves curve.mds.v1.HeartbeatService on `router`. */
export function registerHeartbeatRoutes(router: ConnectRouter, deps: TopologyDeps): void {
  const heartbeatIntervalMs = deps.ctx.config.heartbeatIntervalMs;
  router.service(HeartbeatService, {
    async metaServerHeartbeat(req) {
      deps.ctx.gate.assertServing();
      const commands = await handleHeartbeat(deps, {
        kind: "metaserver",
        id: req.metaserverId,
        token: req.token,
        address: req.address,
        startTime: req.startTime,
        space: req.space,
        copysets: req.copysets,
      });
      return { commands, heartbeatIntervalMs };
    },

    async chunkServerHeartbeat(req) {
      deps.ctx.gate.assertServing();
      const commands = await handleHeartbeat(deps, {
        kind: "chunkserver",
        id: req.chunkserverId,
        token: req.token,
        address: req.address,
        startTime: req.startTime,
        capacityBytes: req.capacityBytes,
        usedBytes: req.usedBytes,
        diskError: req.diskError,
        chunkCount: req.copysets
          .filter((c) => !c.loading)
          .reduce((sum, c) => sum + c.chunkCount, 0n),
        copysets: req.copysets,
      });
      return { commands, heartbeatIntervalMs };
    },
  });
}
