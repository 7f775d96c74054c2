import { mkdtemp, open, readFile, rm, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  EmbeddedKvStore,
  type EmbeddedKvStoreOptions,
} from "../../impl/storage/embedded-kv-store.js";
import { bytesToText } from "../../impl/storage/kv-bytes.js";
import { isKvError } from "../../impl/storage/kv-error.js";
import { eventually } from "../support/eventually.js";
import { ManualClock } from "../support/manual-clock.js";
import { describeKvStoreContract, type KvStoreFixture, values } from "./kv-store-contract.js";

const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "curve-rpc-kv-"));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function openFixture(): Promise<KvStoreFixture> {
  const clock = new ManualClock();
  const store = await EmbeddedKvStore.open({ dir: await tempDir(), clock });
  return {
    connect: async () => store,
    elapse: (ms) => clock.advance(ms),
    stableTtlSeconds: 2,
    close: () => store.close(),
  };
}

describeKvStoreContract("EmbeddedKvStore", openFixture);

describe("EmbeddedKvStore persistence", () => {
  const text = (bytes: Uint8Array | undefined): string | undefined => bytes && bytesToText(bytes);

  async function openAt(
    dir: string,
    options: Partial<EmbeddedKvStoreOptions> = {},
  ): Promise<EmbeddedKvStore> {
    return EmbeddedKvStore.open({ dir, clock: new ManualClock(), ...options });
  }

  it("keys, revisions and leases survive close and reopen", async () => {
    const dir = await tempDir();
    const first = await openAt(dir);
    await first.put("a", "1");
    await first.txn({
      compare: [],
      success: [
        { type: "put", key: "b", value: "2" },
        { type: "put", key: "c", value: "3" },
      ],
    });
    await first.delete("c");
    const lease = await first.grantLease(30, { keepAlive: false });
    await first.put("leased", "x", { lease: lease.id });
    const revision = await first.revision();
    await first.close();

    const second = await openAt(dir);
    expect(second.openReport).toMatchObject({ snapshotRevision: undefined, tornTailBytes: 0 });
    expect(await second.revision()).toBe(revision);
    expect(values((await second.range("")).kvs)).toEqual(["1", "2", "x"]);
    expect((await second.get("leased"))?.lease).toBe(lease.id);
    expect(await second.leaseTimeToLive(lease.id)).toBe(30);
    expect((await second.put("d", "4")).revision).toBe(revision + 1);
    await second.close();
  });

  it("a restart renews every lease to its full TTL, then it expires on the clock", async () => {
    const dir = await tempDir();
    const first = await openAt(dir, { clock: new ManualClock() });
    const lease = await first.grantLease(3, { keepAlive: false });
    await first.put("leased", "x", { lease: lease.id });
    await first.close();

    const clock = new ManualClock();
    const second = await openAt(dir, { clock });
    expect(await second.leaseTimeToLive(lease.id)).toBe(3);
    await clock.advance(2999);
    expect(await second.get("leased")).toBeDefined();
    await clock.advance(1);
    await eventually(async () => ((await second.get("leased")) === undefined ? true : undefined));
    await second.close();
  });

  it("a torn last write is cut off on open, and every write before it survives", async () => {
    const dir = await tempDir();
    const first = await openAt(dir);
    for (let i = 0; i < 5; i++) await first.put(`k${i}`, `v${i}`);
    const acknowledged = await first.revision();
    await first.put("torn", "this write's flush is cut in half");
    await first.close();
    const log = join(dir, "kv.log");
    await truncate(log, (await stat(log)).size - 10);

    const second = await openAt(dir);
    expect(second.openReport.tornTailBytes).toBeGreaterThan(0);
    expect(await second.revision()).toBe(acknowledged);
    expect(values((await second.range("k")).kvs)).toEqual(["v0", "v1", "v2", "v3", "v4"]);
    expect(await second.get("torn")).toBeUndefined();
    await second.put("after", "recovery");
    await second.close();

    const third = await openAt(dir);
    expect(third.openReport.tornTailBytes).toBe(0);
    expect(text((await third.get("after"))?.value)).toBe("recovery");
    await third.close();
  });

  it("damage before valid data refuses to open instead of dropping acknowledged writes", async () => {
    const dir = await tempDir();
    const first = await openAt(dir);
    for (let i = 0; i < 3; i++) await first.put(`k${i}`, `v${i}`);
    await first.close();
    const log = join(dir, "kv.log");
    const before = await readFile(log);
    const handle = await open(log, "r+");
    await handle.write(Buffer.from("#"), 0, 1, 30); // inside the first frame's payload
    await handle.close();

    const error = await openAt(dir).catch((e: unknown) => e);
    expect(isKvError(error, "corrupt")).toBe(true);
    expect((await stat(log)).size).toBe(before.length);
  });

  it("compaction writes a snapshot and empties the log; reopening loads it", async () => {
    const dir = await tempDir();
    const first = await openAt(dir);
    for (let i = 0; i < 50; i++) await first.put(`k/${String(i).padStart(2, "0")}`, `v${i}`);
    const lease = await first.grantLease(60, { keepAlive: false });
    await first.put("leased", "x", { lease: lease.id });
    const writesDuring = Array.from({ length: 20 }, (_, i) => first.put(`during/${i}`, "d"));
    await first.compact();
    await Promise.all(writesDuring);
    const revision = await first.revision();
    await first.close();

    const second = await openAt(dir);
    expect(second.openReport.snapshotRevision).toBeGreaterThan(50);
    expect(await second.revision()).toBe(revision);
    expect((await second.range("k/")).kvs).toHaveLength(50);
    expect((await second.range("during/")).kvs).toHaveLength(20);
    expect(await second.leaseTimeToLive(lease.id)).toBe(60);
    const snapshotRevision = second.openReport.snapshotRevision ?? 0;
    const stale = await second
      .watch("", () => {}, { startRevision: snapshotRevision })
      .catch((e: unknown) => e);
    expect(isKvError(stale, "compacted")).toBe(true);
    await (await second.watch("", () => {}, { startRevision: snapshotRevision + 1 })).cancel();
    await second.close();
  });

  it("compacts on its own once the log passes its size limit", async () => {
    const dir = await tempDir();
    const store = await openAt(dir, { compactAfterBytes: 4096 });
    for (let i = 0; i < 100; i++) await store.put(`k/${i}`, "x".repeat(100));
    await eventually(async () =>
      (await stat(join(dir, "kv.log"))).size < 4096 ? true : undefined,
    );
    await store.close();
    const reopened = await openAt(dir);
    expect(reopened.openReport.snapshotRevision).toBeDefined();
    expect((await reopened.range("k/")).kvs).toHaveLength(100);
    await reopened.close();
  });

  it("expires a lease exactly at its TTL on the injected clock", async () => {
    const clock = new ManualClock();
    const store = await openAt(await tempDir(), { clock });
    const lease = await store.grantLease(3, { keepAlive: false });
    await store.put("leased", "x", { lease: lease.id });
    await clock.advance(2999);
    expect(await store.get("leased")).toBeDefined();
    expect(lease.lost.aborted).toBe(false);
    await clock.advance(1);
    await eventually(async () => ((await store.get("leased")) === undefined ? true : undefined));
    expect(lease.lost.aborted).toBe(true);
    await store.close();
  });

  it("refuses a second store on the same directory", async () => {
    const dir = await tempDir();
    const store = await openAt(dir);
    const error = await openAt(dir).catch((e: unknown) => e);
    expect(isKvError(error, "invalid_argument")).toBe(true);
    await store.close();
    await (await openAt(dir)).close();
  });
});
