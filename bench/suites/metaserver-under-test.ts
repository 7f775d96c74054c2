/**
 * The metaserver copyset the `rpc` and `meta` suites load: three replicas in one server child
 * (remote/metaserver-cluster.ts) on the server CPUs, with the data directories on the disk under
 * test. Its CPU probe covers the whole child — the leader and both followers — because a write
 * costs all three, and a leader read may cost the followers a heartbeat round.
 */
import type { BenchContext } from "../harness/context.js";
import type { CpuProbe } from "../harness/cpu.js";
import type { Directory, MetaserverCluster } from "../remote/metaserver-cluster.js";

export interface MetaserverUnderTest extends MetaserverCluster {
  readonly cpu: CpuProbe;
  /** A directory in the root holding `files` regular files `f0`…, made before any load. */
  makeDirectory(name: string, files: number): Promise<Directory>;
  countEntries(inodeId: bigint): Promise<number>;
  /** The encoded size of file `name`'s inode and dentry in `dir` (see metaserver-cluster.ts). */
  recordBytes(dir: Directory, name: string, inodeId: bigint): Promise<number>;
}

export const METASERVER_CONFIG = {
  server:
    "3 MetaserverHosts (impl/metaserver/metaserver-host.ts) in one child process, one copyset " +
    "over Raft on loopback Connect, default 100 ms ticks, RaftStorage with fsync on",
  partition: "one S3 partition holding inode ids [0, 2^20), root directory 1",
  reads: "GetInode / GetDentry / ListDentry on the leader, linearizable through the read index",
  server_cpu: "the whole child: leader and both followers",
} as const;

export async function startMetaserver(ctx: BenchContext): Promise<MetaserverUnderTest> {
  const child = await ctx.forkServer("metaserver");
  const cluster = await child.call<MetaserverCluster>("metaserver-cluster", "start", {
    dir: ctx.dataDir,
  });
  ctx.defer(() => child.call("metaserver-cluster", "stop"));
  ctx.log(`metaserver copyset led by ${cluster.leaderUrl}`);
  return {
    ...cluster,
    cpu: child.cpuProbe(),
    makeDirectory: (name, files) =>
      child.call<Directory>("metaserver-cluster", "makeDirectory", { name, files }),
    countEntries: (inodeId) =>
      child.call<number>("metaserver-cluster", "countEntries", { inodeId }),
    recordBytes: (dir, name, inodeId) =>
      child.call<number>("metaserver-cluster", "recordBytes", {
        dirInodeId: dir.inodeId,
        name,
        inodeId,
      }),
  };
}
