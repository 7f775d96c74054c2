/**
 * The Raft log of one group as a directory of append-only segment files.
 *
 * Files: `log-<first index, 20 digits>.seg`, each a sequence of records (log-record.ts) with
 * consecutive indexes and non-decreasing terms; the next segment starts at the index after the
 * previous one's last. A segment rolls when the next record would take it past `segmentBytes`.
 *
 * In memory: per segment, the offset and term of every record — enough for `term(i)` and for
 * reading a range with one positioned read — rebuilt by scanning every record (and its CRC) on
 * open. Entries appended but not yet written stay in memory until their write lands.
 *
 * Durability (group commit): every mutation updates the in-memory view at once and queues file
 * actions. One flush at a time drains the queue: all appends queued since the last flush become
 * one write and one fsync, and every caller whose work was in the batch is resolved together.
 * A promise from `append`, `truncateSuffix` or `compact` resolves when the log, as it stood after
 * that call, is on stable storage.
 *
 * Crash ordering, which is what lets recovery repair only the tail:
 *  - bytes go into a newer segment only after the older segments are fsynced, so only the last
 *    segment can have a torn tail;
 *  - unlinks are made durable (directory fsync) before any later write, so a deleted segment can
 *    never reappear behind entries that replaced it;
 *  - a truncation is fsynced before bytes are written over the region it freed, so a crash
 *    cannot leave new records followed by the stale ones they replaced.
 */
import { type FileHandle, mkdir, open, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Entry } from "../core/types.js";
import { type Deferred, deferred, padIndex, readU64 } from "./bytes.js";
import { DataCorruptionError, StorageError } from "./errors.js";
import { readAt, writeFully } from "./file-io.js";
import { FsyncBatcher } from "./fsync-batcher.js";
import {
  decodeRecord,
  encodeRecord,
  MAX_ENTRY_DATA_BYTES,
  MIN_RECORD_BYTES,
  RECORD_HEADER_BYTES,
  recordSize,
} from "./log-record.js";

/** braft uses 8 MiB; larger segments mean fewer files per group and fewer rolls. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

const SEGMENT_NAME = /^log-(\d{20})\.seg$/;

export function segmentFileName(firstIndex: number): string {
  return `log-${padIndex(firstIndex)}.seg`;
}

export interface SegmentLogOptions {
  /** Roll to a new segment when the next record would exceed this size. */
  readonly segmentBytes?: number;
  /** Shared by every group of a process; each log gets its own when omitted. */
  readonly fsync?: FsyncBatcher;
}

/** The (index, term) of the entry just before the log's first entry: a snapshot's, or (0, 0). */
export interface LogPosition {
  readonly index: number;
  readonly term: number;
}

/** What open() had to repair. */
export interface LogRecovery {
  /** Bytes cut from a torn tail of the last segment (a write that never completed its fsync). */
  readonly tornBytes: number;
  /** Segment files removed because they held no complete record. */
  readonly emptySegmentsRemoved: number;
}

class Segment {
  handle: FileHandle | undefined;
  /** offsets[k] is where the record of entry `first + k` starts. */
  readonly offsets: number[] = [];
  readonly terms: number[] = [];
  /** The file's size once every queued write has run. */
  size = 0;
  private readers = 0;
  private unpinned: Deferred<void> | undefined;

  constructor(
    readonly first: number,
    readonly path: string,
  ) {}

  get last(): number {
    return this.first + this.offsets.length - 1;
  }

  /** Start and end offset of the records of entries [from, to). */
  span(from: number, to: number): [number, number] {
    const end = to - this.first < this.offsets.length ? this.offsets[to - this.first] : this.size;
    return [this.offsets[from - this.first], end];
  }

  /** Reads in progress hold a pin; truncation and deletion wait for them. */
  pin(): void {
    this.readers++;
  }

  unpin(): void {
    this.readers--;
    if (this.readers === 0 && this.unpinned !== undefined) {
      this.unpinned.resolve();
      this.unpinned = undefined;
    }
  }

  async whenUnpinned(): Promise<void> {
    if (this.readers === 0) return;
    this.unpinned ??= deferred();
    await this.unpinned.promise;
  }
}

/** Identifies one append of one entry; a later append of the same index replaces it. */
interface UnwrittenEntry {
  readonly entry: Entry;
}

type FileAction =
  | { readonly kind: "create"; readonly segment: Segment }
  | {
      readonly kind: "write";
      readonly segment: Segment;
      readonly offset: number;
      readonly bytes: Buffer;
      readonly entries: readonly UnwrittenEntry[];
    }
  | { readonly kind: "truncate"; readonly segment: Segment; readonly size: number }
  | { readonly kind: "delete"; readonly segment: Segment };

export class SegmentLog {
  private segments: Segment[] = [];
  private prev: LogPosition = { index: 0, term: 0 };
  private readonly unwritten = new Map<number, UnwrittenEntry>();
  private actions: FileAction[] = [];
  private waiters: Deferred<void>[] = [];
  private flushing = false;
  private failure: StorageError | undefined;
  private closed = false;
  private repaired: LogRecovery = { tornBytes: 0, emptySegmentsRemoved: 0 };
  private readonly segmentBytes: number;
  private readonly fsync: FsyncBatcher;

  private constructor(
    readonly dir: string,
    options: SegmentLogOptions,
  ) {
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.fsync = options.fsync ?? new FsyncBatcher();
  }

  /**
   * Opens (creating if needed) the log in `dir`, verifying every record and cutting a torn tail.
   * `snapshot` is the newest durable snapshot's position: entries up to it are hidden, and a log
   * that ends before it or disagrees with it (an interrupted snapshot install) is discarded.
   *
   * @throws DataCorruptionError for damage anywhere but the tail of the last segment.
   */
  static async open(
    dir: string,
    options: SegmentLogOptions = {},
    snapshot?: LogPosition,
  ): Promise<SegmentLog> {
    await mkdir(dir, { recursive: true });
    const log = new SegmentLog(dir, options);
    try {
      await log.load();
      log.adoptOnOpen(snapshot);
      await log.nextFlush();
    } catch (error) {
      await log.close().catch(() => {});
      throw error;
    }
    return log;
  }

  get recovery(): LogRecovery {
    return this.repaired;
  }

  /** The position just before the first entry. */
  get previous(): LogPosition {
    return this.prev;
  }

  firstIndex(): number {
    return this.prev.index + 1;
  }

  lastIndex(): number {
    const last = this.segments.at(-1);
    return last === undefined ? this.prev.index : last.last;
  }

  /**
   * The term of entry `index`; for firstIndex() - 1 the term of the entry before the log.
   * @throws StorageError "compacted" below that, "unavailable" past the last entry.
   */
  term(index: number): number {
    if (index === this.prev.index) return this.prev.term;
    if (index < this.prev.index) throw compacted(index, this.prev.index);
    if (index > this.lastIndex()) throw unavailable(index, this.lastIndex());
    const segment = this.segmentOf(index);
    return segment.terms[index - segment.first];
  }

  /**
   * Entries [lo, hi), stopping before the total record size would exceed `maxBytes` (but always
   * at least one entry, so a huge entry cannot stall replication).
   */
  async entries(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): Promise<Entry[]> {
    this.assertUsable();
    if (lo <= this.prev.index) throw compacted(lo, this.prev.index);
    if (hi > this.lastIndex() + 1 || lo > hi) throw unavailable(hi - 1, this.lastIndex());

    // Plan synchronously (the view may change at the first await), pinning what we will read.
    const plan: { segment: Segment; from: number; to: number }[] = [];
    let index = lo;
    let bytes = 0;
    while (index < hi) {
      const segment = this.segmentOf(index);
      const from = index;
      while (index < hi && index <= segment.last) {
        const [start, end] = segment.span(index, index + 1);
        if (index > lo && bytes + (end - start) > maxBytes) break;
        bytes += end - start;
        index++;
      }
      if (index > from) plan.push({ segment, from, to: index });
      if (index <= segment.last) break;
    }
    const fromMemory = new Map<number, Entry>();
    for (const { segment, from, to } of plan) {
      segment.pin();
      for (let i = from; i < to; i++) {
        const unwritten = this.unwritten.get(i);
        if (unwritten !== undefined) fromMemory.set(i, unwritten.entry);
      }
    }

    const result: Entry[] = [];
    try {
      for (const { segment, from, to } of plan) {
        let i = from;
        while (i < to) {
          const inMemory = fromMemory.get(i);
          if (inMemory !== undefined) {
            result.push(inMemory);
            i++;
            continue;
          }
          let runEnd = i + 1;
          while (runEnd < to && !fromMemory.has(runEnd)) runEnd++;
          result.push(...(await this.readRun(segment, i, runEnd)));
          i = runEnd;
        }
      }
    } finally {
      for (const { segment } of plan) segment.unpin();
    }
    return result;
  }

  /**
   * Appends entries after the last one; entries at or below lastIndex() first cut the log there
   * (a new leader overwrote them). Entries at or below the snapshot are skipped: they are already
   * in it. Resolves when the entries are durable.
   */
  async append(entries: readonly Entry[]): Promise<void> {
    this.assertUsable();
    const skip = entries.findIndex((e) => e.index > this.prev.index);
    const fresh = skip < 0 ? [] : skip === 0 ? entries : entries.slice(skip);
    if (fresh.length === 0) return this.nextFlush();
    this.checkAppendable(fresh);
    if (fresh[0].index <= this.lastIndex()) this.cutAfter(fresh[0].index - 1);

    const buf = Buffer.allocUnsafe(fresh.reduce((n, e) => n + recordSize(e), 0));
    let segment = this.segments.at(-1);
    let chunk = { start: 0, offset: segment?.size ?? 0, entries: [] as UnwrittenEntry[] };
    let position = 0;
    for (const entry of fresh) {
      const size = recordSize(entry);
      if (segment === undefined || (segment.size > 0 && segment.size + size > this.segmentBytes)) {
        if (segment !== undefined) this.queueWrite(segment, buf, position, chunk);
        segment = new Segment(entry.index, join(this.dir, segmentFileName(entry.index)));
        this.segments.push(segment);
        this.actions.push({ kind: "create", segment });
        chunk = { start: position, offset: 0, entries: [] };
      }
      encodeRecord(entry, buf, position);
      segment.offsets.push(segment.size);
      segment.terms.push(entry.term);
      segment.size += size;
      position += size;
      const unwritten = { entry };
      this.unwritten.set(entry.index, unwritten);
      chunk.entries.push(unwritten);
    }
    if (segment !== undefined) this.queueWrite(segment, buf, position, chunk);
    return this.nextFlush();
  }

  /** Drops every entry after `index`. Resolves when the shorter log is durable. */
  async truncateSuffix(index: number): Promise<void> {
    this.assertUsable();
    if (index < this.prev.index) throw compacted(index, this.prev.index);
    if (index < this.lastIndex()) this.cutAfter(index);
    return this.nextFlush();
  }

  /**
   * Drops entries up to and including `index` (they are in a snapshot), deleting every segment
   * that holds nothing else. The segment holding index + 1 keeps its older records on disk; they
   * are hidden and go with the segment.
   */
  async compact(index: number): Promise<void> {
    this.assertUsable();
    if (index > this.lastIndex()) throw unavailable(index, this.lastIndex());
    this.dropThrough(index);
    return this.nextFlush();
  }

  /**
   * Makes the log follow a snapshot at `position`. A log that holds that entry keeps everything
   * (the caller compacts when it chooses); any other log — one that ends before the snapshot, or
   * disagrees with it — is discarded, and the next entry to append is position.index + 1.
   */
  async followSnapshot(position: LogPosition): Promise<void> {
    this.assertUsable();
    if (position.index < this.prev.index) throw compacted(position.index, this.prev.index);
    if (!this.holds(position)) this.discardAll(position);
    return this.nextFlush();
  }

  /** Waits for queued work, then closes every file. Later calls fail with "closed". */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.nextFlush();
    } finally {
      for (const segment of this.segments) {
        await segment.whenUnpinned();
        await segment.handle?.close();
        segment.handle = undefined;
      }
    }
  }

  // --- opening -------------------------------------------------------------------------------

  private async load(): Promise<void> {
    const names = (await readdir(this.dir))
      .map((name) => ({ name, match: SEGMENT_NAME.exec(name) }))
      .filter((f) => f.match !== null)
      .map((f) => ({ name: f.name, first: Number(f.match?.[1]) }))
      .sort((a, b) => a.first - b.first);
    let tornBytes = 0;
    let emptySegmentsRemoved = 0;
    for (const [k, { name, first }] of names.entries()) {
      const path = join(this.dir, name);
      const isLast = k === names.length - 1;
      const before = this.segments.at(-1);
      if (before !== undefined && first !== before.last + 1) {
        throw new DataCorruptionError(
          "sequence",
          path,
          undefined,
          `segment starts at ${first}, but the previous one ends at ${before.last}`,
        );
      }
      const buf = await readFile(path);
      const segment = new Segment(first, path);
      const validEnd = this.scan(segment, buf, isLast, before?.terms.at(-1) ?? 0);
      if (segment.offsets.length === 0) {
        if (!isLast) {
          throw new DataCorruptionError(
            "sequence",
            path,
            0,
            "a segment that is not the last is empty",
          );
        }
        await unlink(path);
        emptySegmentsRemoved++;
        continue;
      }
      segment.handle = await open(path, "r+");
      this.segments.push(segment);
      if (validEnd < buf.length) {
        tornBytes = buf.length - validEnd;
        await segment.handle.truncate(validEnd);
        await this.fsync.fsync(segment.handle);
      }
    }
    if (emptySegmentsRemoved > 0) await this.fsync.fsyncDir(this.dir);
    this.repaired = { tornBytes, emptySegmentsRemoved };
    const first = this.segments[0];
    if (first !== undefined) this.prev = { index: first.first - 1, term: 0 };
  }

  /**
   * Indexes every record of `buf` into `segment` and returns where the valid records end. Only
   * the last segment may end in a damaged record, and only if nothing valid follows it: a torn
   * write of the final batch. Anything else is corruption of data that was once durable.
   */
  private scan(segment: Segment, buf: Buffer, isLast: boolean, termBefore: number): number {
    let offset = 0;
    let expected = segment.first;
    let lastTerm = termBefore;
    while (offset < buf.length) {
      const record = decodeRecord(buf, offset);
      if (!record.ok) {
        if (isLast && !validRecordAfter(buf, offset, expected)) break;
        const reason = record.problem === "incomplete" ? "truncated" : record.problem;
        throw new DataCorruptionError(
          reason,
          segment.path,
          offset,
          `record of entry ${expected} is damaged (${record.problem}) and later records are intact`,
        );
      }
      const { index, term } = record.entry;
      if (index !== expected || term < lastTerm) {
        throw new DataCorruptionError(
          "sequence",
          segment.path,
          offset,
          `expected entry ${expected} with term >= ${lastTerm}, found entry ${index} term ${term}`,
        );
      }
      segment.offsets.push(offset);
      segment.terms.push(term);
      offset += record.size;
      expected++;
      lastTerm = term;
    }
    segment.size = offset;
    return offset;
  }

  private adoptOnOpen(snapshot: LogPosition | undefined): void {
    const first = this.segments[0];
    if (first === undefined) {
      if (snapshot !== undefined) this.prev = snapshot;
      return;
    }
    const base = snapshot ?? { index: 0, term: 0 };
    if (first.first > base.index + 1) {
      throw new DataCorruptionError(
        "sequence",
        first.path,
        undefined,
        `the log starts at ${first.first}, but the snapshot only covers up to ${base.index}`,
      );
    }
    if (snapshot === undefined) return;
    if (first.first === snapshot.index + 1) {
      // Nothing on disk says which term preceded the log; a falling term says it was stale.
      if (first.terms[0] < snapshot.term) this.discardAll(snapshot);
      else this.prev = snapshot;
      return;
    }
    const agrees =
      snapshot.index <= this.lastIndex() && this.term(snapshot.index) === snapshot.term;
    if (agrees) this.dropThrough(snapshot.index);
    else this.discardAll(snapshot);
  }

  // --- mutation helpers ----------------------------------------------------------------------

  /** Whether the log holds the entry at `position` (or it is the entry just before the log). */
  private holds(position: LogPosition): boolean {
    return position.index <= this.lastIndex() && this.term(position.index) === position.term;
  }

  private dropThrough(index: number): void {
    if (index <= this.prev.index) return;
    this.prev = { index, term: this.term(index) };
    while (this.segments.length > 0 && this.segments[0].last <= index) {
      const segment = this.segments.shift() as Segment;
      this.actions.push({ kind: "delete", segment });
    }
    for (const i of this.unwritten.keys()) if (i <= index) this.unwritten.delete(i);
  }

  private discardAll(position: LogPosition): void {
    for (const segment of this.segments.reverse()) this.actions.push({ kind: "delete", segment });
    this.segments = [];
    this.unwritten.clear();
    this.prev = position;
  }

  /** Removes entries after `index` from the view and queues the file changes. */
  private cutAfter(index: number): void {
    for (
      let segment = this.segments.at(-1);
      segment !== undefined;
      segment = this.segments.at(-1)
    ) {
      if (segment.first > index) {
        this.segments.pop();
        this.actions.push({ kind: "delete", segment });
        continue;
      }
      if (segment.last > index) {
        const keep = index - segment.first + 1;
        segment.size = segment.offsets[keep];
        segment.offsets.length = keep;
        segment.terms.length = keep;
        this.actions.push({ kind: "truncate", segment, size: segment.size });
      }
      break;
    }
    for (const i of this.unwritten.keys()) if (i > index) this.unwritten.delete(i);
  }

  private checkAppendable(entries: readonly Entry[]): void {
    const first = entries[0].index;
    if (first > this.lastIndex() + 1) {
      throw new StorageError(
        "not-contiguous",
        `cannot append entry ${first}: the log ends at ${this.lastIndex()}`,
      );
    }
    let term = this.term(first - 1);
    for (const [k, e] of entries.entries()) {
      if (e.index !== first + k || e.term < term) {
        throw new StorageError(
          "not-contiguous",
          `entry ${e.index} (term ${e.term}) does not follow entry ${first + k - 1} (term ${term})`,
        );
      }
      if (e.data.byteLength > MAX_ENTRY_DATA_BYTES) {
        throw new StorageError("too-large", `entry ${e.index} has ${e.data.byteLength} bytes`);
      }
      term = e.term;
    }
  }

  private queueWrite(
    segment: Segment,
    buf: Buffer,
    end: number,
    chunk: { start: number; offset: number; entries: UnwrittenEntry[] },
  ): void {
    if (end === chunk.start) return;
    const bytes = buf.subarray(chunk.start, end);
    this.actions.push({
      kind: "write",
      segment,
      offset: chunk.offset,
      bytes,
      entries: chunk.entries,
    });
  }

  // --- flushing ------------------------------------------------------------------------------

  /** Resolves once every action queued so far is durable. */
  private nextFlush(): Promise<void> {
    const done = deferred();
    this.waiters.push(done);
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(() => void this.flushLoop());
    }
    return done.promise;
  }

  private async flushLoop(): Promise<void> {
    while (this.waiters.length > 0) {
      const actions = this.actions;
      const waiters = this.waiters;
      this.actions = [];
      this.waiters = [];
      try {
        if (this.failure !== undefined) throw this.failure;
        await this.runActions(actions);
        for (const w of waiters) w.resolve();
      } catch (error) {
        this.failure ??= new StorageError("failed", `log ${this.dir} failed: ${error}`, {
          cause: error,
        });
        for (const w of waiters) w.reject(this.failure);
      }
    }
    this.flushing = false;
  }

  private async runActions(actions: readonly FileAction[]): Promise<void> {
    const dirty = new Set<Segment>();
    const created = new Set<Segment>();
    let unlinkedSinceDirSync = false;
    let dirChanged = false;
    for (let k = 0; k < actions.length; k++) {
      const action = actions[k];
      if (action.kind !== "delete" && unlinkedSinceDirSync) {
        await this.fsync.fsyncDir(this.dir);
        unlinkedSinceDirSync = false;
      }
      const { segment } = action;
      switch (action.kind) {
        case "create":
          segment.handle = await open(segment.path, "w+");
          created.add(segment);
          dirChanged = true;
          break;
        case "write": {
          const parts = [action.bytes];
          const written = [...action.entries];
          let end = action.offset + action.bytes.length;
          for (let next = actions[k + 1]; isWriteAt(next, segment, end); next = actions[k + 1]) {
            parts.push(next.bytes);
            written.push(...next.entries);
            end += next.bytes.length;
            k++;
          }
          for (const older of dirty) {
            if (older.first >= segment.first) continue;
            await this.fsync.fsync(handleOf(older));
            if (created.has(older)) await this.fsync.fsyncDir(this.dir);
            dirty.delete(older);
          }
          const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
          await writeFully(handleOf(segment), bytes, action.offset);
          for (const w of written) {
            if (this.unwritten.get(w.entry.index) === w) this.unwritten.delete(w.entry.index);
          }
          dirty.add(segment);
          break;
        }
        case "truncate":
          await segment.whenUnpinned();
          await handleOf(segment).truncate(action.size);
          await this.fsync.fsync(handleOf(segment));
          dirty.delete(segment);
          break;
        case "delete":
          await segment.whenUnpinned();
          await segment.handle?.close();
          segment.handle = undefined;
          dirty.delete(segment);
          await unlink(segment.path);
          unlinkedSinceDirSync = true;
          dirChanged = true;
          break;
      }
    }
    await Promise.all([...dirty].map((s) => this.fsync.fsync(handleOf(s))));
    if (dirChanged) await this.fsync.fsyncDir(this.dir);
  }

  // --- reading -------------------------------------------------------------------------------

  private async readRun(segment: Segment, from: number, to: number): Promise<Entry[]> {
    const [start, end] = segment.span(from, to);
    const buf = await readAt(handleOf(segment), start, end - start);
    if (buf.length < end - start) {
      throw new DataCorruptionError(
        "truncated",
        segment.path,
        start + buf.length,
        "file ends early",
      );
    }
    const entries: Entry[] = [];
    let offset = 0;
    for (let index = from; index < to; index++) {
      const record = decodeRecord(buf, offset);
      if (!record.ok || record.entry.index !== index) {
        const reason = record.ok
          ? "sequence"
          : record.problem === "incomplete"
            ? "truncated"
            : record.problem;
        throw new DataCorruptionError(
          reason,
          segment.path,
          start + offset,
          `entry ${index} is damaged`,
        );
      }
      entries.push(record.entry);
      offset += record.size;
    }
    return entries;
  }

  private segmentOf(index: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].first <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo];
  }

  private assertUsable(): void {
    if (this.closed) throw new StorageError("closed", `log ${this.dir} is closed`);
    if (this.failure !== undefined) throw this.failure;
  }
}

function isWriteAt(
  action: FileAction | undefined,
  segment: Segment,
  offset: number,
): action is Extract<FileAction, { kind: "write" }> {
  return action?.kind === "write" && action.segment === segment && action.offset === offset;
}

function handleOf(segment: Segment): FileHandle {
  if (segment.handle === undefined) throw new Error(`segment ${segment.path} is not open`);
  return segment.handle;
}

/**
 * Whether a valid record with an index at or after `expected` starts anywhere after `from`: the
 * test that tells a torn final write (nothing valid follows) from damage in the middle of the log.
 */
function validRecordAfter(buf: Buffer, from: number, expected: number): boolean {
  const maxFollowing = Math.floor((buf.length - from) / MIN_RECORD_BYTES);
  for (let at = from + 1; at + MIN_RECORD_BYTES <= buf.length; at++) {
    const bodyLength = buf.readUInt32LE(at);
    if (bodyLength < MIN_RECORD_BYTES - RECORD_HEADER_BYTES) continue;
    if (at + RECORD_HEADER_BYTES + bodyLength > buf.length) continue;
    const index = readU64(buf, at + 8);
    if (index === undefined || index < expected || index > expected + maxFollowing) continue;
    if (decodeRecord(buf, at).ok) return true;
  }
  return false;
}

function compacted(index: number, snapshotIndex: number): StorageError {
  return new StorageError(
    "compacted",
    `entry ${index} is compacted (the log starts after ${snapshotIndex})`,
  );
}

function unavailable(index: number, lastIndex: number): StorageError {
  return new StorageError("unavailable", `entry ${index} is past the last entry ${lastIndex}`);
}
