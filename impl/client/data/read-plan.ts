/**
 * Which stored bytes make up a file range (DESIGN §3, inode.proto `S3ChunkInfo`): per chunk
 * index, walk the infos from the newest (last) to the oldest; every byte takes its value from
 * the newest info that covers it. Bytes covered by a zero info, or by none, read as zeros and
 * need no object. Pure.
 */
import {
  type ObjectLayout,
  type RangeObject,
  rangeObjects,
} from "../../storage/s3-object-naming.js";
import { splitAtChunks } from "./chunk-geometry.js";
import type { ChunkInfo, ChunkInfoMap } from "./file-data-port.js";

/** Bytes [objectOffset, objectOffset + length) of object `key` hold file bytes from `fileOffset`. */
export interface ObjectSlice {
  readonly key: string;
  readonly objectOffset: number;
  readonly fileOffset: number;
  readonly length: number;
}

/** A half-open interval [start, end) of file offsets. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The object slices that hold the file range [offset, offset + length), in file order. Every
 * byte of the range is in at most one slice; bytes in no slice read as zeros. The caller clamps
 * the range to the file length first: infos may map bytes beyond it.
 */
export function planRead(
  layout: ObjectLayout,
  inodeId: bigint,
  chunkInfos: ChunkInfoMap,
  offset: number,
  length: number,
): ObjectSlice[] {
  const slices: ObjectSlice[] = [];
  for (const piece of splitAtChunks(offset, length, layout.chunkSize)) {
    const infos = chunkInfos.get(piece.chunkIndex) ?? [];
    let uncovered: Span[] = [{ start: piece.offset, end: piece.offset + piece.length }];
    for (let i = infos.length - 1; i >= 0 && uncovered.length > 0; i--) {
      const info = infos[i] as ChunkInfo;
      const covered: Span[] = [];
      uncovered = subtract(uncovered, { start: info.offset, end: info.offset + info.len }, covered);
      if (!info.zero && covered.length > 0) {
        const objects = rangeObjects(layout, inodeId, info);
        for (const span of covered) slices.push(...slicesOf(objects, span));
      }
    }
  }
  return slices.sort((a, b) => a.fileOffset - b.fileOffset);
}

/** `spans` minus `cut`; the removed parts are pushed onto `removed`. */
function subtract(spans: readonly Span[], cut: Span, removed: Span[]): Span[] {
  const rest: Span[] = [];
  for (const span of spans) {
    const start = Math.max(span.start, cut.start);
    const end = Math.min(span.end, cut.end);
    if (start >= end) {
      rest.push(span);
      continue;
    }
    if (span.start < start) rest.push({ start: span.start, end: start });
    if (end < span.end) rest.push({ start: end, end: span.end });
    removed.push({ start, end });
  }
  return rest;
}

/** The parts of an info's objects that hold `span`. */
function slicesOf(objects: readonly RangeObject[], span: Span): ObjectSlice[] {
  const slices: ObjectSlice[] = [];
  for (const object of objects) {
    const start = Math.max(span.start, object.fileOffset);
    const end = Math.min(span.end, object.fileOffset + object.length);
    if (start >= end) continue;
    slices.push({
      key: object.key,
      objectOffset: start - object.fileOffset,
      fileOffset: start,
      length: end - start,
    });
  }
  return slices;
}
