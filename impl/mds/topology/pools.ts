/**
 * Pools and zones (topology.proto): CreatePool, ListPools, CreateZone, ListZones.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { PoolType } from "../../gen/curve/mds/v1/topology_pb.js";
import { poolKey, zoneKey } from "../keys.js";
import { type Page, pageOf } from "./paging.js";
import { encodePool, encodeZone } from "./topology-codec.js";
import type { TopologyDeps } from "./topology-deps.js";
import type { PoolRecord, ZoneRecord } from "./topology-records.js";
import { putWrite, type TopologyTerm } from "./topology-store.js";

/** The server default page size of ListPools and ListZones (topology.proto). */
const DEFAULT_PAGE_SIZE = 100;

/** What CreatePool declares. */
export interface PoolSettings {
  readonly name: string;
  readonly type: PoolType;
  readonly replicaCount: number;
  readonly initialCopysetCount: number;
}

/**
 * CreatePool: a new pool, or the existing one when a pool of this name has the same settings.
 * @throws CurveError TOPOLOGY_NAME_TAKEN when the name is taken with other settings.
 */
export function createPool(deps: TopologyDeps, settings: PoolSettings): Promise<PoolRecord> {
  return deps.store.exclusive(async (term) => {
    const existing = term.view.poolByName(settings.name);
    if (existing) {
      const same =
        existing.type === settings.type &&
        existing.replicaCount === settings.replicaCount &&
        existing.initialCopysetCount === settings.initialCopysetCount;
      if (same) return existing;
      throw new CurveError(
        ErrorReason.TOPOLOGY_NAME_TAKEN,
        `pool ${settings.name} exists with other settings`,
        { metadata: { pool_name: settings.name } },
      );
    }
    const pool: PoolRecord = { id: Number(await deps.ctx.ids.next("pool")), ...settings };
    await term.commit([putWrite(poolKey(pool.id), encodePool(pool), undefined)]);
    deps.ctx.logger.info({ pool }, "pool created");
    return pool;
  });
}

/** ListPools: ascending by id, paged. */
export async function listPools(
  deps: TopologyDeps,
  paging: { readonly pageSize: number; readonly pageToken: string },
): Promise<{ term: TopologyTerm; page: Page<PoolRecord> }> {
  const term = await deps.store.term();
  const pools = [...term.view.pools.values()].map((p) => p.value).sort((a, b) => a.id - b.id);
  const page = pageOf(pools, (p) => BigInt(p.id), {
    rpc: "ListPools",
    ...paging,
    defaultPageSize: DEFAULT_PAGE_SIZE,
  });
  return { term, page };
}

/**
 * CreateZone: a new zone of the pool, or the existing one of that name.
 * @throws CurveError POOL_NOT_FOUND.
 */
export function createZone(
  deps: TopologyDeps,
  poolName: string,
  name: string,
): Promise<ZoneRecord> {
  return deps.store.exclusive(async (term) => {
    const pool = term.view.poolByName(poolName);
    if (!pool) {
      throw new CurveError(ErrorReason.POOL_NOT_FOUND, `no pool is named ${poolName}`, {
        metadata: { pool_name: poolName },
      });
    }
    const existing = term.view.zoneByName(pool.id, name);
    if (existing) return existing;
    const zone: ZoneRecord = { id: Number(await deps.ctx.ids.next("zone")), poolId: pool.id, name };
    await term.commit([putWrite(zoneKey(zone.id), encodeZone(zone), undefined)]);
    deps.ctx.logger.info({ zone }, "zone created");
    return zone;
  });
}

/** ListZones: ascending by id, optionally of one pool, paged. */
export async function listZones(
  deps: TopologyDeps,
  poolId: number | undefined,
  paging: { readonly pageSize: number; readonly pageToken: string },
): Promise<{ term: TopologyTerm; page: Page<ZoneRecord> }> {
  const term = await deps.store.term();
  const zones = [...term.view.zones.values()]
    .map((z) => z.value)
    .filter((z) => poolId === undefined || z.poolId === poolId)
    .sort((a, b) => a.id - b.id);
  const page = pageOf(zones, (z) => BigInt(z.id), {
    rpc: "ListZones",
    ...paging,
    defaultPageSize: DEFAULT_PAGE_SIZE,
  });
  return { term, page };
}
