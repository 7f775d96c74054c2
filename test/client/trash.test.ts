/**
 * A deleted file's objects disappear from the bucket: unlink takes the inode's last link, the
 * inode enters its partition's trash, and the copyset leader's trash task deletes its objects,
 * then the inode (metaserver.proto UpdateInode, "Trash").
 *
 * The trash keeps an inode for a delay after its `dtime` (server configuration, 10 minutes by
 * default) — and `dtime` is the time the client stamps on its request. This client's clock runs
 * that delay behind, so the real task with its default settings collects at its next scan.
 */
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CurveClient } from "../../impl/client/index.js";
import type { ObjectStore } from "../../impl/storage/object-store.js";
import { ObjectStoreResolver } from "../../impl/storage/object-store-resolver.js";
import { eventually } from "../support/eventually.js";
import { type ClientCluster, startClientCluster } from "./client-cluster.js";

/** More than the trash task's default delay. */
const CLOCK_BEHIND_MS = 11 * 60 * 1000;
const MiB = 1024 * 1024;

let env: ClientCluster;
let lateClient: CurveClient;
let resolver: ObjectStoreResolver;
let store: ObjectStore;

beforeAll(async () => {
  env = await startClientCluster();
  await env.client.createFs("trash", { s3: env.cluster.s3Info });
  lateClient = await CurveClient.connect({
    mdsUrls: env.cluster.mdsUrls,
    now: () => timestampFromMs(Date.now() - CLOCK_BEHIND_MS),
  });
  resolver = new ObjectStoreResolver();
  store = await resolver.storeFor(env.cluster.s3Info);
});

afterAll(async () => {
  await lateClient?.close();
  await resolver?.close();
  await env?.stop();
});

async function objectsOf(fsId: number, inodeId: bigint): Promise<string[]> {
  const page = await store.list({ prefix: `${fsId}_${inodeId}_` });
  return page.objects.map((o) => o.key);
}

describe("the trash", () => {
  it("deletes an unlinked file's objects from the bucket", { timeout: 120_000 }, async () => {
    const fs = await lateClient.mount("trash", { mountPoint: "/mnt/trash" });
    await fs.writeFile("/doomed", new Uint8Array(5 * MiB).fill(1));
    await fs.writeFile("/kept", new Uint8Array(MiB).fill(2));
    const doomed = (await fs.stat("/doomed")).inodeId;
    const kept = (await fs.stat("/kept")).inodeId;
    expect(await objectsOf(fs.fsId, doomed)).toHaveLength(2);

    await fs.unlink("/doomed");
    await eventually(
      async () => ((await objectsOf(fs.fsId, doomed)).length === 0 ? true : undefined),
      {
        what: "the trash task deleting the unlinked file's objects",
        timeoutMs: 90_000,
      },
    );
    expect(await objectsOf(fs.fsId, kept)).toHaveLength(1);
    expect(new Set(await fs.readFile("/kept"))).toEqual(new Set([2]));
    await fs.umount();
  });
});
