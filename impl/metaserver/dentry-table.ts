/**
 * The committed dentries of one partition (its base state), grouped by parent directory. Each
 * directory maps names to a packed value and keeps a lazily sorted name list for paging in
 * UTF-8 byte order: a name above the last sorted one is appended (the common case of files
 * created in name order), any other insertion drops the list, which the next listing rebuilds.
 */
import type { FileType } from "../gen/curve/metaserver/v1/inode_pb.js";
import type { ByteReader, ByteWriter } from "./binary-io.js";
import { compareNames } from "./names.js";

/** A dentry of the base state. */
export interface DentryValue {
  readonly inodeId: bigint;
  readonly type: FileType;
  /** The rename transaction that wrote it; 0 for CreateDentry. */
  readonly txId: bigint;
}

/**
 * A dentry as stored: inode id × 8 + type as one number (a Smi for ids below 2^27) when the
 * entry has no tx id and the product is exact; otherwise the full value.
 */
type PackedDentry = number | DentryValue;

const TYPE_BITS = 8;
const MAX_PACKED_ID = BigInt(Math.floor(Number.MAX_SAFE_INTEGER / TYPE_BITS));

function pack(value: DentryValue): PackedDentry {
  if (value.txId !== 0n || value.inodeId > MAX_PACKED_ID) return value;
  return Number(value.inodeId) * TYPE_BITS + value.type;
}

function unpack(packed: PackedDentry): DentryValue {
  if (typeof packed !== "number") return packed;
  const type = packed % TYPE_BITS;
  return { inodeId: BigInt((packed - type) / TYPE_BITS), type, txId: 0n };
}

class Directory {
  readonly entries = new Map<string, PackedDentry>();
  sorted: string[] | null = [];

  sortedNames(): readonly string[] {
    if (this.sorted === null) this.sorted = [...this.entries.keys()].sort(compareNames);
    return this.sorted;
  }
}

/** Dentries by parent key (parent inode id − partition start), then by name. */
export class DentryTable {
  private readonly directories = new Map<number, Directory>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(parentKey: number, name: string): DentryValue | undefined {
    const packed = this.directories.get(parentKey)?.entries.get(name);
    return packed === undefined ? undefined : unpack(packed);
  }

  set(parentKey: number, name: string, value: DentryValue): void {
    let dir = this.directories.get(parentKey);
    if (dir === undefined) {
      dir = new Directory();
      this.directories.set(parentKey, dir);
    }
    const isNew = !dir.entries.has(name);
    dir.entries.set(name, pack(value));
    if (!isNew) return;
    this.count++;
    const sorted = dir.sorted;
    if (sorted !== null) {
      if (sorted.length === 0 || compareNames(name, sorted[sorted.length - 1]) > 0)
        sorted.push(name);
      else dir.sorted = null;
    }
  }

  delete(parentKey: number, name: string): void {
    const dir = this.directories.get(parentKey);
    if (dir === undefined || !dir.entries.delete(name)) return;
    this.count--;
    if (dir.entries.size === 0) {
      this.directories.delete(parentKey);
      return;
    }
    const sorted = dir.sorted;
    if (sorted !== null) {
      // Binary search for the name; a removal from the middle is one memmove.
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (compareNames(sorted[mid], name) < 0) low = mid + 1;
        else high = mid;
      }
      sorted.splice(low, 1);
    }
  }

  /** The names of a directory in byte order (empty for an unknown directory). */
  sortedNames(parentKey: number): readonly string[] {
    return this.directories.get(parentKey)?.sortedNames() ?? [];
  }

  clear(): void {
    this.directories.clear();
    this.count = 0;
  }

  /** Writes every dentry, parents ascending, names in byte order. */
  write(w: ByteWriter): void {
    const parents = [...this.directories.keys()].sort((a, b) => a - b);
    w.u32(parents.length);
    for (const parentKey of parents) {
      const dir = this.directories.get(parentKey) as Directory;
      const names = dir.sortedNames();
      w.u64(parentKey).u32(names.length);
      for (const name of names) {
        const value = unpack(dir.entries.get(name) as PackedDentry);
        w.string(name).u64(value.inodeId).u8(value.type).u64(value.txId);
      }
    }
  }

  /** Reads what write wrote into this (empty) table. */
  read(r: ByteReader): void {
    const parentCount = r.u32();
    for (let i = 0; i < parentCount; i++) {
      const parentKey = Number(r.u64());
      const count = r.u32();
      for (let j = 0; j < count; j++) {
        const name = r.string();
        const inodeId = r.u64();
        const type = r.u8() as FileType;
        const txId = r.u64();
        this.set(parentKey, name, { inodeId, type, txId });
      }
    }
  }
}
