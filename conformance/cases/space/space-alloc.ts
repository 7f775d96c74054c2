import { SpaceAllocService } from "../../../impl/gen/curve/space/v1/space_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { fsNotFound, invalidArgument, spaceNotInited } from "../expected.js";
import { MIB, UNKNOWN_FS_ID } from "../fixtures.js";

const m = SpaceAllocService.method;
const volume = {
  volumeName: "conformance-volume",
  volumeSize: BigInt(64 * MIB),
  blockSize: 4096,
  extentGroupSize: BigInt(16 * MIB),
};
const NOT_INITED =
  "`failed_precondition` ERROR_REASON_SPACE_NOT_INITED: the file system has no space";

export const spaceCases: ConformanceCase[] = [
  rejects({
    id: "space.init_space.unknown_fs",
    method: m.initSpace,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no file system has `fs_id`.",
    request: { fsId: UNKNOWN_FS_ID, volume },
    expect: fsNotFound,
  }),
  rejects({
    id: "space.init_space.volume_missing",
    method: m.initSpace,
    spec: "The volume to map. Required; its own rules apply (name, sizes, alignments).",
    request: { fsId: UNKNOWN_FS_ID },
    expect: invalidArgument("volume"),
  }),
  rejects({
    id: "space.init_space.volume_size_not_multiple_of_group",
    method: m.initSpace,
    spec: "volume_size must be a multiple of extent_group_size",
    request: { fsId: UNKNOWN_FS_ID, volume: { ...volume, volumeSize: BigInt(17 * MIB) } },
    expect: invalidArgument(),
  }),
  rejects({
    id: "space.allocate_space.unknown_fs",
    method: m.allocateSpace,
    spec: `${NOT_INITED} (no InitSpace, or UninitSpace was called).`,
    request: { fsId: UNKNOWN_FS_ID, size: 4096n },
    expect: spaceNotInited,
  }),
  rejects({
    id: "space.allocate_space.size_zero",
    method: m.allocateSpace,
    spec: "Bytes to allocate: greater than 0, at most 4 GiB (4294967296) per call",
    request: { fsId: UNKNOWN_FS_ID, size: 0n },
    expect: invalidArgument("size"),
  }),
  rejects({
    id: "space.allocate_space.size_too_large",
    method: m.allocateSpace,
    spec: "Bytes to allocate: greater than 0, at most 4 GiB (4294967296) per call",
    request: { fsId: UNKNOWN_FS_ID, size: 4294967296n + 4096n },
    expect: invalidArgument("size"),
  }),
  rejects({
    id: "space.allocate_space.request_id_bad_characters",
    method: m.allocateSpace,
    spec: "A caller-chosen id …: 1–64 characters from [A-Za-z0-9._:-]",
    request: { fsId: UNKNOWN_FS_ID, size: 4096n, requestId: "no spaces/allowed" },
    expect: invalidArgument("request_id"),
  }),
  rejects({
    id: "space.deallocate_space.unknown_fs",
    method: m.deallocateSpace,
    spec: `${NOT_INITED}.`,
    request: { fsId: UNKNOWN_FS_ID, extents: [{ offset: 0n, length: 4096n }] },
    expect: spaceNotInited,
  }),
  rejects({
    id: "space.deallocate_space.no_extents",
    method: m.deallocateSpace,
    spec: "The extents to free: 1 to 1024, each with a length greater than 0",
    request: { fsId: UNKNOWN_FS_ID, extents: [] },
    expect: invalidArgument("extents"),
  }),
  rejects({
    id: "space.deallocate_space.zero_length_extent",
    method: m.deallocateSpace,
    spec: "The extents to free: 1 to 1024, each with a length greater than 0",
    request: { fsId: UNKNOWN_FS_ID, extents: [{ offset: 0n, length: 0n }] },
    expect: invalidArgument("extents.length"),
  }),
  rejects({
    id: "space.stat_space.unknown_fs",
    method: m.statSpace,
    spec: `${NOT_INITED}.`,
    request: { fsId: UNKNOWN_FS_ID },
    expect: spaceNotInited,
  }),
  rejects({
    id: "space.stat_space.zero_fs_id",
    method: m.statSpace,
    spec: "The file system. Greater than 0.",
    request: { fsId: 0 },
    expect: invalidArgument("fs_id"),
  }),
  steps({
    id: "space.uninit_space.no_space_ok",
    method: m.uninitSpace,
    spec: "Idempotent: when the file system has no space (never inited, or already uninited) the call returns OK with `discarded_bytes` 0.",
    run: async (ctx) => {
      const reply = await ctx.space.uninitSpace({ fsId: UNKNOWN_FS_ID });
      check(reply.discardedBytes === 0n, `discarded_bytes ${reply.discardedBytes}`);
    },
  }),
  rejects({
    id: "space.uninit_space.zero_fs_id",
    method: m.uninitSpace,
    spec: "The file system whose space is destroyed. Greater than 0.",
    request: { fsId: 0 },
    expect: invalidArgument("fs_id"),
  }),
];
