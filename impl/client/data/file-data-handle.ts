/**
 * The data of one open regular file: buffered writes, flushes to block objects plus chunk infos,
 * reads that merge stored and buffered bytes, truncate. Operations on one handle run one at a
 * time in call order (serial-queue.ts); handles of the same file do not see each other's
 * unflushed writes (close-to-open consistency, as in Curve).
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ObjectStore } from "../../storage/object-store.js";
import { type ObjectLayout, rangeObjects } from "../../storage/s3-object-naming.js";
import { MAX_CHUNK_IDS_PER_ALLOCATION, splitAtChunks } from "./chunk-geometry.js";
import { batchAppends, type IndexedInfo } from "./commit-batches.js";
import { handleClosed, invalidRange, objectStoreFailure, objectTooShort } from "./data-errors.js";
import type {
  ChunkInfo,
  ChunkInfoAppend,
  DataCommit,
  FileDataPort,
  FileDataSnapshot,
} from "./file-data-port.js";
import { planRead } from "./read-plan.js";
import { SerialQueue } from "./serial-queue.js";
import type { TaskLimiter } from "./task-limiter.js";
import { type BufferedExtent, WriteBuffer } from "./write-buffer.js";

/**
 * A handle also flushes once it buffers this many separate extents: scattered small writes cost
 * memory and a chunk info each, and the inode holds at most 100,000 infos.
 */
const MAX_BUFFERED_EXTENTS = 1024;

/** What every handle of one client shares. */
export interface FileDataContext {
  readonly layout: ObjectLayout;
  readonly store: ObjectStore;
  readonly port: FileDataPort;
  /** Object store requests in flight, across all handles. */
  readonly limiter: TaskLimiter;
  /** A handle flushes once it buffers this many bytes. */
  readonly writeBufferBytes: number;
  /** The bytes `readStream` reads per step. */
  readonly readWindowBytes: number;
  /** The time recorded as mtime for a write or truncate. */
  readonly now: () => Timestamp;
}

/** One object to store during a flush. */
interface PendingObject {
  readonly key: string;
  readonly body: Uint8Array;
}

export class FileDataHandle {
  private readonly queue = new SerialQueue();
  private readonly buffer: WriteBuffer;
  private readonly chunkInfos: Map<number, ChunkInfo[]>;
  private committedLength: number;
  private currentLength: number;
  private pendingMtime: Timestamp | undefined;
  private closed = false;

  constructor(
    private readonly context: FileDataContext,
    readonly inodeId: bigint,
    snapshot: FileDataSnapshot,
  ) {
    this.buffer = new WriteBuffer(context.layout.chunkSize);
    this.chunkInfos = new Map(
      [...snapshot.chunkInfos].map(([index, infos]) => [index, [...infos]]),
    );
    this.committedLength = snapshot.length;
    this.currentLength = snapshot.length;
  }

  /** The file length as this handle sees it, unflushed writes and truncates included. */
  get length(): number {
    return this.currentLength;
  }

  /** Bytes buffered and not yet flushed. */
  get bufferedBytes(): number {
    return this.buffer.bytes;
  }

  /** Writes `data` at `offset`; flushes whenever the buffer reaches its bound. */
  async write(offset: number, data: Uint8Array): Promise<void> {
    checkRange("offset", offset, data.length);
    return this.exclusive(() => this.writeLocked(offset, data));
  }

  /**
   * Writes a stream of bytes from `offset` on and returns how many were written. Memory stays
   * within the write buffer bound plus one element of the stream.
   */
  async writeStream(offset: number, source: AsyncIterable<Uint8Array>): Promise<number> {
    let position = offset;
    for await (const data of source) {
      await this.write(position, data);
      position += data.length;
    }
    return position - offset;
  }

  /**
   * Reads up to `length` bytes from `offset`: shorter at the end of the file, empty beyond it.
   * Holes read as zeros; the handle's own unflushed writes are visible.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange("offset", offset, length);
    return this.exclusive(() => this.readLocked(offset, length));
  }

  /** Reads [offset, offset + length) (to the end of the file by default) window by window. */
  async *readStream(
    offset = 0,
    length = Number.MAX_SAFE_INTEGER - offset,
  ): AsyncGenerator<Uint8Array> {
    checkRange("offset", offset, length);
    const end = offset + length;
    let position = offset;
    while (position < end) {
      const data = await this.read(
        position,
        Math.min(this.context.readWindowBytes, end - position),
      );
      if (data.length === 0) return;
      yield data;
      position += data.length;
    }
  }

  /**
   * Sets the file length. Shrinking drops the bytes beyond it (they are not part of the file any
   * more); growing reads as zeros. Takes effect on the metadata side before it returns, together
   * with any buffered writes.
   */
  async truncate(length: number): Promise<void> {
    checkRange("length", length, 0);
    return this.exclusive(async () => {
      if (length < this.currentLength) {
        this.buffer.truncate(length);
        this.currentLength = length;
        this.pendingMtime = this.context.now();
      } else if (length > this.currentLength) {
        this.growTo(length, length);
        this.pendingMtime = this.context.now();
      }
      await this.flushLocked();
    });
  }

  /** Stores every buffered write and records it on the inode (fsync). */
  flush(): Promise<void> {
    return this.exclusive(() => this.flushLocked());
  }

  /**
   * Flushes and releases the handle; later calls fail. Closing twice is allowed. When the flush
   * fails the handle stays open, with its buffer, so the caller can close (or flush) again.
   */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      await this.flushLocked();
      this.closed = true;
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(() => {
      if (this.closed) throw handleClosed(this.inodeId);
      return operation();
    });
  }

  private async writeLocked(offset: number, data: Uint8Array): Promise<void> {
    const bound = this.context.writeBufferBytes;
    for (let done = 0; done < data.length; ) {
      // Full after a flush that failed: retry it before taking more bytes.
      if (this.isFull()) await this.flushLocked();
      const position = offset + done;
      const take = Math.min(data.length - done, bound - this.buffer.bytes);
      this.growTo(position + take, position);
      this.buffer.write(position, data.subarray(done, done + take));
      this.pendingMtime = this.context.now();
      done += take;
      if (this.isFull()) await this.flushLocked();
    }
  }

  private isFull(): boolean {
    return (
      this.buffer.bytes >= this.context.writeBufferBytes ||
      this.buffer.extentCount >= MAX_BUFFERED_EXTENTS
    );
  }

  /**
   * Extends the length to `length` where the bytes from `dataStart` on are about to be written.
   * The gap [old length, dataStart) must read as zeros; where stored infos map stale bytes there
   * (left by an earlier truncate), a hole hides them. Gaps over nothing stay unmapped, so a
   * sparse file costs no infos.
   */
  private growTo(length: number, dataStart: number): void {
    if (length <= this.currentLength) return;
    const gapEnd = Math.min(dataStart, length);
    for (const piece of splitAtChunks(
      this.currentLength,
      gapEnd - this.currentLength,
      this.context.layout.chunkSize,
    )) {
      const infos = this.chunkInfos.get(piece.chunkIndex) ?? [];
      const end = piece.offset + piece.length;
      if (infos.some((info) => info.offset < end && info.offset + info.len > piece.offset)) {
        this.buffer.zero(piece.offset, piece.length);
      }
    }
    this.currentLength = length;
  }

  private async readLocked(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.currentLength);
    if (end <= offset) return new Uint8Array(0);
    const result = new Uint8Array(end - offset);
    const { layout, store, limiter } = this.context;
    const slices = planRead(layout, this.inodeId, this.chunkInfos, offset, end - offset);
    await settleAll(
      slices.map((slice) =>
        limiter.run(async () => {
          let bytes: Uint8Array;
          try {
            bytes = await store.get(slice.key, {
              offset: slice.objectOffset,
              length: slice.length,
            });
          } catch (error) {
            throw objectStoreFailure("read", slice.key, error);
          }
          if (bytes.length !== slice.length)
            throw objectTooShort(slice.key, slice.length, bytes.length);
          result.set(bytes, slice.fileOffset - offset);
        }),
      ),
    );
    this.buffer.overlay(result, offset);
    return result;
  }

  /**
   * One flush: a fresh chunk id per hole and per buffered extent; every extent's block objects
   * stored; then the infos appended (holes first: they are older than any buffered data over
   * them) and the length and mtime set with the last commit. Until every object is stored
   * nothing is committed; on any failure the buffer is kept, so flushing again retries with new
   * chunk ids.
   */
  private async flushLocked(): Promise<void> {
    const holes = this.buffer.zeroRanges();
    const extents = this.buffer.dataExtents();
    const lengthChanged = this.currentLength !== this.committedLength;
    if (holes.length === 0 && extents.length === 0 && !lengthChanged && !this.pendingMtime) return;

    const ids = await this.allocateChunkIds(holes.length + extents.length);
    const infos: IndexedInfo[] = holes.map((hole, i) => ({
      chunkIndex: hole.chunkIndex,
      info: {
        chunkId: ids[i] as bigint,
        compaction: 0n,
        offset: hole.offset,
        len: hole.length,
        size: 0,
        zero: true,
      },
    }));
    const objects: PendingObject[] = [];
    extents.forEach((extent, i) => {
      const info = dataInfo(ids[holes.length + i] as bigint, extent);
      infos.push({ chunkIndex: Math.floor(extent.offset / this.context.layout.chunkSize), info });
      objects.push(...this.objectsOf(info, extent));
    });
    await this.storeObjects(objects);

    const commits = batchAppends(infos);
    if (commits.length === 0) commits.push([]);
    for (const [i, appends] of commits.entries()) {
      const last = i === commits.length - 1;
      const commit: DataCommit = last
        ? {
            appends,
            length: lengthChanged ? this.currentLength : undefined,
            mtime: this.pendingMtime,
          }
        : { appends };
      await this.context.port.commit(this.inodeId, commit);
      this.applyLocally(appends);
    }
    this.buffer.clear();
    this.committedLength = this.currentLength;
    this.pendingMtime = undefined;
  }

  /** `count` fresh chunk ids, in as few allocations as the spec allows. */
  private async allocateChunkIds(count: number): Promise<bigint[]> {
    const ids: bigint[] = [];
    while (ids.length < count) {
      const take = Math.min(count - ids.length, MAX_CHUNK_IDS_PER_ALLOCATION);
      const first = await this.context.port.allocateChunkIds(take);
      for (let i = 0; i < take; i++) ids.push(first + BigInt(i));
    }
    return ids;
  }

  /** The block objects of a data info, with their bytes (views into the buffer). */
  private objectsOf(info: ChunkInfo, extent: BufferedExtent): PendingObject[] {
    return rangeObjects(this.context.layout, this.inodeId, info).map((object) => {
      const start = object.fileOffset - extent.offset;
      return { key: object.key, body: extent.data.subarray(start, start + object.length) };
    });
  }

  /**
   * Stores the objects in parallel (bounded by the shared limiter). If any put fails, the
   * objects already stored are deleted again on a best-effort basis — no info names them — and
   * the first failure is thrown.
   */
  private async storeObjects(objects: readonly PendingObject[]): Promise<void> {
    const { store, limiter } = this.context;
    const results = await Promise.allSettled(
      objects.map((object) =>
        limiter.run(async () => {
          try {
            await store.put(object.key, object.body);
          } catch (error) {
            throw objectStoreFailure("store", object.key, error);
          }
        }),
      ),
    );
    const failure = results.find((result) => result.status === "rejected");
    if (!failure) return;
    const stored = objects.filter((_, i) => results[i]?.status === "fulfilled");
    await store.deleteMany(stored.map((object) => object.key)).catch(() => undefined);
    throw failure.reason;
  }

  /** Mirrors a successful commit in the handle's copy of the inode's infos. */
  private applyLocally(appends: readonly ChunkInfoAppend[]): void {
    for (const append of appends) {
      const list = this.chunkInfos.get(append.chunkIndex);
      if (list) list.push(...append.infos);
      else this.chunkInfos.set(append.chunkIndex, [...append.infos]);
    }
  }
}

function dataInfo(chunkId: bigint, extent: BufferedExtent): ChunkInfo {
  const len = extent.data.length;
  return { chunkId, compaction: 0n, offset: extent.offset, len, size: len, zero: false };
}

/** Rejects when `offset` or `offset + length` is not a safe non-negative integer. */
function checkRange(what: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalidRange(what, offset);
  if (!Number.isSafeInteger(length) || length < 0) throw invalidRange("length", length);
  if (!Number.isSafeInteger(offset + length))
    throw invalidRange("offset + length", offset + length);
}

/** Waits for every promise, then throws the first failure (none is left running). */
async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
