/**
 * IdAllocator (DESIGN §1): ids start at 1, are reserved in bundles by a checked and fenced
 * compare-and-swap, and never repeat across restarts and leader changes; on real etcd and on
 * the embedded store.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { IdAllocator } from "../../impl/mds/id-allocator.js";
import { idCounterKey } from "../../impl/mds/keys.js";
import { type SoleLeaderGate, soleLeaderGate } from "../../impl/mds/leader-gate.js";
import { defaultMdsConfig } from "../../impl/mds/mds-config.js";
import { bytesToText } from "../../impl/storage/kv-bytes.js";
import { eventually } from "../support/eventually.js";
import { KV_BACKENDS, type KvBackend, openKvBackend } from "../support/mds-kv-backends.js";

const BUNDLES = { ...defaultMdsConfig.idBundleSizes, chunk: 10 };

describe.each(KV_BACKENDS)("IdAllocator on %s", (backend) => {
  let store: KvBackend;
  let gate: SoleLeaderGate;
  const allocator = (g: SoleLeaderGate = gate) =>
    new IdAllocator({ kv: store.kv, gate: g, bundleSizes: BUNDLES });

  beforeEach(async () => {
    store = await openKvBackend(backend, "mds-ids");
    gate = await soleLeaderGate(store.kv);
  });
  afterEach(async () => {
    await gate.close();
    await store.close();
  });

  it("starts at 1 and hands out consecutive ids within a bundle", async () => {
    const ids = allocator();
    expect(await ids.next("chunk")).toBe(1n);
    expect(await ids.next("chunk", 3)).toBe(2n);
    expect(await ids.next("chunk")).toBe(5n);
  });

  it("each counter is separate", async () => {
    const ids = allocator();
    expect(await ids.next("fs")).toBe(1n);
    expect(await ids.next("partition")).toBe(1n);
    expect(await ids.next("fs")).toBe(2n);
  });

  it("reserves a bundle per KV write, and more when one call needs more", async () => {
    const ids = allocator();
    await ids.next("chunk");
    expect(counterValue(await store.kv.get(idCounterKey("chunk")))).toBe("10");
    expect(await ids.next("chunk", 25)).toBe(2n);
    expect(counterValue(await store.kv.get(idCounterKey("chunk")))).toBe("26");
  });

  it("never repeats an id after a restart; the rest of the bundle is skipped", async () => {
    const first = await allocator().next("chunk", 2);
    await gate.close();
    await store.reopen();
    gate = await soleLeaderGate(store.kv);
    const after = await allocator().next("chunk");
    expect(first).toBe(1n);
    expect(after).toBe(11n);
  });

  it("concurrent calls get disjoint ranges", async () => {
    const ids = allocator();
    const counts = Array.from({ length: 60 }, (_, i) => (i % 4) + 1);
    const begins = await Promise.all(counts.map((n) => ids.next("chunk", n)));
    const all = begins.flatMap((b, i) =>
      Array.from({ length: counts[i] ?? 0 }, (_, k) => b + BigInt(k)),
    );
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((id) => id >= 1n)).toBe(true);
  });

  it("a deposed leader cannot reserve ids: its fenced write fails and the counter is unchanged", async () => {
    const ids = allocator();
    await ids.next("chunk");
    await store.kv.revokeLease(gate.leadership.lease.id);
    const before = counterValue(await store.kv.get(idCounterKey("chunk")));
    const error = await ids.next("chunk", 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurveError);
    expect((error as CurveError).reason).toBe(ErrorReason.NOT_LEADER);
    expect(counterValue(await store.kv.get(idCounterKey("chunk")))).toBe(before);
  });

  it("the next leader continues above everything the previous one reserved", async () => {
    const old = allocator();
    const fromOld = await old.next("chunk", 4);
    await store.kv.revokeLease(gate.leadership.lease.id);
    await eventually(() => (gate.signal.aborted ? true : undefined));
    const next = await soleLeaderGate(await store.connect());
    const fromNew = await new IdAllocator({ kv: store.kv, gate: next, bundleSizes: BUNDLES }).next(
      "chunk",
    );
    expect(fromNew).toBeGreaterThan(fromOld + 3n);
    expect(fromNew).toBe(11n);
    await next.close();
  });
});

function counterValue(kv: { value: Uint8Array } | undefined): string | undefined {
  return kv ? (JSON.parse(bytesToText(kv.value)) as { last: string }).last : undefined;
}
