from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConfigChangeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONFIG_CHANGE_TYPE_UNSPECIFIED: _ClassVar[ConfigChangeType]
    CONFIG_CHANGE_TYPE_ADD_PEER: _ClassVar[ConfigChangeType]
    CONFIG_CHANGE_TYPE_REMOVE_PEER: _ClassVar[ConfigChangeType]
    CONFIG_CHANGE_TYPE_CHANGE_PEER: _ClassVar[ConfigChangeType]
    CONFIG_CHANGE_TYPE_TRANSFER_LEADER: _ClassVar[ConfigChangeType]
CONFIG_CHANGE_TYPE_UNSPECIFIED: ConfigChangeType
CONFIG_CHANGE_TYPE_ADD_PEER: ConfigChangeType
CONFIG_CHANGE_TYPE_REMOVE_PEER: ConfigChangeType
CONFIG_CHANGE_TYPE_CHANGE_PEER: ConfigChangeType
CONFIG_CHANGE_TYPE_TRANSFER_LEADER: ConfigChangeType

class ConfigChange(_message.Message):
    __slots__ = ("type", "peer", "old_peer")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    OLD_PEER_FIELD_NUMBER: _ClassVar[int]
    type: ConfigChangeType
    peer: _common_pb2.Peer
    old_peer: _common_pb2.Peer
    def __init__(self, type: _Optional[_Union[ConfigChangeType, str]] = ..., peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., old_peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ...) -> None: ...

class Copyset(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peers", "epoch", "leader", "term", "pending_change")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    LEADER_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    PENDING_CHANGE_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    epoch: int
    leader: _common_pb2.Peer
    term: int
    pending_change: ConfigChange
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., epoch: _Optional[int] = ..., leader: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., term: _Optional[int] = ..., pending_change: _Optional[_Union[ConfigChange, _Mapping]] = ...) -> None: ...

class MetaServerSpace(_message.Message):
    __slots__ = ("disk_threshold_bytes", "disk_min_bytes_per_copyset", "disk_used_bytes", "memory_threshold_bytes", "memory_min_bytes_per_copyset", "memory_used_bytes")
    DISK_THRESHOLD_BYTES_FIELD_NUMBER: _ClassVar[int]
    DISK_MIN_BYTES_PER_COPYSET_FIELD_NUMBER: _ClassVar[int]
    DISK_USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    MEMORY_THRESHOLD_BYTES_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MIN_BYTES_PER_COPYSET_FIELD_NUMBER: _ClassVar[int]
    MEMORY_USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    disk_threshold_bytes: int
    disk_min_bytes_per_copyset: int
    disk_used_bytes: int
    memory_threshold_bytes: int
    memory_min_bytes_per_copyset: int
    memory_used_bytes: int
    def __init__(self, disk_threshold_bytes: _Optional[int] = ..., disk_min_bytes_per_copyset: _Optional[int] = ..., disk_used_bytes: _Optional[int] = ..., memory_threshold_bytes: _Optional[int] = ..., memory_min_bytes_per_copyset: _Optional[int] = ..., memory_used_bytes: _Optional[int] = ...) -> None: ...
