import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  type CreateDentryResponse,
  DeleteDentryRequestSchema,
  type DeleteDentryResponse,
  DeleteInodeRequestSchema,
  GetInodeRequestSchema,
  UpdateInodeRequestSchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { compareNames } from "../../impl/metaserver/names.js";
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

const parentAttr = (h: Harness, inodeId = 1n) =>
  h.partition.getInode(create(GetInodeRequestSchema, { fsId: FS, partitionId: PART, inodeId }))
    .inode?.attr;

const deleteDentry = (name: string, parentInodeId = 1n, txId = 0n) =>
  op(
    OpType.DELETE_DENTRY,
    create(DeleteDentryRequestSchema, {
      fsId: FS,
      partitionId: PART,
      parentInodeId,
      name,
      time: ts(4000, 7),
      txId,
    }),
  );

describe("CreateDentry", () => {
  it("stores the entry and updates the parent's mtime, ctime and (for a directory) nlink", () => {
    const h = withRoot();
    const dir = h.newInodeId(FileType.DIRECTORY);
    const r = ok<CreateDentryResponse>(h.createDentry("d", dir, FileType.DIRECTORY));
    expect(r.dentry).toMatchObject({ name: "d", inodeId: dir, type: FileType.DIRECTORY, txId: 0n });
    expect(r.parent?.nlink).toBe(3);
    expect(r.parent?.mtime).toEqual(ts(3000));
    expect(r.parent?.ctime).toEqual(ts(3000));
    const file = h.newInodeId();
    expect(ok<CreateDentryResponse>(h.createDentry("f", file)).parent?.nlink).toBe(3);
    expect(getDentry(h, "f").dentry?.inodeId).toBe(file);
  });

  it("an identical repeat returns OK with the entry and does not update the parent again", () => {
    const h = withRoot();
    const dir = h.newInodeId(FileType.DIRECTORY);
    ok(h.createDentry("d", dir, FileType.DIRECTORY, 1n, 0n, ts(10)));
    const again = ok<CreateDentryResponse>(
      h.createDentry("d", dir, FileType.DIRECTORY, 1n, 0n, ts(20)),
    );
    expect(again.parent?.nlink).toBe(3);
    expect(again.parent?.mtime).toEqual(ts(10));
  });

  it("the name with another inode or type is DENTRY_ALREADY_EXISTS", () => {
    const h = withRoot();
    const id = h.file("f");
    expectError(h.createDentry("f", id + 100n), ErrorReason.DENTRY_ALREADY_EXISTS);
    expectError(h.createDentry("f", id, FileType.SYMLINK), ErrorReason.DENTRY_ALREADY_EXISTS);
  });

  it("parent errors: missing, not a directory, removed", () => {
    const h = withRoot();
    expectError(h.createDentry("x", 5n, FileType.REGULAR, 50n), ErrorReason.INODE_NOT_FOUND);
    const file = h.file("f");
    expectError(h.createDentry("x", 5n, FileType.REGULAR, file), ErrorReason.INODE_TYPE_MISMATCH);
    const dir = h.file("d", 1n, FileType.DIRECTORY);
    ok(
      h.run(
        op(
          OpType.UPDATE_INODE,
          create(UpdateInodeRequestSchema, {
            fsId: FS,
            partitionId: PART,
            inodeId: dir,
            time: ts(1),
            nlink: 0,
          }),
        ),
      ),
    );
    expectError(h.createDentry("x", 5n, FileType.REGULAR, dir), ErrorReason.INODE_IN_TRASH);
  });

  it("a parent outside the range is PARTITION_MISMATCH", () => {
    const h = withRoot();
    expectError(
      h.createDentry("x", 5n, FileType.REGULAR, 1n << 40n),
      ErrorReason.PARTITION_MISMATCH,
    );
  });
});

describe("DeleteDentry", () => {
  it("removes the entry, returns it, updates the parent; a repeat is DENTRY_NOT_FOUND", () => {
    const h = withRoot();
    const dir = h.file("d", 1n, FileType.DIRECTORY);
    expect(parentAttr(h)?.nlink).toBe(3);
    const [first, second] = h.twice(deleteDentry("d"));
    const r = ok<DeleteDentryResponse>(first);
    expect(r.dentry?.inodeId).toBe(dir);
    expect(r.parent?.nlink).toBe(2);
    expect(r.parent?.mtime).toEqual(ts(4000, 7));
    expectError(second, ErrorReason.DENTRY_NOT_FOUND);
    expectThrows(() => getDentry(h, "d"), ErrorReason.DENTRY_NOT_FOUND);
  });

  it("never lowers a directory's nlink below 2", () => {
    const h = withRoot();
    const dir = h.file("d", 1n, FileType.DIRECTORY);
    ok(
      h.run(
        op(
          OpType.UPDATE_INODE,
          create(UpdateInodeRequestSchema, {
            fsId: FS,
            partitionId: PART,
            inodeId: 1n,
            time: ts(1),
            nlink: 2,
          }),
        ),
      ),
    );
    expect(ok<DeleteDentryResponse>(h.run(deleteDentry("d"))).parent?.nlink).toBe(2);
    void dir;
  });

  it("removes the entry even when the parent inode is missing", () => {
    const h = withRoot();
    const dir = h.file("d", 1n, FileType.DIRECTORY);
    h.file("inner", dir);
    ok(
      h.run(
        op(
          OpType.DELETE_INODE,
          create(DeleteInodeRequestSchema, { fsId: FS, partitionId: PART, inodeId: dir }),
        ),
      ),
    );
    const r = ok<DeleteDentryResponse>(h.run(deleteDentry("inner", dir)));
    expect(r.parent).toBeUndefined();
  });
});

describe("ListDentry", () => {
  it("pages 10k entries in UTF-8 byte order, each exactly once", () => {
    const h = withRoot();
    const names: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      // Mixed scripts, including characters above U+FFFF and in U+E000–FFFF.
      const name = `${["a", "Z", "é", "😀", "\uff21", "0"][i % 6]}${(i * 7919) % 10007}`;
      names.push(name);
      ok(h.createDentry(name, BigInt(1000 + i)));
    }
    const expected = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = list(h, { pageSize: 999, pageToken });
      seen.push(...page.dentries.map((d) => d.name));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== "");
    expect(seen).toEqual(expected);
    expect(pages).toBe(11);
    expect(list(h, {}).dentries.length).toBe(1000);
  });

  it("directories_only filters but still advances the token; empty and unknown dirs list empty", () => {
    const h = withRoot();
    h.file("a", 1n, FileType.DIRECTORY);
    h.file("b");
    h.file("c");
    h.file("d", 1n, FileType.DIRECTORY);
    const first = list(h, { pageSize: 2, directoriesOnly: true });
    expect(first.dentries.map((d) => d.name)).toEqual(["a"]);
    const second = list(h, { pageSize: 2, directoriesOnly: true, pageToken: first.nextPageToken });
    expect(second.dentries.map((d) => d.name)).toEqual(["d"]);
    expect(second.nextPageToken).toBe("");
    expect(list(h, {}, 12345n).dentries).toEqual([]);
  });

  it("a foreign page token is INVALID_ARGUMENT", () => {
    const h = withRoot();
    expectThrows(() => list(h, { pageToken: "xyz" }), ErrorReason.INVALID_ARGUMENT);
  });

  it("names compare in UTF-8 byte order", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        expect(Math.sign(compareNames(a, b))).toBe(
          Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
        );
      }),
    );
  });
});
