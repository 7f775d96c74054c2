import datetime

from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from curve.mds.v1 import cluster_pb2 as _cluster_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MetaServerHeartbeatRequest(_message.Message):
    __slots__ = ("metaserver_id", "token", "address", "start_time", "copysets", "space")
    METASERVER_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    COPYSETS_FIELD_NUMBER: _ClassVar[int]
    SPACE_FIELD_NUMBER: _ClassVar[int]
    metaserver_id: int
    token: str
    address: str
    start_time: _timestamp_pb2.Timestamp
    copysets: _containers.RepeatedCompositeFieldContainer[MetaServerCopysetReport]
    space: _cluster_pb2.MetaServerSpace
    def __init__(self, metaserver_id: _Optional[int] = ..., token: _Optional[str] = ..., address: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., copysets: _Optional[_Iterable[_Union[MetaServerCopysetReport, _Mapping]]] = ..., space: _Optional[_Union[_cluster_pb2.MetaServerSpace, _Mapping]] = ...) -> None: ...

class MetaServerCopysetReport(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peers", "epoch", "leader", "term", "partitions", "pending_change", "loading")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    LEADER_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    PARTITIONS_FIELD_NUMBER: _ClassVar[int]
    PENDING_CHANGE_FIELD_NUMBER: _ClassVar[int]
    LOADING_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    epoch: int
    leader: _common_pb2.Peer
    term: int
    partitions: _containers.RepeatedCompositeFieldContainer[_common_pb2.PartitionInfo]
    pending_change: _cluster_pb2.ConfigChange
    loading: bool
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., epoch: _Optional[int] = ..., leader: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., term: _Optional[int] = ..., partitions: _Optional[_Iterable[_Union[_common_pb2.PartitionInfo, _Mapping]]] = ..., pending_change: _Optional[_Union[_cluster_pb2.ConfigChange, _Mapping]] = ..., loading: _Optional[bool] = ...) -> None: ...

class MetaServerHeartbeatResponse(_message.Message):
    __slots__ = ("commands", "heartbeat_interval_ms")
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    commands: _containers.RepeatedCompositeFieldContainer[CopysetCommand]
    heartbeat_interval_ms: int
    def __init__(self, commands: _Optional[_Iterable[_Union[CopysetCommand, _Mapping]]] = ..., heartbeat_interval_ms: _Optional[int] = ...) -> None: ...

class ChunkServerHeartbeatRequest(_message.Message):
    __slots__ = ("chunkserver_id", "token", "address", "start_time", "capacity_bytes", "used_bytes", "disk_error", "copysets")
    CHUNKSERVER_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_BYTES_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    DISK_ERROR_FIELD_NUMBER: _ClassVar[int]
    COPYSETS_FIELD_NUMBER: _ClassVar[int]
    chunkserver_id: int
    token: str
    address: str
    start_time: _timestamp_pb2.Timestamp
    capacity_bytes: int
    used_bytes: int
    disk_error: str
    copysets: _containers.RepeatedCompositeFieldContainer[ChunkServerCopysetReport]
    def __init__(self, chunkserver_id: _Optional[int] = ..., token: _Optional[str] = ..., address: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., capacity_bytes: _Optional[int] = ..., used_bytes: _Optional[int] = ..., disk_error: _Optional[str] = ..., copysets: _Optional[_Iterable[_Union[ChunkServerCopysetReport, _Mapping]]] = ...) -> None: ...

class ChunkServerCopysetReport(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peers", "epoch", "leader", "term", "chunk_count", "used_bytes", "pending_change", "loading")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    LEADER_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    CHUNK_COUNT_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    PENDING_CHANGE_FIELD_NUMBER: _ClassVar[int]
    LOADING_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    epoch: int
    leader: _common_pb2.Peer
    term: int
    chunk_count: int
    used_bytes: int
    pending_change: _cluster_pb2.ConfigChange
    loading: bool
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., epoch: _Optional[int] = ..., leader: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., term: _Optional[int] = ..., chunk_count: _Optional[int] = ..., used_bytes: _Optional[int] = ..., pending_change: _Optional[_Union[_cluster_pb2.ConfigChange, _Mapping]] = ..., loading: _Optional[bool] = ...) -> None: ...

class ChunkServerHeartbeatResponse(_message.Message):
    __slots__ = ("commands", "heartbeat_interval_ms")
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    commands: _containers.RepeatedCompositeFieldContainer[CopysetCommand]
    heartbeat_interval_ms: int
    def __init__(self, commands: _Optional[_Iterable[_Union[CopysetCommand, _Mapping]]] = ..., heartbeat_interval_ms: _Optional[int] = ...) -> None: ...

class CopysetCommand(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "epoch", "change", "purge")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    PURGE_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    epoch: int
    change: _cluster_pb2.ConfigChange
    purge: CopysetPurge
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., epoch: _Optional[int] = ..., change: _Optional[_Union[_cluster_pb2.ConfigChange, _Mapping]] = ..., purge: _Optional[_Union[CopysetPurge, _Mapping]] = ...) -> None: ...

class CopysetPurge(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
