/** The copyset manifest: durable round trip, and a damaged file refused as DATA_CORRUPTED. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { COPYSET_MANIFEST_FILE, CopysetManifest } from "../../impl/metaserver/copyset-manifest.js";
import { crc32c } from "../../impl/storage/crc32c.js";

let dir = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "curve-manifest-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectCorrupted(): Promise<void> {
  const error = await CopysetManifest.load(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CurveError);
  expect((error as CurveError).reason).toBe(ErrorReason.DATA_CORRUPTED);
}

describe("copyset manifest", () => {
  it("is empty when absent and round-trips what was added", async () => {
    const manifest = await CopysetManifest.load(dir);
    expect(manifest.list()).toEqual([]);
    const a = { poolId: 1, copysetId: 2, peers: ["127.0.0.1:1", "127.0.0.1:2"] };
    const b = { poolId: 1, copysetId: 3, peers: [] };
    await Promise.all([manifest.add(a), manifest.add(b), manifest.add(a)]);
    expect((await CopysetManifest.load(dir)).list()).toEqual([a, b]);
    // New peers replace the entry.
    const a2 = { ...a, peers: ["127.0.0.1:9"] };
    await manifest.add(a2);
    expect((await CopysetManifest.load(dir)).list()).toEqual([b, a2]);
  });

  it("refuses a file with a flipped byte, a bad version, or no checksum", async () => {
    const path = join(dir, COPYSET_MANIFEST_FILE);
    await (await CopysetManifest.load(dir)).add({ poolId: 1, copysetId: 2, peers: ["h:1"] });
    const good = await readFile(path);
    const flipped = Buffer.from(good);
    flipped[5] = (flipped[5] ?? 0) ^ 0x01;
    await writeFile(path, flipped);
    await expectCorrupted();

    // A well-formed, checksummed file of another version.
    const json = Buffer.from(JSON.stringify({ v: 2, copysets: [] }), "utf8");
    const crc = crc32c(json).toString(16).padStart(8, "0");
    await writeFile(path, Buffer.concat([json, Buffer.from(`\n${crc}`, "utf8")]));
    await expectCorrupted();

    // No checksum line.
    await writeFile(path, json);
    await expectCorrupted();

    await writeFile(path, good.subarray(0, good.length - 3));
    await expectCorrupted();
  });
});
