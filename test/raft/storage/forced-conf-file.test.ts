/**
 * The forced configuration file (ResetPeer): round-trips through RaftStorage across a reopen,
 * and damage is reported rather than ignored.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FORCED_CONF_FILE } from "../../../impl/raft/storage/forced-conf-file.js";
import { DataCorruptionError, RaftStorage } from "../../../impl/raft/storage/index.js";

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "curve-forced-conf-"));
  dirs.push(dir);
  return dir;
}

describe("forced configuration file", () => {
  it("is absent until saved, then survives a reopen", async () => {
    const dir = await tempDir();
    const storage = await RaftStorage.open(dir);
    expect(storage.forcedConf()).toBeUndefined();
    const forced = { conf: { voters: ["a:1", "b:2"] }, index: 42 };
    await storage.saveForcedConf(forced);
    expect(storage.forcedConf()).toEqual(forced);
    await storage.close();
    const reopened = await RaftStorage.open(dir);
    expect(reopened.forcedConf()).toEqual(forced);
    await reopened.close();
  });

  it("a damaged file is a DataCorruptionError", async () => {
    const dir = await tempDir();
    const storage = await RaftStorage.open(dir);
    await storage.saveForcedConf({ conf: { voters: ["a:1"] }, index: 7 });
    await storage.close();
    const path = join(dir, FORCED_CONF_FILE);
    const bytes = await readFile(path);
    await writeFile(path, bytes.toString("utf8").replace('"index":7', '"index":8'));
    await expect(RaftStorage.open(dir)).rejects.toBeInstanceOf(DataCorruptionError);
  });
});
