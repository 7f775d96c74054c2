import datetime

from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from curve.mds.v1 import cluster_pb2 as _cluster_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PoolType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POOL_TYPE_UNSPECIFIED: _ClassVar[PoolType]
    POOL_TYPE_METASERVER: _ClassVar[PoolType]
    POOL_TYPE_CHUNKSERVER: _ClassVar[PoolType]

class ServerState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVER_STATE_UNSPECIFIED: _ClassVar[ServerState]
    SERVER_STATE_ONLINE: _ClassVar[ServerState]
    SERVER_STATE_UNSTABLE: _ClassVar[ServerState]
    SERVER_STATE_OFFLINE: _ClassVar[ServerState]
POOL_TYPE_UNSPECIFIED: PoolType
POOL_TYPE_METASERVER: PoolType
POOL_TYPE_CHUNKSERVER: PoolType
SERVER_STATE_UNSPECIFIED: ServerState
SERVER_STATE_ONLINE: ServerState
SERVER_STATE_UNSTABLE: ServerState
SERVER_STATE_OFFLINE: ServerState

class Pool(_message.Message):
    __slots__ = ("pool_id", "name", "type", "replica_count", "initial_copyset_count", "copyset_count", "zone_count")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REPLICA_COUNT_FIELD_NUMBER: _ClassVar[int]
    INITIAL_COPYSET_COUNT_FIELD_NUMBER: _ClassVar[int]
    COPYSET_COUNT_FIELD_NUMBER: _ClassVar[int]
    ZONE_COUNT_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    name: str
    type: PoolType
    replica_count: int
    initial_copyset_count: int
    copyset_count: int
    zone_count: int
    def __init__(self, pool_id: _Optional[int] = ..., name: _Optional[str] = ..., type: _Optional[_Union[PoolType, str]] = ..., replica_count: _Optional[int] = ..., initial_copyset_count: _Optional[int] = ..., copyset_count: _Optional[int] = ..., zone_count: _Optional[int] = ...) -> None: ...

class Zone(_message.Message):
    __slots__ = ("zone_id", "pool_id", "name", "server_count")
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVER_COUNT_FIELD_NUMBER: _ClassVar[int]
    zone_id: int
    pool_id: int
    name: str
    server_count: int
    def __init__(self, zone_id: _Optional[int] = ..., pool_id: _Optional[int] = ..., name: _Optional[str] = ..., server_count: _Optional[int] = ...) -> None: ...

class MetaServerInfo(_message.Message):
    __slots__ = ("metaserver_id", "address", "hostname", "pool_id", "zone_id", "state", "start_time", "last_heartbeat_time", "copyset_count", "leader_count", "space")
    METASERVER_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_TIME_FIELD_NUMBER: _ClassVar[int]
    COPYSET_COUNT_FIELD_NUMBER: _ClassVar[int]
    LEADER_COUNT_FIELD_NUMBER: _ClassVar[int]
    SPACE_FIELD_NUMBER: _ClassVar[int]
    metaserver_id: int
    address: str
    hostname: str
    pool_id: int
    zone_id: int
    state: ServerState
    start_time: _timestamp_pb2.Timestamp
    last_heartbeat_time: _timestamp_pb2.Timestamp
    copyset_count: int
    leader_count: int
    space: _cluster_pb2.MetaServerSpace
    def __init__(self, metaserver_id: _Optional[int] = ..., address: _Optional[str] = ..., hostname: _Optional[str] = ..., pool_id: _Optional[int] = ..., zone_id: _Optional[int] = ..., state: _Optional[_Union[ServerState, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_heartbeat_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., copyset_count: _Optional[int] = ..., leader_count: _Optional[int] = ..., space: _Optional[_Union[_cluster_pb2.MetaServerSpace, _Mapping]] = ...) -> None: ...

class ChunkServerInfo(_message.Message):
    __slots__ = ("chunkserver_id", "address", "hostname", "pool_id", "zone_id", "state", "start_time", "last_heartbeat_time", "copyset_count", "leader_count", "capacity_bytes", "used_bytes", "chunk_count", "disk_error")
    CHUNKSERVER_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_TIME_FIELD_NUMBER: _ClassVar[int]
    COPYSET_COUNT_FIELD_NUMBER: _ClassVar[int]
    LEADER_COUNT_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_BYTES_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    CHUNK_COUNT_FIELD_NUMBER: _ClassVar[int]
    DISK_ERROR_FIELD_NUMBER: _ClassVar[int]
    chunkserver_id: int
    address: str
    hostname: str
    pool_id: int
    zone_id: int
    state: ServerState
    start_time: _timestamp_pb2.Timestamp
    last_heartbeat_time: _timestamp_pb2.Timestamp
    copyset_count: int
    leader_count: int
    capacity_bytes: int
    used_bytes: int
    chunk_count: int
    disk_error: str
    def __init__(self, chunkserver_id: _Optional[int] = ..., address: _Optional[str] = ..., hostname: _Optional[str] = ..., pool_id: _Optional[int] = ..., zone_id: _Optional[int] = ..., state: _Optional[_Union[ServerState, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_heartbeat_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., copyset_count: _Optional[int] = ..., leader_count: _Optional[int] = ..., capacity_bytes: _Optional[int] = ..., used_bytes: _Optional[int] = ..., chunk_count: _Optional[int] = ..., disk_error: _Optional[str] = ...) -> None: ...

class PartitionRoute(_message.Message):
    __slots__ = ("partition", "copyset")
    PARTITION_FIELD_NUMBER: _ClassVar[int]
    COPYSET_FIELD_NUMBER: _ClassVar[int]
    partition: _common_pb2.PartitionInfo
    copyset: _cluster_pb2.Copyset
    def __init__(self, partition: _Optional[_Union[_common_pb2.PartitionInfo, _Mapping]] = ..., copyset: _Optional[_Union[_cluster_pb2.Copyset, _Mapping]] = ...) -> None: ...

class CreatePoolRequest(_message.Message):
    __slots__ = ("name", "type", "replica_count", "initial_copyset_count")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REPLICA_COUNT_FIELD_NUMBER: _ClassVar[int]
    INITIAL_COPYSET_COUNT_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: PoolType
    replica_count: int
    initial_copyset_count: int
    def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[PoolType, str]] = ..., replica_count: _Optional[int] = ..., initial_copyset_count: _Optional[int] = ...) -> None: ...

class CreatePoolResponse(_message.Message):
    __slots__ = ("pool",)
    POOL_FIELD_NUMBER: _ClassVar[int]
    pool: Pool
    def __init__(self, pool: _Optional[_Union[Pool, _Mapping]] = ...) -> None: ...

class ListPoolsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPoolsResponse(_message.Message):
    __slots__ = ("pools", "next_page_token")
    POOLS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    pools: _containers.RepeatedCompositeFieldContainer[Pool]
    next_page_token: str
    def __init__(self, pools: _Optional[_Iterable[_Union[Pool, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateZoneRequest(_message.Message):
    __slots__ = ("pool_name", "name")
    POOL_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    pool_name: str
    name: str
    def __init__(self, pool_name: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class CreateZoneResponse(_message.Message):
    __slots__ = ("zone",)
    ZONE_FIELD_NUMBER: _ClassVar[int]
    zone: Zone
    def __init__(self, zone: _Optional[_Union[Zone, _Mapping]] = ...) -> None: ...

class ListZonesRequest(_message.Message):
    __slots__ = ("pool_id", "page_size", "page_token")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    page_size: int
    page_token: str
    def __init__(self, pool_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListZonesResponse(_message.Message):
    __slots__ = ("zones", "next_page_token")
    ZONES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    zones: _containers.RepeatedCompositeFieldContainer[Zone]
    next_page_token: str
    def __init__(self, zones: _Optional[_Iterable[_Union[Zone, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RegisterMetaServerRequest(_message.Message):
    __slots__ = ("address", "hostname", "pool_name", "zone_name", "token")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    POOL_NAME_FIELD_NUMBER: _ClassVar[int]
    ZONE_NAME_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    address: str
    hostname: str
    pool_name: str
    zone_name: str
    token: str
    def __init__(self, address: _Optional[str] = ..., hostname: _Optional[str] = ..., pool_name: _Optional[str] = ..., zone_name: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class RegisterMetaServerResponse(_message.Message):
    __slots__ = ("metaserver_id", "token", "pool_id", "zone_id", "heartbeat_interval_ms")
    METASERVER_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    metaserver_id: int
    token: str
    pool_id: int
    zone_id: int
    heartbeat_interval_ms: int
    def __init__(self, metaserver_id: _Optional[int] = ..., token: _Optional[str] = ..., pool_id: _Optional[int] = ..., zone_id: _Optional[int] = ..., heartbeat_interval_ms: _Optional[int] = ...) -> None: ...

class ListMetaServersRequest(_message.Message):
    __slots__ = ("pool_id", "zone_id", "state", "page_size", "page_token")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    zone_id: int
    state: ServerState
    page_size: int
    page_token: str
    def __init__(self, pool_id: _Optional[int] = ..., zone_id: _Optional[int] = ..., state: _Optional[_Union[ServerState, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMetaServersResponse(_message.Message):
    __slots__ = ("metaservers", "next_page_token")
    METASERVERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    metaservers: _containers.RepeatedCompositeFieldContainer[MetaServerInfo]
    next_page_token: str
    def __init__(self, metaservers: _Optional[_Iterable[_Union[MetaServerInfo, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteMetaServerRequest(_message.Message):
    __slots__ = ("metaserver_id",)
    METASERVER_ID_FIELD_NUMBER: _ClassVar[int]
    metaserver_id: int
    def __init__(self, metaserver_id: _Optional[int] = ...) -> None: ...

class DeleteMetaServerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RegisterChunkServerRequest(_message.Message):
    __slots__ = ("address", "hostname", "pool_name", "zone_name", "token", "capacity_bytes")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    POOL_NAME_FIELD_NUMBER: _ClassVar[int]
    ZONE_NAME_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_BYTES_FIELD_NUMBER: _ClassVar[int]
    address: str
    hostname: str
    pool_name: str
    zone_name: str
    token: str
    capacity_bytes: int
    def __init__(self, address: _Optional[str] = ..., hostname: _Optional[str] = ..., pool_name: _Optional[str] = ..., zone_name: _Optional[str] = ..., token: _Optional[str] = ..., capacity_bytes: _Optional[int] = ...) -> None: ...

class RegisterChunkServerResponse(_message.Message):
    __slots__ = ("chunkserver_id", "token", "pool_id", "zone_id", "heartbeat_interval_ms")
    CHUNKSERVER_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    chunkserver_id: int
    token: str
    pool_id: int
    zone_id: int
    heartbeat_interval_ms: int
    def __init__(self, chunkserver_id: _Optional[int] = ..., token: _Optional[str] = ..., pool_id: _Optional[int] = ..., zone_id: _Optional[int] = ..., heartbeat_interval_ms: _Optional[int] = ...) -> None: ...

class ListChunkServersRequest(_message.Message):
    __slots__ = ("pool_id", "zone_id", "state", "page_size", "page_token")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    zone_id: int
    state: ServerState
    page_size: int
    page_token: str
    def __init__(self, pool_id: _Optional[int] = ..., zone_id: _Optional[int] = ..., state: _Optional[_Union[ServerState, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListChunkServersResponse(_message.Message):
    __slots__ = ("chunkservers", "next_page_token")
    CHUNKSERVERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    chunkservers: _containers.RepeatedCompositeFieldContainer[ChunkServerInfo]
    next_page_token: str
    def __init__(self, chunkservers: _Optional[_Iterable[_Union[ChunkServerInfo, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteChunkServerRequest(_message.Message):
    __slots__ = ("chunkserver_id",)
    CHUNKSERVER_ID_FIELD_NUMBER: _ClassVar[int]
    chunkserver_id: int
    def __init__(self, chunkserver_id: _Optional[int] = ...) -> None: ...

class DeleteChunkServerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreatePartitionsRequest(_message.Message):
    __slots__ = ("fs_id", "count", "read_only_partition_ids")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    READ_ONLY_PARTITION_IDS_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    count: int
    read_only_partition_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, fs_id: _Optional[int] = ..., count: _Optional[int] = ..., read_only_partition_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class CreatePartitionsResponse(_message.Message):
    __slots__ = ("partitions", "created_count")
    PARTITIONS_FIELD_NUMBER: _ClassVar[int]
    CREATED_COUNT_FIELD_NUMBER: _ClassVar[int]
    partitions: _containers.RepeatedCompositeFieldContainer[PartitionRoute]
    created_count: int
    def __init__(self, partitions: _Optional[_Iterable[_Union[PartitionRoute, _Mapping]]] = ..., created_count: _Optional[int] = ...) -> None: ...

class ListPartitionsRequest(_message.Message):
    __slots__ = ("fs_id", "page_size", "page_token")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    page_size: int
    page_token: str
    def __init__(self, fs_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPartitionsResponse(_message.Message):
    __slots__ = ("partitions", "next_page_token")
    PARTITIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    partitions: _containers.RepeatedCompositeFieldContainer[PartitionRoute]
    next_page_token: str
    def __init__(self, partitions: _Optional[_Iterable[_Union[PartitionRoute, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetCopysetsRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_ids")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_IDS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, pool_id: _Optional[int] = ..., copyset_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class GetCopysetsResponse(_message.Message):
    __slots__ = ("copysets", "missing_copyset_ids")
    COPYSETS_FIELD_NUMBER: _ClassVar[int]
    MISSING_COPYSET_IDS_FIELD_NUMBER: _ClassVar[int]
    copysets: _containers.RepeatedCompositeFieldContainer[_cluster_pb2.Copyset]
    missing_copyset_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, copysets: _Optional[_Iterable[_Union[_cluster_pb2.Copyset, _Mapping]]] = ..., missing_copyset_ids: _Optional[_Iterable[int]] = ...) -> None: ...
