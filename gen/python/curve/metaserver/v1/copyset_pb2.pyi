from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CopysetRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COPYSET_ROLE_UNSPECIFIED: _ClassVar[CopysetRole]
    COPYSET_ROLE_LOADING: _ClassVar[CopysetRole]
    COPYSET_ROLE_FOLLOWER: _ClassVar[CopysetRole]
    COPYSET_ROLE_CANDIDATE: _ClassVar[CopysetRole]
    COPYSET_ROLE_LEADER: _ClassVar[CopysetRole]
    COPYSET_ROLE_TRANSFERRING: _ClassVar[CopysetRole]
    COPYSET_ROLE_ERROR: _ClassVar[CopysetRole]
COPYSET_ROLE_UNSPECIFIED: CopysetRole
COPYSET_ROLE_LOADING: CopysetRole
COPYSET_ROLE_FOLLOWER: CopysetRole
COPYSET_ROLE_CANDIDATE: CopysetRole
COPYSET_ROLE_LEADER: CopysetRole
COPYSET_ROLE_TRANSFERRING: CopysetRole
COPYSET_ROLE_ERROR: CopysetRole

class CopysetNodeSpec(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peers")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class CreateCopysetNodeRequest(_message.Message):
    __slots__ = ("copysets",)
    COPYSETS_FIELD_NUMBER: _ClassVar[int]
    copysets: _containers.RepeatedCompositeFieldContainer[CopysetNodeSpec]
    def __init__(self, copysets: _Optional[_Iterable[_Union[CopysetNodeSpec, _Mapping]]] = ...) -> None: ...

class CopysetNodeResult(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "created")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    created: bool
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., created: _Optional[bool] = ...) -> None: ...

class CreateCopysetNodeResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CopysetNodeResult]
    def __init__(self, results: _Optional[_Iterable[_Union[CopysetNodeResult, _Mapping]]] = ...) -> None: ...

class GetCopysetStatusRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peer_address")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEER_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peer_address: str
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peer_address: _Optional[str] = ...) -> None: ...

class GetCopysetStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: CopysetStatus
    def __init__(self, status: _Optional[_Union[CopysetStatus, _Mapping]] = ...) -> None: ...

class CopysetStatus(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "group_id", "role", "self", "leader", "term", "commit_index", "applied_index", "first_log_index", "last_log_index", "durable_index", "snapshot_index", "pending_proposals", "epoch", "peers", "partitions")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SELF_FIELD_NUMBER: _ClassVar[int]
    LEADER_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    COMMIT_INDEX_FIELD_NUMBER: _ClassVar[int]
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    FIRST_LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    LAST_LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    DURABLE_INDEX_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_INDEX_FIELD_NUMBER: _ClassVar[int]
    PENDING_PROPOSALS_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    PARTITIONS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    group_id: int
    role: CopysetRole
    self: _common_pb2.Peer
    leader: _common_pb2.Peer
    term: int
    commit_index: int
    applied_index: int
    first_log_index: int
    last_log_index: int
    durable_index: int
    snapshot_index: int
    pending_proposals: int
    epoch: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    partitions: _containers.RepeatedCompositeFieldContainer[_common_pb2.PartitionInfo]
    def __init__(self_, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., group_id: _Optional[int] = ..., role: _Optional[_Union[CopysetRole, str]] = ..., self: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., leader: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., term: _Optional[int] = ..., commit_index: _Optional[int] = ..., applied_index: _Optional[int] = ..., first_log_index: _Optional[int] = ..., last_log_index: _Optional[int] = ..., durable_index: _Optional[int] = ..., snapshot_index: _Optional[int] = ..., pending_proposals: _Optional[int] = ..., epoch: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., partitions: _Optional[_Iterable[_Union[_common_pb2.PartitionInfo, _Mapping]]] = ...) -> None: ...
