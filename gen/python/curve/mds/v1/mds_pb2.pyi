from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from curve.common.v1 import error_pb2 as _error_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FsStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FS_STATUS_UNSPECIFIED: _ClassVar[FsStatus]
    FS_STATUS_NEW: _ClassVar[FsStatus]
    FS_STATUS_INITED: _ClassVar[FsStatus]
    FS_STATUS_DELETING: _ClassVar[FsStatus]
FS_STATUS_UNSPECIFIED: FsStatus
FS_STATUS_NEW: FsStatus
FS_STATUS_INITED: FsStatus
FS_STATUS_DELETING: FsStatus

class Mountpoint(_message.Message):
    __slots__ = ("hostname", "port", "path", "cto")
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    CTO_FIELD_NUMBER: _ClassVar[int]
    hostname: str
    port: int
    path: str
    cto: bool
    def __init__(self, hostname: _Optional[str] = ..., port: _Optional[int] = ..., path: _Optional[str] = ..., cto: _Optional[bool] = ...) -> None: ...

class FsInfo(_message.Message):
    __slots__ = ("fs_id", "fs_name", "status", "root_inode_id", "capacity", "block_size", "fs_type", "s3_info", "volume_info", "mountpoints", "enable_sum_in_dir", "owner", "tx_sequence", "tx_owner", "recycle_time_hours", "used_bytes")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    FS_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ROOT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    BLOCK_SIZE_FIELD_NUMBER: _ClassVar[int]
    FS_TYPE_FIELD_NUMBER: _ClassVar[int]
    S3_INFO_FIELD_NUMBER: _ClassVar[int]
    VOLUME_INFO_FIELD_NUMBER: _ClassVar[int]
    MOUNTPOINTS_FIELD_NUMBER: _ClassVar[int]
    ENABLE_SUM_IN_DIR_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    TX_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TX_OWNER_FIELD_NUMBER: _ClassVar[int]
    RECYCLE_TIME_HOURS_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    fs_name: str
    status: FsStatus
    root_inode_id: int
    capacity: int
    block_size: int
    fs_type: _common_pb2.FsType
    s3_info: _common_pb2.S3Info
    volume_info: _common_pb2.VolumeInfo
    mountpoints: _containers.RepeatedCompositeFieldContainer[Mountpoint]
    enable_sum_in_dir: bool
    owner: str
    tx_sequence: int
    tx_owner: str
    recycle_time_hours: int
    used_bytes: int
    def __init__(self, fs_id: _Optional[int] = ..., fs_name: _Optional[str] = ..., status: _Optional[_Union[FsStatus, str]] = ..., root_inode_id: _Optional[int] = ..., capacity: _Optional[int] = ..., block_size: _Optional[int] = ..., fs_type: _Optional[_Union[_common_pb2.FsType, str]] = ..., s3_info: _Optional[_Union[_common_pb2.S3Info, _Mapping]] = ..., volume_info: _Optional[_Union[_common_pb2.VolumeInfo, _Mapping]] = ..., mountpoints: _Optional[_Iterable[_Union[Mountpoint, _Mapping]]] = ..., enable_sum_in_dir: _Optional[bool] = ..., owner: _Optional[str] = ..., tx_sequence: _Optional[int] = ..., tx_owner: _Optional[str] = ..., recycle_time_hours: _Optional[int] = ..., used_bytes: _Optional[int] = ...) -> None: ...

class CreateFsRequest(_message.Message):
    __slots__ = ("fs_name", "block_size", "capacity", "owner", "enable_sum_in_dir", "recycle_time_hours", "s3_info", "volume_info")
    FS_NAME_FIELD_NUMBER: _ClassVar[int]
    BLOCK_SIZE_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    ENABLE_SUM_IN_DIR_FIELD_NUMBER: _ClassVar[int]
    RECYCLE_TIME_HOURS_FIELD_NUMBER: _ClassVar[int]
    S3_INFO_FIELD_NUMBER: _ClassVar[int]
    VOLUME_INFO_FIELD_NUMBER: _ClassVar[int]
    fs_name: str
    block_size: int
    capacity: int
    owner: str
    enable_sum_in_dir: bool
    recycle_time_hours: int
    s3_info: _common_pb2.S3Info
    volume_info: _common_pb2.VolumeInfo
    def __init__(self, fs_name: _Optional[str] = ..., block_size: _Optional[int] = ..., capacity: _Optional[int] = ..., owner: _Optional[str] = ..., enable_sum_in_dir: _Optional[bool] = ..., recycle_time_hours: _Optional[int] = ..., s3_info: _Optional[_Union[_common_pb2.S3Info, _Mapping]] = ..., volume_info: _Optional[_Union[_common_pb2.VolumeInfo, _Mapping]] = ...) -> None: ...

class CreateFsResponse(_message.Message):
    __slots__ = ("fs_info",)
    FS_INFO_FIELD_NUMBER: _ClassVar[int]
    fs_info: FsInfo
    def __init__(self, fs_info: _Optional[_Union[FsInfo, _Mapping]] = ...) -> None: ...

class GetFsInfoRequest(_message.Message):
    __slots__ = ("fs_id", "fs_name")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    FS_NAME_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    fs_name: str
    def __init__(self, fs_id: _Optional[int] = ..., fs_name: _Optional[str] = ...) -> None: ...

class GetFsInfoResponse(_message.Message):
    __slots__ = ("fs_info",)
    FS_INFO_FIELD_NUMBER: _ClassVar[int]
    fs_info: FsInfo
    def __init__(self, fs_info: _Optional[_Union[FsInfo, _Mapping]] = ...) -> None: ...

class ListFsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFsResponse(_message.Message):
    __slots__ = ("fs_infos", "next_page_token")
    FS_INFOS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    fs_infos: _containers.RepeatedCompositeFieldContainer[FsInfo]
    next_page_token: str
    def __init__(self, fs_infos: _Optional[_Iterable[_Union[FsInfo, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateFsRequest(_message.Message):
    __slots__ = ("fs_name", "capacity", "owner")
    FS_NAME_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    fs_name: str
    capacity: int
    owner: str
    def __init__(self, fs_name: _Optional[str] = ..., capacity: _Optional[int] = ..., owner: _Optional[str] = ...) -> None: ...

class UpdateFsResponse(_message.Message):
    __slots__ = ("fs_info",)
    FS_INFO_FIELD_NUMBER: _ClassVar[int]
    fs_info: FsInfo
    def __init__(self, fs_info: _Optional[_Union[FsInfo, _Mapping]] = ...) -> None: ...

class DeleteFsRequest(_message.Message):
    __slots__ = ("fs_name", "fs_id")
    FS_NAME_FIELD_NUMBER: _ClassVar[int]
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    fs_name: str
    fs_id: int
    def __init__(self, fs_name: _Optional[str] = ..., fs_id: _Optional[int] = ...) -> None: ...

class DeleteFsResponse(_message.Message):
    __slots__ = ("fs_info",)
    FS_INFO_FIELD_NUMBER: _ClassVar[int]
    fs_info: FsInfo
    def __init__(self, fs_info: _Optional[_Union[FsInfo, _Mapping]] = ...) -> None: ...

class MountFsRequest(_message.Message):
    __slots__ = ("fs_name", "mountpoint")
    FS_NAME_FIELD_NUMBER: _ClassVar[int]
    MOUNTPOINT_FIELD_NUMBER: _ClassVar[int]
    fs_name: str
    mountpoint: Mountpoint
    def __init__(self, fs_name: _Optional[str] = ..., mountpoint: _Optional[_Union[Mountpoint, _Mapping]] = ...) -> None: ...

class MountFsResponse(_message.Message):
    __slots__ = ("fs_info", "session_ttl_ms", "refresh_interval_ms")
    FS_INFO_FIELD_NUMBER: _ClassVar[int]
    SESSION_TTL_MS_FIELD_NUMBER: _ClassVar[int]
    REFRESH_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    fs_info: FsInfo
    session_ttl_ms: int
    refresh_interval_ms: int
    def __init__(self, fs_info: _Optional[_Union[FsInfo, _Mapping]] = ..., session_ttl_ms: _Optional[int] = ..., refresh_interval_ms: _Optional[int] = ...) -> None: ...

class UmountFsRequest(_message.Message):
    __slots__ = ("fs_name", "mountpoint")
    FS_NAME_FIELD_NUMBER: _ClassVar[int]
    MOUNTPOINT_FIELD_NUMBER: _ClassVar[int]
    fs_name: str
    mountpoint: Mountpoint
    def __init__(self, fs_name: _Optional[str] = ..., mountpoint: _Optional[_Union[Mountpoint, _Mapping]] = ...) -> None: ...

class UmountFsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PartitionTxId(_message.Message):
    __slots__ = ("partition_id", "tx_id")
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    partition_id: int
    tx_id: int
    def __init__(self, partition_id: _Optional[int] = ..., tx_id: _Optional[int] = ...) -> None: ...

class RefreshSessionRequest(_message.Message):
    __slots__ = ("fs_id", "mountpoint", "known_tx_ids", "used_bytes_delta")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    MOUNTPOINT_FIELD_NUMBER: _ClassVar[int]
    KNOWN_TX_IDS_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_DELTA_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    mountpoint: Mountpoint
    known_tx_ids: _containers.RepeatedCompositeFieldContainer[PartitionTxId]
    used_bytes_delta: int
    def __init__(self, fs_id: _Optional[int] = ..., mountpoint: _Optional[_Union[Mountpoint, _Mapping]] = ..., known_tx_ids: _Optional[_Iterable[_Union[PartitionTxId, _Mapping]]] = ..., used_bytes_delta: _Optional[int] = ...) -> None: ...

class RefreshSessionResponse(_message.Message):
    __slots__ = ("latest_tx_ids", "capacity", "used_bytes", "enable_sum_in_dir", "session_ttl_ms", "refresh_interval_ms", "remounted")
    LATEST_TX_IDS_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    ENABLE_SUM_IN_DIR_FIELD_NUMBER: _ClassVar[int]
    SESSION_TTL_MS_FIELD_NUMBER: _ClassVar[int]
    REFRESH_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    REMOUNTED_FIELD_NUMBER: _ClassVar[int]
    latest_tx_ids: _containers.RepeatedCompositeFieldContainer[PartitionTxId]
    capacity: int
    used_bytes: int
    enable_sum_in_dir: bool
    session_ttl_ms: int
    refresh_interval_ms: int
    remounted: bool
    def __init__(self, latest_tx_ids: _Optional[_Iterable[_Union[PartitionTxId, _Mapping]]] = ..., capacity: _Optional[int] = ..., used_bytes: _Optional[int] = ..., enable_sum_in_dir: _Optional[bool] = ..., session_ttl_ms: _Optional[int] = ..., refresh_interval_ms: _Optional[int] = ..., remounted: _Optional[bool] = ...) -> None: ...

class AllocateS3ChunkRequest(_message.Message):
    __slots__ = ("fs_id", "count")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    count: int
    def __init__(self, fs_id: _Optional[int] = ..., count: _Optional[int] = ...) -> None: ...

class AllocateS3ChunkResponse(_message.Message):
    __slots__ = ("begin_chunk_id",)
    BEGIN_CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    begin_chunk_id: int
    def __init__(self, begin_chunk_id: _Optional[int] = ...) -> None: ...

class GetLatestTxIdRequest(_message.Message):
    __slots__ = ("fs_id", "lock_owner")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    LOCK_OWNER_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    lock_owner: str
    def __init__(self, fs_id: _Optional[int] = ..., lock_owner: _Optional[str] = ...) -> None: ...

class GetLatestTxIdResponse(_message.Message):
    __slots__ = ("tx_ids", "tx_sequence", "lock_ttl_ms")
    TX_IDS_FIELD_NUMBER: _ClassVar[int]
    TX_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LOCK_TTL_MS_FIELD_NUMBER: _ClassVar[int]
    tx_ids: _containers.RepeatedCompositeFieldContainer[PartitionTxId]
    tx_sequence: int
    lock_ttl_ms: int
    def __init__(self, tx_ids: _Optional[_Iterable[_Union[PartitionTxId, _Mapping]]] = ..., tx_sequence: _Optional[int] = ..., lock_ttl_ms: _Optional[int] = ...) -> None: ...

class CommitTxRequest(_message.Message):
    __slots__ = ("fs_id", "partition_tx_ids", "lock_owner", "tx_sequence")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_TX_IDS_FIELD_NUMBER: _ClassVar[int]
    LOCK_OWNER_FIELD_NUMBER: _ClassVar[int]
    TX_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_tx_ids: _containers.RepeatedCompositeFieldContainer[PartitionTxId]
    lock_owner: str
    tx_sequence: int
    def __init__(self, fs_id: _Optional[int] = ..., partition_tx_ids: _Optional[_Iterable[_Union[PartitionTxId, _Mapping]]] = ..., lock_owner: _Optional[str] = ..., tx_sequence: _Optional[int] = ...) -> None: ...

class CommitTxResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
