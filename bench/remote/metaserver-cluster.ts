/**
 * A 3-replica metaserver copyset in its own process: three MetaserverHosts (impl/metaserver),
 * each with its own port, data directory and Raft log on disk (fsync on, as always), joined
 * into one copyset with CopysetService.CreateCopysetNode, holding one S3 partition with a root
 * directory — what the `rpc` and `meta` suites load, without an MDS.
 *
 * Fixtures (directories full of files) are written here through the leader's copyset node,
 * many proposals in flight, so that setting up a 10,000-entry directory costs Raft commits and
 * not 20,000 client calls.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import {
  FsType,
  PartitionInfoSchema,
  PeerSchema,
} from "../../impl/gen/curve/common/v1/common_pb.js";
import { CopysetRole, CopysetService } from "../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  CreateDentryRequestSchema,
  CreateInodeRequestSchema,
  type CreateInodeResponse,
  CreatePartitionRequestSchema,
  CreateRootInodeRequestSchema,
  GetDentryRequestSchema,
  GetDentryResponseSchema,
  GetInodeRequestSchema,
  GetInodeResponseSchema,
  ListDentryRequestSchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { CopysetNode } from "../../impl/metaserver/copyset-node.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { OpType, op } from "../../impl/metaserver/ops.js";

export const BENCH_FS_ID = 1;
export const BENCH_POOL_ID = 1;
export const BENCH_COPYSET_ID = 1;
export const BENCH_PARTITION_ID = 1;
export const ROOT_INODE_ID = 1n;

const REPLICAS = 3;
const LEADER_WAIT_MS = 30_000;
/** Fixture writes in flight at once: enough for group commit to batch them. */
const FIXTURE_CONCURRENCY = 128;

export interface MetaserverClusterArgs {
  /** Parent of the three data directories (the disk under test). */
  readonly dir: string;
}

export interface MetaserverCluster {
  /** The leader's URL: every measured call goes there (a follower would redirect). */
  readonly leaderUrl: string;
  readonly fsId: number;
  readonly partitionId: number;
}

export interface DirectoryArgs {
  /** The directory's name in the root. */
  readonly name: string;
  /** Regular files to create in it, named `f0` … `f<files-1>`. */
  readonly files: number;
}

export interface Directory {
  readonly inodeId: bigint;
  /** The files' inode ids, in name order (`f0` first). */
  readonly fileInodeIds: readonly bigint[];
}

let running: { hosts: MetaserverHost[]; dir: string; leader: CopysetNode } | undefined;

export async function start(args: MetaserverClusterArgs): Promise<MetaserverCluster> {
  if (running) throw new Error("the metaserver cluster is already running");
  const dir = await mkdtemp(join(args.dir, "curve-bench-metaserver-"));
  const hosts: MetaserverHost[] = [];
  try {
    for (let i = 0; i < REPLICAS; i++) {
      hosts.push(
        await MetaserverHost.start({ host: "127.0.0.1", port: 0, dataDir: join(dir, `ms-${i}`) }),
      );
    }
    const peers = hosts.map((host) => create(PeerSchema, { address: host.address }));
    for (const host of hosts) {
      const copysets = createClient(
        CopysetService,
        createConnectTransport({ baseUrl: host.url, httpVersion: "2" }),
      );
      await copysets.createCopysetNode({
        copysets: [{ poolId: BENCH_POOL_ID, copysetId: BENCH_COPYSET_ID, peers }],
      });
    }
    const leader = await leaderOf(hosts);
    running = { hosts, dir, leader: leader.copyset };
    await createPartition(leader.copyset);
    return {
      leaderUrl: leader.host.url,
      fsId: BENCH_FS_ID,
      partitionId: BENCH_PARTITION_ID,
    };
  } catch (error) {
    running = undefined;
    for (const host of hosts) await host.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Creates a directory in the root with `files` regular files, all committed on return. */
export async function makeDirectory(args: DirectoryArgs): Promise<Directory> {
  const copyset = leaderCopyset();
  const directory = await createFile(copyset, ROOT_INODE_ID, args.name, FileType.DIRECTORY);
  const fileInodeIds: bigint[] = new Array(args.files);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < args.files; i = next++) {
      fileInodeIds[i] = await createFile(copyset, directory, `f${i}`, FileType.REGULAR);
    }
  };
  await Promise.all(Array.from({ length: FIXTURE_CONCURRENCY }, worker));
  return { inodeId: directory, fileInodeIds };
}

/** The number of entries of directory `inodeId` (a leader read, page by page). */
export async function countEntries(args: { readonly inodeId: bigint }): Promise<number> {
  const copyset = leaderCopyset();
  let count = 0;
  let pageToken = "";
  do {
    const request = create(ListDentryRequestSchema, {
      fsId: BENCH_FS_ID,
      partitionId: BENCH_PARTITION_ID,
      parentInodeId: args.inodeId,
      pageSize: 10_000,
      pageToken,
    });
    const page = await copyset.read((state) =>
      state.partition(BENCH_PARTITION_ID).listDentry(request),
    );
    count += page.dentries.length;
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return count;
}

/**
 * The bytes one file's records take, encoded: its inode (GetInode's answer) and its dentry
 * (GetDentry's) — the value size of the etcd baseline the meta suite compares creates with.
 */
export async function recordBytes(args: {
  readonly dirInodeId: bigint;
  readonly name: string;
  readonly inodeId: bigint;
}): Promise<number> {
  const request = { fsId: BENCH_FS_ID, partitionId: BENCH_PARTITION_ID };
  return leaderCopyset().read((state) => {
    const partition = state.partition(BENCH_PARTITION_ID);
    const inode = partition.getInode(
      create(GetInodeRequestSchema, { ...request, inodeId: args.inodeId }),
    );
    const dentry = partition.getDentry(
      create(GetDentryRequestSchema, {
        ...request,
        parentInodeId: args.dirInodeId,
        name: args.name,
      }),
    );
    return (
      toBinary(GetInodeResponseSchema, inode).byteLength +
      toBinary(GetDentryResponseSchema, dentry).byteLength
    );
  });
}

/** fsync calls of the three replicas so far (each commit costs one per replica, batched). */
export function fsyncs(): number {
  return (running?.hosts ?? []).reduce((sum, host) => sum + host.raft.fsyncStats().fsyncs, 0);
}

export async function stop(): Promise<void> {
  const current = running;
  running = undefined;
  if (!current) return;
  for (const host of current.hosts) await host.stop();
  await rm(current.dir, { recursive: true, force: true });
}

function leaderCopyset(): CopysetNode {
  if (!running) throw new Error("the metaserver cluster is not running");
  return running.leader;
}

function now(): Timestamp {
  return timestampFromMs(Date.now());
}

async function createPartition(copyset: CopysetNode): Promise<void> {
  await copyset.write(
    op(
      OpType.CREATE_PARTITION,
      create(CreatePartitionRequestSchema, {
        partition: create(PartitionInfoSchema, {
          fsId: BENCH_FS_ID,
          poolId: BENCH_POOL_ID,
          copysetId: BENCH_COPYSET_ID,
          partitionId: BENCH_PARTITION_ID,
          start: 0n,
          end: (1n << 20n) - 1n,
        }),
        fsType: FsType.S3,
      }),
    ),
  );
  await copyset.write(
    op(
      OpType.CREATE_ROOT_INODE,
      create(CreateRootInodeRequestSchema, {
        fsId: BENCH_FS_ID,
        partitionId: BENCH_PARTITION_ID,
        mode: 0o1777,
        time: now(),
      }),
    ),
  );
}

/** CreateInode then CreateDentry in `parent`, as a client creates a file; returns the inode id. */
async function createFile(
  copyset: CopysetNode,
  parent: bigint,
  name: string,
  type: FileType,
): Promise<bigint> {
  const time = now();
  const created = await copyset.write<CreateInodeResponse>(
    op(
      OpType.CREATE_INODE,
      create(CreateInodeRequestSchema, {
        fsId: BENCH_FS_ID,
        partitionId: BENCH_PARTITION_ID,
        parentInodeId: parent,
        type,
        mode: type === FileType.DIRECTORY ? 0o755 : 0o644,
        time,
      }),
    ),
  );
  const inodeId = created.attr?.inodeId ?? 0n;
  await copyset.write(
    op(
      OpType.CREATE_DENTRY,
      create(CreateDentryRequestSchema, {
        fsId: BENCH_FS_ID,
        partitionId: BENCH_PARTITION_ID,
        parentInodeId: parent,
        name,
        inodeId,
        type,
        time,
      }),
    ),
  );
  return inodeId;
}

/** The host leading the copyset once an entry of its term is committed (reads succeed). */
async function leaderOf(
  hosts: readonly MetaserverHost[],
): Promise<{ host: MetaserverHost; copyset: CopysetNode }> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  while (Date.now() < deadline) {
    for (const host of hosts) {
      const copyset = host.byCopyset(BENCH_POOL_ID, BENCH_COPYSET_ID);
      if (copyset?.status().role !== CopysetRole.LEADER) continue;
      try {
        await copyset.read(() => true);
        return { host, copyset };
      } catch {
        // Lost the election meanwhile; look again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no copyset leader within ${LEADER_WAIT_MS} ms`);
}
