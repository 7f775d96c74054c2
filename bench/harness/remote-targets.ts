/**
 * The modules a benchmark child may run functions of, by name. Imported lazily, so a client
 * child that drives etcd never loads the S3 SDK.
 */
const REMOTE_MODULES = {
  "client-host": () => import("./client-host.js"),
  "data-workload": () => import("../remote/data-workload.js"),
  "echo-server": () => import("../remote/echo-server.js"),
  "fsync-probe": () => import("../remote/fsync-probe.js"),
  "local-cluster": () => import("../remote/local-cluster-server.js"),
  "mds-server": () => import("../remote/mds-server.js"),
  "metaserver-cluster": () => import("../remote/metaserver-cluster.js"),
  "raft-appender": () => import("../remote/raft-appender.js"),
  "raft-cluster": () => import("../remote/raft-cluster.js"),
} as const;

export type RemoteTarget = keyof typeof REMOTE_MODULES;

export async function loadRemote(target: RemoteTarget): Promise<Record<string, unknown>> {
  const load = REMOTE_MODULES[target];
  if (!load) throw new Error(`unknown remote module ${target}`);
  return (await load()) as Record<string, unknown>;
}
