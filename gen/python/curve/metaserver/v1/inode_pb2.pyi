import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FileType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FILE_TYPE_UNSPECIFIED: _ClassVar[FileType]
    FILE_TYPE_DIRECTORY: _ClassVar[FileType]
    FILE_TYPE_REGULAR: _ClassVar[FileType]
    FILE_TYPE_SYMLINK: _ClassVar[FileType]
    FILE_TYPE_FIFO: _ClassVar[FileType]
    FILE_TYPE_CHAR_DEVICE: _ClassVar[FileType]
    FILE_TYPE_BLOCK_DEVICE: _ClassVar[FileType]
    FILE_TYPE_SOCKET: _ClassVar[FileType]
FILE_TYPE_UNSPECIFIED: FileType
FILE_TYPE_DIRECTORY: FileType
FILE_TYPE_REGULAR: FileType
FILE_TYPE_SYMLINK: FileType
FILE_TYPE_FIFO: FileType
FILE_TYPE_CHAR_DEVICE: FileType
FILE_TYPE_BLOCK_DEVICE: FileType
FILE_TYPE_SOCKET: FileType

class InodeAttr(_message.Message):
    __slots__ = ("inode_id", "fs_id", "type", "mode", "uid", "gid", "nlink", "length", "atime", "mtime", "ctime", "rdev", "symlink_target", "parent_inode_ids", "xattrs", "dtime", "s3_chunk_info_count")
    class XattrsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    GID_FIELD_NUMBER: _ClassVar[int]
    NLINK_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    ATIME_FIELD_NUMBER: _ClassVar[int]
    MTIME_FIELD_NUMBER: _ClassVar[int]
    CTIME_FIELD_NUMBER: _ClassVar[int]
    RDEV_FIELD_NUMBER: _ClassVar[int]
    SYMLINK_TARGET_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_IDS_FIELD_NUMBER: _ClassVar[int]
    XATTRS_FIELD_NUMBER: _ClassVar[int]
    DTIME_FIELD_NUMBER: _ClassVar[int]
    S3_CHUNK_INFO_COUNT_FIELD_NUMBER: _ClassVar[int]
    inode_id: int
    fs_id: int
    type: FileType
    mode: int
    uid: int
    gid: int
    nlink: int
    length: int
    atime: _timestamp_pb2.Timestamp
    mtime: _timestamp_pb2.Timestamp
    ctime: _timestamp_pb2.Timestamp
    rdev: int
    symlink_target: str
    parent_inode_ids: _containers.RepeatedScalarFieldContainer[int]
    xattrs: _containers.ScalarMap[str, bytes]
    dtime: _timestamp_pb2.Timestamp
    s3_chunk_info_count: int
    def __init__(self, inode_id: _Optional[int] = ..., fs_id: _Optional[int] = ..., type: _Optional[_Union[FileType, str]] = ..., mode: _Optional[int] = ..., uid: _Optional[int] = ..., gid: _Optional[int] = ..., nlink: _Optional[int] = ..., length: _Optional[int] = ..., atime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., mtime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ctime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rdev: _Optional[int] = ..., symlink_target: _Optional[str] = ..., parent_inode_ids: _Optional[_Iterable[int]] = ..., xattrs: _Optional[_Mapping[str, bytes]] = ..., dtime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., s3_chunk_info_count: _Optional[int] = ...) -> None: ...

class Inode(_message.Message):
    __slots__ = ("attr", "s3_chunk_infos")
    class S3ChunkInfosEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: S3ChunkInfoList
        def __init__(self, key: _Optional[int] = ..., value: _Optional[_Union[S3ChunkInfoList, _Mapping]] = ...) -> None: ...
    ATTR_FIELD_NUMBER: _ClassVar[int]
    S3_CHUNK_INFOS_FIELD_NUMBER: _ClassVar[int]
    attr: InodeAttr
    s3_chunk_infos: _containers.MessageMap[int, S3ChunkInfoList]
    def __init__(self, attr: _Optional[_Union[InodeAttr, _Mapping]] = ..., s3_chunk_infos: _Optional[_Mapping[int, S3ChunkInfoList]] = ...) -> None: ...

class S3ChunkInfo(_message.Message):
    __slots__ = ("chunk_id", "compaction", "offset", "len", "size", "zero")
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    COMPACTION_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LEN_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    ZERO_FIELD_NUMBER: _ClassVar[int]
    chunk_id: int
    compaction: int
    offset: int
    len: int
    size: int
    zero: bool
    def __init__(self, chunk_id: _Optional[int] = ..., compaction: _Optional[int] = ..., offset: _Optional[int] = ..., len: _Optional[int] = ..., size: _Optional[int] = ..., zero: _Optional[bool] = ...) -> None: ...

class S3ChunkInfoList(_message.Message):
    __slots__ = ("infos",)
    INFOS_FIELD_NUMBER: _ClassVar[int]
    infos: _containers.RepeatedCompositeFieldContainer[S3ChunkInfo]
    def __init__(self, infos: _Optional[_Iterable[_Union[S3ChunkInfo, _Mapping]]] = ...) -> None: ...

class S3ChunkInfoAppend(_message.Message):
    __slots__ = ("chunk_index", "infos")
    CHUNK_INDEX_FIELD_NUMBER: _ClassVar[int]
    INFOS_FIELD_NUMBER: _ClassVar[int]
    chunk_index: int
    infos: _containers.RepeatedCompositeFieldContainer[S3ChunkInfo]
    def __init__(self, chunk_index: _Optional[int] = ..., infos: _Optional[_Iterable[_Union[S3ChunkInfo, _Mapping]]] = ...) -> None: ...

class VolumeExtent(_message.Message):
    __slots__ = ("file_offset", "volume_offset", "length", "written")
    FILE_OFFSET_FIELD_NUMBER: _ClassVar[int]
    VOLUME_OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    file_offset: int
    volume_offset: int
    length: int
    written: bool
    def __init__(self, file_offset: _Optional[int] = ..., volume_offset: _Optional[int] = ..., length: _Optional[int] = ..., written: _Optional[bool] = ...) -> None: ...

class Dentry(_message.Message):
    __slots__ = ("fs_id", "parent_inode_id", "name", "inode_id", "type", "tx_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    parent_inode_id: int
    name: str
    inode_id: int
    type: FileType
    tx_id: int
    def __init__(self, fs_id: _Optional[int] = ..., parent_inode_id: _Optional[int] = ..., name: _Optional[str] = ..., inode_id: _Optional[int] = ..., type: _Optional[_Union[FileType, str]] = ..., tx_id: _Optional[int] = ...) -> None: ...
