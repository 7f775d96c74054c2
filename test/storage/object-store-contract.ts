import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectStore, SizedStream } from "../../impl/storage/object-store.js";
import {
  InvalidObjectArgumentError,
  ObjectNotFoundError,
} from "../../impl/storage/object-store-errors.js";

const MiB = 1024 * 1024;

/** The data path's block size (DESIGN §3): objects are at most this big, ranges cross it. */
const BLOCK = 4 * MiB;

/** The data path's chunk size; one byte more is above the default multipart threshold. */
const CHUNK = 64 * MiB;

/** How a test file hands a store to the contract. */
export interface ObjectStoreContractSetup {
  /** Opens the store under test (called once, before the cases). */
  open(): Promise<ObjectStore>;
  /**
   * Every key the cases write starts with this, so test files can share a bucket; everything
   * under it is deleted afterwards.
   */
  readonly keyPrefix: string;
}

/**
 * The behaviour every `ObjectStore` must have (see impl/storage/object-store.ts). Registers the
 * cases in a describe block; call it once per implementation.
 */
export function describeObjectStoreContract(name: string, setup: ObjectStoreContractSetup): void {
  describe(`${name}: ObjectStore contract`, () => {
    let store: ObjectStore;
    let caseNumber = 0;
    /** A fresh key prefix per case keeps cases independent of each other. */
    const casePrefix = () => `${setup.keyPrefix}case-${++caseNumber}/`;

    beforeAll(async () => {
      store = await setup.open();
    });

    afterAll(async () => {
      if (!store) return;
      await deleteEverything(store, setup.keyPrefix);
      await store.close();
    });

    describe("round trips", () => {
      it.each([
        ["0 B", 0],
        ["1 B", 1],
        ["4 MiB - 1", BLOCK - 1],
        ["4 MiB", BLOCK],
        ["4 MiB + 1", BLOCK + 1],
        ["64 MiB + 1 (multipart)", CHUNK + 1],
      ])("an object of %s reads back byte for byte", async (_label, size) => {
        const key = `${casePrefix()}object`;
        const data = randomBytes(size);
        const put = await store.put(key, data);
        expect(put.size).toBe(size);
        expectSameBytes(await store.get(key), data);
        expect((await store.head(key)).size).toBe(size);
      });

      it("a stream of known length stores the same bytes as a buffer", async () => {
        const key = `${casePrefix()}streamed`;
        const data = randomBytes(CHUNK + 1);
        await store.put(key, sizedStream(data, MiB + 7));
        expectSameBytes(await store.get(key), data);
      });

      it("a second put replaces the object and changes its etag", async () => {
        const key = `${casePrefix()}replaced`;
        const first = await store.put(key, Buffer.from("first version"));
        const second = await store.put(key, Buffer.from("second"));
        expect(Buffer.from(await store.get(key)).toString()).toBe("second");
        expect(second.etag).not.toBe(first.etag);
        expect((await store.head(key)).etag).toBe(second.etag);
      });
    });

    describe("streams whose length differs from the declared one", () => {
      it("a stream that ends early fails and leaves the previous object in place", async () => {
        const key = `${casePrefix()}short`;
        await store.put(key, Buffer.from("previous"));
        const short = { ...sizedStream(Buffer.from("12345"), 2), length: 10 };
        await expect(store.put(key, short)).rejects.toBeInstanceOf(InvalidObjectArgumentError);
        expect(Buffer.from(await store.get(key)).toString()).toBe("previous");
      });

      it("a stream that runs long fails and stores nothing", async () => {
        const key = `${casePrefix()}long`;
        const long = { ...sizedStream(Buffer.from("1234567890"), 3), length: 4 };
        await expect(store.put(key, long)).rejects.toBeInstanceOf(InvalidObjectArgumentError);
        await expect(store.head(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
      });

      it("a large stream (multipart) that ends early fails and stores nothing", async () => {
        const key = `${casePrefix()}large-short`;
        const short = { ...sizedStream(randomBytes(20 * MiB), MiB), length: CHUNK + 1 };
        await expect(store.put(key, short)).rejects.toBeInstanceOf(InvalidObjectArgumentError);
        await expect(store.head(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
      });
    });

    describe("ranges", () => {
      /** Two blocks and a bit: block edges at 4 MiB and 8 MiB. */
      const size = 2 * BLOCK + 5;
      const data = randomBytes(size);
      let key: string;

      beforeAll(async () => {
        key = `${setup.keyPrefix}ranges/object`;
        await store.put(key, data);
      });

      it.each([
        ["the first byte", 0, 1],
        ["the last byte", size - 1, 1],
        ["the last byte of the first block", BLOCK - 1, 1],
        ["the first byte of the second block", BLOCK, 1],
        ["a span across the 4 MiB edge", BLOCK - 2, 4],
        ["a whole block", BLOCK, BLOCK],
        ["the whole object", 0, size],
      ])("%s", async (_label, offset, length) => {
        expectSameBytes(
          await store.get(key, { offset, length }),
          data.subarray(offset, offset + length),
        );
      });

      it("a range running past the end is truncated at the end", async () => {
        const got = await store.get(key, { offset: size - 3, length: 10 });
        expectSameBytes(got, data.subarray(size - 3));
      });

      it("a range starting exactly at the end is empty", async () => {
        expect((await store.get(key, { offset: size, length: 10 })).byteLength).toBe(0);
      });

      it("a zero-length range is empty", async () => {
        expect((await store.get(key, { offset: 7, length: 0 })).byteLength).toBe(0);
      });

      it("a range starting past the end is an invalid argument", async () => {
        await expect(store.get(key, { offset: size + 1, length: 1 })).rejects.toBeInstanceOf(
          InvalidObjectArgumentError,
        );
      });

      it.each([
        ["a negative offset", -1, 1],
        ["a negative length", 0, -1],
        ["a fractional offset", 0.5, 1],
        ["an unsafe integer length", 0, 2 ** 53],
      ])("%s is an invalid argument", async (_label, offset, length) => {
        await expect(store.get(key, { offset, length })).rejects.toBeInstanceOf(
          InvalidObjectArgumentError,
        );
      });

      it("a range of an empty object is empty", async () => {
        const empty = `${casePrefix()}empty`;
        await store.put(empty, new Uint8Array(0));
        expect((await store.get(empty, { offset: 0, length: 10 })).byteLength).toBe(0);
      });
    });

    describe("head", () => {
      it("reports size, etag and modification time", async () => {
        const key = `${casePrefix()}headed`;
        const put = await store.put(key, Buffer.from("twelve bytes"));
        const info = await store.head(key);
        expect(info.key).toBe(key);
        expect(info.size).toBe(12);
        expect(info.etag).toBe(put.etag);
        expect(info.etag).not.toBe("");
        expect(Number.isNaN(info.lastModified.getTime())).toBe(false);
      });
    });

    describe("missing objects", () => {
      it.each([
        ["get", (s: ObjectStore, k: string) => s.get(k)],
        ["a ranged get", (s: ObjectStore, k: string) => s.get(k, { offset: 0, length: 1 })],
        ["an empty ranged get", (s: ObjectStore, k: string) => s.get(k, { offset: 0, length: 0 })],
        ["head", (s: ObjectStore, k: string) => s.head(k)],
      ])("%s of a missing object throws ObjectNotFoundError naming the key", async (_l, call) => {
        const key = `${casePrefix()}never-written`;
        const error = await call(store, key).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ObjectNotFoundError);
        expect((error as ObjectNotFoundError).key).toBe(key);
      });
    });

    describe("delete", () => {
      it("a deleted object is missing", async () => {
        const key = `${casePrefix()}deleted`;
        await store.put(key, Buffer.from("x"));
        await store.delete(key);
        await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
      });

      it("deleting a missing object succeeds, and so does deleting it again", async () => {
        const key = `${casePrefix()}gone`;
        await store.delete(key);
        await store.delete(key);
      });

      it("a batch delete of 1,000 keys (and some missing ones) deletes them all", async () => {
        const prefix = casePrefix();
        const keys = Array.from(
          { length: 1000 },
          (_, i) => `${prefix}${String(i).padStart(4, "0")}`,
        );
        await putAll(store, keys);
        const missing = [`${prefix}missing-1`, `${prefix}missing-2`];
        const result = await store.deleteMany([...keys, ...missing]);
        expect(result.failures).toEqual([]);
        expect((await listAll(store, prefix, 1000)).keys).toEqual([]);
      });

      it("an empty batch delete does nothing", async () => {
        expect((await store.deleteMany([])).failures).toEqual([]);
      });
    });

    describe("list", () => {
      /**
       * Keys chosen to break naive orderings: separators, dots, multi-byte characters. (No key
       * is also a directory of another, which MinIO cannot list: see object-key.ts.)
       */
      const names = [
        "a.b",
        "a/b",
        "a/c/d",
        "a0",
        "b",
        "B",
        "z",
        "é",
        "\uFFFD",
        "😀",
        "a_1_2_3_0_0",
        "a_1_2_30_0_0",
        "a_1_20_3_0_0",
        ...Array.from({ length: 12 }, (_, i) => `n/${i}`),
      ];

      it("pages return every key exactly once, in bytewise UTF-8 order", async () => {
        const prefix = casePrefix();
        const keys = names.map((name) => prefix + name);
        await putAll(store, keys);
        const { keys: listed, pageSizes } = await listAll(store, prefix, 7);
        expect(listed).toEqual([...keys].sort(compareUtf8));
        expect(Math.max(...pageSizes)).toBeLessThanOrEqual(7);
      });

      it("a prefix selects exactly the keys that start with it", async () => {
        const prefix = casePrefix();
        await putAll(
          store,
          ["a/b", "a/b0/c", "a/bc", "a/c", "ab"].map((n) => prefix + n),
        );
        const { keys } = await listAll(store, `${prefix}a/b`, 2);
        expect(keys).toEqual(["a/b", "a/b0/c", "a/bc"].map((n) => prefix + n));
      });

      it("a listing reports size and etag", async () => {
        const prefix = casePrefix();
        const put = await store.put(`${prefix}sized`, Buffer.from("12345"));
        const page = await store.list({ prefix });
        expect(page.objects.map(({ key, size, etag }) => ({ key, size, etag }))).toEqual([
          { key: `${prefix}sized`, size: 5, etag: put.etag },
        ]);
        expect(page.continuation).toBeUndefined();
      });

      it("a prefix nothing starts with lists nothing", async () => {
        const page = await store.list({ prefix: `${casePrefix()}nothing` });
        expect(page).toEqual({ objects: [] });
      });

      it("a continuation token the store did not issue is an invalid argument", async () => {
        await expect(
          store.list({ prefix: setup.keyPrefix, continuation: "not-a-token" }),
        ).rejects.toBeInstanceOf(InvalidObjectArgumentError);
      });

      it.each([0, 1001, 1.5])("a limit of %s is an invalid argument", async (limit) => {
        await expect(store.list({ prefix: setup.keyPrefix, limit })).rejects.toBeInstanceOf(
          InvalidObjectArgumentError,
        );
      });
    });

    describe("keys", () => {
      it.each([
        ["empty", ""],
        ["1,025 bytes long", `${"k/".repeat(512)}k`],
        ["a segment of 256 bytes", `a/${"k".repeat(256)}`],
        ["a parent-directory segment", "../escape"],
        ["a parent-directory segment inside", "a/../../escape"],
        ["a current-directory segment", "a/./b"],
        ["a leading slash", "/etc/passwd"],
        ["a trailing slash", "a/"],
        ["an empty segment", "a//b"],
        ["a lone surrogate", "a\uD800b"],
        ["a control character", "a\nb"],
      ])("a key that is %s is an invalid argument", async (_label, key) => {
        await expect(store.put(key, Buffer.from("x"))).rejects.toBeInstanceOf(
          InvalidObjectArgumentError,
        );
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectArgumentError);
        await expect(store.head(key)).rejects.toBeInstanceOf(InvalidObjectArgumentError);
        await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectArgumentError);
        await expect(store.deleteMany([key])).rejects.toBeInstanceOf(InvalidObjectArgumentError);
      });

      it("a key of exactly 1,024 bytes of UTF-8 works", async () => {
        const prefix = casePrefix();
        const key = keyOfBytes(prefix, 1024);
        expect(Buffer.byteLength(key)).toBe(1024);
        await store.put(key, Buffer.from("long key"));
        expect(Buffer.from(await store.get(key)).toString()).toBe("long key");
        expect((await listAll(store, prefix, 10)).keys).toEqual([key]);
      });

      it("keys with dots, percent signs and spaces are ordinary keys", async () => {
        const prefix = casePrefix();
        const keys = ["..a", "a..", ".hidden", "%2e%2e", "with space", "100%"].map(
          (n) => prefix + n,
        );
        await putAll(store, keys);
        for (const key of keys) expect((await store.head(key)).key).toBe(key);
      });
    });
  });
}

/**
 * `prefix` filled up to exactly `bytes` bytes of UTF-8 with two-byte characters, in segments of
 * at most ~200 bytes (file systems, and so MinIO, limit one path segment to 255 bytes).
 */
function keyOfBytes(prefix: string, bytes: number): string {
  const segment = `${"é".repeat(100)}/`;
  let key = prefix;
  while (bytes - Buffer.byteLength(key) > Buffer.byteLength(segment) + 1) key += segment;
  const room = bytes - Buffer.byteLength(key);
  return key + "é".repeat(Math.floor(room / 2)) + "e".repeat(room % 2);
}

function sizedStream(data: Uint8Array, chunkSize: number): SizedStream {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let start = 0; start < data.byteLength; start += chunkSize) {
      yield data.subarray(start, start + chunkSize);
    }
  }
  return { stream: chunks(), length: data.byteLength };
}

async function putAll(store: ObjectStore, keys: readonly string[]): Promise<void> {
  const queue = [...keys];
  const worker = async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      await store.put(key, Buffer.from(key));
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

async function listAll(
  store: ObjectStore,
  prefix: string,
  limit: number,
): Promise<{ keys: string[]; pageSizes: number[] }> {
  const keys: string[] = [];
  const pageSizes: number[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.list({ prefix, limit, continuation });
    pageSizes.push(page.objects.length);
    keys.push(...page.objects.map((object) => object.key));
    continuation = page.continuation;
  } while (continuation !== undefined);
  return { keys, pageSizes };
}

async function deleteEverything(store: ObjectStore, prefix: string): Promise<void> {
  const { keys } = await listAll(store, prefix, 1000);
  await store.deleteMany(keys);
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Compares without handing 64 MiB buffers to the diff printer. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  const same = Buffer.compare(actual, expected) === 0;
  expect(same, same ? "" : `first difference at byte ${firstDifference(actual, expected)}`).toBe(
    true,
  );
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.byteLength && a[i] === b[i]) i++;
  return i;
}
