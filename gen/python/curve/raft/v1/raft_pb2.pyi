from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RejectReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REJECT_REASON_UNSPECIFIED: _ClassVar[RejectReason]
    REJECT_REASON_STALE_TERM: _ClassVar[RejectReason]
    REJECT_REASON_LOG_MISMATCH: _ClassVar[RejectReason]
    REJECT_REASON_LOG_NOT_UP_TO_DATE: _ClassVar[RejectReason]
    REJECT_REASON_ALREADY_VOTED: _ClassVar[RejectReason]
    REJECT_REASON_LEADER_ALIVE: _ClassVar[RejectReason]
    REJECT_REASON_NOT_VOTER: _ClassVar[RejectReason]
    REJECT_REASON_SNAPSHOT_SUPERSEDED: _ClassVar[RejectReason]

class EntryType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTRY_TYPE_UNSPECIFIED: _ClassVar[EntryType]
    ENTRY_TYPE_NORMAL: _ClassVar[EntryType]
    ENTRY_TYPE_CONF_CHANGE: _ClassVar[EntryType]
    ENTRY_TYPE_NO_OP: _ClassVar[EntryType]

class ConfChangeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONF_CHANGE_TYPE_UNSPECIFIED: _ClassVar[ConfChangeType]
    CONF_CHANGE_TYPE_ADD_PEER: _ClassVar[ConfChangeType]
    CONF_CHANGE_TYPE_REMOVE_PEER: _ClassVar[ConfChangeType]
    CONF_CHANGE_TYPE_RESET: _ClassVar[ConfChangeType]
REJECT_REASON_UNSPECIFIED: RejectReason
REJECT_REASON_STALE_TERM: RejectReason
REJECT_REASON_LOG_MISMATCH: RejectReason
REJECT_REASON_LOG_NOT_UP_TO_DATE: RejectReason
REJECT_REASON_ALREADY_VOTED: RejectReason
REJECT_REASON_LEADER_ALIVE: RejectReason
REJECT_REASON_NOT_VOTER: RejectReason
REJECT_REASON_SNAPSHOT_SUPERSEDED: RejectReason
ENTRY_TYPE_UNSPECIFIED: EntryType
ENTRY_TYPE_NORMAL: EntryType
ENTRY_TYPE_CONF_CHANGE: EntryType
ENTRY_TYPE_NO_OP: EntryType
CONF_CHANGE_TYPE_UNSPECIFIED: ConfChangeType
CONF_CHANGE_TYPE_ADD_PEER: ConfChangeType
CONF_CHANGE_TYPE_REMOVE_PEER: ConfChangeType
CONF_CHANGE_TYPE_RESET: ConfChangeType

class Entry(_message.Message):
    __slots__ = ("index", "term", "type", "data", "conf_change")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    CONF_CHANGE_FIELD_NUMBER: _ClassVar[int]
    index: int
    term: int
    type: EntryType
    data: bytes
    conf_change: ConfChange
    def __init__(self, index: _Optional[int] = ..., term: _Optional[int] = ..., type: _Optional[_Union[EntryType, str]] = ..., data: _Optional[bytes] = ..., conf_change: _Optional[_Union[ConfChange, _Mapping]] = ...) -> None: ...

class Configuration(_message.Message):
    __slots__ = ("voters",)
    VOTERS_FIELD_NUMBER: _ClassVar[int]
    voters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Peer]
    def __init__(self, voters: _Optional[_Iterable[_Union[_common_pb2.Peer, _Mapping]]] = ...) -> None: ...

class ConfChange(_message.Message):
    __slots__ = ("type", "peer", "configuration")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    type: ConfChangeType
    peer: _common_pb2.Peer
    configuration: Configuration
    def __init__(self, type: _Optional[_Union[ConfChangeType, str]] = ..., peer: _Optional[_Union[_common_pb2.Peer, _Mapping]] = ..., configuration: _Optional[_Union[Configuration, _Mapping]] = ...) -> None: ...

class SnapshotMeta(_message.Message):
    __slots__ = ("last_included_index", "last_included_term", "configuration")
    LAST_INCLUDED_INDEX_FIELD_NUMBER: _ClassVar[int]
    LAST_INCLUDED_TERM_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    last_included_index: int
    last_included_term: int
    configuration: Configuration
    def __init__(self, last_included_index: _Optional[int] = ..., last_included_term: _Optional[int] = ..., configuration: _Optional[_Union[Configuration, _Mapping]] = ...) -> None: ...

class PreVoteRequest(_message.Message):
    __slots__ = ("group_id", "to", "term", "last_log_index", "last_log_term")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    LAST_LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    LAST_LOG_TERM_FIELD_NUMBER: _ClassVar[int]
    group_id: int
    to: str
    term: int
    last_log_index: int
    last_log_term: int
    def __init__(self, group_id: _Optional[int] = ..., to: _Optional[str] = ..., term: _Optional[int] = ..., last_log_index: _Optional[int] = ..., last_log_term: _Optional[int] = ..., **kwargs) -> None: ...

class PreVoteResponse(_message.Message):
    __slots__ = ("term", "granted", "reject_reason")
    TERM_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    REJECT_REASON_FIELD_NUMBER: _ClassVar[int]
    term: int
    granted: bool
    reject_reason: RejectReason
    def __init__(self, term: _Optional[int] = ..., granted: _Optional[bool] = ..., reject_reason: _Optional[_Union[RejectReason, str]] = ...) -> None: ...

class RequestVoteRequest(_message.Message):
    __slots__ = ("group_id", "to", "term", "last_log_index", "last_log_term", "leader_transfer")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    LAST_LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    LAST_LOG_TERM_FIELD_NUMBER: _ClassVar[int]
    LEADER_TRANSFER_FIELD_NUMBER: _ClassVar[int]
    group_id: int
    to: str
    term: int
    last_log_index: int
    last_log_term: int
    leader_transfer: bool
    def __init__(self, group_id: _Optional[int] = ..., to: _Optional[str] = ..., term: _Optional[int] = ..., last_log_index: _Optional[int] = ..., last_log_term: _Optional[int] = ..., leader_transfer: _Optional[bool] = ..., **kwargs) -> None: ...

class RequestVoteResponse(_message.Message):
    __slots__ = ("term", "granted", "reject_reason")
    TERM_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    REJECT_REASON_FIELD_NUMBER: _ClassVar[int]
    term: int
    granted: bool
    reject_reason: RejectReason
    def __init__(self, term: _Optional[int] = ..., granted: _Optional[bool] = ..., reject_reason: _Optional[_Union[RejectReason, str]] = ...) -> None: ...

class AppendEntriesRequest(_message.Message):
    __slots__ = ("group_id", "to", "term", "prev_log_index", "prev_log_term", "entries", "leader_commit", "read_context")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    PREV_LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    PREV_LOG_TERM_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    LEADER_COMMIT_FIELD_NUMBER: _ClassVar[int]
    READ_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    group_id: int
    to: str
    term: int
    prev_log_index: int
    prev_log_term: int
    entries: _containers.RepeatedCompositeFieldContainer[Entry]
    leader_commit: int
    read_context: int
    def __init__(self, group_id: _Optional[int] = ..., to: _Optional[str] = ..., term: _Optional[int] = ..., prev_log_index: _Optional[int] = ..., prev_log_term: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[Entry, _Mapping]]] = ..., leader_commit: _Optional[int] = ..., read_context: _Optional[int] = ..., **kwargs) -> None: ...

class AppendEntriesResponse(_message.Message):
    __slots__ = ("term", "success", "reject_reason", "match_index", "reject_hint_index", "reject_hint_term", "last_log_index", "read_context")
    TERM_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    REJECT_REASON_FIELD_NUMBER: _ClassVar[int]
    MATCH_INDEX_FIELD_NUMBER: _ClassVar[int]
    REJECT_HINT_INDEX_FIELD_NUMBER: _ClassVar[int]
    REJECT_HINT_TERM_FIELD_NUMBER: _ClassVar[int]
    LAST_LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    READ_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    term: int
    success: bool
    reject_reason: RejectReason
    match_index: int
    reject_hint_index: int
    reject_hint_term: int
    last_log_index: int
    read_context: int
    def __init__(self, term: _Optional[int] = ..., success: _Optional[bool] = ..., reject_reason: _Optional[_Union[RejectReason, str]] = ..., match_index: _Optional[int] = ..., reject_hint_index: _Optional[int] = ..., reject_hint_term: _Optional[int] = ..., last_log_index: _Optional[int] = ..., read_context: _Optional[int] = ...) -> None: ...

class InstallSnapshotRequest(_message.Message):
    __slots__ = ("group_id", "to", "term", "meta", "snapshot_id", "total_bytes", "offset", "data", "done", "sha256")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_BYTES_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    group_id: int
    to: str
    term: int
    meta: SnapshotMeta
    snapshot_id: str
    total_bytes: int
    offset: int
    data: bytes
    done: bool
    sha256: bytes
    def __init__(self, group_id: _Optional[int] = ..., to: _Optional[str] = ..., term: _Optional[int] = ..., meta: _Optional[_Union[SnapshotMeta, _Mapping]] = ..., snapshot_id: _Optional[str] = ..., total_bytes: _Optional[int] = ..., offset: _Optional[int] = ..., data: _Optional[bytes] = ..., done: _Optional[bool] = ..., sha256: _Optional[bytes] = ..., **kwargs) -> None: ...

class InstallSnapshotResponse(_message.Message):
    __slots__ = ("term", "success", "reject_reason", "next_offset", "installed", "last_log_index")
    TERM_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    REJECT_REASON_FIELD_NUMBER: _ClassVar[int]
    NEXT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    INSTALLED_FIELD_NUMBER: _ClassVar[int]
    LAST_LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    term: int
    success: bool
    reject_reason: RejectReason
    next_offset: int
    installed: bool
    last_log_index: int
    def __init__(self, term: _Optional[int] = ..., success: _Optional[bool] = ..., reject_reason: _Optional[_Union[RejectReason, str]] = ..., next_offset: _Optional[int] = ..., installed: _Optional[bool] = ..., last_log_index: _Optional[int] = ...) -> None: ...

class TimeoutNowRequest(_message.Message):
    __slots__ = ("group_id", "to", "term")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    group_id: int
    to: str
    term: int
    def __init__(self, group_id: _Optional[int] = ..., to: _Optional[str] = ..., term: _Optional[int] = ..., **kwargs) -> None: ...

class TimeoutNowResponse(_message.Message):
    __slots__ = ("term", "success", "reject_reason")
    TERM_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    REJECT_REASON_FIELD_NUMBER: _ClassVar[int]
    term: int
    success: bool
    reject_reason: RejectReason
    def __init__(self, term: _Optional[int] = ..., success: _Optional[bool] = ..., reject_reason: _Optional[_Union[RejectReason, str]] = ...) -> None: ...
