/**
 * The model-based test of the data path, run against any ObjectStore (local directory or
 * MinIO): random sequences of writes, streamed writes, truncates, flushes, reopen-from-metadata
 * and reads, checked after every read against a plain byte array, with FakeFileDataPort as the
 * metadata side. Small chunk and block sizes put many chunk and block boundaries into short
 * files; the data path's arithmetic does not depend on the sizes.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { FileDataClient } from "../../../impl/client/data/file-data-client.js";
import type { FileDataHandle } from "../../../impl/client/data/file-data-handle.js";
import type { DataCommit } from "../../../impl/client/data/file-data-port.js";
import { ObjectPrefixScheme } from "../../../impl/gen/curve/common/v1/common_pb.js";
import type { ObjectStore } from "../../../impl/storage/object-store.js";
import { type ObjectLayout, rangeObjects } from "../../../impl/storage/s3-object-naming.js";
import { FakeFileDataPort } from "./fake-file-data-port.js";

const CHUNK = 4096;
const BLOCK = 1024;
const MAX_FILE = 5 * CHUNK;

export type ModelOp =
  | { kind: "write"; offset: number; length: number; seed: number }
  | { kind: "stream"; offset: number; pieces: number[]; seed: number }
  | { kind: "truncate"; length: number }
  | { kind: "flush" }
  | { kind: "reopen" }
  | { kind: "read"; offset: number; length: number };

const position = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_FILE }) },
  // Crowded into the first blocks, so writes, holes and truncates overlap often.
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 * BLOCK }) },
  // Near chunk and block boundaries, where the off-by-one bugs live.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: MAX_FILE / BLOCK }), fc.integer({ min: -1, max: 1 }))
      .map(([block, delta]) => Math.max(0, block * BLOCK + delta)),
  },
);

export const modelOpArbitrary: fc.Arbitrary<ModelOp> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("write" as const),
      offset: position,
      length: fc.oneof(
        fc.integer({ min: 0, max: 3 * BLOCK }),
        fc.integer({ min: CHUNK - 1, max: CHUNK + 1 }),
      ),
      seed: fc.integer(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("stream" as const),
      offset: position,
      pieces: fc.array(fc.integer({ min: 0, max: 2 * BLOCK }), { maxLength: 5 }),
      seed: fc.integer(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("truncate" as const), length: position }) },
  { weight: 2, arbitrary: fc.constant({ kind: "flush" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reopen" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("read" as const),
      offset: position,
      length: fc.integer({ min: 0, max: 2 * CHUNK }),
    }),
  },
);

/** Deterministic bytes for a write (the model and the data path see the same ones). */
export function patternBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** The model: the file's bytes. */
class ModelFile {
  bytes = new Uint8Array(0);

  write(offset: number, data: Uint8Array): void {
    if (data.length === 0) return;
    this.resize(Math.max(this.bytes.length, offset + data.length));
    this.bytes.set(data, offset);
  }

  resize(length: number): void {
    const next = new Uint8Array(length);
    next.set(this.bytes.subarray(0, Math.min(length, this.bytes.length)));
    this.bytes = next;
  }

  read(offset: number, length: number): Uint8Array {
    return this.bytes.slice(
      Math.min(offset, this.bytes.length),
      Math.min(offset + length, this.bytes.length),
    );
  }
}

export interface ModelTestOptions {
  /** The store under test, opened once for the file. */
  readonly store: () => ObjectStore;
  /** The fs id of the object names (test files sharing a bucket use distinct ones). */
  readonly fsId: number;
  readonly numRuns: number;
  readonly maxOps: number;
}

/** Registers the model test. */
export function itMatchesTheByteArrayModel(options: ModelTestOptions): void {
  it("matches a byte-array model over random writes, truncates, flushes, reopens and reads", async () => {
    const layout: ObjectLayout = {
      fsId: options.fsId,
      chunkSize: CHUNK,
      blockSize: BLOCK,
      prefix: ObjectPrefixScheme.UNSPECIFIED,
    };
    let nextInode = 100n;
    await fc.assert(
      fc.asyncProperty(
        // A small bound flushes by itself often; a large one only on flush, truncate, reopen.
        fc.constantFrom(3000, 8 * CHUNK),
        fc.array(modelOpArbitrary, { maxLength: options.maxOps, size: "max" }),
        async (writeBufferBytes, ops) => {
          await runModel(options.store(), layout, nextInode++, writeBufferBytes, ops);
        },
      ),
      { numRuns: options.numRuns },
    );
  }, 300_000);
}

async function runModel(
  store: ObjectStore,
  layout: ObjectLayout,
  inodeId: bigint,
  writeBufferBytes: number,
  ops: readonly ModelOp[],
): Promise<void> {
  const port = new FakeFileDataPort({
    chunkSize: layout.chunkSize,
    beforeCommit: (inode, commit) => expectObjectsStored(store, layout, inode, commit),
  });
  port.createFile(inodeId);
  const client = new FileDataClient({
    layout,
    store,
    port,
    writeBufferBytes,
    concurrency: 4,
    readWindowBytes: 1500,
  });
  const model = new ModelFile();
  let handle: FileDataHandle = await client.open(inodeId);
  for (const op of ops) {
    switch (op.kind) {
      case "write": {
        const data = patternBytes(op.length, op.seed);
        await handle.write(op.offset, data);
        model.write(op.offset, data);
        break;
      }
      case "stream": {
        const pieces = op.pieces.map((length, i) => patternBytes(length, op.seed + i));
        const written = await handle.writeStream(op.offset, fromArray(pieces));
        let offset = op.offset;
        for (const piece of pieces) {
          model.write(offset, piece);
          offset += piece.length;
        }
        expect(written).toBe(offset - op.offset);
        break;
      }
      case "truncate":
        await handle.truncate(op.length);
        model.resize(op.length);
        expect(port.inode(inodeId).length).toBe(op.length);
        break;
      case "flush":
        await handle.flush();
        expect(port.inode(inodeId).length).toBe(model.bytes.length);
        break;
      case "reopen":
        await handle.close();
        handle = await client.open(inodeId);
        break;
      case "read":
        expect(await handle.read(op.offset, op.length)).toEqual(model.read(op.offset, op.length));
        break;
    }
    expect(handle.length).toBe(model.bytes.length);
  }
  await handle.close();
  expect(port.inode(inodeId).length).toBe(model.bytes.length);
  const reopened = await client.open(inodeId);
  expect(await reopened.read(0, MAX_FILE * 2)).toEqual(model.bytes);
  expect(concat(await collect(reopened.readStream()))).toEqual(model.bytes);
  await reopened.close();
}

/** Every object a commit's data infos name exists, with the size rangeObjects gives it. */
async function expectObjectsStored(
  store: ObjectStore,
  layout: ObjectLayout,
  inodeId: bigint,
  commit: DataCommit,
): Promise<void> {
  for (const append of commit.appends) {
    for (const info of append.infos) {
      if (info.zero) continue;
      for (const object of rangeObjects(layout, inodeId, info)) {
        expect((await store.head(object.key)).size).toBe(object.length);
      }
    }
  }
}

async function* fromArray(pieces: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* pieces;
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return parts;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
