/**
 * rename(2) over partitions (mds.proto GetLatestTxId/CommitTx, metaserver.proto
 * PrepareRenameTx; curve-protos §7.7 v1):
 *
 * 1. take the fs's rename lock and the partitions' committed tx ids (GetLatestTxId with a lock
 *    owner), so renames of all mounts are serialised;
 * 2. look up the source and any target under the lock and check POSIX's rules;
 * 3. prepare: one PrepareRenameTx with the source delete and the destination put when both
 *    parents share a partition, else one per partition, each with its own tx id + 1;
 * 4. commit: CommitTx records the new tx ids of both partitions at once — the commit point;
 * 5. fix the inodes the metaserver does not touch: the moved inode's parent list and ctime, the
 *    parents' nlink (a directory changed parent) and times, and the overwritten target's link.
 *
 * A transaction conflict (another client's newer transaction, or the lock taken over) restarts
 * the rename from step 1 with fresh tx ids: the spec's retry for `aborted`.
 */
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { type Dentry, FileType } from "../gen/curve/metaserver/v1/inode_pb.js";
import { RenameTxAction } from "../gen/curve/metaserver/v1/metaserver_pb.js";
import { ClientError, reasonOf } from "./client-error.js";
import type { MdsCaller } from "./mds-caller.js";
import type { Namespace } from "./namespace.js";

/** One side of a rename: a name in a directory. */
export interface EntryRef {
  readonly parent: bigint;
  readonly name: string;
}

/** Reasons after which the rename starts again with fresh tx ids. */
const RESTART = new Set<ErrorReason>([
  ErrorReason.TX_CONFLICT,
  ErrorReason.TX_LOCK_NOT_OWNED,
  ErrorReason.TX_SEQUENCE_MISMATCH,
  ErrorReason.TX_LOCK_TIMEOUT,
]);
const MAX_RESTARTS = 8;

/** Who renames: the mount's metadata calls and its rename-lock owner. */
export interface RenameContext {
  readonly ns: Namespace;
  readonly mds: MdsCaller;
  /** Unique per mount (mds.proto GetLatestTxId `lock_owner`). */
  readonly lockOwner: string;
}

export async function renameEntry(
  context: RenameContext,
  from: EntryRef,
  to: EntryRef,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await renameOnce(context, from, to);
    } catch (error) {
      const reason = reasonOf(error);
      if (reason === undefined || !RESTART.has(reason) || attempt >= MAX_RESTARTS) throw error;
    }
  }
}

async function renameOnce(
  { ns, mds, lockOwner }: RenameContext,
  from: EntryRef,
  to: EntryRef,
): Promise<void> {
  const lock = await mds.call(
    ({ mds }, timeoutMs) => mds.getLatestTxId({ fsId: ns.fsId, lockOwner }, { timeoutMs }),
    true,
  );
  const cache = ns.partitions.cache;
  cache.learnTxIds(lock.txIds);

  const source = await ns.lookup(from.parent, from.name);
  const target = await ns.find(to.parent, to.name);
  if (target?.inodeId === source.inodeId) return; // Both names are links of one inode: POSIX says do nothing.
  await checkReplace(ns, source, target);

  const srcPartition = await ns.partitions.partitionOf(from.parent);
  const dstPartition = await ns.partitions.partitionOf(to.parent);
  const remove = {
    action: RenameTxAction.DELETE,
    parentInodeId: from.parent,
    name: from.name,
    inodeId: source.inodeId,
    type: source.type,
  };
  const put = { ...remove, action: RenameTxAction.PUT, parentInodeId: to.parent, name: to.name };
  const plans =
    srcPartition.partitionId === dstPartition.partitionId
      ? [{ partition: srcPartition, entries: [remove, put] }]
      : [
          { partition: srcPartition, entries: [remove] },
          { partition: dstPartition, entries: [put] },
        ];
  const newTxIds = plans.map(({ partition }) => ({
    partitionId: partition.partitionId,
    txId: partition.txId + 1n,
  }));
  await Promise.all(
    plans.map(({ partition, entries }) =>
      ns.partitions.call(
        partition,
        (client, timeoutMs) =>
          client.prepareRenameTx(
            {
              fsId: ns.fsId,
              partitionId: partition.partitionId,
              txId: partition.txId + 1n,
              txSequence: lock.txSequence,
              entries,
            },
            { timeoutMs },
          ),
        true,
      ),
    ),
  );
  await mds.call(
    ({ mds }, timeoutMs) =>
      mds.commitTx(
        { fsId: ns.fsId, partitionTxIds: newTxIds, lockOwner, txSequence: lock.txSequence },
        { timeoutMs },
      ),
    true,
  );
  cache.learnTxIds(newTxIds);
  await fixInodes(ns, source, from, to, target);
}

/** POSIX: a directory replaces only an empty directory; a non-directory only a non-directory. */
async function checkReplace(
  ns: Namespace,
  source: Dentry,
  target: Dentry | undefined,
): Promise<void> {
  if (target === undefined) return;
  const sourceIsDir = source.type === FileType.DIRECTORY;
  const targetIsDir = target.type === FileType.DIRECTORY;
  if (sourceIsDir && !targetIsDir) throw new ClientError("ENOTDIR", { syscall: "rename" });
  if (!sourceIsDir && targetIsDir) throw new ClientError("EISDIR", { syscall: "rename" });
  if (targetIsDir && (await ns.hasEntries(target.inodeId))) {
    throw new ClientError("ENOTEMPTY", { syscall: "rename" });
  }
}

/** Step 5 of the module comment. */
async function fixInodes(
  ns: Namespace,
  source: Dentry,
  from: EntryRef,
  to: EntryRef,
  target: Dentry | undefined,
): Promise<void> {
  const time = ns.time();
  const moved = await ns.getAttr(source.inodeId);
  const parents = [...moved.parentInodeIds];
  const at = parents.indexOf(from.parent);
  if (at >= 0) parents[at] = to.parent;
  else parents.push(to.parent);
  await ns.updateInode(source.inodeId, { parents: { inodeIds: parents }, ctime: time });

  if (target !== undefined) {
    const replaced = await ns.getAttr(target.inodeId).catch(() => undefined);
    if (replaced !== undefined) await ns.dropLink(replaced);
  }

  // A child directory counts in its parent's nlink.
  const delta = new Map<bigint, number>([
    [from.parent, 0],
    [to.parent, 0],
  ]);
  if (source.type === FileType.DIRECTORY) {
    delta.set(from.parent, (delta.get(from.parent) ?? 0) - 1);
    delta.set(to.parent, (delta.get(to.parent) ?? 0) + 1);
  }
  if (target?.type === FileType.DIRECTORY) delta.set(to.parent, (delta.get(to.parent) ?? 0) - 1);
  for (const [parent, change] of delta) {
    const attr = await ns.getAttr(parent);
    await ns.updateInode(parent, {
      ...(change === 0 ? {} : { nlink: Math.max(2, attr.nlink + change) }),
      mtime: time,
      ctime: time,
    });
  }
}
