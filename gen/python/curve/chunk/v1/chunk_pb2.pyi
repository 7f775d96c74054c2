from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HashAlgorithm(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HASH_ALGORITHM_UNSPECIFIED: _ClassVar[HashAlgorithm]
    HASH_ALGORITHM_CRC32C: _ClassVar[HashAlgorithm]
HASH_ALGORITHM_UNSPECIFIED: HashAlgorithm
HASH_ALGORITHM_CRC32C: HashAlgorithm

class ChunkCloneSource(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "sn")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    SN_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    sn: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., sn: _Optional[int] = ...) -> None: ...

class ObjectCloneSource(_message.Message):
    __slots__ = ("key", "offset")
    KEY_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    key: str
    offset: int
    def __init__(self, key: _Optional[str] = ..., offset: _Optional[int] = ...) -> None: ...

class CloneSource(_message.Message):
    __slots__ = ("chunk", "object")
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    chunk: ChunkCloneSource
    object: ObjectCloneSource
    def __init__(self, chunk: _Optional[_Union[ChunkCloneSource, _Mapping]] = ..., object: _Optional[_Union[ObjectCloneSource, _Mapping]] = ...) -> None: ...

class WriteChunkRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "offset", "data", "sn", "file_id", "epoch", "crc32c")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    SN_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    CRC32C_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    offset: int
    data: bytes
    sn: int
    file_id: int
    epoch: int
    crc32c: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., offset: _Optional[int] = ..., data: _Optional[bytes] = ..., sn: _Optional[int] = ..., file_id: _Optional[int] = ..., epoch: _Optional[int] = ..., crc32c: _Optional[int] = ...) -> None: ...

class WriteChunkResponse(_message.Message):
    __slots__ = ("applied_index",)
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    applied_index: int
    def __init__(self, applied_index: _Optional[int] = ...) -> None: ...

class ReadChunkRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "offset", "length")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    offset: int
    length: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class ReadChunkResponse(_message.Message):
    __slots__ = ("data", "crc32c", "applied_index")
    DATA_FIELD_NUMBER: _ClassVar[int]
    CRC32C_FIELD_NUMBER: _ClassVar[int]
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    crc32c: int
    applied_index: int
    def __init__(self, data: _Optional[bytes] = ..., crc32c: _Optional[int] = ..., applied_index: _Optional[int] = ...) -> None: ...

class DeleteChunkRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "sn")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    SN_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    sn: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., sn: _Optional[int] = ...) -> None: ...

class DeleteChunkResponse(_message.Message):
    __slots__ = ("applied_index",)
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    applied_index: int
    def __init__(self, applied_index: _Optional[int] = ...) -> None: ...

class ReadChunkSnapshotRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "sn", "offset", "length")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    SN_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    sn: int
    offset: int
    length: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., sn: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class ReadChunkSnapshotResponse(_message.Message):
    __slots__ = ("data", "crc32c", "applied_index")
    DATA_FIELD_NUMBER: _ClassVar[int]
    CRC32C_FIELD_NUMBER: _ClassVar[int]
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    crc32c: int
    applied_index: int
    def __init__(self, data: _Optional[bytes] = ..., crc32c: _Optional[int] = ..., applied_index: _Optional[int] = ...) -> None: ...

class DeleteChunkSnapshotOrCorrectSnRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "corrected_sn")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_SN_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    corrected_sn: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., corrected_sn: _Optional[int] = ...) -> None: ...

class DeleteChunkSnapshotOrCorrectSnResponse(_message.Message):
    __slots__ = ("applied_index",)
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    applied_index: int
    def __init__(self, applied_index: _Optional[int] = ...) -> None: ...

class GetChunkInfoRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ...) -> None: ...

class GetChunkInfoResponse(_message.Message):
    __slots__ = ("chunk_sn", "corrected_sn", "clone_source", "unfilled_page_count", "applied_index")
    CHUNK_SN_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_SN_FIELD_NUMBER: _ClassVar[int]
    CLONE_SOURCE_FIELD_NUMBER: _ClassVar[int]
    UNFILLED_PAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    chunk_sn: _containers.RepeatedScalarFieldContainer[int]
    corrected_sn: int
    clone_source: CloneSource
    unfilled_page_count: int
    applied_index: int
    def __init__(self, chunk_sn: _Optional[_Iterable[int]] = ..., corrected_sn: _Optional[int] = ..., clone_source: _Optional[_Union[CloneSource, _Mapping]] = ..., unfilled_page_count: _Optional[int] = ..., applied_index: _Optional[int] = ...) -> None: ...

class GetChunkHashRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "offset", "length")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    offset: int
    length: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class GetChunkHashResponse(_message.Message):
    __slots__ = ("hash", "algorithm", "applied_index")
    HASH_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    hash: str
    algorithm: HashAlgorithm
    applied_index: int
    def __init__(self, hash: _Optional[str] = ..., algorithm: _Optional[_Union[HashAlgorithm, str]] = ..., applied_index: _Optional[int] = ...) -> None: ...

class CreateCloneChunkRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "sn", "corrected_sn", "source")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    SN_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_SN_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    sn: int
    corrected_sn: int
    source: CloneSource
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., sn: _Optional[int] = ..., corrected_sn: _Optional[int] = ..., source: _Optional[_Union[CloneSource, _Mapping]] = ...) -> None: ...

class CreateCloneChunkResponse(_message.Message):
    __slots__ = ("applied_index",)
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    applied_index: int
    def __init__(self, applied_index: _Optional[int] = ...) -> None: ...

class RecoverChunkRequest(_message.Message):
    __slots__ = ("pool_id", "copyset_id", "chunk_id", "offset", "length")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    COPYSET_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    copyset_id: int
    chunk_id: int
    offset: int
    length: int
    def __init__(self, pool_id: _Optional[int] = ..., copyset_id: _Optional[int] = ..., chunk_id: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class RecoverChunkResponse(_message.Message):
    __slots__ = ("applied_index",)
    APPLIED_INDEX_FIELD_NUMBER: _ClassVar[int]
    applied_index: int
    def __init__(self, applied_index: _Optional[int] = ...) -> None: ...

class UpdateEpochRequest(_message.Message):
    __slots__ = ("file_id", "epoch")
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    file_id: int
    epoch: int
    def __init__(self, file_id: _Optional[int] = ..., epoch: _Optional[int] = ...) -> None: ...

class UpdateEpochResponse(_message.Message):
    __slots__ = ("epoch",)
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    epoch: int
    def __init__(self, epoch: _Optional[int] = ...) -> None: ...
