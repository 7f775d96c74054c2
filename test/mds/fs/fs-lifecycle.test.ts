/**
 * GetFsInfo, ListFs, UpdateFs, DeleteFs (with the background deletion) and AllocateS3Chunk
 * (mds.proto), on real etcd and on the embedded store, with fake metaservers.
 */
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import {
  FsStatus,
  type Mountpoint,
  RefreshSessionRequestSchema,
  UpdateFsRequestSchema,
} from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import { KV_BACKENDS } from "../../support/mds-kv-backends.js";
import { expectReason } from "./expect-reason.js";
import {
  type FsHarness,
  mountpoint,
  s3FsRequest,
  startFsHarness,
  volumeFsRequest,
} from "./fs-harness.js";

describe.each(KV_BACKENDS)("the fs life cycle on %s", (backend) => {
  let h: FsHarness;
  beforeEach(async () => {
    h = await startFsHarness(backend);
  });
  afterEach(() => h.close());

  describe("GetFsInfo", () => {
    it("finds an fs by id, by name, and by both", async () => {
      const fs = await h.fs.createFs(s3FsRequest("find-me"));
      expect((await h.fs.getFsInfo(fs.fsId, undefined)).fsName).toBe("find-me");
      expect((await h.fs.getFsInfo(undefined, "find-me")).fsId).toBe(fs.fsId);
      expect((await h.fs.getFsInfo(fs.fsId, "find-me")).fsId).toBe(fs.fsId);
    });

    it("an unknown id or name answers not_found", async () => {
      await expectReason(h.fs.getFsInfo(42, undefined), ErrorReason.FS_NOT_FOUND);
      await expectReason(h.fs.getFsInfo(undefined, "ghost"), ErrorReason.FS_NOT_FOUND);
    });

    it("an id and a name of different file systems answer FS_ID_NAME_MISMATCH", async () => {
      const fs = await h.fs.createFs(s3FsRequest("one"));
      await h.fs.createFs(s3FsRequest("two"));
      await expectReason(h.fs.getFsInfo(fs.fsId, "two"), ErrorReason.FS_ID_NAME_MISMATCH);
    });

    it("a DELETING fs is found by id (with its old name) but not by name", async () => {
      const fs = await h.fs.createFs(s3FsRequest("going"));
      await h.fs.deleteFs("going", undefined);
      expect(await h.fs.getFsInfo(fs.fsId, "going")).toMatchObject({ status: FsStatus.DELETING });
      await expectReason(h.fs.getFsInfo(undefined, "going"), ErrorReason.FS_NOT_FOUND);
    });
  });

  describe("ListFs", () => {
    it("pages through every fs in ascending id order, DELETING ones included", async () => {
      for (const name of ["a1", "a2", "a3", "a4", "a5"]) await h.fs.createFs(s3FsRequest(name));
      await h.fs.deleteFs("a2", undefined);
      const seen: string[] = [];
      let token = "";
      let pages = 0;
      do {
        const page = await h.fs.listFs(2, token);
        seen.push(
          ...page.fileSystems.map((fs) => `${fs.fsId}:${fs.fsName}:${FsStatus[fs.status]}`),
        );
        token = page.nextPageToken;
        pages++;
      } while (token !== "");
      expect(pages).toBe(3);
      expect(seen).toEqual([
        "1:a1:INITED",
        "2:a2:DELETING",
        "3:a3:INITED",
        "4:a4:INITED",
        "5:a5:INITED",
      ]);
    });

    it("page size 0 means the default, and the last page has no token", async () => {
      await h.fs.createFs(s3FsRequest("solo"));
      const page = await h.fs.listFs(0, "");
      expect(page.fileSystems).toHaveLength(1);
      expect(page.nextPageToken).toBe("");
    });

    it("a token continues after the last id even when file systems changed meanwhile", async () => {
      for (const name of ["b1", "b2", "b3"]) await h.fs.createFs(s3FsRequest(name));
      const first = await h.fs.listFs(2, "");
      await h.fs.createFs(s3FsRequest("b4"));
      const second = await h.fs.listFs(2, first.nextPageToken);
      expect(second.fileSystems.map((fs) => fs.fsName)).toEqual(["b3", "b4"]);
    });

    it.each(["garbage", "ZnM6YWJj", Buffer.from("fs:1 ").toString("base64url")])(
      "a page token it did not issue (%s) answers invalid_argument",
      async (token) => {
        const error = await expectReason(h.fs.listFs(1, token), ErrorReason.INVALID_ARGUMENT);
        expect(error.metadata.field).toBe("page_token");
      },
    );
  });

  describe("UpdateFs", () => {
    it("changes only the fields present", async () => {
      await h.fs.createFs(s3FsRequest("upd"));
      const capacity = await h.fs.updateFs(
        create(UpdateFsRequestSchema, { fsName: "upd", capacity: 5n }),
      );
      expect(capacity).toMatchObject({ capacity: 5n, owner: "alice" });
      const owner = await h.fs.updateFs(
        create(UpdateFsRequestSchema, { fsName: "upd", owner: "carol" }),
      );
      expect(owner).toMatchObject({ capacity: 5n, owner: "carol" });
      expect(await h.fs.getFsInfo(undefined, "upd")).toMatchObject({
        capacity: 5n,
        owner: "carol",
      });
    });

    it("a capacity below the used bytes answers CAPACITY_TOO_SMALL", async () => {
      const fs = await h.fs.createFs(s3FsRequest("full"));
      const mp = mountpoint("host", 9000, "/mnt");
      await h.fs.mountFs("full", mp);
      await h.fs.refreshSession(refresh(fs.fsId, mp, 1000n));
      await expectReason(
        h.fs.updateFs(create(UpdateFsRequestSchema, { fsName: "full", capacity: 999n })),
        ErrorReason.CAPACITY_TOO_SMALL,
      );
      const ok = await h.fs.updateFs(
        create(UpdateFsRequestSchema, { fsName: "full", capacity: 1000n }),
      );
      expect(ok.capacity).toBe(1000n);
    });

    it("an unknown name answers not_found", async () => {
      await expectReason(
        h.fs.updateFs(create(UpdateFsRequestSchema, { fsName: "nope", owner: "x" })),
        ErrorReason.FS_NOT_FOUND,
      );
    });
  });

  describe("DeleteFs", () => {
    it("a mounted fs answers FS_BUSY", async () => {
      await h.fs.createFs(s3FsRequest("busy"));
      await h.fs.mountFs("busy", mountpoint("h", 1, "/m"));
      await expectReason(h.fs.deleteFs("busy", undefined), ErrorReason.FS_BUSY);
    });

    it("frees the name at once: a CreateFs of the same name succeeds right after", async () => {
      const old = await h.fs.createFs(s3FsRequest("reuse"));
      const deleting = await h.fs.deleteFs("reuse", undefined);
      expect(deleting).toMatchObject({
        fsId: old.fsId,
        status: FsStatus.DELETING,
        fsName: "reuse",
      });
      const fresh = await h.fs.createFs(s3FsRequest("reuse", { blockSize: 8192n }));
      expect(fresh.fsId).not.toBe(old.fsId);
      expect((await h.fs.getFsInfo(undefined, "reuse")).fsId).toBe(fresh.fsId);
    });

    it("without fs_id a repeat answers not_found", async () => {
      await h.fs.createFs(s3FsRequest("twice"));
      await h.fs.deleteFs("twice", undefined);
      await expectReason(h.fs.deleteFs("twice", undefined), ErrorReason.FS_NOT_FOUND);
    });

    it("with fs_id a repeat returns OK, and a reused name is not deleted", async () => {
      const old = await h.fs.createFs(s3FsRequest("idem"));
      await h.fs.deleteFs("idem", old.fsId);
      const fresh = await h.fs.createFs(s3FsRequest("idem"));
      const again = await h.fs.deleteFs("idem", old.fsId);
      expect(again).toMatchObject({ fsId: old.fsId, status: FsStatus.DELETING });
      expect((await h.fs.getFsInfo(undefined, "idem")).fsId).toBe(fresh.fsId);
    });

    it("with the fs_id of another fs answers FS_ID_NAME_MISMATCH; an unknown id not_found", async () => {
      const a = await h.fs.createFs(s3FsRequest("del-a"));
      await h.fs.createFs(s3FsRequest("del-b"));
      await expectReason(h.fs.deleteFs("del-b", a.fsId), ErrorReason.FS_ID_NAME_MISMATCH);
      await expectReason(h.fs.deleteFs("del-b", 999), ErrorReason.FS_NOT_FOUND);
    });

    it("deletes the partitions on the metaservers in the background, then the record", async () => {
      const fs = await h.fs.createFs(s3FsRequest("bg"));
      expect(h.metaServers.partitionsOf(fs.fsId)).toHaveLength(3);
      await h.fs.deleteFs("bg", undefined);
      // The partition holding the root is not empty: the fake metaserver empties it over a round.
      await h.tasks.deletion.idle();
      expect(h.partitions.records.size).toBe(1);
      expect([...h.partitions.records.values()][0]?.start).toBe(0n);
      expect((await h.fs.getFsInfo(fs.fsId, undefined)).status).toBe(FsStatus.DELETING);
      h.tasks.deletion.kick();
      await h.tasks.deletion.idle();
      expect(h.metaServers.partitionsOf(fs.fsId)).toHaveLength(0);
      expect(h.partitions.records.size).toBe(0);
      await expectReason(h.fs.getFsInfo(fs.fsId, undefined), ErrorReason.FS_NOT_FOUND);
    });

    it("the background deletion keeps trying while a metaserver is unreachable", async () => {
      const fs = await h.fs.createFs(s3FsRequest("unreach"));
      h.metaServers.failOn("deletePartition");
      await h.fs.deleteFs("unreach", undefined);
      await h.tasks.deletion.idle();
      expect((await h.fs.getFsInfo(fs.fsId, undefined)).status).toBe(FsStatus.DELETING);
      h.metaServers.heal();
      await h.clock.advance(60_000);
      await h.tasks.deletion.idle();
      await h.clock.advance(60_000);
      await h.tasks.deletion.idle();
      await expectReason(h.fs.getFsInfo(fs.fsId, undefined), ErrorReason.FS_NOT_FOUND);
    });

    it("a NEW fs (an unfinished create) can be deleted", async () => {
      h.metaServers.failOn("createRootInode", { times: 1 });
      h.metaServers.failOn("deletePartition");
      await expectReason(h.fs.createFs(s3FsRequest("unfinished")), ErrorReason.LEADER_UNKNOWN);
      h.metaServers.heal();
      const deleting = await h.fs.deleteFs("unfinished", undefined);
      expect(deleting.status).toBe(FsStatus.DELETING);
    });

    it("the deletion of a VOLUME fs destroys its space", async () => {
      const fs = await h.fs.createFs(volumeFsRequest("volgone"));
      await h.fs.deleteFs("volgone", fs.fsId);
      for (let i = 0; i < 2; i++) {
        h.tasks.deletion.kick();
        await h.tasks.deletion.idle();
      }
      expect(h.spaces.destroyed).toEqual([fs.fsId]);
      await expectReason(h.fs.getFsInfo(fs.fsId, undefined), ErrorReason.FS_NOT_FOUND);
    });
  });

  describe("AllocateS3Chunk", () => {
    it("hands out ids from 1, each once, in bundles", async () => {
      const fs = await h.fs.createFs(s3FsRequest("chunks"));
      const first = await h.fs.allocateS3Chunk(fs.fsId, 1);
      const batch = await h.fs.allocateS3Chunk(fs.fsId, 25);
      const next = await h.fs.allocateS3Chunk(fs.fsId, 1);
      expect(first).toBe(1n);
      expect(batch).toBe(2n);
      expect(next).toBe(27n);
    });

    it("ids never repeat across a restart of the MDS", async () => {
      const fs = await h.fs.createFs(s3FsRequest("restart"));
      const before = await h.fs.allocateS3Chunk(fs.fsId, 3);
      await h.restart({ reopenStore: true });
      const after = await h.fs.allocateS3Chunk(fs.fsId, 3);
      expect(after).toBeGreaterThanOrEqual(before + 3n);
    });

    it("concurrent calls get disjoint ranges", async () => {
      const fs = await h.fs.createFs(s3FsRequest("parallel"));
      const counts = Array.from({ length: 40 }, (_, i) => (i % 7) + 1);
      const begins = await Promise.all(counts.map((n) => h.fs.allocateS3Chunk(fs.fsId, n)));
      const ids = begins.flatMap((b, i) =>
        Array.from({ length: counts[i] ?? 0 }, (_, k) => b + BigInt(k)),
      );
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("answers not_found, FS_TYPE_MISMATCH, FS_DELETING as the fs demands", async () => {
      await expectReason(h.fs.allocateS3Chunk(77, 1), ErrorReason.FS_NOT_FOUND);
      const vol = await h.fs.createFs(volumeFsRequest("novolchunks"));
      await expectReason(h.fs.allocateS3Chunk(vol.fsId, 1), ErrorReason.FS_TYPE_MISMATCH);
      const s3 = await h.fs.createFs(s3FsRequest("gone"));
      await h.fs.deleteFs("gone", undefined);
      await expectReason(h.fs.allocateS3Chunk(s3.fsId, 1), ErrorReason.FS_DELETING);
    });
  });
});

function refresh(fsId: number, mp: Mountpoint, delta: bigint) {
  return create(RefreshSessionRequestSchema, { fsId, mountpoint: mp, usedBytesDelta: delta });
}
