/**
 * What `stat` returns: an inode's attributes in the shape applications know from POSIX and
 * Node's `fs.Stats`, with the file-type bits put back into `mode` (the spec stores only the low
 * 12 permission bits and keeps the type separately, inode.proto `InodeAttr.mode`).
 */

import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { FileType, type InodeAttr } from "../gen/curve/metaserver/v1/inode_pb.js";

export type FileKind =
  | "directory"
  | "file"
  | "symlink"
  | "fifo"
  | "char-device"
  | "block-device"
  | "socket";

/** POSIX `S_IF*` type bits per kind. */
const TYPE_BITS: Record<FileKind, number> = {
  fifo: 0o010000,
  "char-device": 0o020000,
  directory: 0o040000,
  "block-device": 0o060000,
  file: 0o100000,
  symlink: 0o120000,
  socket: 0o140000,
};

const KIND_OF_TYPE: ReadonlyMap<FileType, FileKind> = new Map([
  [FileType.DIRECTORY, "directory"],
  [FileType.REGULAR, "file"],
  [FileType.SYMLINK, "symlink"],
  [FileType.FIFO, "fifo"],
  [FileType.CHAR_DEVICE, "char-device"],
  [FileType.BLOCK_DEVICE, "block-device"],
  [FileType.SOCKET, "socket"],
]);

export interface Stats {
  readonly inodeId: bigint;
  readonly kind: FileKind;
  /** Type bits plus permission bits, as `st_mode`. */
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  /** Length in bytes. */
  readonly size: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** Nanoseconds within the second of mtime (the spec keeps nanoseconds). */
  readonly mtimeNsec: number;
  /** The target of a symlink; "" otherwise. */
  readonly symlinkTarget: string;
}

export function kindOf(type: FileType): FileKind {
  return KIND_OF_TYPE.get(type) ?? "file";
}

export function statsOf(attr: InodeAttr): Stats {
  const kind = kindOf(attr.type);
  return {
    inodeId: attr.inodeId,
    kind,
    mode: TYPE_BITS[kind] | attr.mode,
    nlink: attr.nlink,
    uid: attr.uid,
    gid: attr.gid,
    size: Number(attr.length),
    atimeMs: msOf(attr.atime),
    mtimeMs: msOf(attr.mtime),
    ctimeMs: msOf(attr.ctime),
    mtimeNsec: attr.mtime?.nanos ?? 0,
    symlinkTarget: attr.symlinkTarget,
  };
}

function msOf(time: Timestamp | undefined): number {
  return time === undefined ? 0 : timestampMs(time);
}

/** `ls -l` style permission string, e.g. "drwxr-xr-x". */
export function modeString(stats: Pick<Stats, "kind" | "mode">): string {
  const letter: Record<FileKind, string> = {
    directory: "d",
    file: "-",
    symlink: "l",
    fifo: "p",
    "char-device": "c",
    "block-device": "b",
    socket: "s",
  };
  let out = letter[stats.kind];
  for (const shift of [6, 3, 0]) {
    const bits = (stats.mode >> shift) & 7;
    out += `${bits & 4 ? "r" : "-"}${bits & 2 ? "w" : "-"}${bits & 1 ? "x" : "-"}`;
  }
  return out;
}
