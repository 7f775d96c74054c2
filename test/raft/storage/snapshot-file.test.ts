import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SnapshotMeta } from "../../../impl/raft/core/types.js";
import { DataCorruptionError, StorageError } from "../../../impl/raft/storage/errors.js";
import { FsyncBatcher } from "../../../impl/raft/storage/fsync-batcher.js";
import {
  readSnapshotFile,
  SnapshotChunkReader,
  SnapshotChunkWriter,
  snapshotFileName,
  verifySnapshotFile,
  writeSnapshotFile,
} from "../../../impl/raft/storage/snapshot-file.js";
import { tempDirs } from "./helpers.js";

const newDir = tempDirs();
const meta: SnapshotMeta = {
  index: 120,
  term: 4,
  conf: { voters: ["a:8200", "b:8200", "c:8200"] },
};
const payload = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) & 0xff));

async function written(dir: string): Promise<string> {
  const path = join(dir, snapshotFileName(meta.index));
  await writeSnapshotFile(path, meta, payload, new FsyncBatcher());
  return path;
}

/** Streams `path` through a reader and a writer into `dir`, optionally damaging one chunk. */
async function transfer(path: string, dir: string, chunk: number, damage?: number) {
  const reader = await SnapshotChunkReader.open(path);
  const writer = await SnapshotChunkWriter.create(join(dir, "incoming.tmp"), new FsyncBatcher());
  for (let offset = 0, done = false, k = 0; !done; k++) {
    const piece = await reader.read(offset, chunk);
    const bytes = Buffer.from(piece.data);
    if (k === damage) bytes[bytes.length >> 1] ^= 0x01;
    await writer.write(offset, bytes);
    offset += bytes.length;
    done = piece.done;
  }
  await reader.close();
  return writer;
}

describe("snapshot file", () => {
  it("round-trips meta and payload", async () => {
    const path = await written(await newDir());
    const read = await readSnapshotFile(path);
    expect(read.meta).toEqual(meta);
    expect(Buffer.from(read.data).equals(payload)).toBe(true);
  });

  it("leaves no temp file behind", async () => {
    const dir = await newDir();
    await written(dir);
    expect(await readdir(dir)).toEqual([snapshotFileName(meta.index)]);
  });

  it("rejects a wrong magic, a wrong version and a wrong checksum, each by name", async () => {
    const path = await written(await newDir());
    const good = await readFile(path);
    const cases: [string, (b: Buffer) => void][] = [
      ["bad-magic", (b) => b.writeUInt32LE(0x12345678, 0)],
      ["bad-version", (b) => b.writeUInt16LE(2, 4)],
      ["checksum", (b) => (b[good.length - 100] ^= 0x80)],
      ["checksum", (b) => (b[good.length - 1] ^= 0x01)],
      ["truncated", () => {}],
    ];
    for (const [reason, damage] of cases) {
      const bytes = Buffer.from(good);
      damage(bytes);
      await writeFile(path, reason === "truncated" ? bytes.subarray(0, bytes.length - 3) : bytes);
      const error = await readSnapshotFile(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataCorruptionError);
      expect(error).toMatchObject({ reason });
    }
  });

  it("an empty payload and an empty voter list are valid", async () => {
    const path = join(await newDir(), snapshotFileName(1));
    const empty = { index: 1, term: 1, conf: { voters: [] } };
    await writeSnapshotFile(path, empty, new Uint8Array(), new FsyncBatcher());
    expect((await readSnapshotFile(path)).meta).toEqual(empty);
  });
});

describe("snapshot transfer in chunks", () => {
  it("a chunked transfer reproduces the file and the writer verifies it", async () => {
    const source = await written(await newDir());
    const target = await newDir();
    const writer = await transfer(source, target, 777);
    const received = await writer.finish((m) => join(target, snapshotFileName(m.index)));
    expect(received).toEqual(meta);
    const path = join(target, snapshotFileName(meta.index));
    expect((await readFile(path)).equals(await readFile(source))).toBe(true);
    expect(await verifySnapshotFile(path)).toMatchObject({ meta });
  });

  it("a corrupted chunk is detected on finish and nothing is installed", async () => {
    const source = await written(await newDir());
    const target = await newDir();
    const writer = await transfer(source, target, 1000, 3);
    const error = await writer
      .finish((m) => join(target, snapshotFileName(m.index)))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataCorruptionError);
    expect(error).toMatchObject({ reason: "checksum" });
    expect(await readdir(target)).toEqual([]);
  });

  it("a repeated chunk is accepted, a chunk past the received bytes is refused", async () => {
    const source = await readFile(await written(await newDir()));
    const target = await newDir();
    const writer = await SnapshotChunkWriter.create(join(target, "in.tmp"), new FsyncBatcher());
    await writer.write(0, source.subarray(0, 100));
    await writer.write(50, source.subarray(50, 150));
    await writer.write(0, source.subarray(0, 100));
    expect(writer.offset).toBe(150);
    const error = await writer.write(400, source.subarray(400, 500)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ reason: "chunk-out-of-order" });
    await writer.write(150, source.subarray(150));
    await expect(writer.finish((m) => join(target, snapshotFileName(m.index)))).resolves.toEqual(
      meta,
    );
  });

  it("an aborted transfer leaves nothing behind", async () => {
    const target = await newDir();
    const writer = await SnapshotChunkWriter.create(join(target, "in.tmp"), new FsyncBatcher());
    await writer.write(0, Buffer.from("partial"));
    await writer.abort();
    expect(await readdir(target)).toEqual([]);
  });
});
