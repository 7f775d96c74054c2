/**
 * The two KvStores MDS domain tests run on: the real etcd of the test run (each backend under
 * its own namespace, removed at the end) and the embedded store in a temporary directory.
 * `reopen` closes the store and opens it again on the same data, as an MDS restart does.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { EmbeddedKvStore } from "../../impl/storage/embedded-kv-store.js";
import { EtcdKvStore } from "../../impl/storage/etcd-kv-store.js";
import type { KvStore } from "../../impl/storage/kv-store.js";

/** A KvStore under test, with its data kept across `reopen`. */
export interface KvBackend {
  readonly kv: KvStore;
  /** Opens another client on the same data (etcd) — for a second MDS process. */
  connect(): Promise<KvStore>;
  /** Closes every client and opens the store again on the same data. */
  reopen(): Promise<KvStore>;
  /** Closes every client and removes the data. */
  close(): Promise<void>;
}

export type KvBackendName = "etcd" | "embedded";

/** `describe.each(KV_BACKENDS)` runs a suite on both. */
export const KV_BACKENDS: readonly KvBackendName[] = ["etcd", "embedded"];

export function openKvBackend(name: KvBackendName, label: string): Promise<KvBackend> {
  return name === "etcd" ? openEtcd(label) : openEmbedded();
}

async function openEtcd(label: string): Promise<KvBackend> {
  const { endpoints } = inject("etcd");
  const namespace = `test/${label}/${randomUUID()}/`;
  const clients: KvStore[] = [];
  const connect = async (): Promise<KvStore> => {
    const client = new EtcdKvStore({ endpoints, namespace });
    clients.push(client);
    return client;
  };
  const closeAll = async (): Promise<void> => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  };
  const backend = {
    kv: await connect(),
    connect,
    async reopen() {
      await closeAll();
      backend.kv = await connect();
      return backend.kv;
    },
    async close() {
      await closeAll();
      const cleaner = new EtcdKvStore({ endpoints });
      await cleaner.deletePrefix(namespace);
      await cleaner.close();
    },
  };
  return backend;
}

async function openEmbedded(): Promise<KvBackend> {
  const dir = await mkdtemp(join(tmpdir(), "curve-rpc-mds-"));
  const backend = {
    kv: (await EmbeddedKvStore.open({ dir })) as KvStore,
    async connect(): Promise<KvStore> {
      // One process owns the directory: a second MDS shares the same store object.
      return backend.kv;
    },
    async reopen() {
      await backend.kv.close();
      backend.kv = await EmbeddedKvStore.open({ dir });
      return backend.kv;
    },
    async close() {
      await backend.kv.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return backend;
}
