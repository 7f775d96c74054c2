import {
  AllocateSpaceRequestSchema,
  AllocationHintSchema,
  AllocationKind,
  DeallocateSpaceRequestSchema,
  InitSpaceRequestSchema,
  StatSpaceRequestSchema,
  UninitSpaceRequestSchema,
} from "../../../impl/gen/curve/space/v1/space_pb.js";
import { sample, type ValidationSample } from "./sample.js";

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

const volume = {
  volumeName: "vol-1",
  volumeSize: 1024n * MiB,
  blockSize: 4096,
  extentGroupSize: 128n * MiB,
};

const initSpace = { fsId: 1, volume };

const hint = { kind: AllocationKind.BIG, leftOffset: 8192n, rightOffset: 1n * MiB };

const allocate = { fsId: 1, size: 1n * MiB, hint, requestId: "3f2b9c1e-alloc-1" };

const deallocate = {
  fsId: 1,
  extents: [
    { offset: 0n, length: 4096n },
    { offset: 1n * MiB, length: 64n * 1024n },
  ],
  requestId: "3f2b9c1e-free-1",
};

export const spaceSamples: ValidationSample[] = [
  sample(InitSpaceRequestSchema, initSpace, [
    { why: "fs id is positive", init: { ...initSpace, fsId: 0 }, ruleId: "uint32.gt" },
    { why: "volume is required", init: { fsId: 1 }, ruleId: "required" },
    {
      why: "the volume's own rules apply",
      init: { fsId: 1, volume: { ...volume, volumeSize: 130n * MiB } },
      ruleId: "volume_info.size_multiple_of_extent_group",
    },
  ]),
  sample(AllocationHintSchema, hint, [
    {
      why: "allocation kind is defined",
      init: { ...hint, kind: 7 as AllocationKind },
      ruleId: "enum.defined_only",
    },
  ]),
  sample(AllocateSpaceRequestSchema, allocate, [
    { why: "fs id is positive", init: { ...allocate, fsId: 0 }, ruleId: "uint32.gt" },
    { why: "size is positive", init: { ...allocate, size: 0n }, ruleId: "uint64.gt_lte" },
    {
      why: "size is at most 4 GiB per call",
      init: { ...allocate, size: 4n * GiB + 4096n },
      ruleId: "uint64.gt_lte",
    },
    {
      why: "request id, when present, is not empty",
      init: { ...allocate, requestId: "" },
      ruleId: "string.min_len",
    },
    {
      why: "request id is at most 64 characters",
      init: { ...allocate, requestId: "a".repeat(65) },
      ruleId: "string.max_len",
    },
    {
      why: "request id uses [A-Za-z0-9._:-] only",
      init: { ...allocate, requestId: "alloc 1" },
      ruleId: "string.pattern",
    },
    {
      why: "the hint's kind is defined",
      init: { ...allocate, hint: { kind: 9 as AllocationKind } },
      ruleId: "enum.defined_only",
    },
  ]),
  sample(DeallocateSpaceRequestSchema, deallocate, [
    { why: "fs id is positive", init: { ...deallocate, fsId: 0 }, ruleId: "uint32.gt" },
    {
      why: "at least one extent",
      init: { ...deallocate, extents: [] },
      ruleId: "repeated.min_items",
    },
    {
      why: "at most 1024 extents",
      init: {
        ...deallocate,
        extents: Array.from({ length: 1025 }, (_, i) => ({
          offset: BigInt(i) * 8192n,
          length: 4096n,
        })),
      },
      ruleId: "repeated.max_items",
    },
    {
      why: "every extent has a positive length",
      init: { ...deallocate, extents: [{ offset: 0n, length: 0n }] },
      ruleId: "uint64.gt",
    },
    {
      why: "request id uses [A-Za-z0-9._:-] only",
      init: { ...deallocate, requestId: "free/1" },
      ruleId: "string.pattern",
    },
  ]),
  sample(StatSpaceRequestSchema, { fsId: 1 }, [
    { why: "fs id is positive", init: { fsId: 0 }, ruleId: "uint32.gt" },
  ]),
  sample(UninitSpaceRequestSchema, { fsId: 1, force: true }, [
    { why: "fs id is positive", init: { fsId: 0, force: false }, ruleId: "uint32.gt" },
  ]),
];
