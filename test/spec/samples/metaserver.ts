import { FsType, PartitionStatus } from "../../../impl/gen/curve/common/v1/common_pb.js";
import {
  CopysetNodeSpecSchema,
  CreateCopysetNodeRequestSchema,
  GetCopysetStatusRequestSchema,
} from "../../../impl/gen/curve/metaserver/v1/copyset_pb.js";
import {
  FileType,
  S3ChunkInfoAppendSchema,
  S3ChunkInfoSchema,
  VolumeExtentSchema,
} from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  AppendS3ChunkInfoRequestSchema,
  BatchGetInodeAttrRequestSchema,
  CreateDentryRequestSchema,
  CreateInodeRequestSchema,
  CreateManageInodeRequestSchema,
  CreatePartitionRequestSchema,
  CreateRootInodeRequestSchema,
  DeleteDentryRequestSchema,
  DeleteInodeRequestSchema,
  DeletePartitionRequestSchema,
  GetDentryRequestSchema,
  GetInodeRequestSchema,
  GetVolumeExtentRequestSchema,
  ListDentryRequestSchema,
  ManageInodeType,
  ParentListSchema,
  PrepareRenameTxRequestSchema,
  RenameTxAction,
  RenameTxEntrySchema,
  UpdateInodeRequestSchema,
  UpdateVolumeExtentRequestSchema,
  XattrsSchema,
} from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { sample, type ValidationSample } from "./sample.js";

const MiB = 1024n * 1024n;
const CHUNK = 64n * MiB;
const U64_MAX = 2n ** 64n - 1n;

const time = { seconds: 1_700_000_000n, nanos: 123_456_789 };

const at = { fsId: 1, partitionId: 1 };

const info = { chunkId: 1001n, compaction: 0n, offset: CHUNK + 4096n, len: 8192n, size: 8192n };

const append = { chunkIndex: 1n, infos: [info, { ...info, chunkId: 1002n }] };

const extent = { fileOffset: 0n, volumeOffset: 128n * MiB, length: 1n * MiB, written: true };

const getDentry = { ...at, parentInodeId: 1n, name: "docs", txId: 0n };

const listDentry = { ...at, parentInodeId: 1n, txId: 3n, pageSize: 500, pageToken: "" };

const createDentry = {
  ...at,
  parentInodeId: 1n,
  name: "report.txt",
  inodeId: 1_000n,
  type: FileType.REGULAR,
  time,
  txId: 0n,
};

const deleteDentry = { ...at, parentInodeId: 1n, name: "report.txt", time, txId: 0n };

const putEntry = {
  action: RenameTxAction.PUT,
  parentInodeId: 10n,
  name: "new-name",
  inodeId: 1_000n,
  type: FileType.REGULAR,
};

const deleteEntry = {
  ...putEntry,
  action: RenameTxAction.DELETE,
  parentInodeId: 1n,
  name: "old-name",
};

const prepare = { ...at, txId: 4n, txSequence: 0n, entries: [deleteEntry, putEntry] };

const createInode = {
  ...at,
  parentInodeId: 1n,
  type: FileType.REGULAR,
  mode: 0o644,
  uid: 1000,
  gid: 1000,
  xattrs: { "user.origin": new TextEncoder().encode("upload") },
  time,
};

const updateInode = {
  ...at,
  inodeId: 1_000n,
  time,
  length: 8192n,
  mtime: time,
  s3ChunkInfoAppends: [append],
};

const rootInode = { ...at, uid: 0, gid: 0, mode: 0o1777, time };

const volumeRange = {
  ...at,
  inodeId: 1_000n,
  offset: 0n,
  length: 4n * MiB,
  pageSize: 0,
  pageToken: "",
};

const partition = {
  fsId: 1,
  poolId: 1,
  copysetId: 1,
  partitionId: 7,
  start: 1_048_576n,
  end: 2_097_151n,
  status: PartitionStatus.READ_WRITE,
};

const peers = [
  { id: 1, address: "10.0.0.1:16701" },
  { id: 2, address: "10.0.0.2:16701" },
  { id: 3, address: "10.0.0.3:16701" },
];

const spec = { poolId: 1, copysetId: 5, peers };

export const metaserverSamples: ValidationSample[] = [
  // --- inode.proto ---
  sample(S3ChunkInfoSchema, info, [
    { why: "chunk ids start at 1", init: { ...info, chunkId: 0n }, ruleId: "uint64.gt" },
    {
      why: "an info covers at least one byte",
      init: { ...info, len: 0n },
      ruleId: "uint64.gt_lte",
    },
    {
      why: "an info covers at most 1 GiB",
      init: { ...info, len: 1024n * MiB + 1n },
      ruleId: "uint64.gt_lte",
    },
    {
      why: "a zero info has no object size",
      init: { ...info, zero: true },
      ruleId: "s3_chunk_info.zero_has_no_size",
    },
    {
      why: "offset + len must not overflow",
      init: { ...info, offset: U64_MAX - 100n },
      ruleId: "s3_chunk_info.range_overflow",
    },
  ]),
  sample(S3ChunkInfoAppendSchema, append, [
    {
      why: "an append carries at least one info",
      init: { ...append, infos: [] },
      ruleId: "repeated.min_items",
    },
    {
      why: "an append carries at most 256 infos",
      init: {
        ...append,
        infos: Array.from({ length: 257 }, (_, i) => ({ ...info, chunkId: BigInt(i + 1) })),
      },
      ruleId: "repeated.max_items",
    },
    {
      why: "chunk ids within one append are distinct",
      init: { ...append, infos: [info, info] },
      ruleId: "s3_chunk_info_append.chunk_ids_unique",
    },
    {
      why: "each info follows its own rules",
      init: { ...append, infos: [{ ...info, chunkId: 0n }] },
      ruleId: "uint64.gt",
    },
  ]),
  sample(VolumeExtentSchema, extent, [
    { why: "an extent is never empty", init: { ...extent, length: 0n }, ruleId: "uint64.gt" },
    {
      why: "file_offset + length must not overflow",
      init: { ...extent, fileOffset: U64_MAX },
      ruleId: "volume_extent.file_range_overflow",
    },
    {
      why: "volume_offset + length must not overflow",
      init: { ...extent, volumeOffset: U64_MAX - 1n },
      ruleId: "volume_extent.volume_range_overflow",
    },
  ]),

  // --- metaserver.proto: dentries ---
  sample(GetDentryRequestSchema, getDentry, [
    { why: "fs_id is required", init: { ...getDentry, fsId: 0 }, ruleId: "uint32.gt" },
    {
      why: "partition_id is required",
      init: { ...getDentry, partitionId: 0 },
      ruleId: "uint32.gt",
    },
    {
      why: "parent_inode_id is required",
      init: { ...getDentry, parentInodeId: 0n },
      ruleId: "uint64.gt",
    },
    { why: "names are not empty", init: { ...getDentry, name: "" }, ruleId: "string.min_bytes" },
    {
      why: "names are at most 255 bytes",
      init: { ...getDentry, name: "a".repeat(256) },
      ruleId: "string.max_bytes",
    },
    {
      why: "the 255-byte limit counts bytes, not characters",
      init: { ...getDentry, name: "é".repeat(128) },
      ruleId: "string.max_bytes",
    },
    { why: "names contain no '/'", init: { ...getDentry, name: "a/b" }, ruleId: "string.pattern" },
    {
      why: "names contain no NUL",
      init: { ...getDentry, name: "a\u0000b" },
      ruleId: "string.pattern",
    },
    { why: "'.' is not a name", init: { ...getDentry, name: "." }, ruleId: "string.not_in" },
    { why: "'..' is not a name", init: { ...getDentry, name: ".." }, ruleId: "string.not_in" },
  ]),
  sample(ListDentryRequestSchema, listDentry, [
    {
      why: "parent_inode_id is required",
      init: { ...listDentry, parentInodeId: 0n },
      ruleId: "uint64.gt",
    },
    {
      why: "pages hold at most 10000 entries",
      init: { ...listDentry, pageSize: 10_001 },
      ruleId: "uint32.lte",
    },
    {
      why: "page tokens are at most 1024 bytes",
      init: { ...listDentry, pageToken: "t".repeat(1025) },
      ruleId: "string.max_bytes",
    },
    { why: "fs_id is required", init: { ...listDentry, fsId: 0 }, ruleId: "uint32.gt" },
  ]),
  sample(CreateDentryRequestSchema, createDentry, [
    {
      why: "the time of the operation is required",
      init: { ...createDentry, time: undefined },
      ruleId: "required",
    },
    { why: "inode_id is required", init: { ...createDentry, inodeId: 0n }, ruleId: "uint64.gt" },
    {
      why: "the root is never linked by a dentry",
      init: { ...createDentry, inodeId: 1n },
      ruleId: "uint64.not_in",
    },
    {
      why: "a directory cannot contain itself",
      init: { ...createDentry, parentInodeId: 1_000n },
      ruleId: "create_dentry_request.not_self",
    },
    {
      why: "the type is required",
      init: { ...createDentry, type: FileType.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    {
      why: "the type must be defined",
      init: { ...createDentry, type: 99 as FileType },
      ruleId: "enum.defined_only",
    },
    {
      why: "names contain no '/'",
      init: { ...createDentry, name: "x/y" },
      ruleId: "string.pattern",
    },
    { why: "'..' is not a name", init: { ...createDentry, name: ".." }, ruleId: "string.not_in" },
    {
      why: "partition_id is required",
      init: { ...createDentry, partitionId: 0 },
      ruleId: "uint32.gt",
    },
  ]),
  sample(DeleteDentryRequestSchema, deleteDentry, [
    {
      why: "the time of the operation is required",
      init: { ...deleteDentry, time: undefined },
      ruleId: "required",
    },
    { why: "names are not empty", init: { ...deleteDentry, name: "" }, ruleId: "string.min_bytes" },
    {
      why: "parent_inode_id is required",
      init: { ...deleteDentry, parentInodeId: 0n },
      ruleId: "uint64.gt",
    },
  ]),
  sample(RenameTxEntrySchema, putEntry, [
    {
      why: "the action is required",
      init: { ...putEntry, action: RenameTxAction.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    {
      why: "the action must be defined",
      init: { ...putEntry, action: 7 as RenameTxAction },
      ruleId: "enum.defined_only",
    },
    { why: "inode_id is required", init: { ...putEntry, inodeId: 0n }, ruleId: "uint64.gt" },
    {
      why: "the root is never renamed",
      init: { ...putEntry, inodeId: 1n },
      ruleId: "uint64.not_in",
    },
    {
      why: "the type is required",
      init: { ...putEntry, type: FileType.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    { why: "'.' is not a name", init: { ...putEntry, name: "." }, ruleId: "string.not_in" },
  ]),
  sample(PrepareRenameTxRequestSchema, prepare, [
    { why: "tx ids start at 1", init: { ...prepare, txId: 0n }, ruleId: "uint64.gt" },
    {
      why: "a partition's part of a rename has at most 2 entries",
      init: { ...prepare, entries: [deleteEntry, putEntry, { ...putEntry, name: "third" }] },
      ruleId: "repeated.max_items",
    },
    {
      why: "entries name distinct (parent, name) pairs",
      init: { ...prepare, entries: [putEntry, { ...putEntry, inodeId: 2_000n }] },
      ruleId: "prepare_rename_tx_request.entries_distinct",
    },
    {
      why: "each entry follows its own rules",
      init: { ...prepare, entries: [{ ...putEntry, name: "" }] },
      ruleId: "string.min_bytes",
    },
  ]),

  // --- metaserver.proto: inodes ---
  sample(GetInodeRequestSchema, { ...at, inodeId: 1n }, [
    { why: "inode_id is required", init: { ...at, inodeId: 0n }, ruleId: "uint64.gt" },
    { why: "fs_id is required", init: { ...at, fsId: 0, inodeId: 1n }, ruleId: "uint32.gt" },
  ]),
  sample(BatchGetInodeAttrRequestSchema, { ...at, inodeIds: [1n, 3n, 4n] }, [
    { why: "at least one id", init: { ...at, inodeIds: [] }, ruleId: "repeated.min_items" },
    {
      why: "at most 1000 ids",
      init: { ...at, inodeIds: Array.from({ length: 1001 }, (_, i) => BigInt(i + 1)) },
      ruleId: "repeated.max_items",
    },
    { why: "ids are distinct", init: { ...at, inodeIds: [3n, 3n] }, ruleId: "repeated.unique" },
    { why: "ids are > 0", init: { ...at, inodeIds: [0n] }, ruleId: "uint64.gt" },
  ]),
  sample(CreateInodeRequestSchema, createInode, [
    {
      why: "the time of the operation is required",
      init: { ...createInode, time: undefined },
      ruleId: "required",
    },
    {
      why: "the type is required",
      init: { ...createInode, type: FileType.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    {
      why: "mode holds 12 bits at most",
      init: { ...createInode, mode: 0o10644 },
      ruleId: "uint32.lte",
    },
    {
      why: "parent_inode_id is required",
      init: { ...createInode, parentInodeId: 0n },
      ruleId: "uint64.gt",
    },
    {
      why: "a symlink needs a target",
      init: { ...createInode, type: FileType.SYMLINK },
      ruleId: "create_inode_request.symlink_target",
    },
    {
      why: "only a symlink has a target",
      init: { ...createInode, symlinkTarget: "/etc/hosts" },
      ruleId: "create_inode_request.symlink_target",
    },
    {
      why: "symlink targets are at most 4095 bytes",
      init: { ...createInode, type: FileType.SYMLINK, symlinkTarget: "t".repeat(4096) },
      ruleId: "string.max_bytes",
    },
    {
      why: "rdev is only for devices",
      init: { ...createInode, rdev: 0x0801n },
      ruleId: "create_inode_request.rdev_only_for_devices",
    },
    {
      why: "xattr names are not empty",
      init: { ...createInode, xattrs: { "": new Uint8Array(1) } },
      ruleId: "string.min_bytes",
    },
    {
      why: "xattr values are at most 65536 bytes",
      init: { ...createInode, xattrs: { "user.big": new Uint8Array(65_537) } },
      ruleId: "bytes.max_len",
    },
  ]),
  sample(
    XattrsSchema,
    { entries: { "user.a": new Uint8Array(3), "security.selinux": new Uint8Array(0) } },
    [
      {
        why: "at most 256 xattrs",
        init: {
          entries: Object.fromEntries(
            Array.from({ length: 257 }, (_, i) => [`user.k${i}`, new Uint8Array(1)]),
          ),
        },
        ruleId: "map.max_pairs",
      },
      {
        why: "xattr names are at most 255 bytes",
        init: { entries: { ["u".repeat(256)]: new Uint8Array(1) } },
        ruleId: "string.max_bytes",
      },
      {
        why: "xattr names contain no NUL",
        init: { entries: { "user.\u0000": new Uint8Array(1) } },
        ruleId: "string.pattern",
      },
    ],
  ),
  sample(ParentListSchema, { inodeIds: [1n, 1n, 77n] }, [
    { why: "parent ids are > 0", init: { inodeIds: [0n] }, ruleId: "uint64.gt" },
    {
      why: "at most 65000 parents",
      init: { inodeIds: Array.from({ length: 65_001 }, () => 5n) },
      ruleId: "repeated.max_items",
    },
  ]),
  sample(UpdateInodeRequestSchema, updateInode, [
    {
      why: "the time of the operation is required",
      init: { ...updateInode, time: undefined },
      ruleId: "required",
    },
    { why: "inode_id is required", init: { ...updateInode, inodeId: 0n }, ruleId: "uint64.gt" },
    {
      why: "a present mode holds 12 bits at most",
      init: { ...updateInode, mode: 0o100644 },
      ruleId: "uint32.lte",
    },
    {
      why: "each chunk index appears once",
      init: { ...updateInode, s3ChunkInfoAppends: [append, append] },
      ruleId: "update_inode_request.chunk_indexes_unique",
    },
    {
      why: "a replacing parent list follows ParentList's rules",
      init: { ...updateInode, parents: { inodeIds: [0n] } },
      ruleId: "uint64.gt",
    },
    {
      why: "appended infos follow S3ChunkInfo's rules",
      init: { ...updateInode, s3ChunkInfoAppends: [{ ...append, infos: [{ ...info, len: 0n }] }] },
      ruleId: "uint64.gt_lte",
    },
  ]),
  sample(DeleteInodeRequestSchema, { ...at, inodeId: 1_000n }, [
    { why: "inode_id is required", init: { ...at, inodeId: 0n }, ruleId: "uint64.gt" },
    { why: "the root cannot be deleted", init: { ...at, inodeId: 1n }, ruleId: "uint64.not_in" },
    {
      why: "the recycle directory cannot be deleted",
      init: { ...at, inodeId: 2n },
      ruleId: "uint64.not_in",
    },
  ]),
  sample(CreateRootInodeRequestSchema, rootInode, [
    {
      why: "the creation time is required",
      init: { ...rootInode, time: undefined },
      ruleId: "required",
    },
    {
      why: "mode holds 12 bits at most",
      init: { ...rootInode, mode: 0o41777 },
      ruleId: "uint32.lte",
    },
    { why: "fs_id is required", init: { ...rootInode, fsId: 0 }, ruleId: "uint32.gt" },
  ]),
  sample(
    CreateManageInodeRequestSchema,
    { ...rootInode, manageType: ManageInodeType.RECYCLE, mode: 0o700 },
    [
      {
        why: "the manage type is required",
        init: { ...rootInode, mode: 0o700 },
        ruleId: "enum.not_in",
      },
      {
        why: "the manage type must be defined",
        init: { ...rootInode, manageType: 9 as ManageInodeType },
        ruleId: "enum.defined_only",
      },
      {
        why: "the creation time is required",
        init: { ...rootInode, manageType: ManageInodeType.RECYCLE, time: undefined },
        ruleId: "required",
      },
    ],
  ),
  sample(
    AppendS3ChunkInfoRequestSchema,
    { ...at, inodeId: 1_000n, appends: [append], returnChunkInfos: true },
    [
      {
        why: "at least one chunk index",
        init: { ...at, inodeId: 1_000n, appends: [] },
        ruleId: "repeated.min_items",
      },
      {
        why: "at most 256 chunk indexes",
        init: {
          ...at,
          inodeId: 1_000n,
          appends: Array.from({ length: 257 }, (_, i) => ({ ...append, chunkIndex: BigInt(i) })),
        },
        ruleId: "repeated.max_items",
      },
      {
        why: "each chunk index appears once",
        init: {
          ...at,
          inodeId: 1_000n,
          appends: [append, { ...append, infos: [{ ...info, chunkId: 5n }] }],
        },
        ruleId: "append_s3_chunk_info_request.chunk_indexes_unique",
      },
      {
        why: "inode_id is required",
        init: { ...at, inodeId: 0n, appends: [append] },
        ruleId: "uint64.gt",
      },
    ],
  ),

  // --- metaserver.proto: volume extents ---
  sample(GetVolumeExtentRequestSchema, volumeRange, [
    { why: "inode_id is required", init: { ...volumeRange, inodeId: 0n }, ruleId: "uint64.gt" },
    {
      why: "pages hold at most 10000 extents",
      init: { ...volumeRange, pageSize: 20_000 },
      ruleId: "uint32.lte",
    },
    {
      why: "offset + length must not overflow",
      init: { ...volumeRange, offset: U64_MAX },
      ruleId: "get_volume_extent_request.range_overflow",
    },
  ]),
  sample(UpdateVolumeExtentRequestSchema, { ...at, inodeId: 1_000n, extents: [extent] }, [
    {
      why: "at least one extent",
      init: { ...at, inodeId: 1_000n, extents: [] },
      ruleId: "repeated.min_items",
    },
    {
      why: "at most 10000 extents",
      init: { ...at, inodeId: 1_000n, extents: Array.from({ length: 10_001 }, () => extent) },
      ruleId: "repeated.max_items",
    },
    {
      why: "extents follow VolumeExtent's rules",
      init: { ...at, inodeId: 1_000n, extents: [{ ...extent, length: 0n }] },
      ruleId: "uint64.gt",
    },
  ]),

  // --- metaserver.proto: partitions ---
  sample(CreatePartitionRequestSchema, { partition, fsType: FsType.S3 }, [
    { why: "the partition is required", init: { fsType: FsType.S3 }, ruleId: "required" },
    { why: "the fs type is required", init: { partition }, ruleId: "enum.not_in" },
    {
      why: "the fs type must be defined",
      init: { partition, fsType: 5 as FsType },
      ruleId: "enum.defined_only",
    },
    {
      why: "the range must leave an id CreateInode can hand out",
      init: { partition: { ...partition, start: 0n, end: 2n }, fsType: FsType.S3 },
      ruleId: "create_partition_request.has_free_ids",
    },
    {
      why: "the partition follows PartitionInfo's rules",
      init: { partition: { ...partition, start: 9_000_000n }, fsType: FsType.VOLUME },
      ruleId: "partition_info.range_ordered",
    },
  ]),
  sample(DeletePartitionRequestSchema, { fsId: 1, poolId: 1, copysetId: 1, partitionId: 7 }, [
    {
      why: "partition_id is required",
      init: { fsId: 1, poolId: 1, copysetId: 1 },
      ruleId: "uint32.gt",
    },
    {
      why: "the copyset is required",
      init: { fsId: 1, poolId: 1, partitionId: 7 },
      ruleId: "uint32.gt",
    },
  ]),

  // --- copyset.proto ---
  sample(CopysetNodeSpecSchema, spec, [
    { why: "pool_id is required", init: { ...spec, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset_id is required", init: { ...spec, copysetId: 0 }, ruleId: "uint32.gt" },
    {
      why: "peer addresses are distinct",
      init: { ...spec, peers: [peers[0], { ...peers[0], id: 9 }] },
      ruleId: "copyset_node_spec.peers_unique",
    },
    {
      why: "at most 9 peers",
      init: {
        ...spec,
        peers: Array.from({ length: 10 }, (_, i) => ({
          id: i + 1,
          address: `10.0.0.${i + 1}:16701`,
        })),
      },
      ruleId: "repeated.max_items",
    },
  ]),
  sample(
    CreateCopysetNodeRequestSchema,
    { copysets: [spec, { ...spec, copysetId: 6, peers: [] }] },
    [
      { why: "at least one copyset", init: { copysets: [] }, ruleId: "repeated.min_items" },
      {
        why: "each copyset appears once",
        init: { copysets: [spec, { ...spec, peers: [] }] },
        ruleId: "create_copyset_node_request.copysets_unique",
      },
      {
        why: "at most 256 copysets",
        init: { copysets: Array.from({ length: 257 }, (_, i) => ({ ...spec, copysetId: i + 1 })) },
        ruleId: "repeated.max_items",
      },
      {
        why: "peers follow Peer's rules",
        init: { copysets: [{ ...spec, peers: [{ id: 1, address: "x" }] }] },
        ruleId: "string.min_len",
      },
    ],
  ),
  sample(
    GetCopysetStatusRequestSchema,
    { poolId: 1, copysetId: 5, peerAddress: "10.0.0.1:16701" },
    [
      { why: "copyset_id is required", init: { poolId: 1, copysetId: 0 }, ruleId: "uint32.gt" },
      {
        why: "a present peer address is at least 3 characters",
        init: { poolId: 1, copysetId: 5, peerAddress: "" },
        ruleId: "string.min_len",
      },
    ],
  ),
];
