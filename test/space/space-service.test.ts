/**
 * SpaceAllocService's rules (space.proto) on the real domain and a real KvStore (etcd and the
 * embedded store): every documented error, request_id replay, persistence across a leader
 * change, and concurrent allocations.
 */
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FsType,
  type VolumeInfo,
  VolumeInfoSchema,
} from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FsInfoSchema, FsStatus } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { AllocationKind } from "../../impl/gen/curve/space/v1/space_pb.js";
import type { ByteExtent } from "../../impl/space/extent-allocator.js";
import {
  allocateSpace,
  createSpaceDeps,
  deallocateSpace,
  initSpace,
  REQUEST_ID_RETENTION_MS,
  type SpaceDeps,
  statSpace,
  uninitSpace,
} from "../../impl/space/space-service.js";
import {
  BACKENDS,
  curveFailure,
  openHarness,
  type TopologyHarness,
} from "../mds/topology/topology-harness.js";

const BLOCK = 4096n;
const MiB = 1n << 20n;
const volume: VolumeInfo = create(VolumeInfoSchema, {
  volumeName: "vol1",
  volumeSize: 64n * MiB,
  blockSize: Number(BLOCK),
  extentGroupSize: 4n * MiB,
});

function total(extents: readonly ByteExtent[]): bigint {
  return extents.reduce((sum, e) => sum + e.length, 0n);
}

function expectDisjoint(extents: readonly ByteExtent[]): void {
  const sorted = [...extents].sort((a, b) => (a.offset < b.offset ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1] as ByteExtent;
    expect((sorted[i] as ByteExtent).offset >= previous.offset + previous.length).toBe(true);
  }
}

describe.each(BACKENDS)("SpaceAllocService on %s", (backend) => {
  let h: TopologyHarness;
  let deps: SpaceDeps;
  let wallMs: number;

  /** Records a VOLUME fs as the fs area would. */
  function addVolumeFs(fsId: number, status = FsStatus.INITED, vol: VolumeInfo = volume): void {
    h.fs.fs.set(
      fsId,
      create(FsInfoSchema, {
        fsId,
        fsName: `vfs${fsId}`,
        status,
        fsType: FsType.VOLUME,
        detail: { case: "volumeInfo", value: vol },
      }),
    );
  }

  /** The same KV seen by a new leader term: nothing cached. */
  function freshLeader(): SpaceDeps {
    return createSpaceDeps(h.ctx, { fs: h.fs, wallClock: () => wallMs });
  }

  beforeEach(async () => {
    h = await openHarness(backend);
    wallMs = 1_700_000_000_000;
    deps = freshLeader();
    addVolumeFs(1);
  });

  afterEach(async () => {
    await h.close();
  });

  describe("InitSpace", () => {
    it("creates the space with every byte free", async () => {
      const space = await initSpace(deps, 1, volume);
      expect(space).toMatchObject({
        fsId: 1,
        allocatedBytes: 0n,
        freeBytes: volume.volumeSize,
        extentGroupCount: 16n,
        unusedExtentGroupCount: 16n,
        largestFreeExtent: volume.volumeSize,
      });
      expect(space.volume?.volumeName).toBe("vol1");
    });

    it("with the same volume again is OK with the current state and changes nothing", async () => {
      await initSpace(deps, 1, volume);
      await allocateSpace(deps, 1, { size: MiB });
      const again = await initSpace(deps, 1, volume);
      expect(again.allocatedBytes).toBe(MiB);
    });

    it("refuses an unknown fs, an S3 fs, a deleting fs and another volume than the fs's", async () => {
      h.fs.add(2, FsStatus.INITED, FsType.S3);
      addVolumeFs(3, FsStatus.DELETING);
      expect((await curveFailure(initSpace(deps, 9, volume))).reason).toBe(
        ErrorReason.FS_NOT_FOUND,
      );
      expect((await curveFailure(initSpace(deps, 2, volume))).reason).toBe(
        ErrorReason.FS_TYPE_MISMATCH,
      );
      expect((await curveFailure(initSpace(deps, 3, volume))).reason).toBe(ErrorReason.FS_DELETING);
      const other = create(VolumeInfoSchema, { ...volume, volumeSize: 128n * MiB });
      expect((await curveFailure(initSpace(deps, 1, other))).reason).toBe(
        ErrorReason.VOLUME_INFO_INVALID,
      );
    });

    it("a space that exists with another volume is SPACE_ALREADY_INITED and is left as it is", async () => {
      await initSpace(deps, 1, volume);
      const other = create(VolumeInfoSchema, { ...volume, volumeName: "vol2" });
      addVolumeFs(1, FsStatus.INITED, other);
      expect((await curveFailure(initSpace(deps, 1, other))).reason).toBe(
        ErrorReason.SPACE_ALREADY_INITED,
      );
      expect((await statSpace(deps, 1)).volume?.volumeName).toBe("vol1");
    });

    it("a NEW fs (CreateFs in progress) can get its space", async () => {
      addVolumeFs(4, FsStatus.NEW);
      expect((await initSpace(deps, 4, volume)).freeBytes).toBe(volume.volumeSize);
    });
  });

  describe("without a space", () => {
    it("AllocateSpace, DeallocateSpace and StatSpace are SPACE_NOT_INITED", async () => {
      expect((await curveFailure(allocateSpace(deps, 1, { size: BLOCK }))).reason).toBe(
        ErrorReason.SPACE_NOT_INITED,
      );
      expect(
        (await curveFailure(deallocateSpace(deps, 1, [{ offset: 0n, length: BLOCK }], undefined)))
          .reason,
      ).toBe(ErrorReason.SPACE_NOT_INITED);
      expect((await curveFailure(statSpace(deps, 1))).reason).toBe(ErrorReason.SPACE_NOT_INITED);
    });

    it("UninitSpace is OK with nothing discarded", async () => {
      expect(await uninitSpace(deps, 1, false)).toBe(0n);
    });
  });

  describe("with a space", () => {
    beforeEach(async () => {
      await initSpace(deps, 1, volume);
    });

    it("allocates, frees and reports real numbers", async () => {
      const a = await allocateSpace(deps, 1, { size: 3n * MiB, hint: undefined });
      const b = await allocateSpace(deps, 1, { size: 8n * BLOCK });
      expect(total(a)).toBe(3n * MiB);
      expectDisjoint([...a, ...b]);
      expect((await statSpace(deps, 1)).allocatedBytes).toBe(3n * MiB + 8n * BLOCK);
      expect(await deallocateSpace(deps, 1, a, undefined)).toBe(3n * MiB);
      const stat = await statSpace(deps, 1);
      expect(stat.allocatedBytes).toBe(8n * BLOCK);
      expect(stat.freeBytes).toBe(volume.volumeSize - 8n * BLOCK);
    });

    it("a misaligned size is EXTENT_INVALID; more than is free is NO_SPACE with retry_after_ms 0", async () => {
      expect((await curveFailure(allocateSpace(deps, 1, { size: 100n }))).reason).toBe(
        ErrorReason.EXTENT_INVALID,
      );
      const error = await curveFailure(allocateSpace(deps, 1, { size: volume.volumeSize + BLOCK }));
      expect(error.reason).toBe(ErrorReason.NO_SPACE);
      expect(error.retryAfterMs).toBe(0);
      expect((await statSpace(deps, 1)).allocatedBytes).toBe(0n);
    });

    it("freeing bytes that are free is EXTENT_INVALID naming the extent, and frees nothing", async () => {
      const [held] = await allocateSpace(deps, 1, { size: MiB, hint: { leftOffset: 0n } });
      const error = await curveFailure(
        deallocateSpace(
          deps,
          1,
          [held as ByteExtent, { offset: 32n * MiB, length: BLOCK }],
          undefined,
        ),
      );
      expect(error.reason).toBe(ErrorReason.EXTENT_INVALID);
      expect(error.metadata.extent_index).toBe("1");
      expect((await statSpace(deps, 1)).allocatedBytes).toBe(MiB);
    });

    it("an AllocateSpace retried with its request_id gets the same extents and allocates nothing", async () => {
      const request = { size: 2n * MiB, hint: { leftOffset: 8n * MiB }, requestId: "req-1" };
      const first = await allocateSpace(deps, 1, request);
      const again = await allocateSpace(deps, 1, request);
      expect(again).toEqual(first);
      expect((await statSpace(deps, 1)).allocatedBytes).toBe(2n * MiB);
      // Even from a new leader, and even after the extents were freed.
      await deallocateSpace(deps, 1, first, undefined);
      expect(await allocateSpace(freshLeader(), 1, request)).toEqual(first);
    });

    it("a request_id reused for another request within 600 s is INVALID_ARGUMENT on request_id", async () => {
      await allocateSpace(deps, 1, { size: MiB, requestId: "req-2" });
      const error = await curveFailure(
        allocateSpace(deps, 1, { size: 2n * MiB, requestId: "req-2" }),
      );
      expect(error.reason).toBe(ErrorReason.INVALID_ARGUMENT);
      expect(error.metadata.field).toBe("request_id");
      // An absent hint equals an empty one.
      await allocateSpace(deps, 1, { size: MiB, hint: {}, requestId: "req-2" });
      // After the retention it is a new request.
      wallMs += REQUEST_ID_RETENTION_MS;
      await allocateSpace(deps, 1, { size: 2n * MiB, requestId: "req-2" });
      expect((await statSpace(deps, 1)).allocatedBytes).toBe(3n * MiB);
    });

    it("a DeallocateSpace retried with its request_id is OK and frees nothing again", async () => {
      const held = await allocateSpace(deps, 1, { size: MiB });
      expect(await deallocateSpace(deps, 1, held, "free-1")).toBe(MiB);
      // Someone else is given those bytes meanwhile: the retry must not free them.
      const other = await allocateSpace(deps, 1, {
        size: MiB,
        hint: { leftOffset: held[0]?.offset },
      });
      expect(other).toEqual(held);
      expect(await deallocateSpace(deps, 1, held, "free-1")).toBe(MiB);
      expect((await statSpace(deps, 1)).allocatedBytes).toBe(MiB);
      const error = await curveFailure(
        deallocateSpace(deps, 1, [{ offset: 0n, length: BLOCK }], "free-1"),
      );
      expect(error.metadata.field).toBe("request_id");
    });

    it("a new leader loads exactly the state acknowledged before, across compactions", async () => {
      const held: ByteExtent[] = [];
      for (let i = 0; i < 45; i++) {
        const extents = await allocateSpace(deps, 1, {
          size: BigInt(1 + (i % 7)) * BLOCK * 16n,
          hint: { kind: i % 2 ? AllocationKind.SMALL : AllocationKind.BIG },
        });
        held.push(...extents);
        if (i % 3 === 0) {
          const victim = held.splice(0, 1);
          await deallocateSpace(deps, 1, victim, undefined);
        }
      }
      const before = await statSpace(deps, 1);
      const next = freshLeader();
      expect(await statSpace(next, 1)).toEqual(before);
      // And it goes on from there without handing out held bytes.
      const more = await allocateSpace(next, 1, { size: 4n * MiB });
      expectDisjoint([...held, ...more]);
      expect(await deallocateSpace(next, 1, held, undefined)).toBe(total(held));
    });

    it("a volume of several stored shards survives a leader change, across shard boundaries", async () => {
      const GiB = 1n << 30n;
      const big = create(VolumeInfoSchema, {
        ...volume,
        volumeName: "big",
        volumeSize: 64n * GiB,
        extentGroupSize: GiB,
      });
      addVolumeFs(5, FsStatus.INITED, big);
      await initSpace(deps, 5, big);
      const held: ByteExtent[] = [];
      for (let i = 0; i < 40; i++) {
        // Straddles the boundary of the 16 GiB shards, then fills after it.
        held.push(
          ...(await allocateSpace(deps, 5, {
            size: 2n * MiB,
            hint: { leftOffset: 16n * GiB - MiB + BigInt(i) * 2n * MiB },
          })),
        );
      }
      await deallocateSpace(deps, 5, held.splice(3, 5), undefined);
      const before = await statSpace(deps, 5);
      const next = freshLeader();
      expect(await statSpace(next, 5)).toEqual(before);
      expect(await deallocateSpace(next, 5, held, undefined)).toBe(total(held));
      expect((await statSpace(next, 5)).allocatedBytes).toBe(0n);
      const shards = (await h.kv.range("/curve/mds/space/")).kvs.filter((kv) =>
        new TextDecoder().decode(kv.key).includes("/shard/"),
      );
      expect(shards.length).toBeGreaterThanOrEqual(2);
    });

    it("concurrent allocations never overlap", async () => {
      const sizes = Array.from({ length: 50 }, (_, i) => BigInt(1 + (i % 9)) * BLOCK * 8n);
      const results = await Promise.all(sizes.map((size) => allocateSpace(deps, 1, { size })));
      const all = results.flat();
      expectDisjoint(all);
      expect(total(all)).toBe(sizes.reduce((a, b) => a + b, 0n));
      expect((await statSpace(freshLeader(), 1)).allocatedBytes).toBe(total(all));
    });

    it("UninitSpace refuses while bytes are allocated unless forced, then discards them", async () => {
      await allocateSpace(deps, 1, { size: MiB, requestId: "r" });
      const error = await curveFailure(uninitSpace(deps, 1, false));
      expect(error.reason).toBe(ErrorReason.SPACE_IN_USE);
      expect(error.metadata.allocated_bytes).toBe(`${MiB}`);
      expect(await uninitSpace(deps, 1, true)).toBe(MiB);
      expect((await curveFailure(statSpace(deps, 1))).reason).toBe(ErrorReason.SPACE_NOT_INITED);
      expect(await uninitSpace(deps, 1, false)).toBe(0n);
      // A new space starts empty, without the old request_id results.
      await initSpace(deps, 1, volume);
      expect((await statSpace(freshLeader(), 1)).allocatedBytes).toBe(0n);
      await allocateSpace(deps, 1, { size: 2n * MiB, requestId: "r" });
      expect((await statSpace(deps, 1)).allocatedBytes).toBe(2n * MiB);
      const keys = await h.kv.range("/curve/mds/space/");
      const generations = new Set(
        keys.kvs
          .map((kv) => new TextDecoder().decode(kv.key).split("/")[5])
          .filter((g) => g !== "meta"),
      );
      expect(generations.size).toBe(1);
    });
  });
});
