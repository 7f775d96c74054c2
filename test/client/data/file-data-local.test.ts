import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CurveError } from "../../../impl/errors.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { LocalObjectStore } from "../../../impl/storage/local-object-store.js";
import type { ObjectBody, ObjectStore, PutResult } from "../../../impl/storage/object-store.js";
import { ObjectStoreUnavailableError } from "../../../impl/storage/object-store-errors.js";
import { itMatchesTheByteArrayModel } from "./file-data-model.js";
import {
  inodeObjectKeys,
  itRunsTheScenarios,
  MiB,
  realLayoutClient,
} from "./file-data-scenarios.js";

let root: string;
let store: LocalObjectStore;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "curve-rpc-file-data-"));
  store = await LocalObjectStore.open(root);
});

afterAll(async () => {
  await store.close();
  await rm(root, { recursive: true, force: true });
});

describe("the data path on a local object store", () => {
  itMatchesTheByteArrayModel({ store: () => store, fsId: 1, numRuns: 60, maxOps: 30 });

  itRunsTheScenarios({
    store: () => store,
    fsId: 2,
    sizes: [4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 64 * MiB - 1, 64 * MiB, 64 * MiB + 1],
  });

  it("streams a 200 MiB file through a 16 MiB write buffer and reads it back by windows", async () => {
    const { client, port } = realLayoutClient(store, 3, 16 * MiB);
    port.createFile(1n);
    const file = await client.open(1n);
    const written = createHash("sha256");
    let peakBuffered = 0;
    for (let offset = 0; offset < 200 * MiB; offset += 3 * MiB) {
      const piece = randomBytes(Math.min(3 * MiB, 200 * MiB - offset));
      written.update(piece);
      await file.write(offset, piece);
      peakBuffered = Math.max(peakBuffered, file.bufferedBytes);
    }
    await file.close();
    expect(peakBuffered).toBeLessThan(16 * MiB);
    expect(port.inode(1n).length).toBe(200 * MiB);

    const reopened = await client.open(1n);
    const read = createHash("sha256");
    let windows = 0;
    for await (const window of reopened.readStream()) {
      expect(window.length).toBeLessThanOrEqual(8 * MiB);
      read.update(window);
      windows++;
    }
    expect(windows).toBe(25);
    expect(read.digest("hex")).toBe(written.digest("hex"));
    await reopened.close();
  }, 300_000);

  it("flushes by itself at 1024 scattered extents, in commits of at most 256 infos", async () => {
    const { client, port } = realLayoutClient(store, 7);
    port.createFile(1n);
    const file = await client.open(1n);
    for (let i = 0; i < 1030; i++) await file.write(2 * i, new Uint8Array([i % 251]));
    expect(file.bufferedBytes).toBe(6);
    expect(port.commits.map((c) => c.commit.appends.map((a) => a.infos.length))).toEqual([
      [256],
      [256],
      [256],
      [256],
    ]);
    await file.close();
    const reopened = await client.open(1n);
    const bytes = await reopened.read(0, 2060);
    expect(bytes.length).toBe(2059);
    for (let i = 0; i < 1030; i++) expect(bytes[2 * i]).toBe(i % 251);
    expect(bytes.filter((_, k) => k % 2 === 1).every((b) => b === 0)).toBe(true);
  });

  it("a failed put commits nothing, removes the objects it stored, and a later flush succeeds", async () => {
    const faulty = new FaultInjectingObjectStore(store, (key) => key.endsWith("_1_0"));
    const { client, port } = realLayoutClient(faulty, 4);
    port.createFile(1n);
    const file = await client.open(1n);
    const content = randomBytes(12 * MiB);
    await file.write(0, content);

    const failure = await file.flush().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CurveError);
    expect((failure as CurveError).reason).toBe(ErrorReason.STORAGE_FAILURE);
    expect((failure as CurveError).metadata).toMatchObject({
      object_key: expect.stringMatching(/_1_0$/),
      object_store_reason: "unavailable",
      retryable: "true",
    });
    expect(port.commits).toHaveLength(0);
    expect(await inodeObjectKeys(store, 4, 1n)).toEqual([]);
    expect(Buffer.from(await file.read(0, 12 * MiB)).equals(content)).toBe(true);

    faulty.healed = true;
    await file.close();
    expect(port.commits).toHaveLength(1);
    expect(await inodeObjectKeys(store, 4, 1n)).toHaveLength(3);
    const reopened = await client.open(1n);
    expect(Buffer.from(await reopened.read(0, 12 * MiB)).equals(content)).toBe(true);
  });

  it("a missing object named by a chunk info is a STORAGE_FAILURE", async () => {
    const { client, port } = realLayoutClient(store, 5);
    port.createFile(1n);
    const file = await client.open(1n);
    await file.write(0, randomBytes(10));
    await file.close();
    const [key] = await inodeObjectKeys(store, 5, 1n);
    await store.delete(key as string);
    const reopened = await client.open(1n);
    await expect(reopened.read(0, 10)).rejects.toMatchObject({
      reason: ErrorReason.STORAGE_FAILURE,
      message: expect.stringContaining("missing"),
    });
  });

  it("rejects bad ranges and use after close", async () => {
    const { client, port } = realLayoutClient(store, 6);
    port.createFile(1n);
    const file = await client.open(1n);
    await expect(file.read(-1, 1)).rejects.toMatchObject({ reason: ErrorReason.INVALID_ARGUMENT });
    await expect(file.write(1.5, new Uint8Array(1))).rejects.toMatchObject({
      reason: ErrorReason.INVALID_ARGUMENT,
    });
    await expect(file.truncate(2 ** 53)).rejects.toMatchObject({
      reason: ErrorReason.INVALID_ARGUMENT,
    });
    await file.close();
    await file.close();
    await expect(file.read(0, 1)).rejects.toMatchObject({ reason: ErrorReason.INVALID_ARGUMENT });
  });
});

/**
 * Fault injection around the real store (test double): puts of matching keys fail as an
 * unreachable store would, until `healed` is set.
 */
class FaultInjectingObjectStore implements ObjectStore {
  healed = false;

  constructor(
    private readonly inner: ObjectStore,
    private readonly fails: (key: string) => boolean,
  ) {}

  async put(key: string, body: ObjectBody): Promise<PutResult> {
    if (!this.healed && this.fails(key)) throw new ObjectStoreUnavailableError(`injected: ${key}`);
    return this.inner.put(key, body);
  }

  get: ObjectStore["get"] = (key, range) => this.inner.get(key, range);
  head: ObjectStore["head"] = (key) => this.inner.head(key);
  delete: ObjectStore["delete"] = (key) => this.inner.delete(key);
  deleteMany: ObjectStore["deleteMany"] = (keys) => this.inner.deleteMany(keys);
  list: ObjectStore["list"] = (request) => this.inner.list(request);
  close: ObjectStore["close"] = async () => {};
}
