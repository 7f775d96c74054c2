from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FsType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FS_TYPE_UNSPECIFIED: _ClassVar[FsType]
    FS_TYPE_S3: _ClassVar[FsType]
    FS_TYPE_VOLUME: _ClassVar[FsType]

class ObjectPrefixScheme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OBJECT_PREFIX_SCHEME_UNSPECIFIED: _ClassVar[ObjectPrefixScheme]
    OBJECT_PREFIX_SCHEME_INODE_THOUSANDS: _ClassVar[ObjectPrefixScheme]
    OBJECT_PREFIX_SCHEME_INODE_HASH: _ClassVar[ObjectPrefixScheme]

class PartitionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARTITION_STATUS_UNSPECIFIED: _ClassVar[PartitionStatus]
    PARTITION_STATUS_READ_WRITE: _ClassVar[PartitionStatus]
    PARTITION_STATUS_READ_ONLY: _ClassVar[PartitionStatus]
    PARTITION_STATUS_DELETING: _ClassVar[PartitionStatus]
FS_TYPE_UNSPECIFIED: FsType
FS_TYPE_S3: FsType
FS_TYPE_VOLUME: FsType
OBJECT_PREFIX_SCHEME_UNSPECIFIED: ObjectPrefixScheme
OBJECT_PREFIX_SCHEME_INODE_THOUSANDS: ObjectPrefixScheme
OBJECT_PREFIX_SCHEME_INODE_HASH: ObjectPrefixScheme
PARTITION_STATUS_UNSPECIFIED: PartitionStatus
PARTITION_STATUS_READ_WRITE: PartitionStatus
PARTITION_STATUS_READ_ONLY: PartitionStatus
PARTITION_STATUS_DELETING: PartitionStatus

class S3Info(_message.Message):
    __slots__ = ("endpoint", "bucket", "access_key", "secret_key", "block_size", "chunk_size", "object_prefix", "region", "secret_key_set")
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    ACCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    SECRET_KEY_FIELD_NUMBER: _ClassVar[int]
    BLOCK_SIZE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PREFIX_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SECRET_KEY_SET_FIELD_NUMBER: _ClassVar[int]
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    block_size: int
    chunk_size: int
    object_prefix: ObjectPrefixScheme
    region: str
    secret_key_set: bool
    def __init__(self, endpoint: _Optional[str] = ..., bucket: _Optional[str] = ..., access_key: _Optional[str] = ..., secret_key: _Optional[str] = ..., block_size: _Optional[int] = ..., chunk_size: _Optional[int] = ..., object_prefix: _Optional[_Union[ObjectPrefixScheme, str]] = ..., region: _Optional[str] = ..., secret_key_set: _Optional[bool] = ...) -> None: ...

class VolumeInfo(_message.Message):
    __slots__ = ("volume_name", "volume_size", "block_size", "extent_group_size")
    VOLUME_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_SIZE_FIELD_NUMBER: _ClassVar[int]
    BLOCK_SIZE_FIELD_NUMBER: _ClassVar[int]
    EXTENT_GROUP_SIZE_FIELD_NUMBER: _ClassVar[int]
    volume_name: str
    volume_size: int
    block_size: int
    extent_group_size: int
    def __init__(self, volume_name: _Optional[str] = ..., volume_size: _Optional[int] = ..., block_size: _Optional[int] = ..., extent_group_size: _Optional[int] = ...) -> None: ...

class Extent(_message.Message):
    __slots__ = ("offset", "length")
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    offset: int
    length: int
    def __init__(self, offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class Peer(_message.Message):
    __slots__ = ("id", "address")
    ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    id: int
    address: str
    def __init__(self, id: _Optional[int] = ..., address: _Optional[str] = ...) -> None: ...

class PartitionInfo(_message.Message):
    __slots__ = ("fs_id", "pool_id", "copyset_id", "partition_id", "start", "end", "tx_id", "next_id", "status", "inode_count", "dentry_count")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INODE_COUNT_FIELD_NUMBER: _ClassVar[int]
    DENTRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    pool_id: int
    copyset_id: int
    partition_id: int
    start: int
    end: int
    tx_id: int
    next_id: int
    status: PartitionStatus
    inode_count: int
    dentry_count: int
    def __init__(self, fs_id: _Optional[int] = ..., pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., tx_id: _Optional[int] = ..., next_id: _Optional[int] = ..., status: _Optional[_Union[PartitionStatus, str]] = ..., inode_count: _Optional[int] = ..., dentry_count: _Optional[int] = ...) -> None: ...
