import {
  ExtentSchema,
  ObjectPrefixScheme,
  PartitionInfoSchema,
  PartitionStatus,
  PeerSchema,
  S3InfoSchema,
  VolumeInfoSchema,
} from "../../../impl/gen/curve/common/v1/common_pb.js";
import { sample, type ValidationSample } from "./sample.js";

const MiB = 1024n * 1024n;

const s3Info = {
  endpoint: "http://127.0.0.1:9000",
  bucket: "curve-data",
  accessKey: "minioadmin",
  secretKey: "minioadmin",
  blockSize: 4n * MiB,
  chunkSize: 64n * MiB,
  objectPrefix: ObjectPrefixScheme.INODE_HASH,
};

const volumeInfo = {
  volumeName: "vol-1",
  volumeSize: 1024n * MiB,
  blockSize: 4096,
  extentGroupSize: 128n * MiB,
};

const partition = {
  fsId: 1,
  poolId: 1,
  copysetId: 1,
  partitionId: 1,
  start: 0n,
  end: 1_048_575n,
  status: PartitionStatus.READ_WRITE,
};

export const commonSamples: ValidationSample[] = [
  sample(S3InfoSchema, s3Info, [
    {
      why: "endpoint must be a URI",
      init: { ...s3Info, endpoint: "not a uri" },
      ruleId: "string.uri",
    },
    {
      why: "bucket follows S3 naming",
      init: { ...s3Info, bucket: "Bad_Bucket" },
      ruleId: "string.pattern",
    },
    { why: "access key is required", init: { ...s3Info, accessKey: "" }, ruleId: "string.min_len" },
    {
      why: "block size at least 64 KiB",
      init: { ...s3Info, blockSize: 4096n },
      ruleId: "uint64.gte_lte",
    },
    {
      why: "chunk size is a multiple of block size",
      init: { ...s3Info, chunkSize: 6n * MiB, blockSize: 4n * MiB },
      ruleId: "s3_info.chunk_size_multiple_of_block_size",
    },
    {
      why: "prefix scheme must be defined",
      init: { ...s3Info, objectPrefix: 9 as ObjectPrefixScheme },
      ruleId: "enum.defined_only",
    },
  ]),
  sample(VolumeInfoSchema, volumeInfo, [
    {
      why: "volume name follows the name rule",
      init: { ...volumeInfo, volumeName: "Vol" },
      ruleId: "string.pattern",
    },
    {
      why: "volume size is positive",
      init: { ...volumeInfo, volumeSize: 0n },
      ruleId: "uint64.gt",
    },
    {
      why: "block size at least 4 KiB",
      init: { ...volumeInfo, blockSize: 512 },
      ruleId: "uint32.gte_lte",
    },
    {
      why: "volume size is a multiple of the extent group size",
      init: { ...volumeInfo, volumeSize: 130n * MiB },
      ruleId: "volume_info.size_multiple_of_extent_group",
    },
  ]),
  sample(ExtentSchema, { offset: 0n, length: 4096n }, [
    { why: "length is positive", init: { offset: 0n, length: 0n }, ruleId: "uint64.gt" },
  ]),
  sample(PeerSchema, { id: 1, address: "127.0.0.1:6701" }, [
    { why: "address is required", init: { id: 1, address: "" }, ruleId: "string.min_len" },
  ]),
  sample(PartitionInfoSchema, partition, [
    { why: "fs id is positive", init: { ...partition, fsId: 0 }, ruleId: "uint32.gt" },
    {
      why: "range is ordered",
      init: { ...partition, start: 10n, end: 5n },
      ruleId: "partition_info.range_ordered",
    },
    {
      why: "status is defined",
      init: { ...partition, status: 7 as PartitionStatus },
      ruleId: "enum.defined_only",
    },
  ]),
];
