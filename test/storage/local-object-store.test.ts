import { mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalObjectStore } from "../../impl/storage/local-object-store.js";
import { describeObjectStoreContract } from "./object-store-contract.js";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "curve-rpc-local-object-store-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describeObjectStoreContract("LocalObjectStore", {
  open: () => LocalObjectStore.open(join(root, "contract")),
  keyPrefix: "contract/",
});

describe("LocalObjectStore on disk", () => {
  it("keeps every object inside its root, whatever the key", async () => {
    const storeRoot = join(root, "containment");
    const store = await LocalObjectStore.open(storeRoot);
    for (const key of ["..a", "a..", "%2e%2e/x", "a\\..\\..\\b", "~/x", "a:b"]) {
      await store.put(key, Buffer.from(key));
    }
    const files = await filesUnder(storeRoot);
    expect(files.length).toBe(6);
    for (const file of files)
      expect(relative(storeRoot, file)).toMatch(/^objects\/[0-9a-f/]+\.obj$/);
  });

  it("a temp file left by a crashed put is not an object, and is removed once stale", async () => {
    const storeRoot = join(root, "crash");
    await LocalObjectStore.open(storeRoot);
    const stale = join(storeRoot, "tmp", "stale-put");
    const fresh = join(storeRoot, "tmp", "fresh-put");
    await writeFile(stale, "half an object");
    await writeFile(fresh, "a put in progress elsewhere");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);

    const store = await LocalObjectStore.open(storeRoot);

    expect((await store.list({ prefix: "" })).objects).toEqual([]);
    await expect(stat(stale)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await stat(fresh)).isFile()).toBe(true);
  });

  it("lists keys around the 8-byte directory boundaries of its layout in bytewise order", async () => {
    const store = await LocalObjectStore.open(join(root, "boundaries"));
    // 8 key bytes per directory level: these keys end just before, at and after a boundary,
    // and some are also directories of others (which the local store, unlike MinIO, allows).
    const keys = ["abcdefg", "abcdefgh", "abcdefgh/x", "abcdefgh.x", "abcdefghi", "abcdefgi", "b"];
    await Promise.all(keys.map((key) => store.put(key, Buffer.from(key))));
    const page = await store.list({ prefix: "", limit: 3 });
    const rest = await store.list({ prefix: "", continuation: page.continuation });
    expect([...page.objects, ...rest.objects].map((object) => object.key)).toEqual(
      [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
  });

  it("pages through any set of keys in bytewise order, each key once (property)", async () => {
    const segment = fc
      .string({
        // A small alphabet makes keys share prefixes across the layout's 8-byte levels.
        unit: fc.constantFrom("a", "a", "b", ".", "é", "😀"),
        minLength: 3,
        maxLength: 10,
      })
      .filter((text) => text !== "." && text !== "..");
    const key = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/"));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(key, { minLength: 5, maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        async (keys, limit) => {
          const store = await LocalObjectStore.open(join(root, `property-${run++}`));
          await Promise.all(keys.map((k) => store.put(k, Buffer.from(k))));
          const listed: string[] = [];
          let continuation: string | undefined;
          do {
            const page = await store.list({ prefix: "", limit, continuation });
            expect(page.objects.length).toBeLessThanOrEqual(limit);
            listed.push(...page.objects.map((object) => object.key));
            continuation = page.continuation;
          } while (continuation !== undefined);
          expect(listed).toEqual(
            [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it("deleting the last object under a directory removes the empty directories", async () => {
    const storeRoot = join(root, "prune");
    const store = await LocalObjectStore.open(storeRoot);
    await store.put("a-rather-long-key/that/spans/levels", Buffer.from("x"));
    await store.delete("a-rather-long-key/that/spans/levels");
    expect(await readdir(join(storeRoot, "objects"))).toEqual([]);
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
