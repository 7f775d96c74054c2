/**
 * The trash task against real S3 (MinIO) and a live 3-replica copyset: a file unlinked to
 * nlink 0 loses exactly its objects (named as its chunk infos say; zero infos have none), then
 * its inode is purged on every replica; a file whose objects cannot be deleted stays in the
 * trash; after the leader stops, the new leader collects the trash.
 */
import { randomInt } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { errorInfoOf } from "../../impl/errors.js";
import {
  FsType,
  ObjectPrefixScheme,
  PartitionInfoSchema,
  type S3Info,
  S3InfoSchema,
} from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import {
  FileType,
  type S3ChunkInfoAppend,
  S3ChunkInfoAppendSchema,
} from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import type { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { StaticFsStorageLookup } from "../../impl/metaserver/trash/index.js";
import type { ObjectStore } from "../../impl/storage/object-store.js";
import { ObjectNotFoundError } from "../../impl/storage/object-store-errors.js";
import { ObjectStoreResolver } from "../../impl/storage/object-store-resolver.js";
import { objectKey, rangeObjects } from "../../impl/storage/s3-object-naming.js";
import { eventually } from "../support/eventually.js";
import { COPYSET, POOL, ts } from "./harness.js";
import { copysetClient, leaderOf, metaClient } from "./metaserver-cluster.js";

const s3 = inject("s3");
/** Unique per run: object keys start with the fs id, and the bucket is shared. */
const FS = 100_000 + randomInt(800_000);
/** A second fs whose S3 credentials are wrong: its objects can never be deleted. */
const BROKEN_FS = FS + 1;
const PART = 1;
const BROKEN_PART = 2;
const BLOCK = 65536n;
const CHUNK = 4n * BLOCK;

const s3Info = (accessKey: string): S3Info =>
  create(S3InfoSchema, {
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    accessKey,
    region: s3.region,
    blockSize: BLOCK,
    chunkSize: CHUNK,
    objectPrefix: ObjectPrefixScheme.INODE_HASH,
  });
const layout = (fsId: number) => ({
  fsId,
  chunkSize: Number(CHUNK),
  blockSize: Number(BLOCK),
  prefix: ObjectPrefixScheme.INODE_HASH,
});

const hosts: MetaserverHost[] = [];
const dirs: string[] = [];
const resolvers: ObjectStoreResolver[] = [];
let store: ObjectStore;

beforeAll(async () => {
  const fsStorage = () =>
    new StaticFsStorageLookup(
      new Map([
        [FS, s3Info(s3.accessKey)],
        [BROKEN_FS, s3Info("wrong-key")],
      ]),
    );
  for (let i = 0; i < 3; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), "curve-trash-"));
    dirs.push(dataDir);
    const objectStores = new ObjectStoreResolver({
      secrets: [
        { accessKey: s3.accessKey, secretKey: s3.secretKey },
        { accessKey: "wrong-key", secretKey: "wrong-secret" },
      ],
      env: {},
    });
    resolvers.push(objectStores);
    hosts.push(
      await MetaserverHost.start({
        host: "127.0.0.1",
        port: 0,
        dataDir,
        tickMs: 25,
        trash: {
          delayMs: 0,
          scanIntervalMs: 50,
          retryInitialMs: 50,
          retryMaxMs: 200,
          fsStorage: fsStorage(),
          objectStores,
        },
      }),
    );
  }
  const peers = hosts.map((h) => ({ address: h.address }));
  for (const host of hosts) {
    await copysetClient(host).createCopysetNode({
      copysets: [{ poolId: POOL, copysetId: COPYSET, peers }],
    });
  }
  const client = metaClient(await leaderOf(hosts));
  for (const [fsId, partitionId, start] of [
    [FS, PART, 0n],
    [BROKEN_FS, BROKEN_PART, 0n],
  ] as const) {
    await client.createPartition({
      partition: create(PartitionInfoSchema, {
        fsId,
        poolId: POOL,
        copysetId: COPYSET,
        partitionId,
        start,
        end: (1n << 20n) - 1n,
      }),
      fsType: FsType.S3,
    });
    await client.createRootInode({ fsId, partitionId, mode: 0o1777, time: ts(1000) });
  }
  store = await (resolvers[0] as ObjectStoreResolver).storeFor({
    ...s3Info(s3.accessKey),
    secretKey: s3.secretKey,
  });
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await Promise.all(resolvers.map((r) => r.close()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

type Meta = Client<typeof MetaServerService>;

/** Creates a regular file named `name` in the root of the fs, linked by a dentry. */
async function createFile(client: Meta, fsId: number, partitionId: number, name: string) {
  const created = await client.createInode({
    fsId,
    partitionId,
    parentInodeId: 1n,
    type: FileType.REGULAR,
    mode: 0o644,
    time: ts(2000),
  });
  const inodeId = created.attr?.inodeId ?? 0n;
  await client.createDentry({
    fsId,
    partitionId,
    parentInodeId: 1n,
    name,
    inodeId,
    type: FileType.REGULAR,
    time: ts(2000),
  });
  return inodeId;
}

/**
 * Writes the objects of the chunk infos `appends` (zero infos have none), then appends the
 * infos, as a client's flush does. Returns the keys written.
 */
async function writeData(
  client: Meta,
  fsId: number,
  partitionId: number,
  inodeId: bigint,
  appends: S3ChunkInfoAppend[],
): Promise<string[]> {
  const keys: string[] = [];
  for (const a of appends) {
    for (const info of a.infos) {
      if (info.zero) continue;
      const range = {
        chunkId: info.chunkId,
        compaction: info.compaction,
        offset: Number(info.offset),
        len: Number(info.len),
      };
      for (const object of rangeObjects(layout(fsId), inodeId, range)) {
        await store.put(object.key, new Uint8Array(object.length).fill(7));
        keys.push(object.key);
      }
    }
  }
  await client.appendS3ChunkInfo({ fsId, partitionId, inodeId, appends });
  return keys;
}

/** Unlinks the file: its dentry goes, then its nlink drops to 0 (it enters the trash). */
async function unlink(client: Meta, fsId: number, partitionId: number, name: string, id: bigint) {
  await client.deleteDentry({ fsId, partitionId, parentInodeId: 1n, name, time: ts(3000) });
  await client.updateInode({
    fsId,
    partitionId,
    inodeId: id,
    nlink: 0,
    time: ts(Math.floor(Date.now() / 1000)),
  });
}

async function exists(key: string): Promise<boolean> {
  try {
    await store.head(key);
    return true;
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return false;
    throw error;
  }
}

/** True when no running replica's applied state holds the inode. */
function purgedEverywhere(partitionId: number, inodeId: bigint): true | undefined {
  const holders = hosts.filter(
    (h) =>
      h
        .byCopyset(POOL, COPYSET)
        ?.node.stateMachine.state.partition(partitionId)
        .inodes.has(Number(inodeId)) ?? true,
  );
  return holders.length === 0 ? true : undefined;
}

const info = (chunkId: bigint, offset: bigint, len: bigint, zero = false) => ({
  chunkId,
  offset,
  len,
  size: zero ? 0n : len,
  zero,
});

describe("trash GC over real S3", () => {
  it("deletes exactly the unlinked file's objects, then purges its inode on all replicas", async () => {
    const client = metaClient(await leaderOf(hosts));
    const doomed = await createFile(client, FS, PART, "doomed");
    const kept = await createFile(client, FS, PART, "kept");
    const doomedKeys = await writeData(client, FS, PART, doomed, [
      create(S3ChunkInfoAppendSchema, {
        chunkIndex: 0n,
        // Spans two blocks (two objects), then a hole over part of it (no object).
        infos: [info(11n, 100n, BLOCK), info(12n, 0n, 5000n, true)],
      }),
      create(S3ChunkInfoAppendSchema, {
        chunkIndex: 1n,
        infos: [info(13n, CHUNK + 10n, 20n)],
      }),
    ]);
    const keptKeys = await writeData(client, FS, PART, kept, [
      create(S3ChunkInfoAppendSchema, { chunkIndex: 0n, infos: [info(21n, 0n, 3000n)] }),
    ]);
    // The names the client's data path uses: `<fs>/<inode % 256>/<inode / 1000>/<base>`.
    expect(doomedKeys).toEqual([
      objectKey(layout(FS), doomed, 11n, 0, 0n),
      objectKey(layout(FS), doomed, 11n, 1, 0n),
      objectKey(layout(FS), doomed, 13n, 0, 0n),
    ]);
    expect(doomedKeys[0]).toBe(`${FS}/${doomed % 256n}/${doomed / 1000n}/${FS}_${doomed}_11_0_0`);
    for (const key of [...doomedKeys, ...keptKeys]) expect(await exists(key)).toBe(true);

    await unlink(client, FS, PART, "doomed", doomed);
    await eventually(() => purgedEverywhere(PART, doomed), { what: "the inode purged" });

    for (const key of doomedKeys) expect(await exists(key)).toBe(false);
    for (const key of keptKeys) expect(await exists(key)).toBe(true);
    const gone = await client.getInode({ fsId: FS, partitionId: PART, inodeId: doomed }).then(
      () => undefined,
      (error: unknown) => errorInfoOf(error)?.reason,
    );
    expect(gone).toBe(ErrorReason.INODE_NOT_FOUND);
    const survivor = await client.getInode({ fsId: FS, partitionId: PART, inodeId: kept });
    expect(survivor.inode?.attr?.nlink).toBe(1);
    await store.deleteMany(keptKeys);
  });

  it("keeps an inode in the trash while its objects cannot be deleted", async () => {
    const client = metaClient(await leaderOf(hosts));
    const file = await createFile(client, BROKEN_FS, BROKEN_PART, "stuck");
    // Written with the good credentials; the fs's own settings name a key MinIO rejects.
    const keys = await writeData(client, BROKEN_FS, BROKEN_PART, file, [
      create(S3ChunkInfoAppendSchema, { chunkIndex: 0n, infos: [info(31n, 0n, 100n)] }),
    ]);
    await unlink(client, BROKEN_FS, BROKEN_PART, "stuck", file);
    // Several scans and retries happen meanwhile (scan every 50 ms, retry at most every 200).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const leader = await leaderOf(hosts);
    const trashed = await leader
      .byCopyset(POOL, COPYSET)
      ?.read((state) => state.partition(BROKEN_PART).trashedInode(file));
    expect(trashed?.inode.attr?.nlink).toBe(0);
    for (const key of keys) expect(await exists(key)).toBe(true);
    await store.deleteMany(keys);
  });

  it("a new leader collects the trash after the leader stops", async () => {
    const old = await leaderOf(hosts);
    await old.stop();
    hosts.splice(hosts.indexOf(old), 1);
    const client = metaClient(await leaderOf(hosts));
    const file = await createFile(client, FS, PART, "later");
    const keys = await writeData(client, FS, PART, file, [
      create(S3ChunkInfoAppendSchema, { chunkIndex: 2n, infos: [info(41n, 2n * CHUNK, 10n)] }),
    ]);
    await unlink(client, FS, PART, "later", file);
    await eventually(() => purgedEverywhere(PART, file), { what: "the inode purged" });
    for (const key of keys) expect(await exists(key)).toBe(false);
  });
});
