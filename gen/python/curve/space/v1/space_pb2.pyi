from buf.validate import validate_pb2 as _validate_pb2
from curve.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AllocationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALLOCATION_KIND_UNSPECIFIED: _ClassVar[AllocationKind]
    ALLOCATION_KIND_SMALL: _ClassVar[AllocationKind]
    ALLOCATION_KIND_BIG: _ClassVar[AllocationKind]
ALLOCATION_KIND_UNSPECIFIED: AllocationKind
ALLOCATION_KIND_SMALL: AllocationKind
ALLOCATION_KIND_BIG: AllocationKind

class SpaceInfo(_message.Message):
    __slots__ = ("fs_id", "volume", "allocated_bytes", "free_bytes", "extent_group_count", "unused_extent_group_count", "largest_free_extent")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    ALLOCATED_BYTES_FIELD_NUMBER: _ClassVar[int]
    FREE_BYTES_FIELD_NUMBER: _ClassVar[int]
    EXTENT_GROUP_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNUSED_EXTENT_GROUP_COUNT_FIELD_NUMBER: _ClassVar[int]
    LARGEST_FREE_EXTENT_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    volume: _common_pb2.VolumeInfo
    allocated_bytes: int
    free_bytes: int
    extent_group_count: int
    unused_extent_group_count: int
    largest_free_extent: int
    def __init__(self, fs_id: _Optional[int] = ..., volume: _Optional[_Union[_common_pb2.VolumeInfo, _Mapping]] = ..., allocated_bytes: _Optional[int] = ..., free_bytes: _Optional[int] = ..., extent_group_count: _Optional[int] = ..., unused_extent_group_count: _Optional[int] = ..., largest_free_extent: _Optional[int] = ...) -> None: ...

class InitSpaceRequest(_message.Message):
    __slots__ = ("fs_id", "volume")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    volume: _common_pb2.VolumeInfo
    def __init__(self, fs_id: _Optional[int] = ..., volume: _Optional[_Union[_common_pb2.VolumeInfo, _Mapping]] = ...) -> None: ...

class InitSpaceResponse(_message.Message):
    __slots__ = ("space",)
    SPACE_FIELD_NUMBER: _ClassVar[int]
    space: SpaceInfo
    def __init__(self, space: _Optional[_Union[SpaceInfo, _Mapping]] = ...) -> None: ...

class AllocationHint(_message.Message):
    __slots__ = ("kind", "left_offset", "right_offset")
    KIND_FIELD_NUMBER: _ClassVar[int]
    LEFT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    RIGHT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    kind: AllocationKind
    left_offset: int
    right_offset: int
    def __init__(self, kind: _Optional[_Union[AllocationKind, str]] = ..., left_offset: _Optional[int] = ..., right_offset: _Optional[int] = ...) -> None: ...

class AllocateSpaceRequest(_message.Message):
    __slots__ = ("fs_id", "size", "hint", "request_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    HINT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    size: int
    hint: AllocationHint
    request_id: str
    def __init__(self, fs_id: _Optional[int] = ..., size: _Optional[int] = ..., hint: _Optional[_Union[AllocationHint, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class AllocateSpaceResponse(_message.Message):
    __slots__ = ("extents",)
    EXTENTS_FIELD_NUMBER: _ClassVar[int]
    extents: _containers.RepeatedCompositeFieldContainer[_common_pb2.Extent]
    def __init__(self, extents: _Optional[_Iterable[_Union[_common_pb2.Extent, _Mapping]]] = ...) -> None: ...

class DeallocateSpaceRequest(_message.Message):
    __slots__ = ("fs_id", "extents", "request_id")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    EXTENTS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    extents: _containers.RepeatedCompositeFieldContainer[_common_pb2.Extent]
    request_id: str
    def __init__(self, fs_id: _Optional[int] = ..., extents: _Optional[_Iterable[_Union[_common_pb2.Extent, _Mapping]]] = ..., request_id: _Optional[str] = ...) -> None: ...

class DeallocateSpaceResponse(_message.Message):
    __slots__ = ("freed_bytes",)
    FREED_BYTES_FIELD_NUMBER: _ClassVar[int]
    freed_bytes: int
    def __init__(self, freed_bytes: _Optional[int] = ...) -> None: ...

class StatSpaceRequest(_message.Message):
    __slots__ = ("fs_id",)
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    def __init__(self, fs_id: _Optional[int] = ...) -> None: ...

class StatSpaceResponse(_message.Message):
    __slots__ = ("space",)
    SPACE_FIELD_NUMBER: _ClassVar[int]
    space: SpaceInfo
    def __init__(self, space: _Optional[_Union[SpaceInfo, _Mapping]] = ...) -> None: ...

class UninitSpaceRequest(_message.Message):
    __slots__ = ("fs_id", "force")
    FS_ID_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    fs_id: int
    force: bool
    def __init__(self, fs_id: _Optional[int] = ..., force: _Optional[bool] = ...) -> None: ...

class UninitSpaceResponse(_message.Message):
    __slots__ = ("discarded_bytes",)
    DISCARDED_BYTES_FIELD_NUMBER: _ClassVar[int]
    discarded_bytes: int
    def __init__(self, discarded_bytes: _Optional[int] = ...) -> None: ...
