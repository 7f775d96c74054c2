import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataCorruptionError } from "../../../impl/raft/storage/errors.js";
import { FsyncBatcher } from "../../../impl/raft/storage/fsync-batcher.js";
import {
  EMPTY_HARD_STATE,
  encodeHardState,
  HARD_STATE_FILE,
  HardStateFile,
} from "../../../impl/raft/storage/hard-state-file.js";
import { tempDirs } from "./helpers.js";

const newDir = tempDirs();

describe("hard state file", () => {
  it("starts empty: term 0, no vote, commit 0", async () => {
    const file = await HardStateFile.open(await newDir(), new FsyncBatcher());
    expect(file.state).toEqual(EMPTY_HARD_STATE);
  });

  it("a saved state survives reopen", async () => {
    const dir = await newDir();
    const file = await HardStateFile.open(dir, new FsyncBatcher());
    await file.save({ term: 7, vote: "10.0.0.2:8200", commit: 41 });
    const reopened = await HardStateFile.open(dir, new FsyncBatcher());
    expect(reopened.state).toEqual({ term: 7, vote: "10.0.0.2:8200", commit: 41 });
  });

  it("a leftover temp file from a crash before the rename is ignored and removed", async () => {
    const dir = await newDir();
    const file = await HardStateFile.open(dir, new FsyncBatcher());
    await file.save({ term: 3, vote: "a:1", commit: 2 });
    const newer = encodeHardState({ term: 4, vote: "b:1", commit: 2 });
    await writeFile(join(dir, `${HARD_STATE_FILE}.tmp`), newer.subarray(0, 10));
    const reopened = await HardStateFile.open(dir, new FsyncBatcher());
    expect(reopened.state).toEqual({ term: 3, vote: "a:1", commit: 2 });
    expect(await readdir(dir)).toEqual([HARD_STATE_FILE]);
  });

  it("concurrent saves coalesce and the newest wins", async () => {
    const dir = await newDir();
    const fsync = new FsyncBatcher();
    const file = await HardStateFile.open(dir, fsync);
    const saves = Array.from({ length: 50 }, (_, k) =>
      file.save({ term: k + 1, vote: "", commit: k }),
    );
    expect(file.state.term).toBe(50);
    await Promise.all(saves);
    expect(fsync.stats().fsyncs).toBeLessThan(50 * 2);
    expect((await HardStateFile.open(dir, fsync)).state).toEqual({
      term: 50,
      vote: "",
      commit: 49,
    });
  });

  it("a damaged file is a typed corruption error, not an empty state", async () => {
    const dir = await newDir();
    const file = await HardStateFile.open(dir, new FsyncBatcher());
    await file.save({ term: 9, vote: "n:1", commit: 1 });
    const bytes = await readFile(join(dir, HARD_STATE_FILE));
    bytes[12] ^= 1;
    await writeFile(join(dir, HARD_STATE_FILE), bytes);
    const error = await HardStateFile.open(dir, new FsyncBatcher()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataCorruptionError);
    expect(error).toMatchObject({ reason: "checksum" });
  });

  it("a file with another magic or version is rejected as such", async () => {
    const dir = await newDir();
    const good = encodeHardState({ term: 1, vote: "", commit: 0 });
    const badMagic = Buffer.from(good);
    badMagic[0] ^= 0xff;
    await writeFile(join(dir, HARD_STATE_FILE), badMagic);
    await expect(HardStateFile.open(dir, new FsyncBatcher())).rejects.toMatchObject({
      reason: "bad-magic",
    });
    const badVersion = Buffer.from(good);
    badVersion.writeUInt16LE(9, 4);
    await writeFile(join(dir, HARD_STATE_FILE), badVersion);
    await expect(HardStateFile.open(dir, new FsyncBatcher())).rejects.toMatchObject({
      reason: "bad-version",
    });
  });
});
