import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  CreateInodeRequestSchema,
  type CreateInodeResponse,
  DeleteDentryRequestSchema,
  GetDentryRequestSchema,
  PrepareRenameTxRequestSchema,
  RenameTxAction,
  RenameTxEntrySchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { OpType, op } from "../../impl/metaserver/ops.js";
import {
  expectError,
  expectThrows,
  FS,
  getDentry,
  type Harness,
  list,
  ok,
  PART,
  ts,
  withRoot,
} from "./harness.js";

const getDeleteRequest = (name: string) =>
  create(DeleteDentryRequestSchema, {
    fsId: FS,
    partitionId: PART,
    parentInodeId: 1n,
    name,
    time: ts(1),
  });

const createInodeIn = (partitionId: number) =>
  create(CreateInodeRequestSchema, {
    fsId: FS,
    partitionId,
    parentInodeId: 1n,
    type: FileType.DIRECTORY,
    time: ts(1),
  });

type Entry = [RenameTxAction, bigint, string, bigint, FileType?];

const prepare = (txId: bigint, txSequence: bigint, entries: Entry[], partitionId = PART) =>
  op(
    OpType.PREPARE_RENAME_TX,
    create(PrepareRenameTxRequestSchema, {
      fsId: FS,
      partitionId,
      txId,
      txSequence,
      entries: entries.map(([action, parentInodeId, name, inodeId, type]) =>
        create(RenameTxEntrySchema, {
          action,
          parentInodeId,
          name,
          inodeId,
          type: type ?? FileType.REGULAR,
        }),
      ),
    }),
  );

const { PUT, DELETE } = RenameTxAction;

/** Root with file "a" (its inode id is returned). */
function setup(): [Harness, bigint] {
  const h = withRoot();
  return [h, h.file("a")];
}

describe("PrepareRenameTx on one partition", () => {
  it("is invisible below its tx id and visible at it, for GetDentry and ListDentry", () => {
    const [h, a] = setup();
    ok(
      h.run(
        prepare(1n, 0n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "b", a],
        ]),
      ),
    );
    expect(getDentry(h, "a", 0n).dentry?.inodeId).toBe(a);
    expectThrows(() => getDentry(h, "b", 0n), ErrorReason.DENTRY_NOT_FOUND);
    expect(list(h, { txId: 0n }).dentries.map((d) => d.name)).toEqual(["a"]);
    expectThrows(() => getDentry(h, "a", 1n), ErrorReason.DENTRY_NOT_FOUND);
    expect(getDentry(h, "b", 1n).dentry).toMatchObject({ inodeId: a, txId: 1n });
    expect(list(h, { txId: 1n }).dentries.map((d) => d.name)).toEqual(["b"]);
    // Reads do not fold.
    expect(h.partition.pending?.txId).toBe(1n);
  });

  it("an identical retry is OK while pending; a write that sees it committed folds it", () => {
    const [h, a] = setup();
    const p = prepare(1n, 0n, [
      [DELETE, 1n, "a", a],
      [PUT, 1n, "b", a],
    ]);
    ok(h.run(p));
    ok(h.run(p));
    h.file("c");
    expect(h.partition.pending).not.toBeNull(); // tx_id 0 does not see it
    const other = h.newInodeId();
    ok(h.createDentry("d", other, FileType.REGULAR, 1n, 1n));
    expect(h.partition.pending).toBeNull();
    expect(h.partition.foldedTxId).toBe(1n);
    expect(h.partition.info().txId).toBe(1n);
    // Old versions are not kept: a stale tx id sees the folded state.
    expectThrows(() => getDentry(h, "a", 0n), ErrorReason.DENTRY_NOT_FOUND);
    // A retry of the folded prepare is stale now.
    expectError(h.run(p), ErrorReason.TX_CONFLICT);
  });

  it("writes to a name of the invisible pending tx are TX_CONFLICT", () => {
    const [h, a] = setup();
    ok(
      h.run(
        prepare(1n, 0n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "b", a],
        ]),
      ),
    );
    expectError(h.createDentry("b", 99n), ErrorReason.TX_CONFLICT);
    expectError(h.run(op(OpType.DELETE_DENTRY, getDeleteRequest("a"))), ErrorReason.TX_CONFLICT);
  });

  it("a new tx id folds the pending one first", () => {
    const [h, a] = setup();
    ok(
      h.run(
        prepare(1n, 0n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "b", a],
        ]),
      ),
    );
    ok(
      h.run(
        prepare(2n, 0n, [
          [DELETE, 1n, "b", a],
          [PUT, 1n, "c", a],
        ]),
      ),
    );
    expect(h.partition.foldedTxId).toBe(1n);
    expect(getDentry(h, "c", 2n).dentry?.inodeId).toBe(a);
    expect(getDentry(h, "b", 1n).dentry?.inodeId).toBe(a);
  });

  it("same tx id: a greater or equal sequence replaces (rolls back), a smaller one conflicts", () => {
    const [h, a] = setup();
    ok(
      h.run(
        prepare(1n, 5n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "b", a],
        ]),
      ),
    );
    expectError(
      h.run(
        prepare(1n, 4n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "x", a],
        ]),
      ),
      ErrorReason.TX_CONFLICT,
    );
    ok(
      h.run(
        prepare(1n, 5n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "c", a],
        ]),
      ),
    );
    expectThrows(() => getDentry(h, "b", 1n), ErrorReason.DENTRY_NOT_FOUND);
    expect(getDentry(h, "c", 1n).dentry?.inodeId).toBe(a);
    // An empty prepare with a higher sequence rolls back without writing anything.
    ok(h.run(prepare(1n, 6n, [])));
    expect(h.partition.pending).toBeNull();
    expect(getDentry(h, "a", 1n).dentry?.inodeId).toBe(a);
  });

  it("a tx id below the pending one or at/below the folded one is TX_CONFLICT", () => {
    const [h, a] = setup();
    ok(
      h.run(
        prepare(3n, 0n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "b", a],
        ]),
      ),
    );
    expectError(h.run(prepare(2n, 0n, [])), ErrorReason.TX_CONFLICT);
    ok(h.createDentry("z", 50n, FileType.REGULAR, 1n, 3n));
    expectError(h.run(prepare(3n, 9n, [])), ErrorReason.TX_CONFLICT);
  });

  it("entry checks: missing delete, other inode, bad put parent, parent outside range", () => {
    const [h, a] = setup();
    expectError(h.run(prepare(1n, 0n, [[DELETE, 1n, "nope", a]])), ErrorReason.DENTRY_NOT_FOUND);
    expectError(h.run(prepare(1n, 0n, [[DELETE, 1n, "a", a + 1n]])), ErrorReason.TX_CONFLICT);
    expectError(
      h.run(prepare(1n, 0n, [[DELETE, 1n, "a", a, FileType.DIRECTORY]])),
      ErrorReason.TX_CONFLICT,
    );
    expectError(h.run(prepare(1n, 0n, [[PUT, 77n, "x", a]])), ErrorReason.INODE_NOT_FOUND);
    expectError(h.run(prepare(1n, 0n, [[PUT, a, "x", a]])), ErrorReason.INODE_TYPE_MISMATCH);
    expectError(h.run(prepare(1n, 0n, [[PUT, 1n << 33n, "x", a]])), ErrorReason.PARTITION_MISMATCH);
    expect(h.partition.pending).toBeNull();
  });

  it("a put may overwrite an existing target", () => {
    const [h, a] = setup();
    const b = h.file("b");
    ok(
      h.run(
        prepare(1n, 0n, [
          [DELETE, 1n, "a", a],
          [PUT, 1n, "b", a],
        ]),
      ),
    );
    expect(getDentry(h, "b", 0n).dentry?.inodeId).toBe(b);
    expect(getDentry(h, "b", 1n).dentry?.inodeId).toBe(a);
    expect(list(h, { txId: 1n }).dentries.map((d) => [d.name, d.inodeId])).toEqual([["b", a]]);
  });
});

describe("PrepareRenameTx across two partitions", () => {
  it("each partition holds its own pending tx, visible by its own tx id", () => {
    const h = withRoot();
    ok(h.createPartition(1n << 20n, (2n << 20n) - 1n, undefined, PART + 1));
    const a = h.file("a");
    // A directory in the second partition, linked from the root.
    const other = h.state.partition(PART + 1);
    const dirResult = h.run(op(OpType.CREATE_INODE, createInodeIn(PART + 1)));
    const dir = ok<CreateInodeResponse>(dirResult).attr?.inodeId as bigint;
    expect(dir).toBe(1n << 20n);
    ok(h.run(prepare(1n, 0n, [[DELETE, 1n, "a", a]])));
    ok(h.run(prepare(4n, 0n, [[PUT, dir, "a2", a]], PART + 1)));
    const get = (txId: bigint) =>
      other.getDentry(
        create(GetDentryRequestSchema, {
          fsId: FS,
          partitionId: PART + 1,
          parentInodeId: dir,
          name: "a2",
          txId,
        }),
      );
    expectThrows(() => get(3n), ErrorReason.DENTRY_NOT_FOUND);
    expect(get(4n).dentry?.inodeId).toBe(a);
    expectThrows(() => getDentry(h, "a", 1n), ErrorReason.DENTRY_NOT_FOUND);
    expect(getDentry(h, "a", 0n).dentry?.inodeId).toBe(a);
  });
});
