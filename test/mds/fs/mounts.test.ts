/**
 * MountFs, UmountFs, RefreshSession and session expiry (mds.proto), driven by a manual clock,
 * on real etcd and on the embedded store.
 */
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import {
  CommitTxRequestSchema,
  type Mountpoint,
  type PartitionTxId,
  PartitionTxIdSchema,
  RefreshSessionRequestSchema,
} from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import { KV_BACKENDS } from "../../support/mds-kv-backends.js";
import { expectReason } from "./expect-reason.js";
import { type FsHarness, mountpoint, s3FsRequest, startFsHarness } from "./fs-harness.js";

const TTL = 20_000;
const SCAN = 5_000;

describe.each(KV_BACKENDS)("mounts and sessions on %s", (backend) => {
  let h: FsHarness;
  let fsId: number;
  beforeEach(async () => {
    h = await startFsHarness(backend, { sessionTtlMs: TTL, sessionScanIntervalMs: SCAN });
    fsId = (await h.fs.createFs(s3FsRequest("mnt", { enableSumInDir: true }))).fsId;
  });
  afterEach(() => h.close());

  const refresh = (mp: Mountpoint, changes: { delta?: bigint; known?: PartitionTxId[] } = {}) =>
    h.fs.refreshSession(
      create(RefreshSessionRequestSchema, {
        fsId,
        mountpoint: mp,
        usedBytesDelta: changes.delta ?? 0n,
        knownTxIds: changes.known ?? [],
      }),
    );
  const mounts = async () => (await h.fs.getFsInfo(fsId, undefined)).mountpoints;

  describe("MountFs", () => {
    it("records the mount point", async () => {
      const fs = await h.fs.mountFs("mnt", mountpoint("host", 9000, "/mnt/a"));
      expect(fs.mountpoints).toHaveLength(1);
      expect(fs.mountpoints[0]).toMatchObject({
        hostname: "host",
        port: 9000,
        path: "/mnt/a",
        cto: true,
      });
    });

    it("a repeated mount by the same client process is OK and changes nothing", async () => {
      await h.fs.mountFs("mnt", mountpoint("host", 9000, "/mnt/a"));
      const again = await h.fs.mountFs("mnt", mountpoint("host", 9000, "/mnt/a"));
      expect(again.mountpoints).toHaveLength(1);
    });

    it("the same host and path on another port is a conflict", async () => {
      await h.fs.mountFs("mnt", mountpoint("host", 9000, "/mnt/a"));
      await expectReason(
        h.fs.mountFs("mnt", mountpoint("host", 9001, "/mnt/a")),
        ErrorReason.MOUNTPOINT_CONFLICT,
      );
    });

    it("the same host, port and path with another cto is a conflict", async () => {
      await h.fs.mountFs("mnt", mountpoint("host", 9000, "/mnt/a", true));
      await expectReason(
        h.fs.mountFs("mnt", mountpoint("host", 9000, "/mnt/a", false)),
        ErrorReason.MOUNTPOINT_CONFLICT,
      );
    });

    it("all mounts of one fs agree on cto: the first mount decides", async () => {
      await h.fs.mountFs("mnt", mountpoint("h1", 9000, "/m", false));
      await expectReason(
        h.fs.mountFs("mnt", mountpoint("h2", 9000, "/m", true)),
        ErrorReason.MOUNTPOINT_CONFLICT,
      );
      const fs = await h.fs.mountFs("mnt", mountpoint("h2", 9000, "/m", false));
      expect(fs.mountpoints).toHaveLength(2);
    });

    it("a second mount point turns enable_sum_in_dir off for good", async () => {
      const one = await h.fs.mountFs("mnt", mountpoint("h1", 1, "/m"));
      expect(one.enableSumInDir).toBe(true);
      const two = await h.fs.mountFs("mnt", mountpoint("h2", 1, "/m"));
      expect(two.enableSumInDir).toBe(false);
      await h.fs.umountFs("mnt", mountpoint("h2", 1, "/m"));
      expect((await h.fs.getFsInfo(fsId, undefined)).enableSumInDir).toBe(false);
    });

    it("an unknown fs answers not_found", async () => {
      await expectReason(h.fs.mountFs("nope", mountpoint("h", 1, "/m")), ErrorReason.FS_NOT_FOUND);
    });
  });

  describe("UmountFs", () => {
    it("removes exactly the mount point with this hostname, port and path (cto ignored)", async () => {
      await h.fs.mountFs("mnt", mountpoint("h1", 1, "/m"));
      await h.fs.mountFs("mnt", mountpoint("h2", 1, "/m"));
      await h.fs.umountFs("mnt", mountpoint("h1", 1, "/m", false));
      expect((await mounts()).map((m) => m.hostname)).toEqual(["h2"]);
    });

    it("another port, or a repeat, answers MOUNTPOINT_NOT_FOUND", async () => {
      await h.fs.mountFs("mnt", mountpoint("h1", 1, "/m"));
      await expectReason(
        h.fs.umountFs("mnt", mountpoint("h1", 2, "/m")),
        ErrorReason.MOUNTPOINT_NOT_FOUND,
      );
      await h.fs.umountFs("mnt", mountpoint("h1", 1, "/m"));
      await expectReason(
        h.fs.umountFs("mnt", mountpoint("h1", 1, "/m")),
        ErrorReason.MOUNTPOINT_NOT_FOUND,
      );
    });

    it("an unknown fs answers not_found", async () => {
      await expectReason(h.fs.umountFs("nope", mountpoint("h", 1, "/m")), ErrorReason.FS_NOT_FOUND);
    });
  });

  describe("sessions", () => {
    it("a mount point that goes silent is removed after the TTL, and no later than 2 × TTL", async () => {
      await h.fs.mountFs("mnt", mountpoint("h", 1, "/m"));
      await h.clock.advance(TTL - 1);
      await h.tasks.sessionExpiry.idle();
      expect(await mounts()).toHaveLength(1);
      await h.clock.advance(TTL + 1);
      await h.tasks.sessionExpiry.idle();
      expect(await mounts()).toHaveLength(0);
      await expectReason(
        h.fs.umountFs("mnt", mountpoint("h", 1, "/m")),
        ErrorReason.MOUNTPOINT_NOT_FOUND,
      );
    });

    it("RefreshSession keeps a mount point alive", async () => {
      const mp = mountpoint("h", 1, "/m");
      await h.fs.mountFs("mnt", mp);
      for (let i = 0; i < 10; i++) {
        await h.clock.advance(4_000);
        await refresh(mp);
      }
      await h.tasks.sessionExpiry.idle();
      expect(await mounts()).toHaveLength(1);
    });

    it("only the silent mount point of two is removed", async () => {
      const alive = mountpoint("alive", 1, "/m");
      await h.fs.mountFs("mnt", mountpoint("silent", 1, "/m"));
      await h.fs.mountFs("mnt", alive);
      for (let i = 0; i < 12; i++) {
        await h.clock.advance(4_000);
        await refresh(alive);
      }
      await h.tasks.sessionExpiry.idle();
      expect((await mounts()).map((m) => m.hostname)).toEqual(["alive"]);
    });

    it("a refresh after expiry mounts again and says remounted", async () => {
      const mp = mountpoint("h", 1, "/m");
      await h.fs.mountFs("mnt", mp);
      await h.clock.advance(2 * TTL);
      await h.tasks.sessionExpiry.idle();
      expect(await mounts()).toHaveLength(0);
      const result = await refresh(mp);
      expect(result.remounted).toBe(true);
      expect(await mounts()).toHaveLength(1);
      expect((await refresh(mp)).remounted).toBe(false);
    });

    it("a remount that conflicts with a mount made since answers MOUNTPOINT_CONFLICT", async () => {
      await h.fs.mountFs("mnt", mountpoint("h", 1, "/m", true));
      await h.clock.advance(2 * TTL);
      await h.tasks.sessionExpiry.idle();
      await h.fs.mountFs("mnt", mountpoint("other", 1, "/m", false));
      await expectReason(refresh(mountpoint("h", 1, "/m", true)), ErrorReason.MOUNTPOINT_CONFLICT);
    });

    it("a new leader gives every stored mount point a full lease from when it serves", async () => {
      await h.fs.mountFs("mnt", mountpoint("h", 1, "/m"));
      await h.clock.advance(TTL - 1_000);
      await h.restart();
      await h.clock.advance(TTL - 1_000);
      await h.tasks.sessionExpiry.idle();
      expect(await mounts()).toHaveLength(1);
      await h.clock.advance(2 * TTL);
      await h.tasks.sessionExpiry.idle();
      expect(await mounts()).toHaveLength(0);
    });
  });

  describe("RefreshSession", () => {
    it("adds the usage delta, never below 0, and reports capacity and usage", async () => {
      const mp = mountpoint("h", 1, "/m");
      await h.fs.mountFs("mnt", mp);
      expect((await refresh(mp, { delta: 500n })).fs.usedBytes).toBe(500n);
      expect((await refresh(mp, { delta: -200n })).fs.usedBytes).toBe(300n);
      const clamped = await refresh(mp, { delta: -1000n });
      expect(clamped.fs.usedBytes).toBe(0n);
      expect(clamped.fs.capacity).toBe(100n << 30n);
    });

    it("returns the tx ids that differ from the client's, leaving out unknown partitions", async () => {
      const mp = mountpoint("h", 1, "/m");
      await h.fs.mountFs("mnt", mp);
      const [p1, p2] = (await h.partitions.list(fsId)).map((p) => p.partitionId);
      if (p1 === undefined || p2 === undefined) throw new Error("partitions missing");
      await h.fs.commitTx(
        create(CommitTxRequestSchema, {
          fsId,
          partitionTxIds: [{ partitionId: p1, txId: 4n }],
        }),
      );
      const known = [
        [p1, 3n],
        [p2, 0n],
        [9999, 1n],
      ] as const;
      const result = await refresh(mp, {
        known: known.map(([partitionId, txId]) =>
          create(PartitionTxIdSchema, { partitionId, txId }),
        ),
      });
      expect(result.latestTxIds.map((t) => [t.partitionId, t.txId])).toEqual([[p1, 4n]]);
    });

    it("an unknown fs answers not_found; a deleting one FS_DELETING", async () => {
      await expectReason(
        h.fs.refreshSession(
          create(RefreshSessionRequestSchema, { fsId: 999, mountpoint: mountpoint("h", 1, "/m") }),
        ),
        ErrorReason.FS_NOT_FOUND,
      );
      await h.fs.deleteFs("mnt", fsId);
      await expectReason(refresh(mountpoint("h", 1, "/m")), ErrorReason.FS_DELETING);
    });
  });
});
