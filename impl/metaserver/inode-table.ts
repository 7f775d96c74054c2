/**
 * The inodes of one partition, in a compact layout: one small object per inode with the common
 * attributes as number fields (times as whole seconds + nanoseconds, ids and lengths as numbers
 * while exact), and everything rare — device number, symlink target, xattrs, more than one
 * parent, dtime, S3 chunk infos, volume extents — in an optional side object. Keys are inode
 * ids minus the partition's start, which stay small integers (V8 Smis) whatever the range.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";
import {
  FileType,
  type Inode,
  type InodeAttr,
  InodeAttrSchema,
  InodeSchema,
  type S3ChunkInfo,
  type S3ChunkInfoList,
  S3ChunkInfoListSchema,
} from "../gen/curve/metaserver/v1/inode_pb.js";
import type { ByteReader, ByteWriter } from "./binary-io.js";
import { compareNames } from "./names.js";
import { loadU64, type StoredTime, type StoredU64, storeU64 } from "./u64.js";
import type { ExtentRecord } from "./volume-extents.js";

/** The chunk infos of one chunk index and every chunk id ever appended to it. */
export interface ChunkIndexInfos {
  readonly infos: S3ChunkInfo[];
  /** Chunk ids appended to this index (the idempotency key of AppendS3ChunkInfo). */
  readonly chunkIds: Set<bigint>;
}

/** The rarely used parts of an inode. */
export class InodeExtra {
  rdev = 0n;
  symlinkTarget = "";
  xattrs: Map<string, Uint8Array> | null = null;
  dtime: StoredTime | null = null;
  s3: Map<bigint, ChunkIndexInfos> | null = null;
  s3Count = 0;
  extents: ExtentRecord[] | null = null;
}

/** One inode. Field order is fixed so every inode shares one V8 hidden class. */
export class InodeRecord {
  /** Parent ids: null for none, a value for one, an array for several. */
  parents: StoredU64 | StoredU64[] | null = null;
  extra: InodeExtra | null = null;

  constructor(
    readonly type: FileType,
    public mode: number,
    public uid: number,
    public gid: number,
    public nlink: number,
    public length: StoredU64,
    public atimeSeconds: number,
    public atimeNanos: number,
    public mtimeSeconds: number,
    public mtimeNanos: number,
    public ctimeSeconds: number,
    public ctimeNanos: number,
  ) {}

  ensureExtra(): InodeExtra {
    if (this.extra === null) this.extra = new InodeExtra();
    return this.extra;
  }

  get parentIds(): bigint[] {
    const p = this.parents;
    if (p === null) return [];
    return Array.isArray(p) ? p.map(loadU64) : [loadU64(p)];
  }

  set parentIds(ids: readonly bigint[]) {
    this.parents =
      ids.length === 0 ? null : ids.length === 1 ? storeU64(ids[0]) : ids.map(storeU64);
  }

  get s3Count(): number {
    return this.extra?.s3Count ?? 0;
  }
}

/** A timestamp from a request as stored. */
export function storedTime(t: Timestamp | undefined): StoredTime {
  return { seconds: Number(t?.seconds ?? 0n), nanos: t?.nanos ?? 0 };
}

function timestamp(seconds: number, nanos: number): Timestamp {
  return create(TimestampSchema, { seconds: BigInt(seconds), nanos });
}

/** Bytes of names plus values of an xattr map (the spec's 65536-byte per-inode limit). */
export function xattrBytes(xattrs: Iterable<[string, Uint8Array]>): number {
  let total = 0;
  for (const [name, value] of xattrs) total += Buffer.byteLength(name, "utf8") + value.length;
  return total;
}

/** The InodeAttr of a stored inode. */
export function toAttr(record: InodeRecord, inodeId: bigint, fsId: number): InodeAttr {
  const extra = record.extra;
  const xattrs: Record<string, Uint8Array> = {};
  if (extra?.xattrs) for (const [k, v] of extra.xattrs) xattrs[k] = v;
  return create(InodeAttrSchema, {
    inodeId,
    fsId,
    type: record.type,
    mode: record.mode,
    uid: record.uid,
    gid: record.gid,
    nlink: record.nlink,
    length: loadU64(record.length),
    atime: timestamp(record.atimeSeconds, record.atimeNanos),
    mtime: timestamp(record.mtimeSeconds, record.mtimeNanos),
    ctime: timestamp(record.ctimeSeconds, record.ctimeNanos),
    rdev: extra?.rdev ?? 0n,
    symlinkTarget: extra?.symlinkTarget ?? "",
    parentInodeIds: record.parentIds,
    xattrs,
    dtime: extra?.dtime ? timestamp(extra.dtime.seconds, extra.dtime.nanos) : undefined,
    s3ChunkInfoCount: BigInt(record.s3Count),
  });
}

/** The chunk infos of one index as a response list. */
export function toChunkInfoList(infos: ChunkIndexInfos): S3ChunkInfoList {
  return create(S3ChunkInfoListSchema, { infos: infos.infos.slice() });
}

/** The Inode (attributes and S3 chunk infos) of a stored inode. */
export function toInode(record: InodeRecord, inodeId: bigint, fsId: number): Inode {
  const s3ChunkInfos: Record<string, S3ChunkInfoList> = {};
  const s3 = record.extra?.s3;
  if (s3) {
    for (const index of [...s3.keys()].sort(compareBigints)) {
      s3ChunkInfos[index.toString()] = toChunkInfoList(s3.get(index) as ChunkIndexInfos);
    }
  }
  return create(InodeSchema, { attr: toAttr(record, inodeId, fsId), s3ChunkInfos });
}

export function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Snapshot encoding of one inode. Flags say which optional parts follow.
const HAS_RDEV = 1;
const HAS_SYMLINK = 2;
const HAS_XATTRS = 4;
const HAS_DTIME = 8;
const HAS_S3 = 16;
const HAS_EXTENTS = 32;

/** Writes one inode (deterministic: xattrs by name, chunk indexes ascending). */
export function writeInode(w: ByteWriter, record: InodeRecord): void {
  w.u8(record.type).u16(record.mode).u32(record.uid).u32(record.gid).u32(record.nlink);
  w.u64(loadU64(record.length));
  w.i64(record.atimeSeconds).u32(record.atimeNanos);
  w.i64(record.mtimeSeconds).u32(record.mtimeNanos);
  w.i64(record.ctimeSeconds).u32(record.ctimeNanos);
  const parents = record.parentIds;
  w.u32(parents.length);
  for (const p of parents) w.u64(p);
  const extra = record.extra;
  let flags = 0;
  if (extra) {
    if (extra.rdev !== 0n) flags |= HAS_RDEV;
    if (extra.symlinkTarget !== "") flags |= HAS_SYMLINK;
    if (extra.xattrs && extra.xattrs.size > 0) flags |= HAS_XATTRS;
    if (extra.dtime) flags |= HAS_DTIME;
    if (extra.s3 && extra.s3.size > 0) flags |= HAS_S3;
    if (extra.extents && extra.extents.length > 0) flags |= HAS_EXTENTS;
  }
  w.u8(flags);
  if (!extra) return;
  if (flags & HAS_RDEV) w.u64(extra.rdev);
  if (flags & HAS_SYMLINK) w.string(extra.symlinkTarget);
  if (flags & HAS_XATTRS && extra.xattrs) {
    const names = [...extra.xattrs.keys()].sort(compareNames);
    w.u32(names.length);
    for (const name of names) w.string(name).bytes(extra.xattrs.get(name) as Uint8Array);
  }
  if (flags & HAS_DTIME && extra.dtime) w.i64(extra.dtime.seconds).u32(extra.dtime.nanos);
  if (flags & HAS_S3 && extra.s3) {
    const indexes = [...extra.s3.keys()].sort(compareBigints);
    w.u32(indexes.length);
    for (const index of indexes) {
      const infos = extra.s3.get(index) as ChunkIndexInfos;
      w.u64(index).bytes(toBinary(S3ChunkInfoListSchema, toChunkInfoList(infos)));
      // Chunk ids merged away by a compaction stay idempotency keys: write the set too.
      const ids = [...infos.chunkIds].sort(compareBigints);
      w.u32(ids.length);
      for (const id of ids) w.u64(id);
    }
  }
  if (flags & HAS_EXTENTS && extra.extents) {
    w.u32(extra.extents.length);
    for (const e of extra.extents) {
      w.u64(e.fileOffset)
        .u64(e.volumeOffset)
        .u64(e.length)
        .u8(e.written ? 1 : 0);
    }
  }
}

/** Reads what writeInode wrote. */
export function readInode(r: ByteReader): InodeRecord {
  const type = r.u8() as FileType;
  const mode = r.u16();
  const uid = r.u32();
  const gid = r.u32();
  const nlink = r.u32();
  const length = storeU64(r.u64());
  const as = Number(r.i64());
  const an = r.u32();
  const ms = Number(r.i64());
  const mn = r.u32();
  const cs = Number(r.i64());
  const cn = r.u32();
  const record = new InodeRecord(type, mode, uid, gid, nlink, length, as, an, ms, mn, cs, cn);
  const parentCount = r.u32();
  const parents: bigint[] = [];
  for (let i = 0; i < parentCount; i++) parents.push(r.u64());
  record.parentIds = parents;
  const flags = r.u8();
  if (flags === 0) return record;
  const extra = record.ensureExtra();
  if (flags & HAS_RDEV) extra.rdev = r.u64();
  if (flags & HAS_SYMLINK) extra.symlinkTarget = r.string();
  if (flags & HAS_XATTRS) {
    const count = r.u32();
    extra.xattrs = new Map();
    for (let i = 0; i < count; i++) extra.xattrs.set(r.string(), r.bytesField());
  }
  if (flags & HAS_DTIME) extra.dtime = { seconds: Number(r.i64()), nanos: r.u32() };
  if (flags & HAS_S3) {
    const count = r.u32();
    extra.s3 = new Map();
    for (let i = 0; i < count; i++) {
      const index = r.u64();
      const list = fromBinary(S3ChunkInfoListSchema, r.bytesField());
      const idCount = r.u32();
      const chunkIds = new Set<bigint>();
      for (let j = 0; j < idCount; j++) chunkIds.add(r.u64());
      extra.s3.set(index, { infos: list.infos, chunkIds });
      extra.s3Count += list.infos.length;
    }
  }
  if (flags & HAS_EXTENTS) {
    const count = r.u32();
    extra.extents = [];
    for (let i = 0; i < count; i++) {
      extra.extents.push({
        fileOffset: r.u64(),
        volumeOffset: r.u64(),
        length: r.u64(),
        written: r.u8() === 1,
      });
    }
  }
  return record;
}

/** A new inode with all three times set to `time`. */
export function newInode(
  type: FileType,
  mode: number,
  uid: number,
  gid: number,
  time: StoredTime,
): InodeRecord {
  const directory = type === FileType.DIRECTORY;
  return new InodeRecord(
    type,
    mode,
    uid,
    gid,
    directory ? 2 : 1,
    directory ? 4096 : 0,
    time.seconds,
    time.nanos,
    time.seconds,
    time.nanos,
    time.seconds,
    time.nanos,
  );
}
