/**
 * GetLatestTxId and CommitTx (mds.proto): the committed rename-transaction ids of an fs's
 * partitions, and the fs's rename lock.
 *
 * The lock lives in the leader's memory (owner and expiry per fs); what must survive a failover
 * is stored in the fs record: `tx_owner` and `tx_sequence`, which CommitTx checks, so a commit
 * made under a lock another owner has taken since is refused whatever the lock table says. A
 * new leader treats each fs's `tx_owner` as holding the lock for a full TTL from the moment it
 * serves (as it does with mount sessions), so no second owner gets in during a failover.
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import {
  type CommitTxRequest,
  type FsInfo,
  type PartitionTxId,
  PartitionTxIdSchema,
} from "../../gen/curve/mds/v1/mds_pb.js";
import type { Clock } from "../../storage/clock.js";
import { fsKey } from "../keys.js";
import type { FsDeps } from "./fs-deps.js";
import { changeFs, requireFsById, requireInited } from "./fs-lookup.js";
import type { TxIdRepository, TxIdWrite } from "./tx-id-repository.js";

/** What GetLatestTxId returns. */
export interface LatestTxIds {
  readonly txIds: PartitionTxId[];
  readonly txSequence: bigint;
  readonly lockTtlMs: number;
}

interface Hold {
  readonly owner: string;
  readonly expiresAt: number;
}

/** A commit that lost to a concurrent change of the fs record is decided again this often. */
const MAX_COMMIT_ATTEMPTS = 16;

/** The rename locks this leader holds for clients, by fs id. */
export class RenameLocks {
  readonly #clock: Clock;
  readonly #holds = new Map<number, Hold>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A new term: the last owner of each fs holds its lock for `ttlMs` from now. */
  reset(fileSystems: Iterable<FsInfo>, ttlMs: number): void {
    this.#holds.clear();
    for (const fs of fileSystems) if (fs.txOwner !== "") this.take(fs.fsId, fs.txOwner, ttlMs);
  }

  /** The owner holding the lock now, if any. */
  holder(fsId: number): string | undefined {
    const hold = this.#holds.get(fsId);
    if (!hold || hold.expiresAt <= this.#clock.now()) return undefined;
    return hold.owner;
  }

  take(fsId: number, owner: string, ttlMs: number): void {
    this.#holds.set(fsId, { owner, expiresAt: this.#clock.now() + ttlMs });
  }

  release(fsId: number, owner: string): void {
    if (this.#holds.get(fsId)?.owner === owner) this.#holds.delete(fsId);
  }
}

/** GetLatestTxId: the tx ids of every partition, taking the rename lock when `lockOwner` is set. */
export async function getLatestTxId(
  deps: FsDeps,
  txIds: TxIdRepository,
  locks: RenameLocks,
  fsId: number,
  lockOwner: string | undefined,
): Promise<LatestTxIds> {
  const found = (await requireFsById(deps.repo, fsId)).info;
  requireInited(found);
  const fs = lockOwner === undefined ? found : await takeLock(deps, locks, fsId, lockOwner);
  const partitions = await deps.partitions.list(fsId);
  const committed = await txIds.read(fsId);
  const ids = partitions
    .map((p) => p.partitionId)
    .sort((a, b) => a - b)
    .map((partitionId) =>
      create(PartitionTxIdSchema, { partitionId, txId: committed.get(partitionId)?.txId ?? 0n }),
    );
  return {
    txIds: ids,
    txSequence: fs.txSequence,
    lockTtlMs: lockOwner === undefined ? 0 : deps.ctx.config.txLockTtlMs,
  };
}

/** Takes (or renews) the lock, waiting up to the lock wait time for another owner to let go. */
async function takeLock(
  deps: FsDeps,
  locks: RenameLocks,
  fsId: number,
  owner: string,
): Promise<FsInfo> {
  const { clock, config } = deps.ctx;
  const deadline = clock.now() + config.txLockWaitMs;
  for (;;) {
    const taken = await deps.fsLocks.run(fsId, async () => {
      const holder = locks.holder(fsId);
      if (holder !== undefined && holder !== owner) return undefined;
      const fs = await changeFs(
        deps.repo,
        () => requireFsById(deps.repo, fsId),
        ({ info }) => {
          requireInited(info);
          if (info.txOwner === owner) return { result: info };
          // A new owner: the sequence tells its commits from those of earlier holders.
          const next = { ...info, txOwner: owner, txSequence: info.txSequence + 1n };
          return { write: next, result: next };
        },
      );
      locks.take(fsId, owner, config.txLockTtlMs);
      return fs;
    });
    if (taken) return taken;
    const left = deadline - clock.now();
    if (left <= 0) {
      throw new CurveError(
        ErrorReason.TX_LOCK_TIMEOUT,
        `the rename lock of file system ${fsId} is held by another owner`,
        { metadata: { fs_id: String(fsId) } },
      );
    }
    await delay(clock, Math.min(config.txLockRetryMs, left));
  }
}

/** CommitTx: sets the tx ids of the listed partitions, all or none. */
export async function commitTx(
  deps: FsDeps,
  txIds: TxIdRepository,
  locks: RenameLocks,
  request: CommitTxRequest,
): Promise<void> {
  const { fsId } = request;
  await deps.fsLocks.run(fsId, async () => {
    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      const fs = await requireFsById(deps.repo, fsId);
      requireInited(fs.info);
      checkLockedCommit(fs.info, request);
      const writes = await decideTxIds(deps, txIds, fsId, request.partitionTxIds);
      const committed =
        writes.length === 0 ||
        (await txIds.commit(fsId, writes, [
          { key: fsKey(fsId), target: "modRevision", op: "==", value: fs.modRevision },
        ]));
      if (committed) {
        if (request.lockOwner !== undefined) locks.release(fsId, request.lockOwner);
        return;
      }
    }
    throw new CurveError(
      ErrorReason.STORAGE_FAILURE,
      "the file system kept changing; nothing was set",
    );
  });
}

function checkLockedCommit(info: FsInfo, request: CommitTxRequest): void {
  if (request.lockOwner === undefined) return;
  const metadata = { fs_id: String(info.fsId) };
  if (info.txOwner !== request.lockOwner) {
    throw new CurveError(
      ErrorReason.TX_LOCK_NOT_OWNED,
      `the rename lock was taken by another owner since`,
      { metadata },
    );
  }
  if (info.txSequence !== request.txSequence) {
    throw new CurveError(
      ErrorReason.TX_SEQUENCE_MISMATCH,
      `tx sequence ${request.txSequence} is not the current ${info.txSequence}`,
      { metadata },
    );
  }
}

/** The changed tx ids, after checking every partition exists and no id goes backwards. */
async function decideTxIds(
  deps: FsDeps,
  txIds: TxIdRepository,
  fsId: number,
  requested: readonly PartitionTxId[],
): Promise<TxIdWrite[]> {
  const partitions = new Set((await deps.partitions.list(fsId)).map((p) => p.partitionId));
  const committed = await txIds.read(fsId);
  const writes: TxIdWrite[] = [];
  for (const { partitionId, txId } of requested) {
    const metadata = { partition_id: String(partitionId), fs_id: String(fsId) };
    if (!partitions.has(partitionId)) {
      throw new CurveError(
        ErrorReason.PARTITION_NOT_FOUND,
        `file system ${fsId} has no partition ${partitionId}`,
        { metadata },
      );
    }
    const current = committed.get(partitionId)?.txId ?? 0n;
    if (txId < current) {
      throw new CurveError(
        ErrorReason.TX_ID_BACKWARDS,
        `partition ${partitionId} is at tx id ${current}; ${txId} would move it backwards`,
        { metadata },
      );
    }
    if (txId !== current) writes.push({ partitionId, txId });
  }
  return writes;
}

function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}
