/** GetLatestTxId and CommitTx: the rename-transaction RPCs. */
import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, UNKNOWN_FS_ID } from "../fixtures.js";

const getLatestTxId = MdsService.method.getLatestTxId;
const commitTx = MdsService.method.commitTx;

export const renameTxCases: ConformanceCase[] = [
  rejects({
    id: "mds.get_latest_tx_id.unknown_fs",
    method: getLatestTxId,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no fs has this id.",
    request: { fsId: UNKNOWN_FS_ID },
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.get_latest_tx_id.unknown_fs_with_lock",
    method: getLatestTxId,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no fs has this id.",
    request: { fsId: UNKNOWN_FS_ID, lockOwner: "conformance-owner" },
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.get_latest_tx_id.lock_owner_empty",
    method: getLatestTxId,
    spec: "When present, take (or renew) the fs's rename lock for this owner: a unique string chosen by the client, 1 to 128 bytes.",
    request: { fsId: UNKNOWN_FS_ID, lockOwner: "" },
    expect: invalidArgument("lock_owner"),
  }),
  rejects({
    id: "mds.get_latest_tx_id.zero_fs_id",
    method: getLatestTxId,
    spec: "The fs. Greater than 0.",
    request: { fsId: 0 },
    expect: invalidArgument("fs_id"),
  }),
  steps({
    id: "mds.get_latest_tx_id.lock_same_owner_same_sequence",
    method: getLatestTxId,
    spec: "With it, a repeat by the same owner renews the lock and returns the same sequence, so the call is idempotent either way.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const owner = ctx.unique("owner");
      const first = await ctx.mds.getLatestTxId({ fsId: fs.fsId, lockOwner: owner });
      const again = await ctx.mds.getLatestTxId({ fsId: fs.fsId, lockOwner: owner });
      check(first.txSequence === again.txSequence, "the repeat changed tx_sequence");
      check(first.lockTtlMs > 0, "lock_ttl_ms is 0 with lock_owner");
    },
  }),
  rejects({
    id: "mds.commit_tx.unknown_fs",
    method: commitTx,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no fs has this id.",
    request: { fsId: UNKNOWN_FS_ID, partitionTxIds: [{ partitionId: 1, txId: 1n }] },
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.commit_tx.no_partitions",
    method: commitTx,
    spec: "The new tx id of each partition the rename touched: 1 to 128 entries, each partition once.",
    request: { fsId: UNKNOWN_FS_ID, partitionTxIds: [] },
    expect: invalidArgument("partition_tx_ids"),
  }),
  rejects({
    id: "mds.commit_tx.duplicate_partition",
    method: commitTx,
    spec: "The new tx id of each partition the rename touched: 1 to 128 entries, each partition once.",
    request: {
      fsId: UNKNOWN_FS_ID,
      partitionTxIds: [
        { partitionId: 7, txId: 1n },
        { partitionId: 7, txId: 2n },
      ],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.commit_tx.lock_owner_without_sequence",
    method: commitTx,
    spec: "For a locked commit: the owner that took the rename lock (1 to 128 bytes). Given together with `tx_sequence`.",
    request: {
      fsId: UNKNOWN_FS_ID,
      partitionTxIds: [{ partitionId: 1, txId: 1n }],
      lockOwner: "conformance-owner",
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "mds.commit_tx.zero_partition_id",
    method: commitTx,
    spec: "The partition. Greater than 0.",
    request: { fsId: UNKNOWN_FS_ID, partitionTxIds: [{ partitionId: 0, txId: 1n }] },
    expect: invalidArgument(),
  }),
];
