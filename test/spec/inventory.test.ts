import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { specFiles, specRegistry } from "../../impl/spec/index.js";

/**
 * The services and RPCs the v1 spec promises. Renaming or dropping one of them breaks clients
 * in every language, so it must break this test first.
 */
const promised: Record<string, readonly string[]> = {
  "curve.mds.v1.MdsService": [
    "CreateFs",
    "GetFsInfo",
    "ListFs",
    "UpdateFs",
    "DeleteFs",
    "MountFs",
    "UmountFs",
    "RefreshSession",
    "AllocateS3Chunk",
    "GetLatestTxId",
    "CommitTx",
  ],
  "curve.mds.v1.TopologyService": [
    "RegisterMetaServer",
    "ListMetaServers",
    "DeleteMetaServer",
    "RegisterChunkServer",
    "ListChunkServers",
    "CreatePartitions",
    "ListPartitions",
    "GetCopysets",
  ],
  "curve.mds.v1.HeartbeatService": ["MetaServerHeartbeat", "ChunkServerHeartbeat"],
  "curve.metaserver.v1.MetaServerService": [
    "GetDentry",
    "ListDentry",
    "CreateDentry",
    "DeleteDentry",
    "PrepareRenameTx",
    "GetInode",
    "BatchGetInodeAttr",
    "CreateInode",
    "UpdateInode",
    "DeleteInode",
    "CreateRootInode",
    "CreateManageInode",
    "GetVolumeExtent",
    "UpdateVolumeExtent",
    "CreatePartition",
    "DeletePartition",
  ],
  "curve.metaserver.v1.CopysetService": ["CreateCopysetNode", "GetCopysetStatus"],
  "curve.chunk.v1.CopysetService": ["CreateCopysetNode", "GetCopysetStatus"],
  "curve.space.v1.SpaceAllocService": [
    "InitSpace",
    "AllocateSpace",
    "DeallocateSpace",
    "StatSpace",
    "UninitSpace",
  ],
  "curve.chunk.v1.ChunkService": [
    "WriteChunk",
    "ReadChunk",
    "DeleteChunk",
    "ReadChunkSnapshot",
    "DeleteChunkSnapshotOrCorrectSn",
    "GetChunkInfo",
    "GetChunkHash",
    "CreateCloneChunk",
    "RecoverChunk",
    "UpdateEpoch",
  ],
  "curve.raft.v1.RaftService": [
    "PreVote",
    "RequestVote",
    "AppendEntries",
    "InstallSnapshot",
    "TimeoutNow",
  ],
  "curve.raft.v1.CliService": [
    "GetLeader",
    "AddPeer",
    "RemovePeer",
    "ChangePeers",
    "TransferLeader",
    "ResetPeer",
    "Snapshot",
  ],
};

describe("spec inventory", () => {
  it.each(Object.entries(promised))("%s has every promised RPC", (typeName, rpcs) => {
    const service = specRegistry.getService(typeName);
    expect(service, `service ${typeName}`).toBeDefined();
    const names = service?.methods.map((m) => m.name) ?? [];
    expect(rpcs.filter((rpc) => !names.includes(rpc))).toEqual([]);
  });

  it("the metaserver can append S3 chunk infos to an inode", () => {
    const names = specRegistry
      .getService("curve.metaserver.v1.MetaServerService")
      ?.methods.map((m) => m.name);
    expect(names?.some((n) => n === "AppendS3ChunkInfo" || n === "GetOrModifyS3ChunkInfo")).toBe(
      true,
    );
  });

  it("every Raft request carries group id, sender, receiver and term", () => {
    const raft = specRegistry.getService("curve.raft.v1.RaftService");
    for (const method of raft?.methods ?? []) {
      const fields = method.input.fields.map((f) => f.name);
      expect(fields, method.name).toEqual(
        expect.arrayContaining(["group_id", "from", "to", "term"]),
      );
    }
  });

  it("registers every generated file of the spec", () => {
    const genRoot = join(import.meta.dirname, "..", "..", "impl", "gen");
    const generated = listFiles(genRoot)
      .filter((path) => path.endsWith("_pb.ts"))
      .map((path) => relative(genRoot, path).replace(/_pb\.ts$/, ".proto"))
      .sort();
    expect(specFiles.map((file) => `${file.name}.proto`).sort()).toEqual(generated);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
