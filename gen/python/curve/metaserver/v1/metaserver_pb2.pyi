import datetime

from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from curve.metaserver.v1 import inode_pb2 as _inode_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RenameTxAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RENAME_TX_ACTION_UNSPECIFIED: _ClassVar[RenameTxAction]
    RENAME_TX_ACTION_PUT: _ClassVar[RenameTxAction]
    RENAME_TX_ACTION_DELETE: _ClassVar[RenameTxAction]

class ManageInodeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MANAGE_INODE_TYPE_UNSPECIFIED: _ClassVar[ManageInodeType]
    MANAGE_INODE_TYPE_RECYCLE: _ClassVar[ManageInodeType]
RENAME_TX_ACTION_UNSPECIFIED: RenameTxAction
RENAME_TX_ACTION_PUT: RenameTxAction
RENAME_TX_ACTION_DELETE: RenameTxAction
MANAGE_INODE_TYPE_UNSPECIFIED: ManageInodeType
MANAGE_INODE_TYPE_RECYCLE: ManageInodeType

class GetDentryRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "parent_inode_id", "name", "tx_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    parent_inode_id: int
    name: str
    tx_id: int
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., parent_inode_id: _Optional[int] = ..., name: _Optional[str] = ..., tx_id: _Optional[int] = ...) -> None: ...

class GetDentryResponse(_message.Message):
    __slots__ = ("dentry",)
    DENTRY_FIELD_NUMBER: _ClassVar[int]
    dentry: _inode_pb2.Dentry
    def __init__(self, dentry: _Optional[_Union[_inode_pb2.Dentry, _Mapping]] = ...) -> None: ...

class ListDentryRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "parent_inode_id", "tx_id", "page_size", "page_token", "directories_only")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DIRECTORIES_ONLY_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    parent_inode_id: int
    tx_id: int
    page_size: int
    page_token: str
    directories_only: bool
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., parent_inode_id: _Optional[int] = ..., tx_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., directories_only: _Optional[bool] = ...) -> None: ...

class ListDentryResponse(_message.Message):
    __slots__ = ("dentries", "next_page_token")
    DENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dentries: _containers.RepeatedCompositeFieldContainer[_inode_pb2.Dentry]
    next_page_token: str
    def __init__(self, dentries: _Optional[_Iterable[_Union[_inode_pb2.Dentry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateDentryRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "parent_inode_id", "name", "inode_id", "type", "time", "tx_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    parent_inode_id: int
    name: str
    inode_id: int
    type: _inode_pb2.FileType
    time: _timestamp_pb2.Timestamp
    tx_id: int
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., parent_inode_id: _Optional[int] = ..., name: _Optional[str] = ..., inode_id: _Optional[int] = ..., type: _Optional[_Union[_inode_pb2.FileType, str]] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tx_id: _Optional[int] = ...) -> None: ...

class CreateDentryResponse(_message.Message):
    __slots__ = ("dentry", "parent")
    DENTRY_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    dentry: _inode_pb2.Dentry
    parent: _inode_pb2.InodeAttr
    def __init__(self, dentry: _Optional[_Union[_inode_pb2.Dentry, _Mapping]] = ..., parent: _Optional[_Union[_inode_pb2.InodeAttr, _Mapping]] = ...) -> None: ...

class DeleteDentryRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "parent_inode_id", "name", "time", "tx_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    parent_inode_id: int
    name: str
    time: _timestamp_pb2.Timestamp
    tx_id: int
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., parent_inode_id: _Optional[int] = ..., name: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tx_id: _Optional[int] = ...) -> None: ...

class DeleteDentryResponse(_message.Message):
    __slots__ = ("dentry", "parent")
    DENTRY_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    dentry: _inode_pb2.Dentry
    parent: _inode_pb2.InodeAttr
    def __init__(self, dentry: _Optional[_Union[_inode_pb2.Dentry, _Mapping]] = ..., parent: _Optional[_Union[_inode_pb2.InodeAttr, _Mapping]] = ...) -> None: ...

class RenameTxEntry(_message.Message):
    __slots__ = ("action", "parent_inode_id", "name", "inode_id", "type")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    action: RenameTxAction
    parent_inode_id: int
    name: str
    inode_id: int
    type: _inode_pb2.FileType
    def __init__(self, action: _Optional[_Union[RenameTxAction, str]] = ..., parent_inode_id: _Optional[int] = ..., name: _Optional[str] = ..., inode_id: _Optional[int] = ..., type: _Optional[_Union[_inode_pb2.FileType, str]] = ...) -> None: ...

class PrepareRenameTxRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "tx_id", "tx_sequence", "entries")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    TX_ID_FIELD_NUMBER: _ClassVar[int]
    TX_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    tx_id: int
    tx_sequence: int
    entries: _containers.RepeatedCompositeFieldContainer[RenameTxEntry]
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., tx_id: _Optional[int] = ..., tx_sequence: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[RenameTxEntry, _Mapping]]] = ...) -> None: ...

class PrepareRenameTxResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetInodeRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "inode_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    inode_id: int
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., inode_id: _Optional[int] = ...) -> None: ...

class GetInodeResponse(_message.Message):
    __slots__ = ("inode",)
    INODE_FIELD_NUMBER: _ClassVar[int]
    inode: _inode_pb2.Inode
    def __init__(self, inode: _Optional[_Union[_inode_pb2.Inode, _Mapping]] = ...) -> None: ...

class BatchGetInodeAttrRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "inode_ids")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    INODE_IDS_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    inode_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., inode_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class BatchGetInodeAttrResponse(_message.Message):
    __slots__ = ("attrs", "missing_inode_ids", "unprocessed_inode_ids")
    ATTRS_FIELD_NUMBER: _ClassVar[int]
    MISSING_INODE_IDS_FIELD_NUMBER: _ClassVar[int]
    UNPROCESSED_INODE_IDS_FIELD_NUMBER: _ClassVar[int]
    attrs: _containers.RepeatedCompositeFieldContainer[_inode_pb2.InodeAttr]
    missing_inode_ids: _containers.RepeatedScalarFieldContainer[int]
    unprocessed_inode_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, attrs: _Optional[_Iterable[_Union[_inode_pb2.InodeAttr, _Mapping]]] = ..., missing_inode_ids: _Optional[_Iterable[int]] = ..., unprocessed_inode_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class CreateInodeRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "parent_inode_id", "type", "mode", "uid", "gid", "rdev", "symlink_target", "xattrs", "time")
    class XattrsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_INODE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    GID_FIELD_NUMBER: _ClassVar[int]
    RDEV_FIELD_NUMBER: _ClassVar[int]
    SYMLINK_TARGET_FIELD_NUMBER: _ClassVar[int]
    XATTRS_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    parent_inode_id: int
    type: _inode_pb2.FileType
    mode: int
    uid: int
    gid: int
    rdev: int
    symlink_target: str
    xattrs: _containers.ScalarMap[str, bytes]
    time: _timestamp_pb2.Timestamp
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., parent_inode_id: _Optional[int] = ..., type: _Optional[_Union[_inode_pb2.FileType, str]] = ..., mode: _Optional[int] = ..., uid: _Optional[int] = ..., gid: _Optional[int] = ..., rdev: _Optional[int] = ..., symlink_target: _Optional[str] = ..., xattrs: _Optional[_Mapping[str, bytes]] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateInodeResponse(_message.Message):
    __slots__ = ("attr",)
    ATTR_FIELD_NUMBER: _ClassVar[int]
    attr: _inode_pb2.InodeAttr
    def __init__(self, attr: _Optional[_Union[_inode_pb2.InodeAttr, _Mapping]] = ...) -> None: ...

class Xattrs(_message.Message):
    __slots__ = ("entries",)
    class EntriesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.ScalarMap[str, bytes]
    def __init__(self, entries: _Optional[_Mapping[str, bytes]] = ...) -> None: ...

class ParentList(_message.Message):
    __slots__ = ("inode_ids",)
    INODE_IDS_FIELD_NUMBER: _ClassVar[int]
    inode_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, inode_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class UpdateInodeRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "inode_id", "time", "length", "mode", "uid", "gid", "nlink", "atime", "mtime", "ctime", "xattrs", "parents", "s3_chunk_info_appends")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    GID_FIELD_NUMBER: _ClassVar[int]
    NLINK_FIELD_NUMBER: _ClassVar[int]
    ATIME_FIELD_NUMBER: _ClassVar[int]
    MTIME_FIELD_NUMBER: _ClassVar[int]
    CTIME_FIELD_NUMBER: _ClassVar[int]
    XATTRS_FIELD_NUMBER: _ClassVar[int]
    PARENTS_FIELD_NUMBER: _ClassVar[int]
    S3_CHUNK_INFO_APPENDS_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    inode_id: int
    time: _timestamp_pb2.Timestamp
    length: int
    mode: int
    uid: int
    gid: int
    nlink: int
    atime: _timestamp_pb2.Timestamp
    mtime: _timestamp_pb2.Timestamp
    ctime: _timestamp_pb2.Timestamp
    xattrs: Xattrs
    parents: ParentList
    s3_chunk_info_appends: _containers.RepeatedCompositeFieldContainer[_inode_pb2.S3ChunkInfoAppend]
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., inode_id: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., length: _Optional[int] = ..., mode: _Optional[int] = ..., uid: _Optional[int] = ..., gid: _Optional[int] = ..., nlink: _Optional[int] = ..., atime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., mtime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ctime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., xattrs: _Optional[_Union[Xattrs, _Mapping]] = ..., parents: _Optional[_Union[ParentList, _Mapping]] = ..., s3_chunk_info_appends: _Optional[_Iterable[_Union[_inode_pb2.S3ChunkInfoAppend, _Mapping]]] = ...) -> None: ...

class UpdateInodeResponse(_message.Message):
    __slots__ = ("attr",)
    ATTR_FIELD_NUMBER: _ClassVar[int]
    attr: _inode_pb2.InodeAttr
    def __init__(self, attr: _Optional[_Union[_inode_pb2.InodeAttr, _Mapping]] = ...) -> None: ...

class DeleteInodeRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "inode_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    inode_id: int
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., inode_id: _Optional[int] = ...) -> None: ...

class DeleteInodeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateRootInodeRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "uid", "gid", "mode", "time")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    GID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    uid: int
    gid: int
    mode: int
    time: _timestamp_pb2.Timestamp
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., uid: _Optional[int] = ..., gid: _Optional[int] = ..., mode: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateRootInodeResponse(_message.Message):
    __slots__ = ("attr",)
    ATTR_FIELD_NUMBER: _ClassVar[int]
    attr: _inode_pb2.InodeAttr
    def __init__(self, attr: _Optional[_Union[_inode_pb2.InodeAttr, _Mapping]] = ...) -> None: ...

class CreateManageInodeRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "manage_type", "uid", "gid", "mode", "time")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    MANAGE_TYPE_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    GID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    manage_type: ManageInodeType
    uid: int
    gid: int
    mode: int
    time: _timestamp_pb2.Timestamp
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., manage_type: _Optional[_Union[ManageInodeType, str]] = ..., uid: _Optional[int] = ..., gid: _Optional[int] = ..., mode: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateManageInodeResponse(_message.Message):
    __slots__ = ("attr",)
    ATTR_FIELD_NUMBER: _ClassVar[int]
    attr: _inode_pb2.InodeAttr
    def __init__(self, attr: _Optional[_Union[_inode_pb2.InodeAttr, _Mapping]] = ...) -> None: ...

class AppendS3ChunkInfoRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "inode_id", "appends", "return_chunk_infos")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    APPENDS_FIELD_NUMBER: _ClassVar[int]
    RETURN_CHUNK_INFOS_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    inode_id: int
    appends: _containers.RepeatedCompositeFieldContainer[_inode_pb2.S3ChunkInfoAppend]
    return_chunk_infos: bool
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., inode_id: _Optional[int] = ..., appends: _Optional[_Iterable[_Union[_inode_pb2.S3ChunkInfoAppend, _Mapping]]] = ..., return_chunk_infos: _Optional[bool] = ...) -> None: ...

class AppendS3ChunkInfoResponse(_message.Message):
    __slots__ = ("s3_chunk_infos", "appended_count")
    class S3ChunkInfosEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: _inode_pb2.S3ChunkInfoList
        def __init__(self, key: _Optional[int] = ..., value: _Optional[_Union[_inode_pb2.S3ChunkInfoList, _Mapping]] = ...) -> None: ...
    S3_CHUNK_INFOS_FIELD_NUMBER: _ClassVar[int]
    APPENDED_COUNT_FIELD_NUMBER: _ClassVar[int]
    s3_chunk_infos: _containers.MessageMap[int, _inode_pb2.S3ChunkInfoList]
    appended_count: int
    def __init__(self, s3_chunk_infos: _Optional[_Mapping[int, _inode_pb2.S3ChunkInfoList]] = ..., appended_count: _Optional[int] = ...) -> None: ...

class GetVolumeExtentRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "inode_id", "offset", "length", "page_size", "page_token")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    inode_id: int
    offset: int
    length: int
    page_size: int
    page_token: str
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., inode_id: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GetVolumeExtentResponse(_message.Message):
    __slots__ = ("extents", "next_page_token")
    EXTENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    extents: _containers.RepeatedCompositeFieldContainer[_inode_pb2.VolumeExtent]
    next_page_token: str
    def __init__(self, extents: _Optional[_Iterable[_Union[_inode_pb2.VolumeExtent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateVolumeExtentRequest(_message.Message):
    __slots__ = ("fs_id", "partition_id", "inode_id", "extents")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    INODE_ID_FIELD_NUMBER: _ClassVar[int]
    EXTENTS_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    partition_id: int
    inode_id: int
    extents: _containers.RepeatedCompositeFieldContainer[_inode_pb2.VolumeExtent]
    def __init__(self, fs_id: _Optional[int] = ..., partition_id: _Optional[int] = ..., inode_id: _Optional[int] = ..., extents: _Optional[_Iterable[_Union[_inode_pb2.VolumeExtent, _Mapping]]] = ...) -> None: ...

class UpdateVolumeExtentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreatePartitionRequest(_message.Message):
    __slots__ = ("partition", "fs_type")
    PARTITION_FIELD_NUMBER: _ClassVar[int]
    FS_TYPE_FIELD_NUMBER: _ClassVar[int]
    partition: _common_pb2.PartitionInfo
    fs_type: _common_pb2.FsType
    def __init__(self, partition: _Optional[_Union[_common_pb2.PartitionInfo, _Mapping]] = ..., fs_type: _Optional[_Union[_common_pb2.FsType, str]] = ...) -> None: ...

class CreatePartitionResponse(_message.Message):
    __slots__ = ("partition",)
    PARTITION_FIELD_NUMBER: _ClassVar[int]
    partition: _common_pb2.PartitionInfo
    def __init__(self, partition: _Optional[_Union[_common_pb2.PartitionInfo, _Mapping]] = ...) -> None: ...

class DeletePartitionRequest(_message.Message):
    __slots__ = ("fs_id", "pool_id", "copyset_id", "partition_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    PARTITION_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    pool_id: int
    copyset_id: int
    partition_id: int
    def __init__(self, fs_id: _Optional[int] = ..., pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., partition_id: _Optional[int] = ...) -> None: ...

class DeletePartitionResponse(_message.Message):
    __slots__ = ("removed",)
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    removed: bool
    def __init__(self, removed: _Optional[bool] = ...) -> None: ...
