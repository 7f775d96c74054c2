/**
 * What a client process runs: one operation against the system under test, issued by many
 * callers. Creating a workload does its setup (connect, pre-load objects to read); `close`
 * releases connections.
 */
import type { EchoClientParams } from "../remote/echo-client.js";
import type { EtcdKvParams } from "../remote/etcd-kv-workload.js";
import type { MdsClientParams } from "../remote/mds-client.js";
import type { MetaserverClientParams } from "../remote/metaserver-client.js";
import type { S3ObjectParams } from "../remote/s3-object-workload.js";

export interface Workload {
  run(caller: number, seq: number): Promise<void>;
  close(): Promise<void>;
}

/** Which client process of the pool this is (0-based), for keys that must not collide. */
export interface WorkloadProcess {
  readonly index: number;
  /** Callers this process runs. */
  readonly callers: number;
}

/** Parameters of each workload, by name. */
export interface WorkloadParams {
  readonly "echo-client": EchoClientParams;
  readonly "etcd-kv": EtcdKvParams;
  readonly "mds-client": MdsClientParams;
  readonly "metaserver-client": MetaserverClientParams;
  readonly "s3-object": S3ObjectParams;
}

export type WorkloadName = keyof WorkloadParams;

type Factory = (params: never, process: WorkloadProcess) => Promise<Workload>;

const WORKLOADS: Record<WorkloadName, () => Promise<{ createWorkload: Factory }>> = {
  "echo-client": () => import("../remote/echo-client.js"),
  "etcd-kv": () => import("../remote/etcd-kv-workload.js"),
  "mds-client": () => import("../remote/mds-client.js"),
  "metaserver-client": () => import("../remote/metaserver-client.js"),
  "s3-object": () => import("../remote/s3-object-workload.js"),
};

export async function createWorkload<K extends WorkloadName>(
  name: K,
  params: WorkloadParams[K],
  process: WorkloadProcess,
): Promise<Workload> {
  const load = WORKLOADS[name];
  if (!load) throw new Error(`unknown workload ${name}`);
  const { createWorkload: create } = await load();
  return create(params as never, process);
}
