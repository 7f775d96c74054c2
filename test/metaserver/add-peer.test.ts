/**
 * Growing a live copyset: a fourth metaserver, added with CliService.AddPeer to a 3-replica
 * copyset whose log was compacted behind a snapshot, catches up by installing the snapshot,
 * then holds the same state as the others (equal applied index and state checksum over all
 * partitions) and, once it leads, serves it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { CliService } from "../../impl/gen/curve/raft/v1/cli_pb.js";
import type { CopysetNode } from "../../impl/metaserver/copyset-node.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { eventually } from "../support/eventually.js";
import { COPYSET, FS, PART, POOL, ts } from "./harness.js";
import {
  copysetClient,
  createFileInNewPartition,
  leaderOf,
  metaClient,
} from "./metaserver-cluster.js";

const hosts: MetaserverHost[] = [];
const dirs: string[] = [];
const FILES = 30;

async function startHost(): Promise<MetaserverHost> {
  const dataDir = await mkdtemp(join(tmpdir(), "curve-add-peer-"));
  dirs.push(dataDir);
  // Snapshots drop the whole log behind them: a new member can only catch up by snapshot.
  const host = await MetaserverHost.start({
    host: "127.0.0.1",
    port: 0,
    dataDir,
    tickMs: 25,
    snapshots: { everyEntries: 1_000_000, keepEntries: 0 },
  });
  hosts.push(host);
  return host;
}

const cli = (host: MetaserverHost) =>
  createClient(CliService, createConnectTransport({ baseUrl: host.url, httpVersion: "2" }));
const copysetOf = (host: MetaserverHost) => host.byCopyset(POOL, COPYSET) as CopysetNode;

beforeAll(async () => {
  for (let i = 0; i < 3; i++) await startHost();
  const peers = hosts.map((h) => ({ address: h.address }));
  for (const host of hosts) {
    await copysetClient(host).createCopysetNode({
      copysets: [{ poolId: POOL, copysetId: COPYSET, peers }],
    });
  }
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("AddPeer to a live 3-replica copyset", () => {
  it("the new replica installs the snapshot, then holds and serves identical state", async () => {
    const leader = await leaderOf(hosts);
    const client = metaClient(leader);
    await createFileInNewPartition(client, "f0");
    for (let i = 1; i < FILES; i++) {
      const { attr } = await client.createInode({
        fsId: FS,
        partitionId: PART,
        parentInodeId: 1n,
        type: FileType.REGULAR,
        mode: 0o644,
        time: ts(100 + i),
      });
      await client.createDentry({
        fsId: FS,
        partitionId: PART,
        parentInodeId: 1n,
        name: `f${i}`,
        inodeId: attr?.inodeId ?? 0n,
        type: FileType.REGULAR,
        time: ts(100 + i),
      });
    }
    const snapshot = await cli(leader).snapshot({ poolId: POOL, copysetId: COPYSET });
    expect(snapshot.lastIncludedIndex).toBeGreaterThan(BigInt(2 * FILES));
    expect(copysetOf(leader).status().firstLogIndex).toBeGreaterThan(1n);

    // The new replica exists with an empty configuration, then joins through the leader.
    const joiner = await startHost();
    await copysetClient(joiner).createCopysetNode({
      copysets: [{ poolId: POOL, copysetId: COPYSET, peers: [] }],
    });
    const added = await cli(leader).addPeer({
      poolId: POOL,
      copysetId: COPYSET,
      peer: { address: joiner.address },
    });
    expect(added.newPeers.map((p) => p.address).sort()).toEqual(hosts.map((h) => h.address).sort());
    // One more write after the change reaches all four.
    await client.updateInode({ fsId: FS, partitionId: PART, inodeId: 1n, time: ts(999) });

    const applied = () => hosts.map((h) => copysetOf(h).node.appliedIndex);
    await eventually(() => (new Set(applied()).size === 1 ? true : undefined), {
      what: "all four replicas at the same applied index",
    });
    const checksums = hosts.map((h) => copysetOf(h).node.stateMachine.state.checksum());
    expect(new Set(checksums).size).toBe(1);
    // It caught up from the snapshot: its log starts after it.
    const joined = copysetOf(joiner).status();
    expect(joined.firstLogIndex).toBeGreaterThan(snapshot.lastIncludedIndex);
    expect(joined.partitions.map((p) => [p.partitionId, p.inodeCount, p.dentryCount])).toEqual([
      [PART, BigInt(FILES + 1), BigInt(FILES)],
    ]);

    // Led by the new replica, the copyset serves the same data.
    await cli(leader).transferLeader({
      poolId: POOL,
      copysetId: COPYSET,
      transferee: { address: joiner.address },
    });
    expect(await leaderOf(hosts)).toBe(joiner);
    const listed = await metaClient(joiner).listDentry({
      fsId: FS,
      partitionId: PART,
      parentInodeId: 1n,
    });
    expect(listed.dentries).toHaveLength(FILES);
    const root = await metaClient(joiner).getInode({ fsId: FS, partitionId: PART, inodeId: 1n });
    expect(root.inode?.attr?.mtime?.seconds).toBe(BigInt(100 + FILES - 1));
  });
});
