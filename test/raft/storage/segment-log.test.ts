import { open, readdir, readFile, stat, truncate, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EntryType } from "../../../impl/raft/core/types.js";
import { deferred } from "../../../impl/raft/storage/bytes.js";
import { DataCorruptionError, StorageError } from "../../../impl/raft/storage/errors.js";
import { FsyncBatcher } from "../../../impl/raft/storage/fsync-batcher.js";
import { recordSize } from "../../../impl/raft/storage/log-record.js";
import { SegmentLog, segmentFileName } from "../../../impl/raft/storage/segment-log.js";
import { entries, entry, tempDirs, view } from "./helpers.js";

const newDir = tempDirs();
/** Small enough that a dozen entries span several segments. */
const SMALL_SEGMENTS = { segmentBytes: 200 };

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(".seg")).sort();
}

async function openWith(dir: string, list = entries(1, 30, 1)): Promise<SegmentLog> {
  const log = await SegmentLog.open(dir, SMALL_SEGMENTS);
  await log.append(list);
  return log;
}

/** Flips one bit of the file at `offset`. */
async function flipBit(path: string, offset: number): Promise<void> {
  const file = await open(path, "r+");
  const byte = Buffer.alloc(1);
  await file.read(byte, 0, 1, offset);
  byte[0] ^= 0x10;
  await file.write(byte, 0, 1, offset);
  await file.close();
}

describe("segment log: append and read", () => {
  it("reads back what was appended, across segment rolls", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    expect(await segmentFiles(dir)).toContain(segmentFileName(1));
    expect((await segmentFiles(dir)).length).toBeGreaterThan(3);
    expect(view(await log.entries(1, 31))).toEqual(view(entries(1, 30, 1)));
    expect(view(await log.entries(7, 19))).toEqual(view(entries(7, 18, 1)));
    expect([log.firstIndex(), log.lastIndex(), log.term(30), log.term(0)]).toEqual([1, 30, 1, 0]);
    await log.close();
  });

  it("rolls to a new segment named after its first index when the size limit is reached", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    for (const name of await segmentFiles(dir)) {
      expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(SMALL_SEGMENTS.segmentBytes);
    }
    const firsts = (await segmentFiles(dir)).map((n) => Number(n.slice(4, 24)));
    expect(firsts[0]).toBe(1);
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    await log.close();
  });

  it("serves entries before their write is durable, from memory", async () => {
    const log = await SegmentLog.open(await newDir(), SMALL_SEGMENTS);
    const durable = log.append(entries(1, 5, 2));
    expect(view(await log.entries(1, 6))).toEqual(view(entries(1, 5, 2)));
    await durable;
    await log.close();
  });

  it("stops at maxBytes but always returns at least one entry", async () => {
    const log = await openWith(await newDir());
    const size = recordSize(entry(1, 1));
    expect(await log.entries(1, 31, size * 3)).toHaveLength(3);
    expect(await log.entries(1, 31, 1)).toHaveLength(1);
    await log.close();
  });

  it("keeps the entry type and binary data", async () => {
    const log = await SegmentLog.open(await newDir());
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    await log.append([
      { index: 1, term: 1, type: EntryType.NoOp, data: new Uint8Array() },
      { index: 2, term: 1, type: EntryType.ConfChange, data },
    ]);
    const [noop, conf] = await log.entries(1, 3);
    expect(noop.type).toBe(EntryType.NoOp);
    expect(conf.type).toBe(EntryType.ConfChange);
    expect(Buffer.from(conf.data).equals(Buffer.from(data))).toBe(true);
    await log.close();
  });

  it("rejects a gap and a falling term", async () => {
    const log = await openWith(await newDir(), entries(1, 3, 2));
    await expect(log.append([entry(5, 2)])).rejects.toMatchObject({ reason: "not-contiguous" });
    await expect(log.append([entry(4, 1)])).rejects.toMatchObject({ reason: "not-contiguous" });
    await expect(log.append([entry(4, 2), entry(6, 2)])).rejects.toBeInstanceOf(StorageError);
    expect(log.lastIndex()).toBe(3);
    await log.close();
  });

  it("answers unavailable past the last entry", async () => {
    const log = await openWith(await newDir(), entries(1, 3, 1));
    expect(() => log.term(4)).toThrow(StorageError);
    await expect(log.entries(2, 5)).rejects.toMatchObject({ reason: "unavailable" });
    await log.close();
  });
});

describe("segment log: reopen and recovery", () => {
  it("reopen restores every entry, term and index", async () => {
    const dir = await newDir();
    await (await openWith(dir)).close();
    const log = await SegmentLog.open(dir, SMALL_SEGMENTS);
    expect([log.firstIndex(), log.lastIndex()]).toEqual([1, 30]);
    expect(view(await log.entries(1, 31))).toEqual(view(entries(1, 30, 1)));
    expect(log.recovery).toEqual({ tornBytes: 0, emptySegmentsRemoved: 0 });
    await log.append([entry(31, 2)]);
    expect(log.term(31)).toBe(2);
    await log.close();
  });

  it("a torn last record, cut at any byte, recovers the prefix", async () => {
    const last = entry(5, 3, "the last record of the log");
    const size = recordSize(last);
    for (let keep = 0; keep < size; keep++) {
      const dir = await newDir();
      const log = await SegmentLog.open(dir);
      await log.append([...entries(1, 4, 3), last]);
      await log.close();
      const path = join(dir, segmentFileName(1));
      const full = (await stat(path)).size;
      await truncate(path, full - size + keep);

      const reopened = await SegmentLog.open(dir);
      expect(reopened.lastIndex()).toBe(4);
      expect(reopened.recovery.tornBytes).toBe(keep);
      expect(view(await reopened.entries(1, 5))).toEqual(view(entries(1, 4, 3)));
      await reopened.append([entry(5, 4)]);
      expect(reopened.term(5)).toBe(4);
      await reopened.close();
    }
  });

  it("a last record that fails its checksum is cut off", async () => {
    const dir = await newDir();
    await (await openWith(dir, entries(1, 5, 1))).close();
    const path = join(dir, segmentFileName(1));
    await flipBit(path, (await stat(path)).size - 2);
    const log = await SegmentLog.open(dir);
    expect(log.lastIndex()).toBe(4);
    await log.close();
  });

  it("a zero-filled tail (an extended but unwritten file) is cut off", async () => {
    const dir = await newDir();
    await (await openWith(dir, entries(1, 5, 1))).close();
    const path = join(dir, segmentFileName(1));
    await writeFile(path, Buffer.alloc(4096), { flag: "a" });
    const log = await SegmentLog.open(dir);
    expect([log.lastIndex(), log.recovery.tornBytes]).toEqual([5, 4096]);
    await log.close();
  });

  it("a last segment with no complete record is removed", async () => {
    const dir = await newDir();
    await (await openWith(dir)).close();
    const files = await segmentFiles(dir);
    const lastFile = join(dir, files[files.length - 1]);
    const firstOfLast = Number(files[files.length - 1].slice(4, 24));
    await truncate(lastFile, 5);
    const log = await SegmentLog.open(dir, SMALL_SEGMENTS);
    expect(log.lastIndex()).toBe(firstOfLast - 1);
    expect(log.recovery.emptySegmentsRemoved).toBe(1);
    expect(await segmentFiles(dir)).toEqual(files.slice(0, -1));
    await log.close();
  });

  it("a flipped bit in the middle of the log is a typed corruption error", async () => {
    const dir = await newDir();
    await (await openWith(dir, entries(1, 5, 1))).close();
    const middle = recordSize(entry(1, 1)) * 2 + 30;
    await flipBit(join(dir, segmentFileName(1)), middle);
    const error = await SegmentLog.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataCorruptionError);
    expect(error).toMatchObject({ reason: "checksum", offset: recordSize(entry(1, 1)) * 2 });
  });

  it("a damaged length field in the middle is corruption, not a torn tail", async () => {
    const dir = await newDir();
    await (await openWith(dir, entries(1, 5, 1))).close();
    // The high byte of entry 2's length: the record now claims to run far past the end.
    await flipBit(join(dir, segmentFileName(1)), recordSize(entry(1, 1)) + 3);
    await expect(SegmentLog.open(dir)).rejects.toBeInstanceOf(DataCorruptionError);
  });

  it("damage in a segment that is not the last is corruption, even at its end", async () => {
    const dir = await newDir();
    await (await openWith(dir)).close();
    const path = join(dir, (await segmentFiles(dir))[0]);
    await flipBit(path, (await stat(path)).size - 1);
    await expect(SegmentLog.open(dir, SMALL_SEGMENTS)).rejects.toMatchObject({
      name: "DataCorruptionError",
      reason: "checksum",
    });
  });

  it("a missing or emptied segment in the middle is a sequence error", async () => {
    const dir = await newDir();
    await (await openWith(dir)).close();
    const files = await segmentFiles(dir);
    await truncate(join(dir, files[2]), 0);
    await expect(SegmentLog.open(dir, SMALL_SEGMENTS)).rejects.toMatchObject({
      reason: "sequence",
    });
    await unlink(join(dir, files[2]));
    await expect(SegmentLog.open(dir, SMALL_SEGMENTS)).rejects.toMatchObject({
      reason: "sequence",
    });
  });

  it("bytes damaged after open are reported when read", async () => {
    const dir = await newDir();
    const log = await openWith(dir, entries(1, 5, 1));
    await flipBit(join(dir, segmentFileName(1)), recordSize(entry(1, 1)) + 30);
    await expect(log.entries(1, 6)).rejects.toBeInstanceOf(DataCorruptionError);
    await log.close();
  });
});

describe("segment log: truncation and compaction", () => {
  it("truncate-suffix across segments, then append, survives reopen", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    const before = await segmentFiles(dir);
    await log.truncateSuffix(12);
    expect(log.lastIndex()).toBe(12);
    expect((await segmentFiles(dir)).length).toBeLessThan(before.length);
    await log.append(entries(13, 20, 2));
    expect(view(await log.entries(10, 21))).toEqual(
      view([...entries(10, 12, 1), ...entries(13, 20, 2)]),
    );
    await log.close();

    const reopened = await SegmentLog.open(dir, SMALL_SEGMENTS);
    expect(reopened.lastIndex()).toBe(20);
    expect(view(await reopened.entries(1, 21))).toEqual(
      view([...entries(1, 12, 1), ...entries(13, 20, 2)]),
    );
    await reopened.close();
  });

  it("appending over existing entries replaces them and everything after", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    await log.append(entries(8, 9, 5));
    expect([log.lastIndex(), log.term(7), log.term(8)]).toEqual([9, 1, 5]);
    await log.close();
    const reopened = await SegmentLog.open(dir, SMALL_SEGMENTS);
    expect(view(await reopened.entries(7, 10))).toEqual(view([entry(7, 1), ...entries(8, 9, 5)]));
    await reopened.close();
  });

  it("truncate then append before either is durable reads the new entries", async () => {
    const log = await openWith(await newDir(), entries(1, 10, 1));
    const truncated = log.truncateSuffix(4);
    const appended = log.append(entries(5, 6, 2));
    expect(view(await log.entries(3, 7))).toEqual(view([...entries(3, 4, 1), ...entries(5, 6, 2)]));
    await Promise.all([truncated, appended]);
    await log.close();
  });

  it("truncating everything leaves an empty log that accepts entry 1 again", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    await log.truncateSuffix(0);
    expect(await segmentFiles(dir)).toEqual([]);
    await log.append(entries(1, 2, 3));
    await log.close();
    const reopened = await SegmentLog.open(dir);
    expect([reopened.lastIndex(), reopened.term(1)]).toEqual([2, 3]);
    await reopened.close();
  });

  it("compaction deletes every segment below the index and hides the rest", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    const before = await segmentFiles(dir);
    await log.compact(17);
    const after = await segmentFiles(dir);
    expect(after.length).toBeLessThan(before.length);
    expect(Number(after[0].slice(4, 24))).toBeLessThanOrEqual(18);
    expect([log.firstIndex(), log.lastIndex(), log.term(17)]).toEqual([18, 30, 1]);
    await expect(log.entries(17, 19)).rejects.toMatchObject({ reason: "compacted" });
    expect(() => log.term(16)).toThrow(/compacted/);
    expect(view(await log.entries(18, 31))).toEqual(view(entries(18, 30, 1)));
    await log.close();
  });

  it("compacting through the last entry deletes every segment", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    await log.compact(30);
    expect(await segmentFiles(dir)).toEqual([]);
    expect([log.firstIndex(), log.lastIndex(), log.term(30)]).toEqual([31, 30, 1]);
    await log.append([entry(31, 2)]);
    expect(await segmentFiles(dir)).toEqual([segmentFileName(31)]);
    await log.close();
  });

  it("reopening with the snapshot's position hides compacted entries", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    await log.compact(17);
    await log.close();
    const reopened = await SegmentLog.open(dir, SMALL_SEGMENTS, { index: 17, term: 1 });
    expect([reopened.firstIndex(), reopened.lastIndex(), reopened.term(17)]).toEqual([18, 30, 1]);
    await reopened.close();
  });

  it("a log that starts after entry 1 with no snapshot covering the gap is corruption", async () => {
    const dir = await newDir();
    const log = await openWith(dir);
    await log.compact(17);
    await log.close();
    await expect(SegmentLog.open(dir, SMALL_SEGMENTS)).rejects.toMatchObject({
      reason: "sequence",
    });
  });
});

describe("segment log: group commit", () => {
  it("1,000 concurrent appends resolve with far fewer fsyncs", async () => {
    const dir = await newDir();
    const fsync = new FsyncBatcher();
    const log = await SegmentLog.open(dir, { fsync });
    const before = fsync.stats().fsyncs;
    await Promise.all(Array.from({ length: 1000 }, (_, k) => log.append([entry(k + 1, 1)])));
    const fsyncs = fsync.stats().fsyncs - before;
    expect(log.lastIndex()).toBe(1000);
    expect(fsyncs).toBeGreaterThan(0);
    expect(fsyncs).toBeLessThan(100);
    await log.close();
    const reopened = await SegmentLog.open(dir);
    expect(view(await reopened.entries(1, 1001))).toEqual(view(entries(1, 1000, 1)));
    await reopened.close();
  });

  it("appenders that keep appending while a flush runs share the next fsync", async () => {
    const fsync = new FsyncBatcher();
    const log = await SegmentLog.open(await newDir(), { fsync });
    let next = 1;
    const appender = async () => {
      for (let k = 0; k < 20; k++) await log.append([entry(next++, 1)]);
    };
    const before = fsync.stats().fsyncs;
    await Promise.all(Array.from({ length: 50 }, appender));
    expect(log.lastIndex()).toBe(1000);
    expect(fsync.stats().fsyncs - before).toBeLessThan(1000);
    await log.close();
  });

  it("many logs can share one batcher", async () => {
    const fsync = new FsyncBatcher();
    const logs = await Promise.all(
      Array.from({ length: 8 }, async () => SegmentLog.open(await newDir(), { fsync })),
    );
    await Promise.all(logs.map((log) => log.append(entries(1, 50, 1))));
    expect(logs.map((log) => log.lastIndex())).toEqual(Array(8).fill(50));
    await Promise.all(logs.map((log) => log.close()));
  });

  it("after close every call fails with a closed error", async () => {
    const log = await openWith(await newDir(), entries(1, 2, 1));
    await log.close();
    await expect(log.append([entry(3, 1)])).rejects.toMatchObject({ reason: "closed" });
  });
});

/** A batcher whose fsyncs wait until the test opens the gate. */
class GatedBatcher extends FsyncBatcher {
  private gate = deferred();
  held = 0;
  override async fsync(handle: Parameters<FsyncBatcher["fsync"]>[0]): Promise<void> {
    this.held++;
    await this.gate.promise;
    return super.fsync(handle);
  }
  open(): void {
    this.gate.resolve();
  }
}

describe("segment log: reads during a flush", () => {
  it("a read while a flush is part-way sees the entries that replaced older ones", async () => {
    const fsync = new GatedBatcher();
    const log = await SegmentLog.open(await newDir(), { fsync });
    // One flush: write the old entry 4, cut it (truncate + a gated fsync), write the new one.
    const old = log.append(entries(1, 4, 1));
    const replaced = log.append([entry(4, 2, "new")]);
    while (fsync.held === 0) await new Promise((r) => setImmediate(r));
    expect(view(await log.entries(3, 5))).toEqual(view([entry(3, 1), entry(4, 2, "new")]));
    fsync.open();
    await Promise.all([old, replaced]);
    expect(view(await log.entries(4, 5))).toEqual(view([entry(4, 2, "new")]));
    await log.close();
  });
});

describe("segment log: file format", () => {
  it("records carry their index so the file alone describes the log", async () => {
    const dir = await newDir();
    const log = await openWith(dir, entries(1, 2, 7));
    await log.close();
    const bytes = await readFile(join(dir, segmentFileName(1)));
    const second = recordSize(entry(1, 7));
    expect(bytes.readUInt32LE(second + 8)).toBe(2);
    expect(bytes.readUInt32LE(second + 16)).toBe(7);
    expect(bytes.length).toBe(second + recordSize(entry(2, 7)));
  });
});
