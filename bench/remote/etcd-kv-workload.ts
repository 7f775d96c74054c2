/**
 * etcd puts and gets through the etcd3 client (what EtcdKvStore uses), with the client's
 * defaults: gets are linearizable. Keys cycle over a fixed set so the database stays small.
 */
import { Etcd3 } from "etcd3";
import type { Workload, WorkloadProcess } from "../harness/workload.js";

export interface EtcdKvParams {
  readonly endpoints: readonly string[];
  readonly op: "put" | "get";
  readonly valueBytes: number;
}

/** Distinct keys per caller: puts overwrite them, gets read them. */
const KEYS_PER_CALLER = 8;

export async function createWorkload(
  params: EtcdKvParams,
  process: WorkloadProcess,
): Promise<Workload> {
  const client = new Etcd3({ hosts: [...params.endpoints] });
  const value = Buffer.alloc(params.valueBytes, 0x61);
  const key = (caller: number, seq: number) =>
    `bench/kv/${process.index}/${caller}/${seq % KEYS_PER_CALLER}`;
  if (params.op === "get") {
    const puts: Promise<unknown>[] = [];
    for (let caller = 0; caller < process.callers; caller++) {
      for (let i = 0; i < KEYS_PER_CALLER; i++)
        puts.push(client.put(key(caller, i)).value(value).exec());
    }
    await Promise.all(puts);
  } else {
    // Opens the connection outside the measurement.
    await client.get("bench/kv/warm").buffer();
  }
  return {
    run:
      params.op === "put"
        ? async (caller, seq) => {
            await client.put(key(caller, seq)).value(value);
          }
        : async (caller, seq) => {
            const got = await client.get(key(caller, seq)).buffer();
            if (got?.byteLength !== params.valueBytes) throw new Error("etcd get: wrong value");
          },
    close: async () => client.close(),
  };
}
