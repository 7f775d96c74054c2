/**
 * The KvStore contract: one suite that every implementation must pass (etcd-kv-store.test.ts and
 * embedded-kv-store.test.ts run it). It covers the store and the election built on top of it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compareAndSwap } from "../../impl/storage/compare-and-swap.js";
import { Election, type LeaderInfo, type Leadership } from "../../impl/storage/election.js";
import { bytesToText, compareBytes, toBytes } from "../../impl/storage/kv-bytes.js";
import { isKvError, type KvErrorKind } from "../../impl/storage/kv-error.js";
import {
  type Compare,
  type KeyValue,
  type KvStore,
  MAX_KEY_BYTES,
  MAX_RANGE_LIMIT,
  MAX_TXN_OPS,
  MAX_VALUE_BYTES,
  type TxnOp,
  type Watch,
  type WatchEvent,
} from "../../impl/storage/kv-store.js";
import { eventually } from "../support/eventually.js";

/** A store under test, fresh for each test. */
export interface KvStoreFixture {
  /**
   * A client of the store. Clients of one fixture share their data: on etcd each is its own
   * connection (as separate processes would have); the embedded store is one instance.
   */
  connect(): Promise<KvStore>;
  /** Lets `ms` of lease time pass: advances the manual clock, or sleeps in real time. */
  elapse(ms: number): Promise<void>;
  /** TTL (s) for leases that must survive the test: long enough to ride out a slow machine. */
  readonly stableTtlSeconds: number;
  close(): Promise<void>;
}

const text = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : bytesToText(bytes);

/** Rejects unless `promise` fails with a KvError of `kind` (and a message containing `part`). */
async function expectKvError(
  promise: Promise<unknown>,
  kind: KvErrorKind,
  part?: string,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isKvError(error), `expected a KvError ${kind}, got ${String(error)}`).toBe(true);
  expect(isKvError(error) && error.kind).toBe(kind);
  if (part !== undefined) expect((error as Error).message).toContain(part);
}

/** Starts a watch that records every event. */
async function record(
  store: KvStore,
  prefix: string,
  startRevision?: number,
): Promise<{ events: WatchEvent[]; watch: Watch }> {
  const events: WatchEvent[] = [];
  const watch = await store.watch(
    prefix,
    (event) => events.push(event),
    startRevision ? { startRevision } : {},
  );
  return { events, watch };
}

/** A compact, comparable view of watch events. */
function describeEvents(events: readonly WatchEvent[]): string[] {
  return events.map((e) =>
    e.type === "put"
      ? `put ${text(e.kv.key)}=${text(e.kv.value)} @${e.revision}`
      : `delete ${text(e.key)} @${e.revision}`,
  );
}

async function allKeys(
  store: KvStore,
  prefix: string,
  limit: number,
): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let from: Uint8Array | undefined;
  let pages = 0;
  do {
    const page = await store.range(prefix, from ? { limit, from } : { limit });
    pages++;
    keys.push(...page.kvs.map((kv) => text(kv.key) as string));
    from = page.next;
    expect(page.more).toBe(from !== undefined);
  } while (from);
  return { keys, pages };
}

async function putMany(store: KvStore, keys: readonly string[], value = "v"): Promise<void> {
  for (let i = 0; i < keys.length; i += MAX_TXN_OPS) {
    const ops: TxnOp[] = keys.slice(i, i + MAX_TXN_OPS).map((key) => ({ type: "put", key, value }));
    await store.txn({ compare: [], success: ops });
  }
}

const pad = (n: number): string => String(n).padStart(4, "0");

/** Registers the KvStore contract for one implementation. */
export function describeKvStoreContract(name: string, open: () => Promise<KvStoreFixture>): void {
  describe(`${name}: KvStore contract`, () => {
    let fx: KvStoreFixture;
    let store: KvStore;

    beforeEach(async () => {
      fx = await open();
      store = await fx.connect();
    });

    afterEach(async () => {
      await fx.close();
    });

    describe("keys and values", () => {
      it("put then get returns the value, created at the put's revision, version 1", async () => {
        const { revision } = await store.put("a", "1");
        const kv = await store.get("a");
        expect(text(kv?.value)).toBe("1");
        expect(kv).toMatchObject({
          createRevision: revision,
          modRevision: revision,
          version: 1,
          lease: undefined,
        });
      });

      it("a second put keeps the create revision, moves the mod revision and bumps the version", async () => {
        const first = await store.put("a", "1");
        const second = await store.put("a", "2");
        expect(second.revision).toBe(first.revision + 1);
        expect(await store.get("a")).toMatchObject({
          createRevision: first.revision,
          modRevision: second.revision,
          version: 2,
        });
      });

      it("get of a missing key is undefined", async () => {
        expect(await store.get("nothing-here")).toBeUndefined();
      });

      it("values are bytes: binary and empty values round-trip", async () => {
        const binary = Uint8Array.from([0, 255, 128, 10, 0]);
        await store.put("bin", binary);
        await store.put("empty", "");
        expect((await store.get("bin"))?.value).toEqual(binary);
        expect((await store.get("empty"))?.value).toEqual(new Uint8Array(0));
      });

      it("delete removes a key and says so; deleting a missing key changes nothing", async () => {
        await store.put("a", "1");
        const removed = await store.delete("a");
        expect(removed.deleted).toBe(1);
        expect(await store.get("a")).toBeUndefined();
        const again = await store.delete("a");
        expect(again).toEqual({ deleted: 0, revision: removed.revision });
      });

      it("deletePrefix removes exactly the keys under the prefix, at one revision", async () => {
        await putMany(store, ["p/1", "p/2", "p/3", "p0", "q/1"]);
        const { events, watch } = await record(store, "");
        const result = await store.deletePrefix("p/");
        expect(result.deleted).toBe(3);
        expect((await allKeys(store, "", 100)).keys).toEqual(["p0", "q/1"]);
        await eventually(() => (events.length === 3 ? true : undefined));
        expect(events.every((e) => e.type === "delete" && e.revision === result.revision)).toBe(
          true,
        );
        await watch.cancel();
      });

      it("the revision moves by exactly one per change and not on reads", async () => {
        const start = await store.revision();
        await store.put("a", "1");
        await store.get("a");
        await store.range("");
        await store.txn({
          compare: [],
          success: [
            { type: "put", key: "b", value: "1" },
            { type: "put", key: "c", value: "1" },
          ],
        });
        await store.delete("missing");
        expect(await store.revision()).toBe(start + 2);
      });
    });

    describe("ranges and paging", () => {
      it("orders keys bytewise, bytes above 0x7f after ASCII", async () => {
        const keys = [
          Uint8Array.of(0x7f),
          Uint8Array.of(0x80),
          Uint8Array.of(0xff),
          Uint8Array.of(0x01),
          toBytes("a"),
          toBytes("ab"),
          toBytes("é"),
        ];
        for (const key of keys) await store.put(key, "v");
        const page = await store.range("");
        const expected = [...keys].sort(compareBytes);
        expect(page.kvs.map((kv) => kv.key)).toEqual(expected);
      });

      it("pages 1,000 keys by 100: every key exactly once, in order", async () => {
        const keys = Array.from({ length: 1000 }, (_, i) => `page/${pad(i)}`);
        await putMany(store, [...keys].reverse());
        await store.put("pagf", "outside the prefix");
        const { keys: seen, pages } = await allKeys(store, "page/", 100);
        expect(seen).toEqual(keys);
        expect(pages).toBe(10);
      });

      it("paging while keys come and go returns each untouched key exactly once", async () => {
        const keys = Array.from({ length: 300 }, (_, i) => `churn/${pad(i * 2)}`);
        await putMany(store, keys);
        const seen: string[] = [];
        const touched = new Set<string>();
        let from: Uint8Array | undefined;
        let round = 0;
        do {
          const page = await store.range("churn/", from ? { limit: 50, from } : { limit: 50 });
          seen.push(...page.kvs.map((kv) => text(kv.key) as string));
          from = page.next;
          // Between pages: delete one key behind and one ahead, add one behind and one ahead.
          round++;
          for (const key of [`churn/${pad(round * 40)}`, `churn/${pad(round * 100 + 2)}`]) {
            touched.add(key);
            await store.delete(key);
          }
          for (const key of [`churn/${pad(round * 40 + 1)}`, `churn/${pad(round * 100 + 3)}`]) {
            touched.add(key);
            await store.put(key, "new");
          }
        } while (from);
        expect(new Set(seen).size).toBe(seen.length);
        const untouched = keys.filter((k) => !touched.has(k));
        expect(untouched.filter((k) => !seen.includes(k))).toEqual([]);
      });

      it("a prefix excludes its neighbours, also when it ends in 0xff", async () => {
        const prefix = Uint8Array.of(0x61, 0xff);
        await store.put(Uint8Array.of(0x61, 0xff), "in");
        await store.put(Uint8Array.of(0x61, 0xff, 0xff, 0x00), "in");
        await store.put(Uint8Array.of(0x61, 0xfe, 0xff), "out");
        await store.put(Uint8Array.of(0x62), "out");
        const page = await store.range(prefix);
        expect(page.kvs.map((kv) => text(kv.value))).toEqual(["in", "in"]);
      });
    });

    describe("transactions", () => {
      const branch = async (compare: readonly Compare[]): Promise<boolean> =>
        (await store.txn({ compare, success: [], failure: [] })).succeeded;

      it("value compares pick the branch; a value compare on a missing key is always false", async () => {
        await store.put("k", "b");
        expect(await branch([{ key: "k", target: "value", op: "==", value: "b" }])).toBe(true);
        expect(await branch([{ key: "k", target: "value", op: "==", value: "x" }])).toBe(false);
        expect(await branch([{ key: "k", target: "value", op: "!=", value: "x" }])).toBe(true);
        expect(await branch([{ key: "k", target: "value", op: "<", value: "c" }])).toBe(true);
        expect(await branch([{ key: "k", target: "value", op: ">", value: "c" }])).toBe(false);
        expect(await branch([{ key: "missing", target: "value", op: "!=", value: "x" }])).toBe(
          false,
        );
        expect(await branch([{ key: "missing", target: "value", op: "==", value: "" }])).toBe(
          false,
        );
      });

      it("version, create revision and mod revision compares, a missing key counting as 0", async () => {
        const created = await store.put("k", "1");
        const modified = await store.put("k", "2");
        for (const [target, value] of [
          ["version", 2],
          ["createRevision", created.revision],
          ["modRevision", modified.revision],
        ] as const) {
          expect(await branch([{ key: "k", target, op: "==", value }])).toBe(true);
          expect(await branch([{ key: "k", target, op: "!=", value }])).toBe(false);
          expect(await branch([{ key: "k", target, op: "<", value: value + 1 }])).toBe(true);
          expect(await branch([{ key: "k", target, op: ">", value }])).toBe(false);
          expect(await branch([{ key: "missing", target, op: "==", value: 0 }])).toBe(true);
        }
      });

      it("an absent compare holds only while the key does not exist", async () => {
        expect(await branch([{ key: "k", target: "absent" }])).toBe(true);
        await store.put("k", "1");
        expect(await branch([{ key: "k", target: "absent" }])).toBe(false);
      });

      it("every compare must hold; otherwise the failure branch runs and returns its reads", async () => {
        await store.put("a", "1");
        await store.put("b", "2");
        const result = await store.txn({
          compare: [
            { key: "a", target: "value", op: "==", value: "1" },
            { key: "b", target: "value", op: "==", value: "nope" },
          ],
          success: [{ type: "put", key: "a", value: "changed" }],
          failure: [
            { type: "get", key: "b" },
            { type: "get", key: "missing" },
            { type: "delete", key: "a" },
          ],
        });
        expect(result.succeeded).toBe(false);
        expect(result.results.map((r) => r.type)).toEqual(["get", "get", "delete"]);
        const [b, missing, deleted] = result.results;
        expect(b?.type === "get" && text(b.kv?.value)).toBe("2");
        expect(missing).toEqual({ type: "get", kv: undefined });
        expect(deleted).toEqual({ type: "delete", deleted: 1 });
        expect(await store.get("a")).toBeUndefined();
      });

      it("ops run in order: a get after a put in the same branch sees the put", async () => {
        const result = await store.txn({
          compare: [],
          success: [
            { type: "get", key: "k" },
            { type: "put", key: "k", value: "new" },
            { type: "get", key: "k" },
          ],
        });
        expect(result.results[0]).toEqual({ type: "get", kv: undefined });
        const after = result.results[2];
        expect(after?.type === "get" && after.kv).toMatchObject({
          createRevision: result.revision,
          version: 1,
        });
      });

      it("a transaction that writes nothing keeps the revision", async () => {
        await store.put("k", "1");
        const before = await store.revision();
        const result = await store.txn({
          compare: [],
          success: [
            { type: "get", key: "k" },
            { type: "delete", key: "missing" },
          ],
        });
        expect(result.revision).toBe(before);
        expect(await store.revision()).toBe(before);
      });
    });

    describe("compare-and-swap", () => {
      it("of concurrent writers from an absent key, exactly one wins", async () => {
        const writers = await Promise.all(Array.from({ length: 16 }, () => fx.connect()));
        const results = await Promise.all(
          writers.map((w, i) => compareAndSwap(w, "cas", undefined, `writer-${i}`)),
        );
        const winners = results.flatMap((r, i) => (r.won ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(text((await store.get("cas"))?.value)).toBe(`writer-${winners[0]}`);
        for (const loser of results.filter((r) => !r.won))
          expect(text(loser.current?.value)).toBe(`writer-${winners[0]}`);
      });

      it("of concurrent writers from one value, exactly one wins", async () => {
        await store.put("cas", "start");
        const writers = await Promise.all(Array.from({ length: 16 }, () => fx.connect()));
        const results = await Promise.all(
          writers.map((w, i) => compareAndSwap(w, "cas", "start", `writer-${i}`)),
        );
        expect(results.filter((r) => r.won)).toHaveLength(1);
      });

      it("counter increments by concurrent writers lose no update (each win counted once)", async () => {
        const writers = await Promise.all(Array.from({ length: 6 }, () => fx.connect()));
        const increments = 10;
        const wins = await Promise.all(
          writers.map(async (w) => {
            let won = 0;
            let current = (await w.get("counter"))?.value;
            while (won < increments) {
              const next = String(Number(current ? text(current) : "0") + 1);
              const result = await compareAndSwap(w, "counter", current, next);
              if (result.won) {
                won++;
                current = toBytes(next);
              } else {
                current = result.current?.value;
              }
            }
            return won;
          }),
        );
        expect(wins.reduce((a, b) => a + b, 0)).toBe(writers.length * increments);
        expect(text((await store.get("counter"))?.value)).toBe(String(writers.length * increments));
      });
    });

    describe("leases", () => {
      it("keys bound to a lease are deleted when it expires; a watch sees it and the holder is told", async () => {
        const lease = await store.grantLease(1, { keepAlive: false });
        await store.put("leased", "v", { lease: lease.id });
        expect((await store.get("leased"))?.lease).toBe(lease.id);
        const { events, watch } = await record(store, "leased");
        await fx.elapse(2000);
        await eventually(
          async () => ((await store.get("leased")) === undefined ? true : undefined),
          { what: "lease expiry" },
        );
        await eventually(() => (events.some((e) => e.type === "delete") ? true : undefined));
        expect(lease.lost.aborted).toBe(true);
        expect(await store.leaseTimeToLive(lease.id)).toBeUndefined();
        await watch.cancel();
      });

      it("keep-alive keeps a lease and its keys alive over several TTLs", async () => {
        const lease = await store.grantLease(fx.stableTtlSeconds);
        await store.put("kept", "v", { lease: lease.id });
        for (let i = 0; i < 4 * fx.stableTtlSeconds; i++) await fx.elapse(500);
        expect(text((await store.get("kept"))?.value)).toBe("v");
        expect(lease.lost.aborted).toBe(false);
        expect(await store.leaseTimeToLive(lease.id)).toBeGreaterThanOrEqual(0);
        await lease.revoke();
      });

      it("revoke deletes the lease's keys and aborts lost; a second revoke is a no-op", async () => {
        const lease = await store.grantLease(fx.stableTtlSeconds);
        await store.put("a", "1", { lease: lease.id });
        await store.put("b", "2", { lease: lease.id });
        await lease.revoke();
        expect((await store.range("")).kvs).toEqual([]);
        expect(lease.lost.aborted).toBe(true);
        expect(isKvError(lease.lost.reason, "lease_not_found")).toBe(true);
        await lease.revoke();
      });

      it("a lease revoked by another client is reported lost to its holder", async () => {
        const holder = await fx.connect();
        const lease = await holder.grantLease(fx.stableTtlSeconds);
        await store.revokeLease(lease.id);
        await eventually(() => (lease.lost.aborted ? true : undefined), { what: "lost signal" });
        expect(isKvError(lease.lost.reason, "lease_not_found")).toBe(true);
      });

      it("a put moves a key off its lease unless given the lease again", async () => {
        const lease = await store.grantLease(fx.stableTtlSeconds);
        await store.put("k", "1", { lease: lease.id });
        await store.put("k", "2");
        await lease.revoke();
        expect(text((await store.get("k"))?.value)).toBe("2");
      });
    });

    describe("watch", () => {
      it("sees every change under the prefix, in order, with the revisions of the writes", async () => {
        const { events, watch } = await record(store, "w/");
        const expected: string[] = [];
        let r = await store.put("w/a", "1");
        expected.push(`put w/a=1 @${r.revision}`);
        await store.put("other", "x");
        r = await store.put("w/a", "2");
        expected.push(`put w/a=2 @${r.revision}`);
        const txn = await store.txn({
          compare: [],
          success: [
            { type: "put", key: "w/b", value: "3" },
            { type: "put", key: "w/c", value: "4" },
          ],
        });
        expected.push(`put w/b=3 @${txn.revision}`, `put w/c=4 @${txn.revision}`);
        r = await store.delete("w/a");
        expected.push(`delete w/a @${r.revision}`);
        await eventually(() => (events.length >= expected.length ? true : undefined), {
          what: "watch events",
        });
        expect(describeEvents(events)).toEqual(expected);
        await watch.cancel();
      });

      it("from a past revision, replays the history first", async () => {
        const first = await store.put("h/a", "1");
        await store.put("h/a", "2");
        await store.delete("h/a");
        const { events, watch } = await record(store, "h/", first.revision);
        expect(watch.startRevision).toBe(first.revision);
        const later = await store.put("h/b", "3");
        await eventually(() => (events.length >= 4 ? true : undefined));
        expect(describeEvents(events)).toEqual([
          `put h/a=1 @${first.revision}`,
          `put h/a=2 @${first.revision + 1}`,
          `delete h/a @${first.revision + 2}`,
          `put h/b=3 @${later.revision}`,
        ]);
        await watch.cancel();
      });

      it("starts after the current revision when no start is given", async () => {
        const before = await store.put("n/a", "1");
        const { events, watch } = await record(store, "n/");
        expect(watch.startRevision).toBe(before.revision + 1);
        await store.put("n/b", "2");
        await eventually(() => (events.length >= 1 ? true : undefined));
        expect(describeEvents(events)).toEqual([`put n/b=2 @${before.revision + 1}`]);
        await watch.cancel();
      });

      it("delivers nothing after cancel", async () => {
        const { events, watch } = await record(store, "c/");
        await store.put("c/a", "1");
        await eventually(() => (events.length === 1 ? true : undefined));
        await watch.cancel();
        await store.put("c/b", "2");
        const marker = await record(store, "c/");
        await store.put("c/c", "3");
        await eventually(() => (marker.events.length === 1 ? true : undefined));
        expect(events).toHaveLength(1);
        await marker.watch.cancel();
      });
    });

    describe("bad input", () => {
      it("refuses empty keys", async () => {
        await expectKvError(store.get(""), "invalid_argument", "must not be empty");
        await expectKvError(store.put("", "v"), "invalid_argument", "must not be empty");
        await expectKvError(store.delete(""), "invalid_argument", "must not be empty");
        await expectKvError(store.deletePrefix(""), "invalid_argument", "must not be empty");
        await expectKvError(
          store.txn({ compare: [{ key: "", target: "absent" }], success: [] }),
          "invalid_argument",
        );
        await expectKvError(
          store.txn({ compare: [], success: [{ type: "get", key: "" }] }),
          "invalid_argument",
        );
      });

      it("refuses oversized keys, values and transactions", async () => {
        await expectKvError(
          store.put("k".repeat(MAX_KEY_BYTES + 1), "v"),
          "invalid_argument",
          "limit",
        );
        await expectKvError(
          store.put("k", new Uint8Array(MAX_VALUE_BYTES + 1)),
          "invalid_argument",
          "limit",
        );
        const many: TxnOp[] = Array.from({ length: MAX_TXN_OPS + 1 }, (_, i) => ({
          type: "get",
          key: `k${i}`,
        }));
        await expectKvError(store.txn({ compare: [], success: many }), "invalid_argument", "limit");
        const big = new Uint8Array(MAX_VALUE_BYTES);
        const heavy: TxnOp[] = [
          { type: "put", key: "x", value: big },
          { type: "put", key: "y", value: big },
        ];
        await expectKvError(
          store.txn({ compare: [], success: heavy }),
          "invalid_argument",
          "limit",
        );
        await store.put("k", new Uint8Array(MAX_VALUE_BYTES));
        expect((await store.get("k"))?.value.length).toBe(MAX_VALUE_BYTES);
      });

      it("refuses unknown leases, bad TTLs, limits and start revisions, and doubled writes", async () => {
        await expectKvError(store.put("k", "v", { lease: "987654321" }), "lease_not_found");
        await expectKvError(store.revokeLease("987654321"), "lease_not_found");
        expect(await store.leaseTimeToLive("987654321")).toBeUndefined();
        await expectKvError(
          store.put("k", "v", { lease: "not-a-lease" }),
          "invalid_argument",
          "lease id",
        );
        for (const ttl of [0, -1, 1.5, Number.NaN])
          await expectKvError(store.grantLease(ttl), "invalid_argument", "TTL");
        for (const limit of [0, MAX_RANGE_LIMIT + 1, 2.5])
          await expectKvError(store.range("", { limit }), "invalid_argument", "limit");
        await expectKvError(store.range("a/", { from: "b" }), "invalid_argument", "prefix");
        await expectKvError(
          store.watch("", () => {}, { startRevision: 0 }),
          "invalid_argument",
          "startRevision",
        );
        const twice: TxnOp[] = [
          { type: "put", key: "k", value: "1" },
          { type: "delete", key: "k" },
        ];
        await expectKvError(
          store.txn({ compare: [], success: twice }),
          "invalid_argument",
          "twice",
        );
        const unknown = { key: "k", target: "colour", op: "==", value: 1 } as unknown as Compare;
        await expectKvError(
          store.txn({ compare: [unknown], success: [] }),
          "invalid_argument",
          "unknown compare target",
        );
        expect(await store.get("k")).toBeUndefined();
      });

      it("refuses every call once closed, and reports its leases lost", async () => {
        const client = await fx.connect();
        const lease = await client.grantLease(fx.stableTtlSeconds);
        await client.close();
        await client.close(); // closing twice is harmless
        expect(isKvError(lease.lost.reason, "closed")).toBe(true);
        await expectKvError(client.get("k"), "closed");
        await expectKvError(client.put("k", "v"), "closed");
        await expectKvError(client.grantLease(1), "closed");
        await expectKvError(
          client.watch("", () => {}),
          "closed",
        );
      });
    });

    describe("election", () => {
      const ttl = (): number => fx.stableTtlSeconds;
      const electionOn = async (): Promise<Election> =>
        new Election(await fx.connect(), "election/", { ttlSeconds: ttl() });
      const leaderOf = async (election: Election): Promise<string | undefined> =>
        text((await election.leader())?.value);

      it("the first campaigner leads; leader() names it", async () => {
        const a = await electionOn();
        const leadership = await a.campaign("mds-a");
        expect(await leaderOf(a)).toBe("mds-a");
        expect(await leaderOf(await electionOn())).toBe("mds-a");
        expect(leadership.lost.aborted).toBe(false);
        await leadership.resign();
        expect(await a.leader()).toBeUndefined();
      });

      it("a second campaigner waits while the first leads, and leads once it resigns", async () => {
        const a = await (await electionOn()).campaign("mds-a");
        let bLeads = false;
        const b = (await electionOn()).campaign("mds-b").then((l) => {
          bLeads = true;
          return l;
        });
        await expect(
          eventually(async () => (await leaderOf(await electionOn())) === "mds-a" || undefined),
        ).resolves.toBe(true);
        expect(bLeads).toBe(false);
        await a.resign();
        expect(isKvError(a.lost.reason, "not_leader")).toBe(true);
        const leadershipB = await b;
        expect(text(leadershipB.value)).toBe("mds-b");
        expect(await leaderOf(await electionOn())).toBe("mds-b");
        await leadershipB.resign();
      });

      it("when the leader's lease is revoked, the next campaigner leads and the old leader is told", async () => {
        const a = await (await electionOn()).campaign("mds-a");
        const b = (await electionOn()).campaign("mds-b");
        await store.revokeLease(a.lease.id);
        const leadershipB = await b;
        await eventually(() => (a.lost.aborted ? true : undefined), { what: "leadership lost" });
        expect(isKvError(a.lost.reason, "not_leader")).toBe(true);
        expect(text(leadershipB.value)).toBe("mds-b");
        await leadershipB.resign();
      });

      it("when the leader stops renewing its lease (a crash), it expires, the next leads, the old one is told", async () => {
        const clientA = await fx.connect();
        const leaseA = await clientA.grantLease(1);
        const a = await new Election(clientA, "election/", { ttlSeconds: 1 }).campaign("mds-a", {
          lease: leaseA,
        });
        const b = (await electionOn()).campaign("mds-b");
        // Let B's candidacy exist before time moves: a manual clock would otherwise expire B's
        // fresh lease while its grant is still being written.
        await eventually(async () =>
          (await store.range("election/")).kvs.length === 2 ? true : undefined,
        );
        leaseA.release();
        await fx.elapse(2000);
        const leadershipB = await b;
        await eventually(() => (a.lost.aborted ? true : undefined), { what: "leadership lost" });
        expect(text(leadershipB.value)).toBe("mds-b");
        await leadershipB.resign();
      });

      it("a deposed leader's fenced write is refused and changes nothing", async () => {
        const a = await (await electionOn()).campaign("mds-a");
        await a.txn({ compare: [], success: [{ type: "put", key: "fs/next-id", value: "1" }] });
        await store.revokeLease(a.lease.id);
        // Refused by the store whether or not the old leader has noticed yet.
        await expectKvError(
          a.txn({ compare: [], success: [{ type: "put", key: "fs/next-id", value: "2" }] }),
          "not_leader",
        );
        expect(text((await store.get("fs/next-id"))?.value)).toBe("1");
        expect(a.lost.aborted).toBe(true);
        const b = await (await electionOn()).campaign("mds-b");
        const written = await b.txn({
          compare: [],
          success: [{ type: "put", key: "fs/next-id", value: "3" }],
        });
        expect(written.succeeded).toBe(true);
        expect(text((await store.get("fs/next-id"))?.value)).toBe("3");
        await b.resign();
      });

      it("a fenced transaction whose own compare fails reports it, and leadership stays", async () => {
        const a = await (await electionOn()).campaign("mds-a");
        const result = await a.txn({
          compare: [{ key: "fs/x", target: "value", op: "==", value: "expected" }],
          success: [{ type: "put", key: "fs/x", value: "new" }],
          failure: [{ type: "get", key: "fs/x" }],
        });
        expect(result.succeeded).toBe(false);
        expect(result.results).toEqual([{ type: "get", kv: undefined }]);
        expect(a.lost.aborted).toBe(false);
        await a.resign();
      });

      it("a campaign aborted while waiting withdraws its candidacy", async () => {
        const a = await (await electionOn()).campaign("mds-a");
        const abort = new AbortController();
        const b = (await electionOn()).campaign("mds-b", { signal: abort.signal });
        await eventually(async () =>
          (await store.range("election/")).kvs.length === 2 ? true : undefined,
        );
        abort.abort(new Error("shutting down"));
        await expect(b).rejects.toThrow("shutting down");
        await eventually(async () =>
          (await store.range("election/")).kvs.length === 1 ? true : undefined,
        );
        await a.resign();
        expect(await (await electionOn()).leader()).toBeUndefined();
      });

      it("observe reports the current leader and then every change, in order", async () => {
        const seen: (string | undefined)[] = [];
        const observation = await (await electionOn()).observe((leader: LeaderInfo | undefined) =>
          seen.push(text(leader?.value)),
        );
        const waitFor = (n: number): Promise<true> =>
          eventually(() => (seen.length >= n ? true : undefined));
        await waitFor(1);
        const a = await (await electionOn()).campaign("mds-a");
        await waitFor(2);
        const b = (await electionOn()).campaign("mds-b");
        await eventually(async () =>
          (await store.range("election/")).kvs.length === 2 ? true : undefined,
        );
        await a.resign();
        const leadershipB: Leadership = await b;
        await waitFor(3);
        await leadershipB.resign();
        await waitFor(4);
        expect(seen).toEqual([undefined, "mds-a", "mds-b", undefined]);
        await observation.cancel();
      });
    });
  });
}

/** Values of a range, as text: handy for fixture-specific tests. */
export function values(kvs: readonly KeyValue[]): (string | undefined)[] {
  return kvs.map((kv) => text(kv.value));
}
