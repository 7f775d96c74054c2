/**
 * Deterministic scenarios of the data path at the real layout (64 MiB chunks, 4 MiB blocks),
 * run against any ObjectStore: sizes at the block and chunk boundaries, the objects a flush
 * writes, holes, truncates, read-your-writes.
 */
import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { FileDataClient } from "../../../impl/client/data/file-data-client.js";
import type { ChunkInfo } from "../../../impl/client/data/file-data-port.js";
import { ObjectPrefixScheme } from "../../../impl/gen/curve/common/v1/common_pb.js";
import type { ObjectStore } from "../../../impl/storage/object-store.js";
import { type ObjectLayout, rangeObjects } from "../../../impl/storage/s3-object-naming.js";
import { FakeFileDataPort } from "./fake-file-data-port.js";
import { collect, concat } from "./file-data-model.js";

export const MiB = 1024 * 1024;

export interface ScenarioOptions {
  readonly store: () => ObjectStore;
  readonly fsId: number;
  /** File sizes to round-trip through the store. */
  readonly sizes: readonly number[];
}

/** A data client at the real layout over a fresh FakeFileDataPort. */
export function realLayoutClient(
  store: ObjectStore,
  fsId: number,
  writeBufferBytes = 64 * MiB,
): { client: FileDataClient; port: FakeFileDataPort; layout: ObjectLayout } {
  const layout: ObjectLayout = {
    fsId,
    chunkSize: 64 * MiB,
    blockSize: 4 * MiB,
    prefix: ObjectPrefixScheme.UNSPECIFIED,
  };
  const port = new FakeFileDataPort({ chunkSize: layout.chunkSize });
  return { client: new FileDataClient({ layout, store, port, writeBufferBytes }), port, layout };
}

/** Every key of one inode's objects, sorted. */
export async function inodeObjectKeys(
  store: ObjectStore,
  fsId: number,
  inodeId: bigint,
): Promise<string[]> {
  const keys: string[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.list({ prefix: `${fsId}_${inodeId}_`, continuation });
    keys.push(...page.objects.map((o) => o.key));
    continuation = page.continuation;
  } while (continuation);
  return keys.sort();
}

/** The data infos the port received for an inode, oldest first. */
function committedInfos(port: FakeFileDataPort, inodeId: bigint): ChunkInfo[] {
  return port.commits
    .filter((c) => c.inodeId === inodeId)
    .flatMap((c) => c.commit.appends.flatMap((a) => a.infos));
}

async function* inPieces(data: Uint8Array, pieceBytes: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += pieceBytes) {
    yield data.subarray(offset, offset + pieceBytes);
  }
}

export function itRunsTheScenarios(options: ScenarioOptions): void {
  let nextInode = 5000n;
  const open = () => {
    const inodeId = nextInode++;
    const setup = realLayoutClient(options.store(), options.fsId);
    setup.port.createFile(inodeId);
    return { inodeId, ...setup };
  };

  for (const size of options.sizes) {
    it(`round-trips a file of ${size} bytes (${(size / MiB).toFixed(6)} MiB)`, async () => {
      const { client, port, inodeId } = open();
      const content = randomBytes(size);
      const file = await client.open(inodeId);
      expect(await file.writeStream(0, inPieces(content, MiB))).toBe(size);
      await file.close();
      expect(port.inode(inodeId).length).toBe(size);

      const reopened = await client.open(inodeId);
      expect(Buffer.from(concat(await collect(reopened.readStream()))).equals(content)).toBe(true);
      for (const boundary of [4 * MiB, 64 * MiB]) {
        const from = Math.max(0, boundary - 2);
        const got = await reopened.read(from, 4);
        expect(Buffer.from(got).equals(content.subarray(from, from + 4))).toBe(true);
      }
      expect(await reopened.read(size, 10)).toEqual(new Uint8Array(0));
      await reopened.close();
    }, 120_000);
  }

  it("writes exactly one object per touched block per flush, named by rangeObjects", async () => {
    const { client, port, layout, inodeId } = open();
    const file = await client.open(inodeId);
    // Three ranges: inside one block, across a block boundary, across the chunk boundary.
    await file.write(10, randomBytes(100));
    await file.write(4 * MiB - 3, randomBytes(6));
    await file.write(64 * MiB - 5, randomBytes(4 * MiB + 10));
    await file.flush();
    const infos = committedInfos(port, inodeId);
    // One fresh chunk id per contiguous range inside one chunk: the last range is cut in two.
    expect(infos.map((i) => [i.offset, i.len])).toEqual([
      [10, 100],
      [4 * MiB - 3, 6],
      [64 * MiB - 5, 5],
      [64 * MiB, 4 * MiB + 5],
    ]);
    expect(new Set(infos.map((i) => i.chunkId)).size).toBe(4);
    const expected = infos.flatMap((info) => rangeObjects(layout, inodeId, info));
    expect(expected).toHaveLength(6);
    expect(await inodeObjectKeys(options.store(), options.fsId, inodeId)).toEqual(
      expected.map((o) => o.key).sort(),
    );
    for (const object of expected) {
      expect((await options.store().head(object.key)).size).toBe(object.length);
    }

    // A second flush of an overwrite adds objects of a new chunk id only.
    await file.write(20, randomBytes(5));
    await file.close();
    const second = committedInfos(port, inodeId).slice(4);
    expect(second.map((i) => [i.offset, i.len])).toEqual([[20, 5]]);
    expect(await inodeObjectKeys(options.store(), options.fsId, inodeId)).toHaveLength(7);
  });

  it("reads its own unflushed writes, and commits nothing before a flush", async () => {
    const { client, port, inodeId } = open();
    const file = await client.open(inodeId);
    await file.write(3, new Uint8Array([1, 2, 3]));
    expect(file.length).toBe(6);
    expect(await file.read(0, 100)).toEqual(new Uint8Array([0, 0, 0, 1, 2, 3]));
    expect(port.commits).toHaveLength(0);
    expect(port.inode(inodeId).length).toBe(0);
    await file.flush();
    expect(port.inode(inodeId).length).toBe(6);
    expect(port.inode(inodeId).mtime).toBeDefined();
    await file.close();
  });

  it("a sparse write past 64 MiB reads zeros before it and costs no zero info", async () => {
    const { client, port, inodeId } = open();
    const file = await client.open(inodeId);
    await file.write(64 * MiB + 5, new Uint8Array(10).fill(7));
    await file.close();
    expect(committedInfos(port, inodeId).map((i) => [i.offset, i.len, i.zero])).toEqual([
      [64 * MiB + 5, 10, false],
    ]);
    const reopened = await client.open(inodeId);
    expect(reopened.length).toBe(64 * MiB + 15);
    const around = await reopened.read(64 * MiB - 1, 20);
    expect(Array.from(around)).toEqual([...Array(6).fill(0), ...Array(10).fill(7)]);
    expect((await reopened.read(0, 4 * MiB + 1)).every((b) => b === 0)).toBe(true);
    await reopened.close();
  });

  it("bytes written into a hole before the flush win over the hole", async () => {
    const { client, port, inodeId } = open();
    const file = await client.open(inodeId);
    await file.write(0, new Uint8Array(100).fill(9));
    await file.flush();
    await file.truncate(10);
    // Growing over the stale bytes 10..100 leaves a hole at 10..50, then data lands inside it.
    await file.write(50, new Uint8Array(10).fill(5));
    await file.write(20, new Uint8Array(10).fill(6));
    await file.close();
    const infos = committedInfos(port, inodeId).slice(1);
    expect(infos.map((i) => [i.offset, i.len, i.zero])).toEqual([
      [10, 40, true],
      [20, 10, false],
      [50, 10, false],
    ]);
    const reopened = await client.open(inodeId);
    expect(Array.from(await reopened.read(0, 100))).toEqual([
      ...Array(10).fill(9),
      ...Array(10).fill(0),
      ...Array(10).fill(6),
      ...Array(20).fill(0),
      ...Array(10).fill(5),
    ]);
    await reopened.close();
  });

  it("truncate down sets the length only; growing again hides the stale bytes with a zero info", async () => {
    const { client, port, inodeId } = open();
    const file = await client.open(inodeId);
    await file.write(0, new Uint8Array(100).fill(9));
    await file.flush();
    const commitsBefore = port.commits.length;
    await file.truncate(10);
    expect(
      port.commits.slice(commitsBefore).map((c) => [c.commit.appends.length, c.commit.length]),
    ).toEqual([[0, 10]]);
    await file.truncate(50);
    const zeroInfos = committedInfos(port, inodeId).filter((i) => i.zero);
    expect(zeroInfos.map((i) => [i.offset, i.len, i.size])).toEqual([[10, 40, 0]]);
    expect(zeroInfos[0]?.chunkId).toBeGreaterThan(committedInfos(port, inodeId)[0]?.chunkId ?? 0n);
    await file.close();
    const reopened = await client.open(inodeId);
    expect(Array.from(await reopened.read(0, 100))).toEqual([
      ...Array(10).fill(9),
      ...Array(40).fill(0),
    ]);
    await reopened.close();
  });
}
