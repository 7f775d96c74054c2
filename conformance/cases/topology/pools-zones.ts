/** CreatePool, ListPools, CreateZone, ListZones. */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { PoolType, TopologyService } from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import { poolWithZone, UNKNOWN_ID } from "../fixtures.js";

const { createPool, listPools, createZone, listZones } = TopologyService.method;
const BOGUS_TOKEN =
  "`invalid_argument` ERROR_REASON_INVALID_ARGUMENT: `page_token` was not returned by this RPC.";

export const poolZoneCases: ConformanceCase[] = [
  steps({
    id: "topology.create_pool.identical_repeat_ok",
    method: createPool,
    spec: "Idempotent: if a pool with this name exists with the same `type`, `replica_count` and `initial_copyset_count`, OK with the existing pool.",
    run: async (ctx) => {
      const request = { name: ctx.unique("pool"), type: PoolType.METASERVER, replicaCount: 3 };
      const first = await ctx.topology.createPool(request);
      const again = await ctx.topology.createPool(request);
      check((first.pool?.poolId ?? 0) >= 1, "pool_id below 1");
      check(first.pool?.poolId === again.pool?.poolId, "the repeat returned another pool");
    },
  }),
  steps({
    id: "topology.create_pool.name_taken",
    method: createPool,
    spec: "`already_exists` ERROR_REASON_TOPOLOGY_NAME_TAKEN: a pool with this name exists with other settings.",
    reasons: [ErrorReason.TOPOLOGY_NAME_TAKEN],
    run: async (ctx) => {
      const name = ctx.unique("pool");
      await ctx.topology.createPool({ name, type: PoolType.METASERVER, replicaCount: 3 });
      await expectError(
        ctx.topology.createPool({ name, type: PoolType.METASERVER, replicaCount: 1 }),
        {
          code: Code.AlreadyExists,
          reason: ErrorReason.TOPOLOGY_NAME_TAKEN,
        },
      );
    },
  }),
  rejects({
    id: "topology.create_pool.invalid_name",
    method: createPool,
    spec: "The name: matches `^([a-z0-9]+-?)+$`, 1 to 128 bytes; unique in the cluster.",
    request: { name: "Pool_1", type: PoolType.METASERVER, replicaCount: 3 },
    expect: invalidArgument("name"),
  }),
  rejects({
    id: "topology.create_pool.type_unspecified",
    method: createPool,
    spec: "The kind of servers. Required.",
    request: (ctx) => ({ name: ctx.unique("pool"), replicaCount: 3 }),
    expect: invalidArgument("type"),
  }),
  rejects({
    id: "topology.create_pool.replica_count_even",
    method: createPool,
    spec: "Members per copyset: 1, 3 or 5 (an odd number, for Raft majorities).",
    request: (ctx) => ({ name: ctx.unique("pool"), type: PoolType.METASERVER, replicaCount: 2 }),
    expect: invalidArgument("replica_count"),
  }),
  rejects({
    id: "topology.create_pool.initial_copysets_too_many",
    method: createPool,
    spec: "Copysets to create up front: 0 to 10000.",
    request: (ctx) => ({
      name: ctx.unique("pool"),
      type: PoolType.CHUNKSERVER,
      replicaCount: 3,
      initialCopysetCount: 10001,
    }),
    expect: invalidArgument("initial_copyset_count"),
  }),
  steps({
    id: "topology.list_pools.lists_created_ascending",
    method: listPools,
    spec: "Lists the pools in ascending order of pool id. Paged.",
    run: async (ctx) => {
      const { poolId } = await poolWithZone(ctx);
      const ids: number[] = [];
      let pageToken = "";
      do {
        const reply = await ctx.topology.listPools({ pageSize: 1000, pageToken });
        ids.push(...reply.pools.map((pool) => pool.poolId));
        pageToken = reply.nextPageToken;
      } while (pageToken !== "");
      check(ids.includes(poolId), `pool ${poolId} is not listed`);
      check(
        ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0)),
        "pool ids not ascending",
      );
    },
  }),
  rejects({
    id: "topology.list_pools.bogus_page_token",
    method: listPools,
    spec: BOGUS_TOKEN,
    request: { pageToken: "not-a-token-of-this-rpc" },
    expect: invalidArgument(),
  }),
  rejects({
    id: "topology.list_pools.page_size_too_large",
    method: listPools,
    spec: "The maximum number of pools to return: 0 means the server default (100); at most 1000.",
    request: { pageSize: 1001 },
    expect: invalidArgument("page_size"),
  }),
  steps({
    id: "topology.create_zone.repeat_ok",
    method: createZone,
    spec: "Idempotent: if the pool already has a zone with this name, OK with the existing zone.",
    run: async (ctx) => {
      const { poolName, zoneName, zoneId, poolId } = await poolWithZone(ctx);
      const again = await ctx.topology.createZone({ poolName, name: zoneName });
      check(again.zone?.zoneId === zoneId, "the repeat returned another zone");
      check(again.zone?.poolId === poolId, "the zone is in another pool");
    },
  }),
  rejects({
    id: "topology.create_zone.unknown_pool",
    method: createZone,
    spec: "`not_found` ERROR_REASON_POOL_NOT_FOUND: no pool has this name.",
    request: (ctx) => ({ poolName: ctx.unique("nopool"), name: "zone-a" }),
    expect: { code: Code.NotFound, reason: ErrorReason.POOL_NOT_FOUND },
  }),
  rejects({
    id: "topology.create_zone.invalid_name",
    method: createZone,
    spec: "The zone's name: matches `^([a-z0-9]+-?)+$`, 1 to 128 bytes; unique within the pool.",
    request: (ctx) => ({ poolName: ctx.unique("pool"), name: "" }),
    expect: invalidArgument("name"),
  }),
  steps({
    id: "topology.list_zones.filter_by_pool",
    method: listZones,
    spec: "Lists zones in ascending order of zone id, optionally of one pool only.",
    run: async (ctx) => {
      const { poolName, poolId, zoneId } = await poolWithZone(ctx);
      const second = await ctx.topology.createZone({ poolName, name: ctx.unique("zone") });
      const reply = await ctx.topology.listZones({ poolId });
      const ids = reply.zones.map((zone) => zone.zoneId);
      check(
        ids.length === 2 && ids[0] === zoneId && ids[1] === second.zone?.zoneId,
        `expected zones [${zoneId}, ${second.zone?.zoneId}], got [${ids.join(", ")}]`,
      );
    },
  }),
  steps({
    id: "topology.list_zones.unknown_pool_empty",
    method: listZones,
    spec: "When present, only zones of this pool (an unknown pool gives an empty list).",
    run: async (ctx) => {
      const reply = await ctx.topology.listZones({ poolId: UNKNOWN_ID });
      check(reply.zones.length === 0, `an unknown pool listed ${reply.zones.length} zones`);
    },
  }),
  rejects({
    id: "topology.list_zones.bogus_page_token",
    method: listZones,
    spec: BOGUS_TOKEN,
    request: { pageToken: "not-a-token-of-this-rpc" },
    expect: invalidArgument(),
  }),
];
