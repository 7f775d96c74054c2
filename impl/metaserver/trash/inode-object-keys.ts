/**
 * The object keys that hold an inode's data: one per block touched by each of its S3 chunk
 * infos, named exactly as the client's data path named them (storage/s3-object-naming.ts).
 * Zero infos (holes) have no objects. Pure.
 */
import type { S3Info } from "../../gen/curve/common/v1/common_pb.js";
import type { Inode } from "../../gen/curve/metaserver/v1/inode_pb.js";
import { type ObjectLayout, rangeObjects } from "../../storage/s3-object-naming.js";

/** The naming layout of an fs's objects. */
export function objectLayoutOf(fsId: number, s3: S3Info): ObjectLayout {
  return {
    fsId,
    chunkSize: Number(s3.chunkSize),
    blockSize: Number(s3.blockSize),
    prefix: s3.objectPrefix,
  };
}

/** True when some chunk info of the inode names objects (is not a zero info). */
export function holdsObjects(inode: Inode): boolean {
  return Object.values(inode.s3ChunkInfos).some((list) => list.infos.some((i) => !i.zero));
}

/** Every object key of the inode's non-zero chunk infos, without duplicates. */
export function inodeObjectKeys(layout: ObjectLayout, inode: Inode): string[] {
  const inodeId = inode.attr?.inodeId ?? 0n;
  const keys = new Set<string>();
  for (const list of Object.values(inode.s3ChunkInfos)) {
    for (const info of list.infos) {
      if (info.zero || info.len === 0n) continue;
      const range = {
        chunkId: info.chunkId,
        compaction: info.compaction,
        offset: Number(info.offset),
        len: Number(info.len),
      };
      for (const object of rangeObjects(layout, inodeId, range)) keys.add(object.key);
    }
  }
  return [...keys];
}
