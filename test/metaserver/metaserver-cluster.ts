/**
 * Metaserver hosts in this process for serving tests: clients for a host, the copyset's
 * leader, and the setup every serving test starts from (a partition with a root directory and
 * one regular file in it).
 */
import { create } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { FsType, PartitionInfoSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import { CopysetRole, CopysetService } from "../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { eventually } from "../support/eventually.js";
import { COPYSET, FS, PART, POOL, ts } from "./harness.js";

function transport(host: MetaserverHost) {
  return createConnectTransport({ baseUrl: host.url, httpVersion: "2", defaultTimeoutMs: 10_000 });
}

export function metaClient(host: MetaserverHost): Client<typeof MetaServerService> {
  return createClient(MetaServerService, transport(host));
}

export function copysetClient(host: MetaserverHost): Client<typeof CopysetService> {
  return createClient(CopysetService, transport(host));
}

/** The one running host that leads the copyset and has committed in its term. */
export async function leaderOf(hosts: readonly MetaserverHost[]): Promise<MetaserverHost> {
  return eventually(
    async () => {
      const leaders = hosts.filter(
        (h) => h.byCopyset(POOL, COPYSET)?.status().role === CopysetRole.LEADER,
      );
      if (leaders.length !== 1) return undefined;
      const [host] = leaders;
      await host?.byCopyset(POOL, COPYSET)?.read(() => true);
      return host;
    },
    { what: "a copyset leader" },
  );
}

/**
 * Through the leader's client: creates the test partition and its root directory, then one
 * regular file named `name` in the root. Returns the file's inode id.
 */
export async function createFileInNewPartition(
  client: Client<typeof MetaServerService>,
  name: string,
): Promise<bigint> {
  await client.createPartition({
    partition: create(PartitionInfoSchema, {
      fsId: FS,
      poolId: POOL,
      copysetId: COPYSET,
      partitionId: PART,
      start: 0n,
      end: (1n << 20n) - 1n,
    }),
    fsType: FsType.S3,
  });
  await client.createRootInode({ fsId: FS, partitionId: PART, mode: 0o1777, time: ts(1000) });
  const created = await client.createInode({
    fsId: FS,
    partitionId: PART,
    parentInodeId: 1n,
    type: FileType.REGULAR,
    mode: 0o644,
    uid: 10,
    gid: 20,
    time: ts(2000),
  });
  const fileId = created.attr?.inodeId ?? 0n;
  await client.createDentry({
    fsId: FS,
    partitionId: PART,
    parentInodeId: 1n,
    name,
    inodeId: fileId,
    type: FileType.REGULAR,
    time: ts(3000),
  });
  return fileId;
}
