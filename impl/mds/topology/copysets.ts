/**
 * Copysets (topology.proto): placing new ones, creating their replicas on the members, the
 * initial copysets of a pool, and GetCopysets.
 *
 * A new copyset is recorded first (epoch 0, not yet created), then each member is asked to
 * create its replica (CreateCopysetNode, idempotent), then it is recorded created; so no server
 * ever reports a copyset the MDS does not know, and a creation that failed half-way is simply
 * asked again.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { copysetKey } from "../keys.js";
import type { CopysetPeer } from "../metaserver-client.js";
import { mayHostNewCopyset, type PlacementCandidate, placeCopysets } from "./placement.js";
import { encodeCopyset } from "./topology-codec.js";
import type { TopologyDeps } from "./topology-deps.js";
import { type CopysetRecord, copysetRef, type PoolRecord } from "./topology-records.js";
import { putWrite, type TopologyTerm } from "./topology-store.js";

/** The servers of `pool` that may take a new copyset now, with their load. */
export function placementCandidates(
  deps: TopologyDeps,
  term: TopologyTerm,
  pool: PoolRecord,
): PlacementCandidate[] {
  const kind = term.view.poolServerKind(pool.id) ?? "metaserver";
  const counts = term.view.copysetCounts(kind);
  return term.view
    .serversOf(kind)
    .filter((server) => server.poolId === pool.id)
    .filter((server) => {
      const live = term.liveness(kind, server.id);
      return mayHostNewCopyset(kind, {
        state: live.state,
        copysetCount: counts.get(server.id) ?? 0,
        maxCopysets: deps.ctx.config.maxCopysetsPerServer,
        space: live.space,
        capacityBytes: live.capacityBytes ?? server.capacityBytes,
        usedBytes: live.usedBytes,
        diskError: live.diskError,
      });
    })
    .map((server) => ({
      id: server.id,
      zoneId: server.zoneId,
      copysetCount: counts.get(server.id) ?? 0,
    }));
}

/**
 * Places and records up to `count` new copysets of `pool` (epoch 0, not created yet); fewer
 * when the pool runs out of servers. Runs inside `TopologyStore.exclusive`.
 */
export async function recordNewCopysets(
  deps: TopologyDeps,
  term: TopologyTerm,
  pool: PoolRecord,
  count: number,
): Promise<CopysetRecord[]> {
  const placements = placeCopysets(
    placementCandidates(deps, term, pool),
    pool.replicaCount,
    count,
    deps.ctx.config.maxCopysetsPerServer,
  );
  if (placements.length === 0) return [];
  const first = Number(await deps.ctx.ids.next("copyset", placements.length));
  const copysets = placements.map(
    (members, i): CopysetRecord => ({
      poolId: pool.id,
      copysetId: first + i,
      members,
      epoch: 0n,
      leader: undefined,
      term: 0n,
      created: false,
    }),
  );
  await term.commit(
    copysets.map((c) => putWrite(copysetKey(c.poolId, c.copysetId), encodeCopyset(c), undefined)),
  );
  deps.ctx.logger.info(
    { poolId: pool.id, copysets: copysets.map((c) => ({ id: c.copysetId, members: c.members })) },
    "copysets placed",
  );
  return copysets;
}

/**
 * Creates the replicas of a recorded copyset on its members (CreateCopysetNode on each), then
 * records it created. Does nothing for a copyset recorded created.
 * @throws CurveError COPYSET_NOT_FOUND, or the member's failure (LEADER_UNKNOWN when one is
 *   unreachable).
 */
export async function materializeCopyset(
  deps: TopologyDeps,
  poolId: number,
  copysetId: number,
): Promise<void> {
  const term = await deps.store.term();
  const copyset = term.view.copyset(poolId, copysetId);
  if (!copyset) {
    throw new CurveError(
      ErrorReason.COPYSET_NOT_FOUND,
      `no copyset ${copysetRef(poolId, copysetId)}`,
    );
  }
  if (copyset.created) return;
  const kind = term.view.poolServerKind(poolId);
  const peers: CopysetPeer[] = copyset.members.map((id) => ({
    id,
    address: term.view.servers[kind ?? "metaserver"].get(id)?.value.address ?? "",
  }));
  const where = { poolId, copysetId };
  if (kind === "chunkserver") await deps.chunkServers.createCopysetNode(peers, where);
  else await deps.metaServers.createCopysetNode(peers, where);
  await markCopysetCreated(deps, poolId, copysetId);
}

/** Records a copyset created (its members have their replicas). */
export function markCopysetCreated(
  deps: TopologyDeps,
  poolId: number,
  copysetId: number,
): Promise<void> {
  return deps.store.exclusive(async (term) => {
    const current = term.view.copysets.get(copysetRef(poolId, copysetId));
    if (!current || current.value.created) return;
    const next = { ...current.value, created: true };
    await term.commit([putWrite(current.key, encodeCopyset(next), current)]);
  });
}

/**
 * One pass of copyset upkeep: pools with fewer copysets than `initial_copyset_count` get the
 * missing ones as soon as they can be placed, and recorded copysets whose creation failed are
 * created again. Failures are logged; the next pass tries again.
 */
export async function maintainCopysets(deps: TopologyDeps): Promise<void> {
  const term = await deps.store.term();
  for (const { value: pool } of term.view.pools.values()) {
    const missing = pool.initialCopysetCount - term.view.copysetsOfPool(pool.id).length;
    if (missing <= 0) continue;
    await deps.store.exclusive(async (t) => {
      const stillMissing = pool.initialCopysetCount - t.view.copysetsOfPool(pool.id).length;
      if (stillMissing > 0) await recordNewCopysets(deps, t, pool, stillMissing);
    });
  }
  const pending = [...(await deps.store.term()).view.copysets.values()]
    .map((c) => c.value)
    .filter((c) => !c.created);
  await Promise.all(
    pending.map((c) =>
      materializeCopyset(deps, c.poolId, c.copysetId).catch((error: unknown) =>
        deps.ctx.logger.warn(
          { err: error, poolId: c.poolId, copysetId: c.copysetId },
          "copyset creation failed; retrying later",
        ),
      ),
    ),
  );
}

/**
 * GetCopysets: the copysets of the pool with these ids, in request order; the ids that name
 * none are returned as missing.
 * @throws CurveError POOL_NOT_FOUND.
 */
export async function getCopysets(
  deps: TopologyDeps,
  poolId: number,
  copysetIds: readonly number[],
): Promise<{ term: TopologyTerm; found: CopysetRecord[]; missing: number[] }> {
  const term = await deps.store.term();
  if (!term.view.pools.has(poolId)) {
    throw new CurveError(ErrorReason.POOL_NOT_FOUND, `no pool has id ${poolId}`, {
      metadata: { pool_id: `${poolId}` },
    });
  }
  const found: CopysetRecord[] = [];
  const missing: number[] = [];
  for (const id of copysetIds) {
    const copyset = term.view.copyset(poolId, id);
    if (copyset) found.push(copyset);
    else missing.push(id);
  }
  return { term, found, missing };
}
