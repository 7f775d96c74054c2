/** MetaServerService GetDentry, ListDentry, CreateDentry, DeleteDentry. */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { type ExpectedError, expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  at,
  createInode,
  createLinked,
  newPartition,
  on,
  UNKNOWN_PARTITION_ID,
} from "./partition-fixture.js";

const m = MetaServerService.method;
const dentryNotFound: ExpectedError = { code: Code.NotFound, reason: ErrorReason.DENTRY_NOT_FOUND };
const mismatch: ExpectedError = {
  code: Code.InvalidArgument,
  reason: ErrorReason.PARTITION_MISMATCH,
};
const NAME_RULE = 'The entry name: 1 to 255 bytes, no \'/\' or NUL, not "." or "..".';

const badNames: ReadonlyArray<[string, string]> = [
  ["name_empty", ""],
  ["name_dot", "."],
  ["name_dotdot", ".."],
  ["name_slash", "a/b"],
  ["name_nul", "a\u0000b"],
  ["name_too_long", "n".repeat(256)],
];

export const dentryCases: ConformanceCase[] = [
  ...badNames.map(([rule, name]) =>
    rejects({
      id: `metaserver.get_dentry.${rule}`,
      method: m.getDentry,
      spec: NAME_RULE,
      request: { fsId: 1, partitionId: 1, parentInodeId: 1n, name },
      expect: invalidArgument("name"),
    }),
  ),
  rejects({
    id: "metaserver.create_dentry.name_too_long_multibyte",
    method: m.createDentry,
    spec: `${NAME_RULE} (bytes of UTF-8, not characters)`,
    request: {
      fsId: 1,
      partitionId: 1,
      parentInodeId: 1n,
      name: "é".repeat(128),
      inodeId: 5n,
      type: FileType.REGULAR,
      time: at(0),
    },
    expect: invalidArgument("name"),
  }),
  rejects({
    id: "metaserver.get_dentry.fs_id_zero",
    method: m.getDentry,
    spec: "The file system; > 0.",
    request: { fsId: 0, partitionId: 1, parentInodeId: 1n, name: "a" },
    expect: invalidArgument("fs_id"),
  }),
  rejects({
    id: "metaserver.get_dentry.unknown_partition",
    method: m.getDentry,
    spec: "`not_found` ERROR_REASON_PARTITION_NOT_FOUND: … no copyset on this server hosts the partition (by its applied state).",
    request: { fsId: 1, partitionId: UNKNOWN_PARTITION_ID, parentInodeId: 1n, name: "a" },
    expect: { code: Code.NotFound, reason: ErrorReason.PARTITION_NOT_FOUND },
  }),
  rejects({
    id: "metaserver.create_dentry.entry_for_itself",
    method: m.createDentry,
    spec: "a directory cannot contain an entry for itself (rule create_dentry_request.not_self).",
    request: {
      fsId: 1,
      partitionId: 1,
      parentInodeId: 7n,
      name: "self",
      inodeId: 7n,
      type: FileType.DIRECTORY,
      time: at(0),
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "metaserver.create_dentry.root_as_child",
    method: m.createDentry,
    spec: "The inode the entry refers to; > 0 and never 1 (the root has no entry).",
    request: {
      fsId: 1,
      partitionId: 1,
      parentInodeId: 3n,
      name: "root",
      inodeId: 1n,
      type: FileType.DIRECTORY,
      time: at(0),
    },
    expect: invalidArgument("inode_id"),
  }),
  rejects({
    id: "metaserver.create_dentry.type_unspecified",
    method: m.createDentry,
    spec: "The type of that inode; a defined value other than FILE_TYPE_UNSPECIFIED.",
    request: {
      fsId: 1,
      partitionId: 1,
      parentInodeId: 1n,
      name: "a",
      inodeId: 5n,
      type: FileType.UNSPECIFIED,
      time: at(0),
    },
    expect: invalidArgument("type"),
  }),
  rejects({
    id: "metaserver.create_dentry.time_missing",
    method: m.createDentry,
    spec: "The time of the operation, stored as the parent's mtime and ctime. Required.",
    request: {
      fsId: 1,
      partitionId: 1,
      parentInodeId: 1n,
      name: "a",
      inodeId: 5n,
      type: FileType.REGULAR,
    },
    expect: invalidArgument("time"),
  }),
  rejects({
    id: "metaserver.delete_dentry.time_missing",
    method: m.deleteDentry,
    spec: "The time of the operation, stored as the parent's mtime and ctime. Required.",
    request: { fsId: 1, partitionId: 1, parentInodeId: 1n, name: "a" },
    expect: invalidArgument("time"),
  }),
  rejects({
    id: "metaserver.list_dentry.page_token_too_long",
    method: m.listDentry,
    spec: "The previous response's `next_page_token`; empty for the first page. At most 1024 bytes.",
    request: { fsId: 1, partitionId: 1, parentInodeId: 1n, pageToken: "t".repeat(1025) },
    expect: invalidArgument("page_token"),
  }),
  rejects({
    id: "metaserver.list_dentry.page_size_too_large",
    method: m.listDentry,
    spec: "The maximum number of entries to return: 0 means 1000; at most 10000.",
    request: { fsId: 1, partitionId: 1, parentInodeId: 1n, pageSize: 10001 },
    expect: invalidArgument("page_size"),
  }),
  steps({
    id: "metaserver.get_dentry.created_entry",
    method: m.getDentry,
    spec: "Looks up the entry `name` in directory `parent_inode_id` … The rename transaction that wrote this entry …, or 0 when it was written by CreateDentry.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "hello.txt");
      const { dentry } = await p.meta.getDentry({ ...on(p), parentInodeId: 1n, name: "hello.txt" });
      check(
        dentry?.inodeId === file.inodeId,
        `inode_id ${dentry?.inodeId}, expected ${file.inodeId}`,
      );
      check(
        dentry.type === FileType.REGULAR && dentry.parentInodeId === 1n && dentry.fsId === p.fsId,
        "the entry's type, parent or fs differ",
      );
      check(dentry.txId === 0n, `tx_id ${dentry.txId} for an entry made by CreateDentry`);
    },
  }),
  steps({
    id: "metaserver.get_dentry.not_found",
    method: m.getDentry,
    spec: "`not_found` ERROR_REASON_DENTRY_NOT_FOUND: no visible entry has this name.",
    reasons: [ErrorReason.DENTRY_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.getDentry({ ...on(p), parentInodeId: 1n, name: "missing" }),
        dentryNotFound,
      );
    },
  }),
  steps({
    id: "metaserver.get_dentry.wrong_fs",
    method: m.getDentry,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: `fs_id` differs from the partition's",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.getDentry({ ...on(p), fsId: p.fsId + 1, parentInodeId: 1n, name: "a" }),
        mismatch,
      );
    },
  }),
  steps({
    id: "metaserver.get_dentry.parent_out_of_range",
    method: m.getDentry,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: … the routed inode id (the parent's for dentry calls) lies outside the partition's range.",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.getDentry({ ...on(p), parentInodeId: p.end + 1n, name: "a" }),
        mismatch,
      );
    },
  }),
  steps({
    id: "metaserver.list_dentry.bytewise_order_and_pages",
    method: m.listDentry,
    spec: "Lists the entries … in ascending byte order of their names (unsigned, bytewise over the UTF-8 encoding), one page at a time. … an entry present during the whole listing is returned exactly once … only an empty `next_page_token` ends the listing.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const names = ["b", "a", "Z", "é", "aa"];
      for (const name of names) await createLinked(p, name);
      const seen: string[] = [];
      let pageToken = "";
      for (let pages = 0; pages < 10; pages++) {
        const page = await p.meta.listDentry({
          ...on(p),
          parentInodeId: 1n,
          pageSize: 2,
          pageToken,
        });
        check(
          page.dentries.length <= 2,
          `a page of ${page.dentries.length} entries for page_size 2`,
        );
        seen.push(...page.dentries.map((d) => d.name));
        pageToken = page.nextPageToken;
        if (pageToken === "") break;
      }
      const expected = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      check(
        seen.join("|") === expected.join("|"),
        `listed ${seen.join("|")}, expected ${expected.join("|")}`,
      );
    },
  }),
  steps({
    id: "metaserver.list_dentry.directories_only",
    method: m.listDentry,
    spec: "When true, only entries of type FILE_TYPE_DIRECTORY are returned",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await createLinked(p, "dir", FileType.DIRECTORY);
      await createLinked(p, "file");
      const names: string[] = [];
      let pageToken = "";
      do {
        const page = await p.meta.listDentry({
          ...on(p),
          parentInodeId: 1n,
          directoriesOnly: true,
          pageToken,
        });
        names.push(...page.dentries.map((d) => d.name));
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      check(names.join(",") === "dir", `directories_only listed ${names.join(",")}`);
    },
  }),
  steps({
    id: "metaserver.list_dentry.unknown_parent_empty",
    method: m.listDentry,
    spec: "A directory without entries, or an inode id that is not a directory of this partition, lists as empty (the parent inode is not checked).",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const page = await p.meta.listDentry({ ...on(p), parentInodeId: 999n });
      check(
        page.dentries.length === 0 && page.nextPageToken === "",
        "an unknown directory listed entries",
      );
    },
  }),
  steps({
    id: "metaserver.list_dentry.foreign_page_token",
    method: m.listDentry,
    spec: "a foreign or corrupt `page_token` is `invalid_argument` ERROR_REASON_INVALID_ARGUMENT",
    reasons: [ErrorReason.INVALID_ARGUMENT],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.listDentry({
          ...on(p),
          parentInodeId: 1n,
          pageToken: "not-a-token-this-server-issued",
        }),
        invalidArgument(),
      );
    },
  }),
  steps({
    id: "metaserver.create_dentry.updates_parent",
    method: m.createDentry,
    spec: "in the same Raft entry, updates the parent inode: mtime and ctime := `time`, and nlink + 1 when `type` is FILE_TYPE_DIRECTORY.",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const dir = await createInode(p, { type: FileType.DIRECTORY, mode: 0o755 });
      const reply = await p.meta.createDentry({
        ...on(p),
        parentInodeId: 1n,
        name: "sub",
        inodeId: dir.inodeId,
        type: FileType.DIRECTORY,
        time: at(5000),
      });
      check(
        reply.parent?.nlink === 3,
        `root nlink ${reply.parent?.nlink} after adding a directory, expected 3`,
      );
      check(
        reply.parent.mtime?.seconds === at(5000).seconds &&
          reply.parent.ctime?.seconds === at(5000).seconds,
        "the parent's mtime/ctime are not the request's time",
      );
      const file = await createInode(p);
      const second = await p.meta.createDentry({
        ...on(p),
        parentInodeId: 1n,
        name: "f",
        inodeId: file.inodeId,
        type: FileType.REGULAR,
        time: at(6000),
      });
      check(
        second.parent?.nlink === 3,
        `root nlink ${second.parent?.nlink} after adding a file, expected 3`,
      );
    },
  }),
  steps({
    id: "metaserver.create_dentry.repeat_identical_ok",
    method: m.createDentry,
    spec: "Idempotent: if the name already refers to the same `inode_id` with the same `type`, the call returns OK with the existing entry and changes nothing (the parent is not updated again)",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const dir = await createInode(p, { type: FileType.DIRECTORY });
      const request = {
        ...on(p),
        parentInodeId: 1n,
        name: "d",
        inodeId: dir.inodeId,
        type: FileType.DIRECTORY,
        time: at(5000),
      };
      await p.meta.createDentry(request);
      const again = await p.meta.createDentry({ ...request, time: at(9000) });
      check(again.dentry?.inodeId === dir.inodeId, "the repeat returned another entry");
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: 1n });
      check(
        inode?.attr?.nlink === 3,
        `root nlink ${inode?.attr?.nlink} after a repeated CreateDentry, expected 3`,
      );
      check(
        inode.attr.mtime?.seconds === at(5000).seconds,
        "the repeat updated the parent's mtime",
      );
    },
  }),
  steps({
    id: "metaserver.create_dentry.name_taken",
    method: m.createDentry,
    spec: "`already_exists` ERROR_REASON_DENTRY_ALREADY_EXISTS: the name refers to another inode id or another type.",
    reasons: [ErrorReason.DENTRY_ALREADY_EXISTS],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await createLinked(p, "taken");
      const other = await createInode(p);
      await expectError(
        p.meta.createDentry({
          ...on(p),
          parentInodeId: 1n,
          name: "taken",
          inodeId: other.inodeId,
          type: FileType.REGULAR,
          time: at(1),
        }),
        { code: Code.AlreadyExists, reason: ErrorReason.DENTRY_ALREADY_EXISTS },
      );
    },
  }),
  steps({
    id: "metaserver.create_dentry.parent_missing",
    method: m.createDentry,
    spec: "`not_found` ERROR_REASON_INODE_NOT_FOUND: the parent inode does not exist.",
    reasons: [ErrorReason.INODE_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await expectError(
        p.meta.createDentry({
          ...on(p),
          parentInodeId: 777n,
          name: "x",
          inodeId: 5n,
          type: FileType.REGULAR,
          time: at(1),
        }),
        { code: Code.NotFound, reason: ErrorReason.INODE_NOT_FOUND },
      );
    },
  }),
  steps({
    id: "metaserver.create_dentry.parent_not_directory",
    method: m.createDentry,
    spec: "`failed_precondition` ERROR_REASON_INODE_TYPE_MISMATCH: the parent is not a directory.",
    reasons: [ErrorReason.INODE_TYPE_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const file = await createLinked(p, "file");
      const child = await createInode(p);
      await expectError(
        p.meta.createDentry({
          ...on(p),
          parentInodeId: file.inodeId,
          name: "x",
          inodeId: child.inodeId,
          type: FileType.REGULAR,
          time: at(1),
        }),
        { code: Code.FailedPrecondition, reason: ErrorReason.INODE_TYPE_MISMATCH },
      );
    },
  }),
  steps({
    id: "metaserver.create_dentry.parent_in_trash",
    method: m.createDentry,
    spec: "`failed_precondition` ERROR_REASON_INODE_IN_TRASH: the parent directory was removed (its nlink is 0).",
    reasons: [ErrorReason.INODE_IN_TRASH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const dir = await createLinked(p, "gone", FileType.DIRECTORY);
      await p.meta.deleteDentry({ ...on(p), parentInodeId: 1n, name: "gone", time: at(3000) });
      await p.meta.updateInode({ ...on(p), inodeId: dir.inodeId, nlink: 0, time: at(3000) });
      const child = await createInode(p, { parentInodeId: dir.inodeId });
      await expectError(
        p.meta.createDentry({
          ...on(p),
          parentInodeId: dir.inodeId,
          name: "late",
          inodeId: child.inodeId,
          type: FileType.REGULAR,
          time: at(4000),
        }),
        { code: Code.FailedPrecondition, reason: ErrorReason.INODE_IN_TRASH },
      );
    },
  }),
  steps({
    id: "metaserver.delete_dentry.returns_entry_updates_parent",
    method: m.deleteDentry,
    spec: "Returns the removed entry … updates the parent inode: mtime and ctime := `time`, and, when the removed entry's type is FILE_TYPE_DIRECTORY, nlink − 1 if nlink is above 2",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const dir = await createLinked(p, "d", FileType.DIRECTORY);
      const reply = await p.meta.deleteDentry({
        ...on(p),
        parentInodeId: 1n,
        name: "d",
        time: at(8000),
      });
      check(reply.dentry?.inodeId === dir.inodeId, `removed entry names ${reply.dentry?.inodeId}`);
      check(
        reply.parent?.nlink === 2,
        `root nlink ${reply.parent?.nlink} after removing a directory, expected 2`,
      );
      check(
        reply.parent.mtime?.seconds === at(8000).seconds,
        "the parent's mtime is not the request's time",
      );
      const { inode } = await p.meta.getInode({ ...on(p), inodeId: dir.inodeId });
      check(inode?.attr?.nlink === 2, "DeleteDentry changed the child inode");
    },
  }),
  steps({
    id: "metaserver.delete_dentry.retry_not_found",
    method: m.deleteDentry,
    spec: "Not idempotent: a retry after a lost reply answers `not_found` ERROR_REASON_DENTRY_NOT_FOUND",
    reasons: [ErrorReason.DENTRY_NOT_FOUND],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await createLinked(p, "once");
      const request = { ...on(p), parentInodeId: 1n, name: "once", time: at(8000) };
      await p.meta.deleteDentry(request);
      await expectError(p.meta.deleteDentry(request), dentryNotFound);
      await expectError(
        p.meta.getDentry({ ...on(p), parentInodeId: 1n, name: "once" }),
        dentryNotFound,
      );
    },
  }),
  steps({
    id: "metaserver.delete_dentry.wrong_fs",
    method: m.deleteDentry,
    spec: "`invalid_argument` ERROR_REASON_PARTITION_MISMATCH: `fs_id` differs from the partition's",
    reasons: [ErrorReason.PARTITION_MISMATCH],
    run: async (ctx) => {
      const p = await newPartition(ctx);
      await createLinked(p, "kept");
      await expectError(
        p.meta.deleteDentry({
          ...on(p),
          fsId: p.fsId + 1,
          parentInodeId: 1n,
          name: "kept",
          time: at(1),
        }),
        mismatch,
      );
      await p.meta.getDentry({ ...on(p), parentInodeId: 1n, name: "kept" });
    },
  }),
  steps({
    id: "metaserver.list_dentry.directory_tree",
    method: m.listDentry,
    spec: "Dentries live with their parent inode … Directories: 2 plus the number of child directories (kept up to date by CreateDentry and DeleteDentry).",
    run: async (ctx) => {
      const p = await newPartition(ctx);
      const a = await createLinked(p, "a", FileType.DIRECTORY);
      const b = await createLinked(p, "b", FileType.DIRECTORY, a.inodeId);
      await createLinked(p, "c1", FileType.DIRECTORY, b.inodeId);
      await createLinked(p, "c2", FileType.DIRECTORY, b.inodeId);
      await createLinked(p, "f", FileType.REGULAR, b.inodeId);
      const list = async (parent: bigint) =>
        (await p.meta.listDentry({ ...on(p), parentInodeId: parent })).dentries
          .map((d) => d.name)
          .join(",");
      check((await list(1n)) === "a", `root lists ${await list(1n)}`);
      check((await list(a.inodeId)) === "b", `a lists ${await list(a.inodeId)}`);
      check((await list(b.inodeId)) === "c1,c2,f", `a/b lists ${await list(b.inodeId)}`);
      const { attrs } = await p.meta.batchGetInodeAttr({
        ...on(p),
        inodeIds: [1n, a.inodeId, b.inodeId],
      });
      const nlinks = attrs.map((attr) => attr.nlink).join(",");
      check(nlinks === "3,3,4", `nlink of /, a, a/b: ${nlinks}, expected 3,3,4`);
    },
  }),
];
