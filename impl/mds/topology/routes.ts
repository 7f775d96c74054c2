/**
 * The TopologyService handlers: leader check → (validation already done by the interceptor) →
 * the domain → the response message.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { TopologyService } from "../../gen/curve/mds/v1/topology_pb.js";
import { getCopysets } from "./copysets.js";
import {
  createPartitions,
  listPartitions,
  type PartitionWithCopyset,
  withRoutes,
} from "./partitions.js";
import { createPool, createZone, listPools, listZones } from "./pools.js";
import { deleteServer, listServers, registerServer } from "./servers.js";
import type { TopologyDeps } from "./topology-deps.js";
import {
  chunkServerMessage,
  copysetMessage,
  metaServerMessage,
  poolMessage,
  zoneMessage,
} from "./topology-messages.js";
import type { TopologyTerm } from "./topology-store.js";

/** Serves curve.mds.v1.TopologyService on `router`. */
export function registerTopologyRoutes(router: ConnectRouter, deps: TopologyDeps): void {
  const serving = () => deps.ctx.gate.assertServing();
  const intervalMs = deps.ctx.config.heartbeatIntervalMs;

  router.service(TopologyService, {
    async createPool(req) {
      serving();
      const pool = await createPool(deps, {
        name: req.name,
        type: req.type,
        replicaCount: req.replicaCount,
        initialCopysetCount: req.initialCopysetCount,
      });
      return { pool: poolMessage(await deps.store.term(), pool) };
    },

    async listPools(req) {
      serving();
      const { term, page } = await listPools(deps, req);
      return {
        pools: page.items.map((p) => poolMessage(term, p)),
        nextPageToken: page.nextPageToken,
      };
    },

    async createZone(req) {
      serving();
      const zone = await createZone(deps, req.poolName, req.name);
      return { zone: zoneMessage(await deps.store.term(), zone) };
    },

    async listZones(req) {
      serving();
      const { term, page } = await listZones(deps, req.poolId, req);
      return {
        zones: page.items.map((z) => zoneMessage(term, z)),
        nextPageToken: page.nextPageToken,
      };
    },

    async registerMetaServer(req) {
      serving();
      const server = await registerServer(deps, "metaserver", req);
      return {
        metaserverId: server.id,
        token: server.token,
        poolId: server.poolId,
        zoneId: server.zoneId,
        heartbeatIntervalMs: intervalMs,
      };
    },

    async listMetaServers(req) {
      serving();
      const { term, page } = await listServers(deps, "metaserver", req, req);
      return {
        metaservers: page.items.map((s) => metaServerMessage(term, s.server, s.copysetCount)),
        nextPageToken: page.nextPageToken,
      };
    },

    async deleteMetaServer(req) {
      serving();
      await deleteServer(deps, "metaserver", req.metaserverId);
      return {};
    },

    async registerChunkServer(req) {
      serving();
      const server = await registerServer(deps, "chunkserver", req);
      return {
        chunkserverId: server.id,
        token: server.token,
        poolId: server.poolId,
        zoneId: server.zoneId,
        heartbeatIntervalMs: intervalMs,
      };
    },

    async listChunkServers(req) {
      serving();
      const { term, page } = await listServers(deps, "chunkserver", req, req);
      return {
        chunkservers: page.items.map((s) => chunkServerMessage(term, s.server, s.copysetCount)),
        nextPageToken: page.nextPageToken,
      };
    },

    async deleteChunkServer(req) {
      serving();
      await deleteServer(deps, "chunkserver", req.chunkserverId);
      return {};
    },

    async createPartitions(req) {
      serving();
      const result = await createPartitions(deps, req.fsId, req.count, req.readOnlyPartitionIds);
      const term = await deps.store.term();
      const routed = await withRoutes(deps, term, req.fsId, result.partitions);
      return { partitions: routes(term, routed), createdCount: result.createdCount };
    },

    async listPartitions(req) {
      serving();
      const { term, page } = await listPartitions(deps, req.fsId, req);
      return { partitions: routes(term, page.items), nextPageToken: page.nextPageToken };
    },

    async getCopysets(req) {
      serving();
      const { term, found, missing } = await getCopysets(deps, req.poolId, req.copysetIds);
      return { copysets: found.map((c) => copysetMessage(term, c)), missingCopysetIds: missing };
    },
  });
}

function routes(term: TopologyTerm, partitions: readonly PartitionWithCopyset[]) {
  return partitions.map((p) => ({
    partition: p.partition,
    copyset: p.copyset && copysetMessage(term, p.copyset),
  }));
}
