/**
 * The trash task's delay, on one metaserver with the embedded (file://) object store: a
 * trashed inode is left alone until its dtime plus the delay has passed on the metaserver's
 * wall clock (driven by the test here), then its objects and the inode go. Without S3 settings
 * for its fs, an inode without objects (a removed directory) is still purged, and one with
 * objects stays in the trash.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsType, S3InfoSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { StaticFsStorageLookup } from "../../impl/metaserver/trash/index.js";
import type { ObjectStore } from "../../impl/storage/object-store.js";
import { ObjectNotFoundError } from "../../impl/storage/object-store-errors.js";
import { localEndpoint, ObjectStoreResolver } from "../../impl/storage/object-store-resolver.js";
import { eventually } from "../support/eventually.js";
import { COPYSET, FS, PART, POOL, ts } from "./harness.js";
import {
  copysetClient,
  createFileInNewPartition,
  leaderOf,
  metaClient,
} from "./metaserver-cluster.js";

const DELAY_MS = 60_000;
/** An fs the metaserver has no S3 settings for. */
const UNKNOWN_FS = FS + 1;
const UNKNOWN_PART = PART + 1;
/** The metaserver's wall clock, in ms since the epoch. */
let clockMs = 1_700_000_000_000;
let host: MetaserverHost;
let store: ObjectStore;
const dirs: string[] = [];
const resolver = new ObjectStoreResolver({ env: {} });

beforeAll(async () => {
  const [dataDir, objectsDir] = [
    await mkdtemp(join(tmpdir(), "curve-trash-delay-")),
    await mkdtemp(join(tmpdir(), "curve-trash-objects-")),
  ];
  dirs.push(dataDir, objectsDir);
  const s3 = create(S3InfoSchema, {
    endpoint: localEndpoint(objectsDir),
    bucket: "curve",
    accessKey: "local",
    blockSize: 65536n,
    chunkSize: 65536n * 4n,
  });
  store = await resolver.storeFor(s3);
  host = await MetaserverHost.start({
    host: "127.0.0.1",
    port: 0,
    dataDir,
    tickMs: 25,
    trash: {
      delayMs: DELAY_MS,
      scanIntervalMs: 30,
      fsStorage: new StaticFsStorageLookup(new Map([[FS, s3]])),
      objectStores: resolver,
      now: () => clockMs,
    },
  });
  await copysetClient(host).createCopysetNode({
    copysets: [{ poolId: POOL, copysetId: COPYSET, peers: [{ address: host.address }] }],
  });
  await leaderOf([host]);
});

afterAll(async () => {
  await host.stop();
  await resolver.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const partitionOf = (partitionId: number) =>
  host.byCopyset(POOL, COPYSET)?.node.stateMachine.state.partition(partitionId);
const inTrash = (inodeId: bigint, partitionId = PART) =>
  partitionOf(partitionId)?.trashedInode(inodeId);
/** True once the inode is gone (keys are ids minus the partition's start). */
const purged = (inodeId: bigint, partitionId = PART) => {
  const partition = partitionOf(partitionId);
  const key = Number(inodeId - (partition?.config.start ?? 0n));
  return partition?.inodes.has(key) ? undefined : true;
};

describe("trash delay", () => {
  it("keeps the data until dtime + delay, then deletes objects and inode", async () => {
    const client = metaClient(host);
    const file = await createFileInNewPartition(client, "f");
    await store.put(`${FS}_${file}_5_0_0`, new Uint8Array([1, 2, 3]));
    await client.appendS3ChunkInfo({
      fsId: FS,
      partitionId: PART,
      inodeId: file,
      appends: [{ chunkIndex: 0n, infos: [{ chunkId: 5n, offset: 0n, len: 3n, size: 3n }] }],
    });
    const dtimeSeconds = clockMs / 1000;
    await client.updateInode({
      fsId: FS,
      partitionId: PART,
      inodeId: file,
      nlink: 0,
      time: ts(dtimeSeconds),
    });

    clockMs += DELAY_MS - 1000;
    // Many scans run meanwhile (every 30 ms); none may touch the inode yet.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inTrash(file)?.inode.attr?.nlink).toBe(0);
    expect((await store.head(`${FS}_${file}_5_0_0`)).size).toBe(3);

    clockMs += 2000;
    await eventually(() => purged(file), { what: "the inode purged" });
    await expect(store.head(`${FS}_${file}_5_0_0`)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("without S3 settings for its fs: a removed directory goes, a file with objects stays", async () => {
    const client = metaClient(host);
    await client.createPartition({
      partition: {
        fsId: UNKNOWN_FS,
        poolId: POOL,
        copysetId: COPYSET,
        partitionId: UNKNOWN_PART,
        start: 1n << 20n,
        end: (2n << 20n) - 1n,
      },
      fsType: FsType.S3,
    });
    const create = async (type: FileType) => {
      const { attr } = await client.createInode({
        fsId: UNKNOWN_FS,
        partitionId: UNKNOWN_PART,
        parentInodeId: 1n,
        type,
        mode: 0o755,
        time: ts(1),
      });
      return attr?.inodeId ?? 0n;
    };
    const dir = await create(FileType.DIRECTORY);
    const file = await create(FileType.REGULAR);
    await client.appendS3ChunkInfo({
      fsId: UNKNOWN_FS,
      partitionId: UNKNOWN_PART,
      inodeId: file,
      appends: [{ chunkIndex: 0n, infos: [{ chunkId: 9n, offset: 0n, len: 3n, size: 3n }] }],
    });
    const due = ts(clockMs / 1000 - DELAY_MS / 1000 - 1);
    for (const inodeId of [dir, file]) {
      await client.updateInode({
        fsId: UNKNOWN_FS,
        partitionId: UNKNOWN_PART,
        inodeId,
        nlink: 0,
        time: due,
      });
    }
    await eventually(() => purged(dir, UNKNOWN_PART), { what: "the directory purged" });
    // The file's objects cannot be named without its fs's settings: it waits in the trash.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inTrash(file, UNKNOWN_PART)?.inode.attr?.nlink).toBe(0);
  });
});
