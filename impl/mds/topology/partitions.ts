/**
 * Partitions (topology.proto, "Partitions", CreatePartitions, ListPartitions): ranges of inode
 * ids of one fs, each hosted by a copyset of a METASERVER pool.
 *
 * Creating one: (1) under the topology lock, choose its copyset (the one of a METASERVER pool
 * hosting the fewest partitions below the limit, or a newly placed one), take its id from the
 * partition counter and its range from the fs's watermark, and record all three in one fenced
 * transaction, as "not created"; (2) create the copyset's replicas if they were never created;
 * (3) create the partition on the copyset's leader (idempotent); (4) record it created. Only
 * created partitions are listed or returned; a recorded one whose creation failed is finished by
 * the next call for its fs, so a range is never handed out twice.
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../../errors.js";
import {
  type FsType,
  type PartitionInfo,
  PartitionInfoSchema,
  PartitionStatus,
} from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { FsStatus } from "../../gen/curve/mds/v1/mds_pb.js";
import { PoolType } from "../../gen/curve/mds/v1/topology_pb.js";
import type { FsPartitions } from "../fs/fs-ports.js";
import { fsPartitionKey, partitionKey } from "../keys.js";
import type { CopysetLocation } from "../metaserver-client.js";
import { materializeCopyset, recordNewCopysets } from "./copysets.js";
import { type Page, pageOf } from "./paging.js";
import {
  encodePartition,
  encodePartitionIndex,
  encodeWatermark,
  fsInodeWatermarkKey,
} from "./topology-codec.js";
import type { TopologyDeps } from "./topology-deps.js";
import { locationOf, partitionMessage } from "./topology-messages.js";
import { type CopysetRecord, copysetRef, type PartitionRecord } from "./topology-records.js";
import { deleteWrite, putWrite, type TopologyTerm, type TopologyWrite } from "./topology-store.js";

/** The server default page size of ListPartitions (topology.proto). */
const DEFAULT_LIST_PAGE_SIZE = 1000;

/** What a partition-creating call did. */
export interface EnsuredPartitions {
  /** Every created READ_WRITE partition of the fs, ascending by start. */
  readonly partitions: PartitionInfo[];
  /** How many of them this call created (or finished creating). */
  readonly createdCount: number;
}

/**
 * Makes sure the fs has at least `count` created READ_WRITE partitions and returns every one
 * of them, ascending by start (CreateFs's initial partitions; the fs may be NEW). Calls for one
 * fs are serialised; partitions recorded by an earlier call that failed are finished first.
 * @throws CurveError FS_NOT_FOUND, NOT_ENOUGH_SERVERS, LEADER_UNKNOWN.
 */
export async function createPartitionsForFs(
  deps: TopologyDeps,
  fsId: number,
  count: number,
): Promise<PartitionInfo[]> {
  const fs = await deps.fs.get(fsId);
  if (!fs) throw fsNotFound(fsId);
  return (await ensurePartitions(deps, fsId, fs.fsType, count)).partitions;
}

/**
 * CreatePartitions: records the client-reported read-only partitions, then makes sure the fs
 * has `count` READ_WRITE partitions.
 * @throws CurveError FS_NOT_FOUND, FS_NOT_INITED, FS_DELETING, PARTITION_NOT_FOUND (nothing
 *   changed), NOT_ENOUGH_SERVERS, LEADER_UNKNOWN.
 */
export async function createPartitions(
  deps: TopologyDeps,
  fsId: number,
  count: number,
  readOnlyPartitionIds: readonly number[],
): Promise<EnsuredPartitions> {
  const fs = await deps.fs.get(fsId);
  if (!fs) throw fsNotFound(fsId);
  if (fs.status === FsStatus.NEW) {
    throw new CurveError(ErrorReason.FS_NOT_INITED, `fs ${fsId} is still being created`, {
      metadata: { fs_id: `${fsId}` },
    });
  }
  if (fs.status === FsStatus.DELETING) {
    throw new CurveError(ErrorReason.FS_DELETING, `fs ${fsId} is being deleted`, {
      metadata: { fs_id: `${fsId}` },
    });
  }
  return deps.partitionLocks.run(fsId, async () => {
    await markReadOnly(deps, fsId, readOnlyPartitionIds);
    return ensureUnlocked(deps, fsId, fs.fsType, count);
  });
}

/** Creates partitions until the fs has `count` created READ_WRITE ones; serialised per fs. */
export function ensurePartitions(
  deps: TopologyDeps,
  fsId: number,
  fsType: FsType,
  count: number,
): Promise<EnsuredPartitions> {
  return deps.partitionLocks.run(fsId, () => ensureUnlocked(deps, fsId, fsType, count));
}

async function ensureUnlocked(
  deps: TopologyDeps,
  fsId: number,
  fsType: FsType,
  count: number,
): Promise<EnsuredPartitions> {
  let createdCount = 0;
  const unfinished = (await deps.store.term()).view.partitionsOfFs(fsId).filter((p) => !p.created);
  for (const partition of unfinished) {
    await finishPartition(deps, partition.info, fsType);
    createdCount++;
  }
  for (;;) {
    const term = await deps.store.term();
    const writable = term.view
      .partitionsOfFs(fsId)
      .filter((p) => p.created && p.info.status === PartitionStatus.READ_WRITE)
      .map((p) => partitionMessage(term, p.info, undefined));
    if (writable.length >= count) return { partitions: writable, createdCount };
    await finishPartition(deps, await recordPartition(deps, fsId), fsType);
    createdCount++;
  }
}

/**
 * Step (1): chooses the copyset, id and range of a new partition of the fs and records them.
 * @throws CurveError NOT_ENOUGH_SERVERS when a new copyset is needed and cannot be placed.
 */
function recordPartition(deps: TopologyDeps, fsId: number): Promise<PartitionInfo> {
  return deps.store.exclusive(async (term) => {
    const copyset = chooseCopyset(deps, term) ?? (await placeCopysetForPartitions(deps, term));
    const watermark = term.view.watermarks.get(fsId);
    const start = watermark?.value ?? highestEnd(term, fsId);
    const info = create(PartitionInfoSchema, {
      fsId,
      poolId: copyset.poolId,
      copysetId: copyset.copysetId,
      partitionId: Number(await deps.ctx.ids.next("partition")),
      start,
      end: start + BigInt(deps.ctx.config.inodeIdsPerPartition) - 1n,
      txId: 0n,
      status: PartitionStatus.READ_WRITE,
    });
    await term.commit([
      putWrite(partitionKey(info.partitionId), encodePartition(info), undefined),
      putWrite(fsPartitionKey(fsId, info.partitionId), encodePartitionIndex(false), undefined),
      putWrite(fsInodeWatermarkKey(fsId), encodeWatermark(info.end + 1n), watermark),
    ]);
    deps.ctx.logger.info(
      { fsId, partitionId: info.partitionId, copyset: copysetRef(info.poolId, info.copysetId) },
      "partition recorded",
    );
    return info;
  });
}

/** Where the next partition starts when the fs has no watermark yet: after its highest end. */
function highestEnd(term: TopologyTerm, fsId: number): bigint {
  let next = 0n;
  for (const { info } of term.view.partitionsOfFs(fsId))
    if (info.end + 1n > next) next = info.end + 1n;
  return next;
}

/**
 * Among the copysets of METASERVER pools hosting fewer partitions than allowed, the one hosting
 * the fewest (then the lowest pool and copyset id).
 */
function chooseCopyset(deps: TopologyDeps, term: TopologyTerm): CopysetRecord | undefined {
  const counts = term.view.partitionCounts();
  const limit = deps.ctx.config.maxPartitionsPerCopyset;
  let best: { copyset: CopysetRecord; count: number } | undefined;
  for (const { value: copyset } of term.view.copysets.values()) {
    if (term.view.pools.get(copyset.poolId)?.value.type !== PoolType.METASERVER) continue;
    const count = counts.get(copysetRef(copyset.poolId, copyset.copysetId)) ?? 0;
    if (count >= limit) continue;
    if (
      !best ||
      count < best.count ||
      (count === best.count &&
        (copyset.poolId < best.copyset.poolId ||
          (copyset.poolId === best.copyset.poolId && copyset.copysetId < best.copyset.copysetId)))
    ) {
      best = { copyset, count };
    }
  }
  return best?.copyset;
}

/** A new copyset in the first METASERVER pool that can place one. */
async function placeCopysetForPartitions(
  deps: TopologyDeps,
  term: TopologyTerm,
): Promise<CopysetRecord> {
  const pools = [...term.view.pools.values()]
    .map((p) => p.value)
    .filter((p) => p.type === PoolType.METASERVER)
    .sort((a, b) => a.id - b.id);
  for (const pool of pools) {
    const [copyset] = await recordNewCopysets(deps, term, pool, 1);
    if (copyset) return copyset;
  }
  throw new CurveError(
    ErrorReason.NOT_ENOUGH_SERVERS,
    pools.length === 0
      ? "there is no METASERVER pool to place partitions in"
      : "no METASERVER pool has ONLINE metaservers with room in enough distinct zones for a new copyset",
  );
}

/** Steps (2)–(4): creates a recorded partition on its copyset's leader and records it created. */
async function finishPartition(
  deps: TopologyDeps,
  info: PartitionInfo,
  fsType: FsType,
): Promise<void> {
  await materializeCopyset(deps, info.poolId, info.copysetId);
  const term = await deps.store.term();
  const copyset = term.view.copyset(info.poolId, info.copysetId);
  if (!copyset) {
    throw new CurveError(
      ErrorReason.INTERNAL,
      `partition ${info.partitionId} names a missing copyset`,
    );
  }
  const hosted = await deps.metaServers.createPartition(locationOf(term, copyset), info, fsType);
  term.partitionCounters.set(info.partitionId, {
    nextId: hosted.nextId,
    inodeCount: hosted.inodeCount,
    dentryCount: hosted.dentryCount,
  });
  await deps.store.exclusive(async (t) => {
    const index = t.view.partitionIndex.get(info.partitionId);
    if (!index || index.value.created) return;
    await t.commit([putWrite(index.key, encodePartitionIndex(true), index)]);
  });
}

/** Records READ_ONLY each listed partition of the fs (validated all first: all or nothing). */
async function markReadOnly(
  deps: TopologyDeps,
  fsId: number,
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0) return;
  await deps.store.exclusive(async (term) => {
    const writes: TopologyWrite[] = [];
    for (const id of ids) {
      const current = term.view.partitions.get(id);
      if (!current || current.value.fsId !== fsId) {
        throw new CurveError(ErrorReason.PARTITION_NOT_FOUND, `fs ${fsId} has no partition ${id}`, {
          metadata: { partition_id: `${id}` },
        });
      }
      // One-way: READ_ONLY stays, DELETING is never undone.
      if (current.value.status !== PartitionStatus.READ_WRITE) continue;
      const next = { ...current.value, status: PartitionStatus.READ_ONLY };
      writes.push(putWrite(current.key, encodePartition(next), current));
    }
    await term.commit(writes);
  });
}

/** A partition listed with its copyset. */
export interface PartitionWithCopyset {
  readonly partition: PartitionInfo;
  readonly copyset: CopysetRecord | undefined;
}

/**
 * ListPartitions: the created partitions of the fs in every status, ascending by start, paged,
 * each with the committed tx id and the heartbeat counters.
 * @throws CurveError FS_NOT_FOUND, INVALID_ARGUMENT (page token).
 */
export async function listPartitions(
  deps: TopologyDeps,
  fsId: number,
  paging: { readonly pageSize: number; readonly pageToken: string },
): Promise<{ term: TopologyTerm; page: Page<PartitionWithCopyset> }> {
  if (!(await deps.fs.get(fsId))) throw fsNotFound(fsId);
  const term = await deps.store.term();
  const created = term.view.partitionsOfFs(fsId).filter((p) => p.created);
  const page = pageOf(created, (p) => p.info.start, {
    rpc: "ListPartitions",
    ...paging,
    defaultPageSize: DEFAULT_LIST_PAGE_SIZE,
  });
  return { term, page: { ...page, items: await withRoutes(deps, term, fsId, page.items) } };
}

/** The partitions with their committed tx ids, counters and copysets. */
export async function withRoutes(
  deps: TopologyDeps,
  term: TopologyTerm,
  fsId: number,
  partitions: readonly (PartitionRecord | PartitionInfo)[],
): Promise<PartitionWithCopyset[]> {
  const txIds = await deps.fs.txIds(fsId);
  return partitions.map((p) => {
    const info = "info" in p ? p.info : p;
    return {
      partition: partitionMessage(term, info, txIds.get(info.partitionId)),
      copyset: term.view.copyset(info.poolId, info.copysetId),
    };
  });
}

/** The fs area's port to partitions (fs-ports.ts), bound to this topology. */
export function fsPartitionsOf(deps: TopologyDeps): FsPartitions {
  return {
    createInitial: async (fsId, fsType, count) =>
      (await ensurePartitions(deps, fsId, fsType, count)).partitions,
    list: async (fsId) => {
      const term = await deps.store.term();
      return term.view
        .partitionsOfFs(fsId)
        .map((p) => partitionMessage(term, p.info, undefined))
        .sort((a, b) => a.partitionId - b.partitionId);
    },
    locate: (partition) => locatePartition(deps, partition),
    markDeleting: (partition) => markPartitionDeleting(deps, partition.partitionId),
    remove: (partition) => removePartition(deps, partition.partitionId),
  };
}

/** Where a partition's copyset lives. */
export async function locatePartition(
  deps: TopologyDeps,
  partition: PartitionInfo,
): Promise<CopysetLocation> {
  const term = await deps.store.term();
  const copyset = term.view.copyset(partition.poolId, partition.copysetId);
  if (!copyset) {
    throw new CurveError(
      ErrorReason.COPYSET_NOT_FOUND,
      `no copyset ${copysetRef(partition.poolId, partition.copysetId)}`,
    );
  }
  return locationOf(term, copyset);
}

/** Records a partition DELETING (one-way); nothing when it is gone already. */
export function markPartitionDeleting(deps: TopologyDeps, partitionId: number): Promise<void> {
  return deps.store.exclusive(async (term) => {
    const current = term.view.partitions.get(partitionId);
    if (!current || current.value.status === PartitionStatus.DELETING) return;
    const next = { ...current.value, status: PartitionStatus.DELETING };
    await term.commit([putWrite(current.key, encodePartition(next), current)]);
  });
}

/** Forgets a partition (its metaservers removed it); its range is never handed out again. */
export function removePartition(deps: TopologyDeps, partitionId: number): Promise<void> {
  return deps.store.exclusive(async (term) => {
    await term.commit(partitionRemoval(term, partitionId));
    term.partitionCounters.delete(partitionId);
  });
}

/** The writes that remove a partition's records. */
export function partitionRemoval(term: TopologyTerm, partitionId: number): TopologyWrite[] {
  const writes: TopologyWrite[] = [];
  const record = term.view.partitions.get(partitionId);
  const index = term.view.partitionIndex.get(partitionId);
  if (record) writes.push(deleteWrite(record));
  if (index) writes.push(deleteWrite(index));
  return writes;
}

function fsNotFound(fsId: number): CurveError {
  return new CurveError(ErrorReason.FS_NOT_FOUND, `no fs has id ${fsId}`, {
    metadata: { fs_id: `${fsId}` },
  });
}
