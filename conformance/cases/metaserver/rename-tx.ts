/**
 * MetaServerService PrepareRenameTx and the visibility of pending rename transactions, within
 * one partition and across two.
 */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  MetaServerService,
  RenameTxAction,
} from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { type ExpectedError, expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  at,
  createInode,
  createLinked,
  extraPartition,
  type FsPartition,
  newPartition,
  on,
} from "./partition-fixture.js";

const m = MetaServerService.method;
const txConflict: ExpectedError = { code: Code.Aborted, reason: ErrorReason.TX_CONFLICT };

function put(parentInodeId: bigint, name: string, inodeId: bigint, type = FileType.REGULAR) {
  return { action: RenameTxAction.PUT, parentInodeId, name, inodeId, type };
}

function del(parentInodeId: bigint, name: string, inodeId: bigint, type = FileType.REGULAR) {
  return { action: RenameTxAction.DELETE, parentInodeId, name, inodeId, type };
}

/** Whether `name` in the root is visible at `txId`, and to which inode. */
async function lookup(
  p: FsPartition,
  name: string,
  txId: bigint,
  parent = 1n,
): Promise<bigint | undefined> {
  return p.meta
    .getDentry({ ...on(p), parentInodeId: parent, name, txId })
    .then((r) => r.dentry?.inodeId)
    .catch(() => undefined);
}

export const prepareRenameTxCases: ConformanceCase[] = [
  rejects({
    id: "metaserver.prepare_rename_tx.tx_id_zero",
    method: m.prepareRenameTx,
    spec: "The transaction's tx id in this partition: the partition's committed tx id + 1, as returned by the MDS; > 0.",
    request: { fsId: 1, partitionId: 1, txId: 0n, entries: [] },
    expect: invalidArgument("tx_id"),
  }),
  rejects({
    id: "metaserver.prepare_rename_tx.three_entries",
    method: m.prepareRenameTx,
    spec: "The dentry changes: 0 to 2, naming distinct (parent, name) pairs.",
    request: {
      fsId: 1,
      partitionId: 1,
      txId: 1n,
      entries: [put(1n, "a", 5n), put(1n, "b", 6n), put(1n, "c", 7n)],
    },
    expect: invalidArgument("entries"),
  }),
  rejects({
    id: "metaserver.prepare_rename_tx.same_name_twice",
    method: m.prepareRenameTx,
    spec: "two entries of one transaction must not name the same (parent, name) (rule prepare_rename_tx_request.entries_distinct).",
    request: { fsId: 1, partitionId: 1, txId: 1n, entries: [put(1n, "a", 5n), del(1n, "a", 5n)] },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.prepare_rename_tx.action_unspecified",
    method: m.prepareRenameTx,
    spec: "Put or delete; a defined value other than RENAME_TX_ACTION_UNSPECIFIED.",
    request: {
      fsId: 1,
      partitionId: 1,
      txId: 1n,
      entries: [{ ...put(1n, "a", 5n), action: RenameTxAction.UNSPECIFIED }],
    },
    expect: invalidArgument("entries.action"),
  }),
  steps({
    id: "metaserver.prepare_rename_tx.visible_from_its_tx_id",
    method: m.prepareRenameTx,
    spec: "The entries become visible to requests whose `tx_id` >= this `tx_id` … Reads (GetDentry, ListDentry) include a visible pending transaction without changing state.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "old");
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 1n,
        entries: [del(1n, "old", file.inodeId), put(1n, "new", file.inodeId)],
      });
      check(
        (await lookup(p, "old", 0n)) === file.inodeId,
        "tx_id 0 does not see the entry before the rename",
      );
      check((await lookup(p, "new", 0n)) === undefined, "tx_id 0 sees the pending rename");
      check((await lookup(p, "old", 1n)) === undefined, "tx_id 1 still sees the renamed entry");
      check(
        (await lookup(p, "new", 1n)) === file.inodeId,
        "tx_id 1 does not see the renamed entry",
      );
      const listed = await p.meta.listDentry({ ...on(p), parentInodeId: 1n, txId: 1n });
      check(
        listed.dentries.map((d) => `${d.name}@${d.txId}`).join(",") === "new@1",
        `ListDentry at tx 1: ${listed.dentries.map((d) => d.name).join(",")}`,
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.identical_retry_ok",
    method: m.prepareRenameTx,
    spec: "Idempotent: an identical retry returns OK while the transaction is still pending.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "x");
      const request = {
        ...on(p),
        txId: 1n,
        txSequence: 4n,
        entries: [del(1n, "x", file.inodeId), put(1n, "y", file.inodeId)],
      };
      await p.meta.prepareRenameTx(request);
      await p.meta.prepareRenameTx(request);
      check(
        (await lookup(p, "y", 1n)) === file.inodeId,
        "the retried transaction is not visible at tx 1",
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.lower_sequence_conflicts",
    method: m.prepareRenameTx,
    spec: "`tx_id` = P's tx id: … if `tx_sequence` >= P's, P is rolled back (dropped) and this transaction replaces it; if `tx_sequence` < P's the call fails with TX_CONFLICT.",
    reasons: [ErrorReason.TX_CONFLICT],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "x");
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 1n,
        txSequence: 5n,
        entries: [del(1n, "x", file.inodeId), put(1n, "y", file.inodeId)],
      });
      await expectError(
        p.meta.prepareRenameTx({
          ...on(p),
          txId: 1n,
          txSequence: 4n,
          entries: [del(1n, "x", file.inodeId), put(1n, "z", file.inodeId)],
        }),
        txConflict,
      );
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 1n,
        txSequence: 6n,
        entries: [del(1n, "x", file.inodeId), put(1n, "z", file.inodeId)],
      });
      check(
        (await lookup(p, "z", 1n)) === file.inodeId && (await lookup(p, "y", 1n)) === undefined,
        "a higher sequence did not replace the pending transaction",
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.empty_rolls_back",
    method: m.prepareRenameTx,
    spec: "An empty `entries` list is allowed: it rolls back an abandoned pending transaction P of the same tx id … without writing anything.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "x");
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 1n,
        txSequence: 1n,
        entries: [del(1n, "x", file.inodeId), put(1n, "y", file.inodeId)],
      });
      await p.meta.prepareRenameTx({ ...on(p), txId: 1n, txSequence: 2n, entries: [] });
      check(
        (await lookup(p, "x", 1n)) === file.inodeId && (await lookup(p, "y", 1n)) === undefined,
        "the abandoned transaction is still visible",
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.stale_tx_id_conflicts",
    method: m.prepareRenameTx,
    spec: "`tx_id` < P's tx id, or `tx_id` <= the folded tx id: the caller's tx id is stale; TX_CONFLICT.",
    reasons: [ErrorReason.TX_CONFLICT],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "x");
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 1n,
        entries: [del(1n, "x", file.inodeId), put(1n, "y", file.inodeId)],
      });
      // tx 2 folds tx 1 (committed) and becomes pending; tx 1 is now stale.
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 2n,
        entries: [del(1n, "y", file.inodeId), put(1n, "z", file.inodeId)],
      });
      await expectError(p.meta.prepareRenameTx({ ...on(p), txId: 1n, entries: [] }), txConflict);
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.delete_missing_entry",
    method: m.prepareRenameTx,
    spec: "`not_found` ERROR_REASON_DENTRY_NOT_FOUND: a delete names an entry that does not exist.",
    reasons: [ErrorReason.DENTRY_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.prepareRenameTx({ ...on(p), txId: 1n, entries: [del(1n, "ghost", 99n)] }),
        {
          code: Code.NotFound,
          reason: ErrorReason.DENTRY_NOT_FOUND,
        },
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.put_parent_missing",
    method: m.prepareRenameTx,
    spec: "`not_found` ERROR_REASON_INODE_NOT_FOUND: a put's parent inode does not exist.",
    reasons: [ErrorReason.INODE_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.prepareRenameTx({ ...on(p), txId: 1n, entries: [put(888n, "x", 99n)] }),
        {
          code: Code.NotFound,
          reason: ErrorReason.INODE_NOT_FOUND,
        },
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.put_parent_not_directory",
    method: m.prepareRenameTx,
    spec: "`failed_precondition` ERROR_REASON_INODE_TYPE_MISMATCH: a put's parent is not a directory.",
    reasons: [ErrorReason.INODE_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "f");
      await expectError(
        p.meta.prepareRenameTx({ ...on(p), txId: 1n, entries: [put(file.inodeId, "x", 99n)] }),
        {
          code: Code.FailedPrecondition,
          reason: ErrorReason.INODE_TYPE_MISMATCH,
        },
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.entry_parent_out_of_range",
    method: m.prepareRenameTx,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: an entry's parent lies outside the partition's range.",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.prepareRenameTx({ ...on(p), txId: 1n, entries: [put(p.end + 5n, "x", 99n)] }),
        {
          code: Code.InvalidArgument,
          reason: ErrorReason.PARTITION_MISMATCH,
        },
      );
    },
  }),
  steps({
    id: "metaserver.create_dentry.pending_name_conflicts",
    method: m.createDentry,
    spec: "`aborted` ERROR_REASON_TX_CONFLICT: the name is part of the partition's pending rename transaction, which is not visible at `tx_id`.",
    reasons: [ErrorReason.TX_CONFLICT],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "src");
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 1n,
        entries: [del(1n, "src", file.inodeId), put(1n, "dst", file.inodeId)],
      });
      const other = await createInode(p);
      await expectError(
        p.meta.createDentry({
          ...on(p),
          parentInodeId: 1n,
          name: "dst",
          inodeId: other.inodeId,
          type: FileType.REGULAR,
          time: at(1),
          txId: 0n,
        }),
        txConflict,
      );
    },
  }),
  steps({
    id: "metaserver.delete_dentry.pending_name_conflicts",
    method: m.deleteDentry,
    spec: "`aborted` ERROR_REASON_TX_CONFLICT: the name is part of the partition's pending rename transaction, which is not visible at `tx_id`; refresh the tx id from the MDS and retry.",
    reasons: [ErrorReason.TX_CONFLICT],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "src");
      await p.meta.prepareRenameTx({
        ...on(p),
        txId: 1n,
        entries: [del(1n, "src", file.inodeId), put(1n, "dst", file.inodeId)],
      });
      await expectError(
        p.meta.deleteDentry({ ...on(p), parentInodeId: 1n, name: "src", time: at(1), txId: 0n }),
        txConflict,
      );
      const removed = await p.meta.deleteDentry({
        ...on(p),
        parentInodeId: 1n,
        name: "dst",
        time: at(2),
        txId: 1n,
      });
      check(
        removed.dentry?.inodeId === file.inodeId,
        "DeleteDentry at the committed tx id did not fold the rename",
      );
    },
  }),
  steps({
    id: "metaserver.prepare_rename_tx.across_two_partitions",
    method: m.prepareRenameTx,
    spec: "a rename across two partitions sends one call to each, each with that partition's own `tx_id` … The entries become visible to requests whose `tx_id` >= this `tx_id`, i.e. once MdsService.CommitTx has recorded it and callers learn it.",
    run: async (ctx) => {
      const first = await newPartition(ctx);
      // Another partition of the same fs, in a range no MDS hands out this early.
      const second = await extraPartition(ctx, first, { fsId: first.fsId, start: 1n << 43n });
      const dir = await createInode(second, { type: FileType.DIRECTORY, parentInodeId: 1n });
      await first.meta.createDentry({
        ...on(first),
        parentInodeId: 1n,
        name: "dir",
        inodeId: dir.inodeId,
        type: FileType.DIRECTORY,
        time: at(1),
      });
      check(
        dir.inodeId > first.end,
        `CreateInode in the second partition returned id ${dir.inodeId}, inside the first's range`,
      );
      const file = await createLinked(first, "moving");
      await first.meta.prepareRenameTx({
        ...on(first),
        txId: 1n,
        entries: [del(1n, "moving", file.inodeId)],
      });
      await second.meta.prepareRenameTx({
        ...on(second),
        txId: 1n,
        entries: [put(dir.inodeId, "moved", file.inodeId)],
      });
      check(
        (await lookup(first, "moving", 0n)) === file.inodeId,
        "before the commit the source is gone",
      );
      check(
        (await lookup(second, "moved", 0n, dir.inodeId)) === undefined,
        "before the commit the target is visible",
      );
      check(
        (await lookup(first, "moving", 1n)) === undefined,
        "after the commit the source is still visible",
      );
      check(
        (await lookup(second, "moved", 1n, dir.inodeId)) === file.inodeId,
        "after the commit the target is missing",
      );
    },
  }),
];
