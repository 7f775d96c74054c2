import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SnapshotMeta } from "../../../impl/raft/core/types.js";
import {
  DataCorruptionError,
  FsyncBatcher,
  RaftStorage,
  StorageError,
} from "../../../impl/raft/storage/index.js";
import { snapshotFileName, writeSnapshotFile } from "../../../impl/raft/storage/snapshot-file.js";
import { entries, tempDirs, view } from "./helpers.js";

const newDir = tempDirs();
const voters = ["a:1", "b:1", "c:1"];
const snap = (index: number, term: number): SnapshotMeta => ({ index, term, conf: { voters } });
const state = (index: number) => Buffer.from(`state machine up to ${index}`);

async function files(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith(suffix)).sort();
}

describe("raft storage", () => {
  it("a new group starts with an empty log, no snapshot and an empty hard state", async () => {
    const storage = await RaftStorage.open(join(await newDir(), "pool-1", "copyset-7"));
    expect(storage.initialState()).toEqual({
      hardState: { term: 0, vote: "", commit: 0 },
      snapshot: undefined,
      firstIndex: 1,
      lastIndex: 0,
      recovery: { tornBytes: 0, emptySegmentsRemoved: 0 },
    });
    expect(storage.term(0)).toBe(0);
    await storage.close();
  });

  it("a group bootstrapped with a snapshot at index 0 keeps its voters and appends from 1", async () => {
    const dir = await newDir();
    const storage = await RaftStorage.open(dir);
    await storage.saveSnapshot(snap(0, 0), new Uint8Array());
    await storage.append(entries(1, 3, 1));
    await storage.close();
    const reopened = await RaftStorage.open(dir);
    expect(reopened.initialState()).toMatchObject({
      snapshot: snap(0, 0),
      firstIndex: 1,
      lastIndex: 3,
    });
    expect(reopened.term(0)).toBe(0);
    await reopened.close();
  });

  it("log, hard state and snapshot all survive reopen", async () => {
    const dir = await newDir();
    const storage = await RaftStorage.open(dir, { segmentBytes: 256 });
    await storage.append(entries(1, 50, 2));
    await storage.saveHardState({ term: 2, vote: "b:1", commit: 45 });
    await storage.saveSnapshot(snap(30, 2), state(30));
    expect([storage.firstIndex(), storage.lastIndex()]).toEqual([1, 50]);
    await storage.compact(25);
    expect(storage.firstIndex()).toBe(26);
    await storage.close();

    const reopened = await RaftStorage.open(dir, { segmentBytes: 256 });
    expect(reopened.initialState()).toMatchObject({
      hardState: { term: 2, vote: "b:1", commit: 45 },
      snapshot: snap(30, 2),
      firstIndex: 31,
      lastIndex: 50,
    });
    expect(reopened.term(30)).toBe(2);
    expect(view(await reopened.entries(31, 51))).toEqual(view(entries(31, 50, 2)));
    expect(Buffer.from((await reopened.loadSnapshot())?.data ?? []).toString()).toBe(
      state(30).toString(),
    );
    await reopened.close();
  });

  it("compaction past the newest snapshot is refused", async () => {
    const storage = await RaftStorage.open(await newDir());
    await storage.append(entries(1, 10, 1));
    await storage.saveSnapshot(snap(5, 1), state(5));
    const error = await storage.compact(6).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ reason: "not-snapshotted" });
    await storage.close();
  });

  it("a snapshot ahead of the log replaces the log; appends continue after it", async () => {
    const dir = await newDir();
    const storage = await RaftStorage.open(dir);
    await storage.append(entries(1, 10, 1));
    await storage.saveSnapshot(snap(100, 3), state(100));
    expect([storage.firstIndex(), storage.lastIndex(), storage.term(100)]).toEqual([101, 100, 3]);
    expect(await files(dir, ".seg")).toEqual([]);
    await storage.append(entries(101, 102, 3));
    await storage.close();
    const reopened = await RaftStorage.open(dir);
    expect([reopened.firstIndex(), reopened.lastIndex()]).toEqual([101, 102]);
    await reopened.close();
  });

  it("a snapshot that disagrees with the log's term at its index discards the log", async () => {
    const storage = await RaftStorage.open(await newDir());
    await storage.append(entries(1, 10, 1));
    await storage.saveSnapshot(snap(5, 2), state(5));
    expect([storage.firstIndex(), storage.lastIndex()]).toEqual([6, 5]);
    await storage.close();
  });

  it("keeps only the newest snapshot and refuses an older one", async () => {
    const dir = await newDir();
    const storage = await RaftStorage.open(dir);
    await storage.append(entries(1, 30, 1));
    await storage.saveSnapshot(snap(10, 1), state(10));
    await storage.saveSnapshot(snap(20, 1), state(20));
    expect(await files(dir, ".snap")).toEqual([snapshotFileName(20)]);
    await expect(storage.saveSnapshot(snap(15, 1), state(15))).rejects.toMatchObject({
      reason: "compacted",
    });
    await storage.close();
  });

  it("install-snapshot streams the leader's file in chunks into the follower", async () => {
    const leader = await RaftStorage.open(await newDir());
    await leader.append(entries(1, 40, 5));
    await leader.saveSnapshot(snap(40, 5), state(40));
    const follower = await RaftStorage.open(await newDir());
    await follower.append(entries(1, 3, 1));

    const reader = await leader.snapshotReader();
    if (reader === undefined) throw new Error("the leader has a snapshot");
    const receiver = await follower.receiveSnapshot();
    for (let done = false; !done; ) {
      const chunk = await reader.read(receiver.offset, 16);
      await receiver.write(receiver.offset, chunk.data);
      done = chunk.done;
    }
    await reader.close();
    expect(await receiver.finish()).toEqual(snap(40, 5));
    expect(follower.snapshotMeta()).toEqual(snap(40, 5));
    expect([follower.firstIndex(), follower.lastIndex()]).toEqual([41, 40]);
    expect(Buffer.from((await follower.loadSnapshot())?.data ?? []).toString()).toBe(
      state(40).toString(),
    );
    await Promise.all([leader.close(), follower.close()]);
  });

  it("an install interrupted before the log was discarded is completed on open", async () => {
    const dir = await newDir();
    const storage = await RaftStorage.open(dir);
    await storage.append(entries(1, 10, 1));
    await storage.close();
    // The crash: the snapshot file landed, the stale log was not yet removed.
    await writeSnapshotFile(
      join(dir, snapshotFileName(8)),
      snap(8, 4),
      state(8),
      new FsyncBatcher(),
    );
    const reopened = await RaftStorage.open(dir);
    expect([reopened.firstIndex(), reopened.lastIndex(), reopened.term(8)]).toEqual([9, 8, 4]);
    expect(await files(dir, ".seg")).toEqual([]);
    await reopened.close();
  });

  it("a damaged newest snapshot stops the open with a corruption error", async () => {
    const dir = await newDir();
    const storage = await RaftStorage.open(dir);
    await storage.append(entries(1, 10, 1));
    await storage.saveSnapshot(snap(10, 1), state(10));
    await storage.close();
    const path = join(dir, snapshotFileName(10));
    const bytes = await readFile(path);
    bytes[bytes.length - 8] ^= 0x04;
    await writeFile(path, bytes);
    await expect(RaftStorage.open(dir)).rejects.toBeInstanceOf(DataCorruptionError);
  });

  it("temp files of interrupted writes are removed on open", async () => {
    const dir = await newDir();
    await (await RaftStorage.open(dir)).close();
    await writeFile(join(dir, `${snapshotFileName(3)}.tmp`), "half a snapshot");
    await writeFile(join(dir, "hard-state.tmp"), "half a hard state");
    await (await RaftStorage.open(dir)).close();
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("many groups share one fsync batcher", async () => {
    const root = await newDir();
    const fsync = new FsyncBatcher();
    const groups = await Promise.all(
      Array.from({ length: 16 }, (_, k) => RaftStorage.open(join(root, `copyset-${k}`), { fsync })),
    );
    const before = fsync.stats();
    await Promise.all(
      groups.flatMap((g, k) => [
        g.append(entries(1, 20, 1)),
        g.saveHardState({ term: 1, vote: `n${k}`, commit: 0 }),
      ]),
    );
    const after = fsync.stats();
    expect(after.requests).toBeGreaterThan(before.requests);
    expect(groups.map((g) => g.lastIndex())).toEqual(Array(16).fill(20));
    await Promise.all(groups.map((g) => g.close()));
  });
});
