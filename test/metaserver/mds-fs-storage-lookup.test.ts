/**
 * The trash task's fs lookup against two real MDS processes (real etcd, real S3 probe): it
 * follows the follower's NOT_LEADER hint to the leader, returns the fs's S3 settings without
 * the secret, caches them, and reports the MDS's own errors.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { MdsFsStorageLookup } from "../../impl/metaserver/trash/index.js";
import { s3FsRequest } from "../mds/fs/fs-harness.js";
import {
  type MdsCluster,
  mdsClient,
  onlineMetaServers,
  startMdsCluster,
} from "../mds/mds-cluster.js";

const s3 = inject("s3");
let cluster: MdsCluster;
let fsId = 0;
const lookups: MdsFsStorageLookup[] = [];

beforeAll(async () => {
  cluster = await startMdsCluster(2);
  const leader = await cluster.leader();
  await onlineMetaServers(leader);
  const { fsInfo } = await mdsClient(leader).createFs(s3FsRequest("trash-lookup"));
  fsId = fsInfo?.fsId ?? 0;
});

afterAll(async () => {
  await Promise.all(lookups.map((l) => l.close()));
  await cluster.close();
});

function lookup(addresses: string[]): MdsFsStorageLookup {
  const created = new MdsFsStorageLookup({ mdsAddresses: addresses });
  lookups.push(created);
  return created;
}

describe("MdsFsStorageLookup", () => {
  it("follows the follower's leader hint and returns the S3 settings without the secret", async () => {
    const leader = await cluster.leader();
    const follower = cluster.servers.find((s) => s !== leader);
    if (follower === undefined) throw new Error("no follower");
    // Only the follower is configured: the answer must come from the hinted leader.
    const info = await lookup([follower.address]).s3InfoOf(fsId);
    expect(info.endpoint).toBe(s3.endpoint);
    expect(info.bucket).toBe(s3.bucket);
    expect(info.accessKey).toBe(s3.accessKey);
    expect(info.secretKey).toBe("");
    expect(info.chunkSize).toBe(64n << 20n);
  });

  it("skips an unreachable MDS and caches the answer per fs", async () => {
    const leader = await cluster.leader();
    const subject = lookup(["127.0.0.1:1", leader.url]);
    const first = await subject.s3InfoOf(fsId);
    await cluster.close();
    // Every MDS is gone now: only the cache can answer.
    expect(await subject.s3InfoOf(fsId)).toBe(first);
    cluster = await startMdsCluster(1);
  });

  it("an unknown fs is the MDS's FS_NOT_FOUND; no reachable MDS is LEADER_UNKNOWN", async () => {
    const leader = await cluster.leader();
    const unknown = await lookup([leader.address])
      .s3InfoOf(999_999)
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(CurveError);
    expect((unknown as CurveError).reason).toBe(ErrorReason.FS_NOT_FOUND);
    const unreachable = await lookup(["127.0.0.1:1"])
      .s3InfoOf(1)
      .catch((e: unknown) => e);
    expect((unreachable as CurveError).reason).toBe(ErrorReason.LEADER_UNKNOWN);
  });
});
