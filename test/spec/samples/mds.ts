import {
  ObjectPrefixScheme,
  PartitionStatus,
} from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ConfigChangeSchema, ConfigChangeType } from "../../../impl/gen/curve/mds/v1/cluster_pb.js";
import {
  ChunkServerCopysetReportSchema,
  ChunkServerHeartbeatRequestSchema,
  MetaServerCopysetReportSchema,
  MetaServerHeartbeatRequestSchema,
} from "../../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import {
  AllocateS3ChunkRequestSchema,
  CommitTxRequestSchema,
  CreateFsRequestSchema,
  DeleteFsRequestSchema,
  GetFsInfoRequestSchema,
  GetLatestTxIdRequestSchema,
  ListFsRequestSchema,
  MountFsRequestSchema,
  MountpointSchema,
  PartitionTxIdSchema,
  RefreshSessionRequestSchema,
  UmountFsRequestSchema,
  UpdateFsRequestSchema,
} from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import {
  CreatePartitionsRequestSchema,
  CreatePoolRequestSchema,
  CreateZoneRequestSchema,
  DeleteChunkServerRequestSchema,
  DeleteMetaServerRequestSchema,
  GetCopysetsRequestSchema,
  ListChunkServersRequestSchema,
  ListMetaServersRequestSchema,
  ListPartitionsRequestSchema,
  ListPoolsRequestSchema,
  ListZonesRequestSchema,
  PoolType,
  RegisterChunkServerRequestSchema,
  RegisterMetaServerRequestSchema,
  ServerState,
} from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import { sample, type ValidationSample } from "./sample.js";

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

const s3Info = {
  endpoint: "http://127.0.0.1:9000",
  bucket: "curve-data",
  accessKey: "minioadmin",
  secretKey: "minioadmin",
  blockSize: 4n * MiB,
  chunkSize: 64n * MiB,
  objectPrefix: ObjectPrefixScheme.UNSPECIFIED,
};

const createFs = {
  fsName: "my-fs",
  blockSize: MiB,
  capacity: 100n * GiB,
  owner: "alice",
  recycleTimeHours: 24,
  detail: { case: "s3Info" as const, value: s3Info },
};

const mountpoint = { hostname: "client-1", port: 9000, path: "/mnt/my-fs", cto: true };

const peer = (id: number) => ({ id, address: `10.0.0.${id}:16701` });

const changePeer = {
  type: ConfigChangeType.CHANGE_PEER,
  peer: peer(4),
  oldPeer: peer(3),
};

const registerMetaServer = {
  address: "10.0.0.1:16701",
  hostname: "meta-1",
  poolName: "pool1",
  zoneName: "zone1",
  token: "k3j2h4g5f6d7s8a9",
};

const registerChunkServer = {
  address: "10.0.1.1:8200",
  hostname: "chunk-1",
  poolName: "bs-pool",
  zoneName: "zone1",
  capacityBytes: 1024n * GiB,
};

const startTime = { seconds: 1_700_000_000n, nanos: 0 };

const metaCopyset = {
  poolId: 1,
  copysetId: 7,
  peers: [peer(1), peer(2), peer(3)],
  epoch: 2n,
  leader: peer(1),
  term: 5n,
  partitions: [
    {
      fsId: 1,
      poolId: 1,
      copysetId: 7,
      partitionId: 1,
      start: 0n,
      end: 1_048_575n,
      nextId: 120n,
      status: PartitionStatus.READ_WRITE,
      inodeCount: 117n,
      dentryCount: 116n,
    },
  ],
};

const metaHeartbeat = {
  metaserverId: 1,
  token: "k3j2h4g5f6d7s8a9",
  address: "10.0.0.1:16701",
  startTime,
  copysets: [metaCopyset],
  space: {
    diskThresholdBytes: 100n * GiB,
    diskMinBytesPerCopyset: GiB,
    diskUsedBytes: 3n * GiB,
    memoryThresholdBytes: 8n * GiB,
    memoryMinBytesPerCopyset: 100n * MiB,
    memoryUsedBytes: GiB,
  },
};

const chunkCopyset = {
  poolId: 2,
  copysetId: 1,
  peers: [peer(1), peer(2), peer(3)],
  epoch: 0n,
  leader: peer(2),
  term: 1n,
  chunkCount: 42n,
  usedBytes: 42n * 16n * MiB,
};

const chunkHeartbeat = {
  chunkserverId: 1,
  token: "a1b2c3d4e5f6g7h8",
  address: "10.0.1.1:8200",
  startTime,
  capacityBytes: 1024n * GiB,
  usedBytes: 672n * MiB,
  copysets: [chunkCopyset],
};

export const mdsSamples: ValidationSample[] = [
  // --- cluster.proto ---
  sample(ConfigChangeSchema, changePeer, [
    {
      why: "type is required",
      init: { ...changePeer, type: ConfigChangeType.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    {
      why: "type is a defined value",
      init: { ...changePeer, type: 42 as ConfigChangeType },
      ruleId: "enum.defined_only",
    },
    {
      why: "peer is required",
      init: { type: ConfigChangeType.ADD_PEER },
      ruleId: "required",
    },
    {
      why: "CHANGE_PEER needs old_peer",
      init: { type: ConfigChangeType.CHANGE_PEER, peer: peer(4) },
      ruleId: "config_change.old_peer_iff_change_peer",
    },
    {
      why: "old_peer only with CHANGE_PEER",
      init: { type: ConfigChangeType.TRANSFER_LEADER, peer: peer(2), oldPeer: peer(1) },
      ruleId: "config_change.old_peer_iff_change_peer",
    },
  ]),

  // --- mds.proto ---
  sample(MountpointSchema, mountpoint, [
    {
      why: "hostname is required",
      init: { ...mountpoint, hostname: "" },
      ruleId: "string.min_len",
    },
    { why: "port fits 16 bits", init: { ...mountpoint, port: 70000 }, ruleId: "uint32.lte" },
    {
      why: "path is absolute",
      init: { ...mountpoint, path: "mnt/my-fs" },
      ruleId: "string.pattern",
    },
    {
      why: "path is at most 4096 bytes",
      init: { ...mountpoint, path: `/${"a".repeat(4096)}` },
      ruleId: "string.max_len",
    },
  ]),
  sample(CreateFsRequestSchema, createFs, [
    {
      why: "name is lowercase letters, digits and single dashes",
      init: { ...createFs, fsName: "My_fs" },
      ruleId: "string.pattern",
    },
    { why: "name is not empty", init: { ...createFs, fsName: "" }, ruleId: "string.pattern" },
    {
      why: "name has no double dash",
      init: { ...createFs, fsName: "a--b" },
      ruleId: "string.pattern",
    },
    {
      why: "name does not start with a dash",
      init: { ...createFs, fsName: "-fs" },
      ruleId: "string.pattern",
    },
    {
      why: "name is at most 128 bytes",
      init: { ...createFs, fsName: "a".repeat(129) },
      ruleId: "string.max_len",
    },
    {
      why: "block size at least 4 KiB",
      init: { ...createFs, blockSize: 512n },
      ruleId: "uint64.gte_lte",
    },
    {
      why: "block size is a multiple of 4 KiB",
      init: { ...createFs, blockSize: 6000n },
      ruleId: "create_fs_request.block_size_multiple_of_4k",
    },
    { why: "capacity is positive", init: { ...createFs, capacity: 0n }, ruleId: "uint64.gt" },
    { why: "owner is required", init: { ...createFs, owner: "" }, ruleId: "string.min_len" },
    {
      why: "recycle time at most a year",
      init: { ...createFs, recycleTimeHours: 9000 },
      ruleId: "uint32.lte",
    },
    {
      why: "storage detail is required",
      init: { ...createFs, detail: { case: undefined } },
      ruleId: "required",
    },
    {
      why: "an S3 fs needs a secret key",
      init: { ...createFs, detail: { case: "s3Info", value: { ...s3Info, secretKey: "" } } },
      ruleId: "create_fs_request.s3_secret_key_required",
    },
    {
      why: "the S3 settings are validated too",
      init: { ...createFs, detail: { case: "s3Info", value: { ...s3Info, bucket: "B" } } },
      ruleId: "string.pattern",
    },
  ]),
  sample(GetFsInfoRequestSchema, { fsId: 1, fsName: "my-fs" }, [
    {
      why: "fs_id or fs_name is required",
      init: {},
      ruleId: "get_fs_info_request.id_or_name",
    },
    { why: "fs id is positive when present", init: { fsId: 0 }, ruleId: "uint32.gt" },
    { why: "fs name follows the rule", init: { fsName: "Bad Name" }, ruleId: "string.pattern" },
  ]),
  sample(ListFsRequestSchema, { pageSize: 100, pageToken: "" }, [
    { why: "page size at most 1000", init: { pageSize: 1001 }, ruleId: "uint32.lte" },
    {
      why: "page token at most 1024 bytes",
      init: { pageToken: "x".repeat(1025) },
      ruleId: "string.max_len",
    },
  ]),
  sample(UpdateFsRequestSchema, { fsName: "my-fs", capacity: 200n * GiB }, [
    {
      why: "at least one setting is present",
      init: { fsName: "my-fs" },
      ruleId: "update_fs_request.some_field",
    },
    { why: "capacity is positive", init: { fsName: "my-fs", capacity: 0n }, ruleId: "uint64.gt" },
    { why: "owner is not empty", init: { fsName: "my-fs", owner: "" }, ruleId: "string.min_len" },
    {
      why: "fs name follows the rule",
      init: { fsName: "", capacity: 1n },
      ruleId: "string.pattern",
    },
  ]),
  sample(DeleteFsRequestSchema, { fsName: "my-fs", fsId: 3 }, [
    { why: "fs name follows the rule", init: { fsName: "my fs" }, ruleId: "string.pattern" },
    {
      why: "fs id is positive when present",
      init: { fsName: "my-fs", fsId: 0 },
      ruleId: "uint32.gt",
    },
  ]),
  sample(MountFsRequestSchema, { fsName: "my-fs", mountpoint }, [
    { why: "mount point is required", init: { fsName: "my-fs" }, ruleId: "required" },
    {
      why: "cto must be present",
      init: { fsName: "my-fs", mountpoint: { ...mountpoint, cto: undefined } },
      ruleId: "mount_fs_request.cto_required",
    },
    {
      why: "the mount point is validated too",
      init: { fsName: "my-fs", mountpoint: { ...mountpoint, path: "relative" } },
      ruleId: "string.pattern",
    },
    {
      why: "fs name follows the rule",
      init: { fsName: "MY", mountpoint },
      ruleId: "string.pattern",
    },
  ]),
  sample(
    UmountFsRequestSchema,
    { fsName: "my-fs", mountpoint: { hostname: "client-1", port: 9000, path: "/mnt/my-fs" } },
    [
      { why: "mount point is required", init: { fsName: "my-fs" }, ruleId: "required" },
      {
        why: "fs name follows the rule",
        init: { fsName: "", mountpoint },
        ruleId: "string.pattern",
      },
    ],
  ),
  sample(PartitionTxIdSchema, { partitionId: 1, txId: 4n }, [
    { why: "partition id is positive", init: { partitionId: 0, txId: 4n }, ruleId: "uint32.gt" },
  ]),
  sample(
    RefreshSessionRequestSchema,
    {
      fsId: 1,
      mountpoint,
      knownTxIds: [{ partitionId: 1, txId: 3n }],
      usedBytesDelta: -4096n,
    },
    [
      {
        why: "cto must be present",
        init: { fsId: 1, mountpoint: { ...mountpoint, cto: undefined } },
        ruleId: "refresh_session_request.cto_required",
      },
      { why: "fs id is positive", init: { fsId: 0, mountpoint }, ruleId: "uint32.gt" },
      { why: "mount point is required", init: { fsId: 1 }, ruleId: "required" },
      {
        why: "at most 10000 known tx ids",
        init: {
          fsId: 1,
          mountpoint,
          knownTxIds: Array.from({ length: 10001 }, (_, i) => ({ partitionId: i + 1, txId: 0n })),
        },
        ruleId: "repeated.max_items",
      },
      {
        why: "each known tx id names a partition",
        init: { fsId: 1, mountpoint, knownTxIds: [{ partitionId: 0, txId: 1n }] },
        ruleId: "uint32.gt",
      },
    ],
  ),
  sample(AllocateS3ChunkRequestSchema, { fsId: 1, count: 100 }, [
    { why: "fs id is positive", init: { fsId: 0, count: 1 }, ruleId: "uint32.gt" },
    { why: "count at least 1", init: { fsId: 1, count: 0 }, ruleId: "uint32.gte_lte" },
    { why: "count at most 1000", init: { fsId: 1, count: 1001 }, ruleId: "uint32.gte_lte" },
  ]),
  sample(GetLatestTxIdRequestSchema, { fsId: 1, lockOwner: "4f1c2a9e-client" }, [
    { why: "fs id is positive", init: { fsId: 0 }, ruleId: "uint32.gt" },
    {
      why: "lock owner is not empty when present",
      init: { fsId: 1, lockOwner: "" },
      ruleId: "string.min_len",
    },
  ]),
  sample(
    CommitTxRequestSchema,
    {
      fsId: 1,
      partitionTxIds: [
        { partitionId: 1, txId: 5n },
        { partitionId: 2, txId: 9n },
      ],
      lockOwner: "4f1c2a9e-client",
      txSequence: 3n,
    },
    [
      { why: "at least one partition", init: { fsId: 1 }, ruleId: "repeated.min_items" },
      {
        why: "each partition once",
        init: {
          fsId: 1,
          partitionTxIds: [
            { partitionId: 1, txId: 5n },
            { partitionId: 1, txId: 6n },
          ],
        },
        ruleId: "commit_tx_request.unique_partitions",
      },
      {
        why: "lock owner needs a sequence",
        init: { fsId: 1, partitionTxIds: [{ partitionId: 1, txId: 5n }], lockOwner: "c" },
        ruleId: "commit_tx_request.lock_owner_with_sequence",
      },
      {
        why: "sequence needs a lock owner",
        init: { fsId: 1, partitionTxIds: [{ partitionId: 1, txId: 5n }], txSequence: 1n },
        ruleId: "commit_tx_request.lock_owner_with_sequence",
      },
      {
        why: "fs id is positive",
        init: { fsId: 0, partitionTxIds: [{ partitionId: 1, txId: 5n }] },
        ruleId: "uint32.gt",
      },
    ],
  ),

  // --- topology.proto ---
  sample(
    CreatePoolRequestSchema,
    { name: "pool1", type: PoolType.METASERVER, replicaCount: 3, initialCopysetCount: 0 },
    [
      {
        why: "pool name follows the name rule",
        init: { name: "Pool 1", type: PoolType.METASERVER, replicaCount: 3 },
        ruleId: "string.pattern",
      },
      {
        why: "pool type is required",
        init: { name: "pool1", replicaCount: 3 },
        ruleId: "enum.not_in",
      },
      {
        why: "replica count is 1, 3 or 5",
        init: { name: "pool1", type: PoolType.METASERVER, replicaCount: 2 },
        ruleId: "uint32.in",
      },
      {
        why: "at most 10000 initial copysets",
        init: {
          name: "pool1",
          type: PoolType.CHUNKSERVER,
          replicaCount: 3,
          initialCopysetCount: 10001,
        },
        ruleId: "uint32.lte",
      },
    ],
  ),
  sample(ListPoolsRequestSchema, { pageSize: 10 }, [
    { why: "page size at most 1000", init: { pageSize: 5000 }, ruleId: "uint32.lte" },
  ]),
  sample(CreateZoneRequestSchema, { poolName: "pool1", name: "zone1" }, [
    {
      why: "zone name follows the name rule",
      init: { poolName: "pool1", name: "" },
      ruleId: "string.pattern",
    },
    {
      why: "pool name follows the name rule",
      init: { poolName: "P", name: "zone1" },
      ruleId: "string.pattern",
    },
  ]),
  sample(ListZonesRequestSchema, { poolId: 1, pageSize: 10 }, [
    { why: "pool id is positive when present", init: { poolId: 0 }, ruleId: "uint32.gt" },
    { why: "page size at most 1000", init: { pageSize: 1001 }, ruleId: "uint32.lte" },
  ]),
  sample(RegisterMetaServerRequestSchema, registerMetaServer, [
    {
      why: "address is host:port",
      init: { ...registerMetaServer, address: "10.0.0.1" },
      ruleId: "string.host_and_port",
    },
    {
      why: "address is required",
      init: { ...registerMetaServer, address: "" },
      ruleId: "string.host_and_port_empty",
    },
    {
      why: "hostname is required",
      init: { ...registerMetaServer, hostname: "" },
      ruleId: "string.min_len",
    },
    {
      why: "zone name follows the name rule",
      init: { ...registerMetaServer, zoneName: "Zone_1" },
      ruleId: "string.pattern",
    },
    {
      why: "token is not empty when present",
      init: { ...registerMetaServer, token: "" },
      ruleId: "string.min_len",
    },
  ]),
  sample(
    ListMetaServersRequestSchema,
    { poolId: 1, zoneId: 2, state: ServerState.ONLINE, pageSize: 50 },
    [
      {
        why: "state filter is not UNSPECIFIED",
        init: { state: ServerState.UNSPECIFIED },
        ruleId: "enum.not_in",
      },
      {
        why: "state filter is defined",
        init: { state: 9 as ServerState },
        ruleId: "enum.defined_only",
      },
      { why: "zone id is positive when present", init: { zoneId: 0 }, ruleId: "uint32.gt" },
    ],
  ),
  sample(DeleteMetaServerRequestSchema, { metaserverId: 3 }, [
    { why: "id is positive", init: { metaserverId: 0 }, ruleId: "uint32.gt" },
  ]),
  sample(RegisterChunkServerRequestSchema, registerChunkServer, [
    {
      why: "address is host:port",
      init: { ...registerChunkServer, address: "chunk-1:port" },
      ruleId: "string.host_and_port",
    },
    {
      why: "capacity is positive",
      init: { ...registerChunkServer, capacityBytes: 0n },
      ruleId: "uint64.gt",
    },
    {
      why: "pool name follows the name rule",
      init: { ...registerChunkServer, poolName: "" },
      ruleId: "string.pattern",
    },
  ]),
  sample(ListChunkServersRequestSchema, { state: ServerState.OFFLINE }, [
    {
      why: "state filter is not UNSPECIFIED",
      init: { state: ServerState.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    { why: "pool id is positive when present", init: { poolId: 0 }, ruleId: "uint32.gt" },
    { why: "page size at most 1000", init: { pageSize: 1001 }, ruleId: "uint32.lte" },
  ]),
  sample(DeleteChunkServerRequestSchema, { chunkserverId: 3 }, [
    { why: "id is positive", init: { chunkserverId: 0 }, ruleId: "uint32.gt" },
  ]),
  sample(CreatePartitionsRequestSchema, { fsId: 1, count: 3, readOnlyPartitionIds: [1, 2] }, [
    { why: "fs id is positive", init: { fsId: 0, count: 3 }, ruleId: "uint32.gt" },
    { why: "count at least 1", init: { fsId: 1, count: 0 }, ruleId: "uint32.gte_lte" },
    { why: "count at most 64", init: { fsId: 1, count: 65 }, ruleId: "uint32.gte_lte" },
    {
      why: "read-only ids are unique",
      init: { fsId: 1, count: 3, readOnlyPartitionIds: [1, 1] },
      ruleId: "repeated.unique",
    },
    {
      why: "read-only ids are positive",
      init: { fsId: 1, count: 3, readOnlyPartitionIds: [0] },
      ruleId: "uint32.gt",
    },
  ]),
  sample(ListPartitionsRequestSchema, { fsId: 1, pageSize: 1000 }, [
    { why: "fs id is positive", init: { fsId: 0 }, ruleId: "uint32.gt" },
    { why: "page size at most 10000", init: { fsId: 1, pageSize: 10001 }, ruleId: "uint32.lte" },
  ]),
  sample(GetCopysetsRequestSchema, { poolId: 1, copysetIds: [1, 2, 3] }, [
    { why: "pool id is positive", init: { poolId: 0, copysetIds: [1] }, ruleId: "uint32.gt" },
    { why: "at least one copyset id", init: { poolId: 1 }, ruleId: "repeated.min_items" },
    {
      why: "at most 1000 copyset ids",
      init: { poolId: 1, copysetIds: Array.from({ length: 1001 }, (_, i) => i + 1) },
      ruleId: "repeated.max_items",
    },
    {
      why: "copyset ids are unique",
      init: { poolId: 1, copysetIds: [2, 2] },
      ruleId: "repeated.unique",
    },
    { why: "copyset ids are positive", init: { poolId: 1, copysetIds: [0] }, ruleId: "uint32.gt" },
  ]),

  // --- heartbeat.proto ---
  sample(MetaServerHeartbeatRequestSchema, metaHeartbeat, [
    { why: "id is positive", init: { ...metaHeartbeat, metaserverId: 0 }, ruleId: "uint32.gt" },
    { why: "token is required", init: { ...metaHeartbeat, token: "" }, ruleId: "string.min_len" },
    {
      why: "address is host:port",
      init: { ...metaHeartbeat, address: "10.0.0.1:" },
      ruleId: "string.host_and_port",
    },
    {
      why: "start time is required",
      init: { ...metaHeartbeat, startTime: undefined },
      ruleId: "required",
    },
    { why: "space is required", init: { ...metaHeartbeat, space: undefined }, ruleId: "required" },
    {
      why: "copyset reports are validated too",
      init: { ...metaHeartbeat, copysets: [{ ...metaCopyset, peers: [] }] },
      ruleId: "repeated.min_items",
    },
  ]),
  sample(MetaServerCopysetReportSchema, metaCopyset, [
    {
      why: "pool id is positive",
      init: { ...metaCopyset, poolId: 0, partitions: [] },
      ruleId: "uint32.gt",
    },
    {
      why: "copyset id is positive",
      init: { ...metaCopyset, copysetId: 0, partitions: [] },
      ruleId: "uint32.gt",
    },
    { why: "at least one peer", init: { ...metaCopyset, peers: [] }, ruleId: "repeated.min_items" },
    {
      why: "at most 9 peers",
      init: { ...metaCopyset, peers: Array.from({ length: 10 }, (_, i) => peer(i + 1)) },
      ruleId: "repeated.max_items",
    },
    {
      why: "partitions belong to the reported copyset",
      init: { ...metaCopyset, copysetId: 8 },
      ruleId: "metaserver_copyset_report.partitions_in_copyset",
    },
    {
      why: "partitions are validated too",
      init: {
        ...metaCopyset,
        partitions: [{ ...metaCopyset.partitions[0], start: 10n, end: 5n }],
      },
      ruleId: "partition_info.range_ordered",
    },
  ]),
  sample(ChunkServerHeartbeatRequestSchema, chunkHeartbeat, [
    { why: "id is positive", init: { ...chunkHeartbeat, chunkserverId: 0 }, ruleId: "uint32.gt" },
    { why: "token is required", init: { ...chunkHeartbeat, token: "" }, ruleId: "string.min_len" },
    {
      why: "address is required",
      init: { ...chunkHeartbeat, address: "" },
      ruleId: "string.host_and_port_empty",
    },
    {
      why: "start time is required",
      init: { ...chunkHeartbeat, startTime: undefined },
      ruleId: "required",
    },
    {
      why: "disk error text is not empty when present",
      init: { ...chunkHeartbeat, diskError: "" },
      ruleId: "string.min_len",
    },
  ]),
  sample(ChunkServerCopysetReportSchema, chunkCopyset, [
    { why: "pool id is positive", init: { ...chunkCopyset, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is positive", init: { ...chunkCopyset, copysetId: 0 }, ruleId: "uint32.gt" },
    {
      why: "at least one peer",
      init: { ...chunkCopyset, peers: [] },
      ruleId: "repeated.min_items",
    },
    {
      why: "peers are validated too",
      init: { ...chunkCopyset, peers: [{ id: 1, address: "" }] },
      ruleId: "string.min_len",
    },
  ]),
];
