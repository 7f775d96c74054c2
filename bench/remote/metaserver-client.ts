/**
 * Node clients of MetaServerService on the copyset leader (Connect, binary, one HTTP/2 session
 * per client process), doing what a file system client does for each metadata operation:
 *
 * - `create`: CreateInode, then CreateDentry in the parent's partition (2 Raft commits);
 * - `stat`: GetInode (a leader read);
 * - `lookup`: GetDentry (a leader read);
 * - `readdir`: ListDentry page after page until the whole directory is listed;
 * - `unlink`: DeleteDentry, then UpdateInode nlink 0 (2 Raft commits; the inode goes to the
 *   trash as an unlinked file does).
 */

import { type Timestamp, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { Workload, WorkloadProcess } from "../harness/workload.js";

export type MetaOp = "create" | "stat" | "lookup" | "readdir" | "unlink";

export interface MetaserverClientParams {
  readonly url: string;
  readonly fsId: number;
  readonly partitionId: number;
  readonly op: MetaOp;
  /** The directory operated in (create, lookup, readdir, unlink). */
  readonly dirInodeId: bigint;
  /**
   * stat: the inode ids to stat, round robin; lookup: `f0` … `f<n-1>` are looked up, n being
   * this list's length; readdir: the directory must list exactly this many entries.
   */
  readonly fileInodeIds?: readonly bigint[];
  /** create: a prefix that keeps this load's names apart from other loads'. */
  readonly tag?: string;
  /** unlink: how many client processes share the directory's entries. */
  readonly processes?: number;
  /** readdir: entries per ListDentry page. */
  readonly pageSize?: number;
}

type MetaClient = Client<typeof MetaServerService>;

export async function createWorkload(
  params: MetaserverClientParams,
  process: WorkloadProcess,
): Promise<Workload> {
  const sessionManager = new Http2SessionManager(params.url);
  const client: MetaClient = createClient(
    MetaServerService,
    createConnectTransport({
      baseUrl: params.url,
      httpVersion: "2",
      useBinaryFormat: true,
      sessionManager,
    }),
  );
  const run = await operation(client, params, process);
  return { run, close: async () => sessionManager.abort() };
}

function now(): Timestamp {
  return timestampFromMs(Date.now());
}

async function operation(
  client: MetaClient,
  params: MetaserverClientParams,
  process: WorkloadProcess,
): Promise<(caller: number, seq: number) => Promise<void>> {
  const { fsId, partitionId, dirInodeId } = params;
  const ids = params.fileInodeIds ?? [];
  switch (params.op) {
    case "create": {
      const tag = `${params.tag ?? "create"}-${process.index}`;
      // Opens the session outside the measurement.
      await client.getInode({ fsId, partitionId, inodeId: dirInodeId });
      return async (_caller, seq) => {
        const time = now();
        const created = await client.createInode({
          fsId,
          partitionId,
          parentInodeId: dirInodeId,
          type: FileType.REGULAR,
          mode: 0o644,
          time,
        });
        await client.createDentry({
          fsId,
          partitionId,
          parentInodeId: dirInodeId,
          name: `${tag}-${seq}`,
          inodeId: created.attr?.inodeId ?? 0n,
          type: FileType.REGULAR,
          time,
        });
      };
    }
    case "stat":
      requireFiles(ids, "stat");
      await client.getInode({ fsId, partitionId, inodeId: ids[0] as bigint });
      return async (_caller, seq) => {
        const inodeId = ids[seq % ids.length] as bigint;
        const got = await client.getInode({ fsId, partitionId, inodeId });
        if (got.inode?.attr?.inodeId !== inodeId) throw new Error("GetInode: another inode");
      };
    case "lookup":
      requireFiles(ids, "lookup");
      await client.getInode({ fsId, partitionId, inodeId: dirInodeId });
      return async (_caller, seq) => {
        const index = seq % ids.length;
        const got = await client.getDentry({
          fsId,
          partitionId,
          parentInodeId: dirInodeId,
          name: `f${index}`,
        });
        if (got.dentry?.inodeId !== ids[index]) throw new Error("GetDentry: another inode");
      };
    case "readdir":
      requireFiles(ids, "readdir");
      await client.getInode({ fsId, partitionId, inodeId: dirInodeId });
      return async () => {
        const listed = await listAll(client, params);
        if (listed.length !== ids.length) {
          throw new Error(`ListDentry: ${listed.length} entries, expected ${ids.length}`);
        }
      };
    case "unlink":
      return unlinker(client, params, process);
  }
}

function requireFiles(ids: readonly bigint[], op: MetaOp): void {
  if (ids.length === 0) throw new Error(`${op} needs fileInodeIds`);
}

/** Every entry of the directory, page by page. */
async function listAll(
  client: MetaClient,
  params: MetaserverClientParams,
): Promise<{ name: string; inodeId: bigint }[]> {
  const entries: { name: string; inodeId: bigint }[] = [];
  let pageToken = "";
  do {
    const page = await client.listDentry({
      fsId: params.fsId,
      partitionId: params.partitionId,
      parentInodeId: params.dirInodeId,
      pageSize: params.pageSize ?? 1000,
      pageToken,
    });
    for (const dentry of page.dentries)
      entries.push({ name: dentry.name, inodeId: dentry.inodeId });
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return entries;
}

/**
 * Unlinks the files of the directory (those an earlier create load made): this process takes
 * every `processes`-th entry, and each operation unlinks the next one. Run it with an operation
 * budget no larger than the files there are: a process that runs out fails its operations.
 */
async function unlinker(
  client: MetaClient,
  params: MetaserverClientParams,
  process: WorkloadProcess,
): Promise<(caller: number, seq: number) => Promise<void>> {
  const processes = params.processes ?? 1;
  const mine = (await listAll(client, params)).filter((_, i) => i % processes === process.index);
  let next = 0;
  return async () => {
    const entry = mine[next++];
    if (entry === undefined) throw new Error("unlink: no file left to unlink");
    const time = now();
    await client.deleteDentry({
      fsId: params.fsId,
      partitionId: params.partitionId,
      parentInodeId: params.dirInodeId,
      name: entry.name,
      time,
    });
    await client.updateInode({
      fsId: params.fsId,
      partitionId: params.partitionId,
      inodeId: entry.inodeId,
      nlink: 0,
      ctime: time,
      time,
    });
  };
}
