/**
 * CreateFs (mds.proto): steps, idempotency ("identical"), resumption, rollback, storage checks
 * and concurrency; on real etcd and on the embedded store, with fake metaservers.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CurveError } from "../../../impl/errors.js";
import { FsType } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FsStatus } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import { FileType } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { KV_BACKENDS } from "../../support/mds-kv-backends.js";
import { expectReason } from "./expect-reason.js";
import {
  type FsHarness,
  mountpoint,
  s3FsRequest,
  startFsHarness,
  volumeFsRequest,
} from "./fs-harness.js";

describe.each(KV_BACKENDS)("CreateFs on %s", (backend) => {
  let h: FsHarness;
  beforeEach(async () => {
    h = await startFsHarness(backend);
  });
  afterEach(() => h.close());

  it("creates an INITED fs with its partitions, root directory and recycle directory", async () => {
    const fs = await h.fs.createFs(s3FsRequest("alpha"));
    expect(fs.status).toBe(FsStatus.INITED);
    expect(fs.fsId).toBe(1);
    expect(fs.rootInodeId).toBe(1n);
    expect(fs.fsType).toBe(FsType.S3);
    expect(fs.recycleTimeHours).toBe(24);
    expect(h.metaServers.partitionsOf(fs.fsId)).toHaveLength(3);
    const root = h.metaServers.inode(fs.fsId, 1n);
    expect(root).toMatchObject({
      type: FileType.DIRECTORY,
      uid: 0,
      gid: 0,
      mode: 0o1777,
      nlink: 2,
    });
    expect(h.metaServers.inode(fs.fsId, 2n)?.type).toBe(FileType.DIRECTORY);
    expect(h.metaServers.dentry(fs.fsId, 1n, ".recycle")).toBe(2n);
    expect((await h.fs.getFsInfo(undefined, "alpha")).status).toBe(FsStatus.INITED);
  });

  it("without a recycle bin creates no recycle directory", async () => {
    const fs = await h.fs.createFs(s3FsRequest("plain", { recycleTimeHours: undefined }));
    expect(fs.recycleTimeHours).toBe(0);
    expect(h.metaServers.inode(fs.fsId, 2n)).toBeUndefined();
    expect(h.metaServers.callsOf("createDentry")).toHaveLength(0);
  });

  it("CreateFs with identical settings returns the existing fs, without a probe", async () => {
    const first = await h.fs.createFs(s3FsRequest("same"));
    const probes = h.probe.calls;
    const again = await h.fs.createFs(s3FsRequest("same"));
    expect(again.fsId).toBe(first.fsId);
    expect(h.probe.calls).toBe(probes);
    expect(h.metaServers.callsOf("createRootInode")).toHaveLength(1);
  });

  it("capacity, owner and enable_sum_in_dir are not compared, and not applied", async () => {
    const first = await h.fs.createFs(s3FsRequest("loose"));
    const again = await h.fs.createFs(
      s3FsRequest("loose", { capacity: 1n, owner: "mallory", enableSumInDir: true }),
    );
    expect(again.fsId).toBe(first.fsId);
    expect(again.capacity).toBe(first.capacity);
    expect(again.owner).toBe("alice");
    expect(again.enableSumInDir).toBe(false);
  });

  it("an empty S3 region is identical to us-east-1", async () => {
    const request = s3FsRequest("region");
    if (request.detail.case !== "s3Info") throw new Error("unreachable");
    request.detail.value.region = "";
    const first = await h.fs.createFs(request);
    request.detail.value.region = "us-east-1";
    expect((await h.fs.createFs(request)).fsId).toBe(first.fsId);
  });

  it.each([
    ["block_size", s3FsRequest("differs", { blockSize: 8192n })],
    ["recycle_time_hours", s3FsRequest("differs", { recycleTimeHours: 1 })],
    ["absent recycle_time_hours vs 24", s3FsRequest("differs", { recycleTimeHours: undefined })],
    ["the storage type", volumeFsRequest("differs")],
  ])("CreateFs with a different %s answers already_exists", async (_what, request) => {
    await h.fs.createFs(s3FsRequest("differs"));
    await expectReason(h.fs.createFs(request), ErrorReason.FS_ALREADY_EXISTS);
  });

  it("CreateFs with another S3 secret key answers already_exists", async () => {
    await h.fs.createFs(s3FsRequest("secret"));
    const request = s3FsRequest("secret");
    if (request.detail.case !== "s3Info") throw new Error("unreachable");
    request.detail.value.secretKey = "another-secret";
    await expectReason(h.fs.createFs(request), ErrorReason.FS_ALREADY_EXISTS);
  });

  it("a failure after the record is stored is rolled back: the name is free and nothing leaks", async () => {
    h.metaServers.failOn("createRootInode", { times: 1 });
    await expectReason(h.fs.createFs(s3FsRequest("rolled")), ErrorReason.LEADER_UNKNOWN);
    await expectReason(h.fs.getFsInfo(undefined, "rolled"), ErrorReason.FS_NOT_FOUND);
    await expectReason(h.fs.getFsInfo(1, undefined), ErrorReason.FS_NOT_FOUND);
    expect(h.partitions.records.size).toBe(0);
    expect(h.metaServers.partitions.size).toBe(0);
    const retried = await h.fs.createFs(s3FsRequest("rolled"));
    expect(retried.status).toBe(FsStatus.INITED);
    expect(retried.fsId).not.toBe(1);
  });

  it("a failure while placing partitions is rolled back with its reason", async () => {
    h.partitions.failAfter = 2;
    await expectReason(h.fs.createFs(s3FsRequest("crowded")), ErrorReason.NOT_ENOUGH_SERVERS);
    expect(h.partitions.records.size).toBe(0);
    expect(h.metaServers.partitions.size).toBe(0);
    await expectReason(h.fs.getFsInfo(undefined, "crowded"), ErrorReason.FS_NOT_FOUND);
  });

  it("a failing recycle dentry rolls back the partitions holding the root and recycle inodes", async () => {
    h.metaServers.failOn("createDentry", { times: 1 });
    await expectReason(h.fs.createFs(s3FsRequest("recycler")), ErrorReason.LEADER_UNKNOWN);
    expect(h.metaServers.partitions.size).toBe(0);
    expect(h.metaServers.callsOf("deletePartition").length).toBeGreaterThanOrEqual(3);
  });

  it("when the rollback cannot finish the fs stays NEW, and an identical retry resumes it", async () => {
    h.metaServers.failOn("createRootInode", { times: 1 });
    h.metaServers.failOn("deletePartition");
    await expectReason(h.fs.createFs(s3FsRequest("stuck")), ErrorReason.LEADER_UNKNOWN);
    const stuck = await h.fs.getFsInfo(undefined, "stuck");
    expect(stuck.status).toBe(FsStatus.NEW);
    h.metaServers.heal();
    const probes = h.probe.calls;
    const resumed = await h.fs.createFs(s3FsRequest("stuck"));
    expect(resumed).toMatchObject({ fsId: stuck.fsId, status: FsStatus.INITED });
    expect(h.probe.calls).toBe(probes);
    expect(h.metaServers.partitionsOf(stuck.fsId)).toHaveLength(3);
  });

  it("a NEW fs cannot be mounted, and CreateFs with other settings does not resume it", async () => {
    h.metaServers.failOn("createRootInode", { times: 1 });
    h.metaServers.failOn("deletePartition");
    await expectReason(h.fs.createFs(s3FsRequest("half")), ErrorReason.LEADER_UNKNOWN);
    h.metaServers.heal();
    await expectReason(
      h.fs.createFs(s3FsRequest("half", { blockSize: 8192n })),
      ErrorReason.FS_ALREADY_EXISTS,
    );
    await expectReason(h.fs.mountFs("half", mountpoint("h", 1, "/m")), ErrorReason.FS_NOT_INITED);
  });

  it("bad S3 credentials answer S3_INFO_INVALID and store nothing", async () => {
    const request = s3FsRequest("badkey");
    if (request.detail.case !== "s3Info") throw new Error("unreachable");
    request.detail.value.secretKey = "wrong-secret-key";
    const error = await expectReason(h.fs.createFs(request), ErrorReason.S3_INFO_INVALID);
    expect(error.message).toContain("S3 probe");
    await expectReason(h.fs.getFsInfo(undefined, "badkey"), ErrorReason.FS_NOT_FOUND);
    expect(h.partitions.records.size).toBe(0);
  });

  it("an unreachable S3 endpoint answers S3_INFO_INVALID", async () => {
    const request = s3FsRequest("nowhere");
    if (request.detail.case !== "s3Info") throw new Error("unreachable");
    request.detail.value.endpoint = "http://127.0.0.1:9";
    await expectReason(h.fs.createFs(request), ErrorReason.S3_INFO_INVALID);
  });

  it("a VOLUME fs gets its space before it is INITED", async () => {
    const fs = await h.fs.createFs(volumeFsRequest("vol"));
    expect(fs).toMatchObject({ status: FsStatus.INITED, fsType: FsType.VOLUME });
    expect(h.spaces.inited.get(fs.fsId)?.volumeName).toBe("vol-vol");
  });

  it("a volume that backs another fs answers VOLUME_INFO_INVALID", async () => {
    await h.fs.createFs(volumeFsRequest("vol-a", "shared"));
    await expectReason(
      h.fs.createFs(volumeFsRequest("vol-b", "shared")),
      ErrorReason.VOLUME_INFO_INVALID,
    );
  });

  it("two concurrent CreateFs of one name with different settings: exactly one wins", async () => {
    const results = await Promise.allSettled([
      h.fs.createFs(s3FsRequest("race", { blockSize: 4096n })),
      h.fs.createFs(s3FsRequest("race", { blockSize: 8192n })),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(CurveError);
    expect((lost[0] as CurveError).reason).toBe(ErrorReason.FS_ALREADY_EXISTS);
  });

  it("50 concurrent identical CreateFs make one fs", async () => {
    const all = await Promise.all(
      Array.from({ length: 50 }, () => h.fs.createFs(s3FsRequest("many"))),
    );
    expect(new Set(all.map((fs) => fs.fsId)).size).toBe(1);
    expect(h.metaServers.callsOf("createRootInode")).toHaveLength(1);
    const listed = await h.fs.listFs(0, "");
    expect(listed.fileSystems.filter((fs) => fs.fsName === "many")).toHaveLength(1);
  });

  it("fs ids start at 1 and are never reused, also after a restart", async () => {
    const a = await h.fs.createFs(s3FsRequest("id-a"));
    await h.restart({ reopenStore: true });
    const b = await h.fs.createFs(s3FsRequest("id-b"));
    expect(a.fsId).toBe(1);
    expect(b.fsId).toBeGreaterThan(a.fsId);
  });
});
