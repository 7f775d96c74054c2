/**
 * GetLatestTxId and CommitTx (mds.proto): committed tx ids, the rename lock, tx sequences; on
 * real etcd and on the embedded store.
 */
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { CommitTxRequestSchema } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import { KV_BACKENDS } from "../../support/mds-kv-backends.js";
import { expectReason } from "./expect-reason.js";
import {
  advanceUntilSettled,
  type FsHarness,
  s3FsRequest,
  startFsHarness,
  volumeFsRequest,
} from "./fs-harness.js";

const LOCK_TTL = 5_000;
const LOCK_WAIT = 300;

describe.each(KV_BACKENDS)("rename transactions on %s", (backend) => {
  let h: FsHarness;
  let fsId: number;
  let partitionIds: number[];
  beforeEach(async () => {
    h = await startFsHarness(backend, {
      txLockTtlMs: LOCK_TTL,
      txLockWaitMs: LOCK_WAIT,
      txLockRetryMs: 30,
    });
    fsId = (await h.fs.createFs(s3FsRequest("tx"))).fsId;
    partitionIds = (await h.partitions.list(fsId)).map((p) => p.partitionId);
  });
  afterEach(() => h.close());

  const commit = (entries: [number, bigint][], lock?: { owner: string; sequence: bigint }) =>
    h.fs.commitTx(
      create(CommitTxRequestSchema, {
        fsId,
        partitionTxIds: entries.map(([partitionId, txId]) => ({ partitionId, txId })),
        ...(lock ? { lockOwner: lock.owner, txSequence: lock.sequence } : {}),
      }),
    );
  const txIdsNow = async () =>
    (await h.fs.getLatestTxId(fsId, undefined)).txIds.map((t) => [t.partitionId, t.txId]);

  it("GetLatestTxId lists every partition in ascending id order, at tx id 0 before any rename", async () => {
    const latest = await h.fs.getLatestTxId(fsId, undefined);
    expect(latest.txIds.map((t) => t.partitionId)).toEqual([...partitionIds].sort((a, b) => a - b));
    expect(latest.txIds.every((t) => t.txId === 0n)).toBe(true);
    expect(latest).toMatchObject({ txSequence: 0n, lockTtlMs: 0 });
  });

  it("CommitTx sets the tx ids of all listed partitions; a repeat is OK", async () => {
    const [a, b, c] = partitionIds as [number, number, number];
    await commit([
      [a, 1n],
      [b, 1n],
    ]);
    await commit([
      [a, 1n],
      [b, 1n],
    ]);
    expect(await txIdsNow()).toEqual([
      [a, 1n],
      [b, 1n],
      [c, 0n],
    ]);
  });

  it("a tx id that would move backwards answers TX_ID_BACKWARDS and sets nothing", async () => {
    const [a, b] = partitionIds as [number, number];
    await commit([[a, 5n]]);
    await expectReason(
      commit([
        [b, 1n],
        [a, 4n],
      ]),
      ErrorReason.TX_ID_BACKWARDS,
    );
    expect((await txIdsNow()).find(([id]) => id === b)?.[1]).toBe(0n);
  });

  it("a partition of another fs (or none) answers PARTITION_NOT_FOUND naming it", async () => {
    const other = (await h.fs.createFs(s3FsRequest("tx-other"))).fsId;
    const foreign = (await h.partitions.list(other))[0]?.partitionId ?? 0;
    const error = await expectReason(commit([[foreign, 1n]]), ErrorReason.PARTITION_NOT_FOUND);
    expect(error.metadata.partition_id).toBe(String(foreign));
  });

  it("takes the rename lock: a new owner raises the sequence; the same owner renews it", async () => {
    const first = await h.fs.getLatestTxId(fsId, "client-a");
    expect(first).toMatchObject({ txSequence: 1n, lockTtlMs: LOCK_TTL });
    const renewed = await h.fs.getLatestTxId(fsId, "client-a");
    expect(renewed.txSequence).toBe(1n);
    const fs = await h.fs.getFsInfo(fsId, undefined);
    expect(fs).toMatchObject({ txOwner: "client-a", txSequence: 1n });
  });

  it("a lock held by another owner makes GetLatestTxId wait, then answer TX_LOCK_TIMEOUT", async () => {
    await h.fs.getLatestTxId(fsId, "client-a");
    await expectReason(
      advanceUntilSettled(h.clock, h.fs.getLatestTxId(fsId, "client-b")),
      ErrorReason.TX_LOCK_TIMEOUT,
    );
  });

  it("an expired lock is taken by the next owner, with the next sequence", async () => {
    await h.fs.getLatestTxId(fsId, "client-a");
    await h.clock.advance(LOCK_TTL);
    const taken = await h.fs.getLatestTxId(fsId, "client-b");
    expect(taken.txSequence).toBe(2n);
  });

  it("a locked commit releases the lock; the next owner need not wait", async () => {
    const [a] = partitionIds as [number];
    const { txSequence } = await h.fs.getLatestTxId(fsId, "client-a");
    await commit([[a, 1n]], { owner: "client-a", sequence: txSequence });
    const next = await h.fs.getLatestTxId(fsId, "client-b");
    expect(next.txSequence).toBe(2n);
  });

  it("a locked commit after another owner took the lock answers TX_LOCK_NOT_OWNED", async () => {
    const [a] = partitionIds as [number];
    const { txSequence } = await h.fs.getLatestTxId(fsId, "client-a");
    await h.clock.advance(LOCK_TTL);
    await h.fs.getLatestTxId(fsId, "client-b");
    await expectReason(
      commit([[a, 1n]], { owner: "client-a", sequence: txSequence }),
      ErrorReason.TX_LOCK_NOT_OWNED,
    );
    expect((await txIdsNow())[0]?.[1]).toBe(0n);
  });

  it("a locked commit with another sequence answers TX_SEQUENCE_MISMATCH", async () => {
    const [a] = partitionIds as [number];
    const { txSequence } = await h.fs.getLatestTxId(fsId, "client-a");
    await expectReason(
      commit([[a, 1n]], { owner: "client-a", sequence: txSequence + 1n }),
      ErrorReason.TX_SEQUENCE_MISMATCH,
    );
  });

  it("an expired lock that nobody took still counts as the caller's", async () => {
    const [a] = partitionIds as [number];
    const { txSequence } = await h.fs.getLatestTxId(fsId, "client-a");
    await h.clock.advance(3 * LOCK_TTL);
    await commit([[a, 2n]], { owner: "client-a", sequence: txSequence });
    expect((await txIdsNow()).find(([id]) => id === a)?.[1]).toBe(2n);
  });

  it("after a leader change the last owner keeps the lock for a full TTL", async () => {
    await h.fs.getLatestTxId(fsId, "client-a");
    await h.restart();
    await expectReason(
      advanceUntilSettled(h.clock, h.fs.getLatestTxId(fsId, "client-b")),
      ErrorReason.TX_LOCK_TIMEOUT,
    );
    await h.clock.advance(LOCK_TTL);
    expect((await h.fs.getLatestTxId(fsId, "client-b")).txSequence).toBe(2n);
  });

  it("unknown, NEW and DELETING file systems answer as documented", async () => {
    await expectReason(h.fs.getLatestTxId(999, undefined), ErrorReason.FS_NOT_FOUND);
    const vol = await h.fs.createFs(volumeFsRequest("tx-vol"));
    await h.fs.deleteFs("tx-vol", vol.fsId);
    await expectReason(h.fs.getLatestTxId(vol.fsId, "x"), ErrorReason.FS_DELETING);
    h.metaServers.failOn("createRootInode", { times: 1 });
    h.metaServers.failOn("deletePartition");
    await expectReason(h.fs.createFs(s3FsRequest("tx-new")), ErrorReason.LEADER_UNKNOWN);
    const fresh = await h.fs.getFsInfo(undefined, "tx-new");
    await expectReason(h.fs.getLatestTxId(fresh.fsId, undefined), ErrorReason.FS_NOT_INITED);
  });
});
