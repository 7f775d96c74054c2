from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CopysetNodeState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COPYSET_NODE_STATE_UNSPECIFIED: _ClassVar[CopysetNodeState]
    COPYSET_NODE_STATE_LEADER: _ClassVar[CopysetNodeState]
    COPYSET_NODE_STATE_FOLLOWER: _ClassVar[CopysetNodeState]
    COPYSET_NODE_STATE_CANDIDATE: _ClassVar[CopysetNodeState]
    COPYSET_NODE_STATE_TRANSFERRING: _ClassVar[CopysetNodeState]
    COPYSET_NODE_STATE_INACTIVE: _ClassVar[CopysetNodeState]
    COPYSET_NODE_STATE_ERROR: _ClassVar[CopysetNodeState]
COPYSET_NODE_STATE_UNSPECIFIED: CopysetNodeState
COPYSET_NODE_STATE_LEADER: CopysetNodeState
COPYSET_NODE_STATE_FOLLOWER: CopysetNodeState
COPYSET_NODE_STATE_CANDIDATE: CopysetNodeState
COPYSET_NODE_STATE_TRANSFERRING: CopysetNodeState
COPYSET_NODE_STATE_INACTIVE: CopysetNodeState
COPYSET_NODE_STATE_ERROR: CopysetNodeState

class CopysetSpec(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peers")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class CopysetKey(_message.Message):
    __slots__ = ("pool_id", "copyset_id")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ...) -> None: ...

class CreateCopysetNodeRequest(_message.Message):
    __slots__ = ("copysets",)
    COPYSETS_FIELD_NUMBER: _ClassVar[int]
    copysets: _containers.RepeatedCompositeFieldContainer[CopysetSpec]
    def __init__(self, copysets: _Optional[_Iterable[_Union[CopysetSpec, _Mapping]]] = ...) -> None: ...

class CreateCopysetNodeResponse(_message.Message):
    __slots__ = ("created",)
    CREATED_FIELD_NUMBER: _ClassVar[int]
    created: _containers.RepeatedCompositeFieldContainer[CopysetKey]
    def __init__(self, created: _Optional[_Iterable[_Union[CopysetKey, _Mapping]]] = ...) -> None: ...

class GetCopysetStatusRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peer", "query_hash")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    QUERY_HASH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peer: str
    query_hash: bool
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peer: _Optional[str] = ..., query_hash: _Optional[bool] = ...) -> None: ...

class GetCopysetStatusResponse(_message.Message):
    __slots__ = ("state", "peer", "leader", "term", "peers", "conf_epoch", "committed_index", "applied_index", "first_index", "last_index", "disk_index", "pending_count", "hash")
    STATE_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    LEADER_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    CONF_EPOCH_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_INDEX_FIELD_NUMBER: _ClassVar[int]
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    FIRST_INDEX_FIELD_NUMBER: _ClassVar[int]
    LAST_INDEX_FIELD_NUMBER: _ClassVar[int]
    DISK_INDEX_FIELD_NUMBER: _ClassVar[int]
    PENDING_COUNT_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    state: CopysetNodeState
    peer: _common_pb2.Peer
    leader: str
    term: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    conf_epoch: int
    committed_index: int
    applied_index: int
    first_index: int
    last_index: int
    disk_index: int
    pending_count: int
    hash: str
    def __init__(self, state: _Optional[_Union[CopysetNodeState, str]] = ..., peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., leader: _Optional[str] = ..., term: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., conf_epoch: _Optional[int] = ..., committed_index: _Optional[int] = ..., applied_index: _Optional[int] = ..., first_index: _Optional[int] = ..., last_index: _Optional[int] = ..., disk_index: _Optional[int] = ..., pending_count: _Optional[int] = ..., hash: _Optional[str] = ...) -> None: ...
