import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { provideEtcd } from "../../conformance/providers/etcd.js";
import { freeLoopbackPort } from "../../conformance/providers/free-port.js";
import type { EtcdEndpoint, ProvidedService } from "../../conformance/providers/types.js";
import { EtcdKvStore } from "../../impl/storage/etcd-kv-store.js";
import { bytesToText } from "../../impl/storage/kv-bytes.js";
import { isKvError, type KvError } from "../../impl/storage/kv-error.js";
import type { KvStore, WatchEvent } from "../../impl/storage/kv-store.js";
import { eventually } from "../support/eventually.js";
import { describeKvStoreContract, type KvStoreFixture } from "./kv-store-contract.js";

/** Test files share one etcd; everything this file writes lives under its own prefix. */
const FILE_NAMESPACE = `test/etcd-kv-store/${randomUUID()}/`;
let fixtures = 0;

async function openFixture(): Promise<KvStoreFixture> {
  const { endpoints } = inject("etcd");
  const namespace = `${FILE_NAMESPACE}${fixtures++}/`;
  const clients: EtcdKvStore[] = [];
  return {
    connect: async () => {
      const client = new EtcdKvStore({ endpoints, namespace });
      clients.push(client);
      return client;
    },
    elapse: (ms) => sleep(ms),
    stableTtlSeconds: 2,
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      const cleaner = new EtcdKvStore({ endpoints });
      await cleaner.deletePrefix(namespace);
      await cleaner.close();
    },
  };
}

describeKvStoreContract("EtcdKvStore", openFixture);

describe("EtcdKvStore faults", () => {
  it("an unreachable etcd gives a retryable `unavailable` error", async () => {
    const port = await freeLoopbackPort();
    const store = new EtcdKvStore({ endpoints: [`http://127.0.0.1:${port}`], callTimeoutMs: 2000 });
    const error = await store.get("k").catch((e: unknown) => e);
    expect(isKvError(error, "unavailable")).toBe(true);
    expect((error as KvError).retryable).toBe(true);
    await store.close();
  });

  describe("with a private etcd that is killed and restarted mid-test", () => {
    let etcd: ProvidedService<EtcdEndpoint>;

    beforeAll(async () => {
      etcd = await provideEtcd({ restartable: true });
      console.info(`[etcd-kv-store.test] private ${etcd.description}`);
    });

    afterAll(async () => {
      await etcd?.stop();
    });

    /** Puts until acknowledged, retrying what the store calls retryable. */
    async function putUntilAcknowledged(
      store: KvStore,
      key: string,
      value: string,
    ): Promise<number> {
      for (let attempt = 0; ; attempt++) {
        try {
          await store.put(key, value);
          return attempt;
        } catch (error) {
          if (!isKvError(error) || !error.retryable || attempt > 500) throw error;
          await sleep(20);
        }
      }
    }

    it("the client recovers, and no acknowledged write, watch event or kept-alive lease is lost", async () => {
      const { endpoints } = etcd.endpoint;
      const store = new EtcdKvStore({ endpoints, namespace: "fault/", callTimeoutMs: 2000 });
      const observer = new EtcdKvStore({ endpoints, namespace: "fault/" });
      const events: WatchEvent[] = [];
      const watch = await observer.watch("k/", (e) => events.push(e));
      const lease = await store.grantLease(5);
      await store.put("leased", "alive", { lease: lease.id });

      const acknowledged = new Map<string, string>();
      let writing = true;
      let retries = 0;
      const writer = (async () => {
        for (let i = 0; writing || acknowledged.size < 150; i++) {
          const key = `k/${String(i).padStart(5, "0")}`;
          retries += await putUntilAcknowledged(store, key, `v${i}`);
          acknowledged.set(key, `v${i}`);
        }
      })();
      await eventually(() => (acknowledged.size >= 50 ? true : undefined));

      let failedWhileDown: unknown;
      const killedAt = Date.now();
      await etcd.restart?.(async () => {
        failedWhileDown = await store.get("leased").then(
          () => "answered while down",
          (e: unknown) => e,
        );
      });
      const restartedAt = Date.now();
      const sizeAtRestart = acknowledged.size;
      await eventually(() => (acknowledged.size >= sizeAtRestart + 20 ? true : undefined), {
        what: "writes after restart",
      });
      const recoveredAt = Date.now();
      writing = false;
      await writer;

      expect(isKvError(failedWhileDown, "unavailable")).toBe(true);
      for (const [key, value] of acknowledged)
        expect(bytesToText((await store.get(key))?.value ?? new Uint8Array())).toBe(value);
      await eventually(() => (events.length >= acknowledged.size ? true : undefined), {
        what: "watch catch-up",
      });
      // A put whose answer was lost in the crash and that was retried shows up twice: compare the
      // order of first appearances, and check that revisions only ever increase.
      const firstSeen = [
        ...new Set(events.map((e) => (e.type === "put" ? bytesToText(e.kv.key) : "delete"))),
      ];
      expect(firstSeen.slice(0, acknowledged.size)).toEqual([...acknowledged.keys()]);
      expect(
        events.every((e, i) => i === 0 || e.revision > (events[i - 1] as WatchEvent).revision),
      ).toBe(true);
      expect(lease.lost.aborted).toBe(false);
      expect(bytesToText((await store.get("leased"))?.value ?? new Uint8Array())).toBe("alive");
      console.info(
        `[etcd-kv-store.test] etcd killed and restarted in ${restartedAt - killedAt} ms; ` +
          `${acknowledged.size} writes acknowledged, ${retries} attempts retried; ` +
          `20 writes after the restart took ${recoveredAt - restartedAt} ms`,
      );
      await watch.cancel();
      await lease.revoke();
      await Promise.all([store.close(), observer.close()]);
    });
  });
});
