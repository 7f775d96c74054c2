from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetLeaderRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ...) -> None: ...

class GetLeaderResponse(_message.Message):
    __slots__ = ("leader", "term", "peers")
    LEADER_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    leader: _common_pb2.Peer
    term: int
    peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, leader: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., term: _Optional[int] = ..., peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class AddPeerRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peer")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peer: _common_pb2.Peer
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ...) -> None: ...

class AddPeerResponse(_message.Message):
    __slots__ = ("old_peers", "new_peers")
    OLD_PEERS_FIELD_NUMBER: _ClassVar[int]
    NEW_PEERS_FIELD_NUMBER: _ClassVar[int]
    old_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    new_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, old_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., new_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class RemovePeerRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peer")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peer: _common_pb2.Peer
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ...) -> None: ...

class RemovePeerResponse(_message.Message):
    __slots__ = ("old_peers", "new_peers")
    OLD_PEERS_FIELD_NUMBER: _ClassVar[int]
    NEW_PEERS_FIELD_NUMBER: _ClassVar[int]
    old_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    new_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, old_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., new_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class ChangePeersRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "new_peers")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_PEERS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    new_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., new_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class ChangePeersResponse(_message.Message):
    __slots__ = ("old_peers", "new_peers")
    OLD_PEERS_FIELD_NUMBER: _ClassVar[int]
    NEW_PEERS_FIELD_NUMBER: _ClassVar[int]
    old_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    new_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, old_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., new_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class TransferLeaderRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "transferee")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSFEREE_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    transferee: _common_pb2.Peer
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., transferee: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ...) -> None: ...

class TransferLeaderResponse(_message.Message):
    __slots__ = ("leader",)
    LEADER_FIELD_NUMBER: _ClassVar[int]
    leader: _common_pb2.Peer
    def __init__(self, leader: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ...) -> None: ...

class ResetPeerRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peer", "new_peers")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    NEW_PEERS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peer: _common_pb2.Peer
    new_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., new_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class ResetPeerResponse(_message.Message):
    __slots__ = ("old_peers", "new_peers")
    OLD_PEERS_FIELD_NUMBER: _ClassVar[int]
    NEW_PEERS_FIELD_NUMBER: _ClassVar[int]
    old_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    new_peers: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, old_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ..., new_peers: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class SnapshotRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "peer")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    peer: _common_pb2.Peer
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ...) -> None: ...

class SnapshotResponse(_message.Message):
    __slots__ = ("last_included_index", "last_included_term")
    LAST_INCLUDED_INDEX_FIELD_NUMBER: _ClassVar[int]
    LAST_INCLUDED_TERM_FIELD_NUMBER: _ClassVar[int]
    last_included_index: int
    last_included_term: int
    def __init__(self, last_included_index: _Optional[int] = ..., last_included_term: _Optional[int] = ...) -> None: ...
