import {
  ChunkCloneSourceSchema,
  CloneSourceSchema,
  CreateCloneChunkRequestSchema,
  DeleteChunkRequestSchema,
  DeleteChunkSnapshotOrCorrectSnRequestSchema,
  GetChunkHashRequestSchema,
  GetChunkInfoRequestSchema,
  ObjectCloneSourceSchema,
  ReadChunkRequestSchema,
  ReadChunkSnapshotRequestSchema,
  RecoverChunkRequestSchema,
  UpdateEpochRequestSchema,
  WriteChunkRequestSchema,
} from "../../../impl/gen/curve/chunk/v1/chunk_pb.js";
import {
  CopysetSpecSchema,
  CreateCopysetNodeRequestSchema,
  GetCopysetStatusRequestSchema,
} from "../../../impl/gen/curve/chunk/v1/copyset_pb.js";
import { sample, type ValidationSample } from "./sample.js";

const KiB = 1024n;
const MiB = 1024n * KiB;
const CHUNK = 16n * MiB;

const at = { poolId: 1, copysetId: 7, chunkId: 42n };

const write = {
  ...at,
  offset: 8n * KiB,
  data: new Uint8Array(8192),
  sn: 1n,
  fileId: 1001n,
  epoch: 3n,
  crc32c: 0,
};

const read = { ...at, offset: 12n * MiB, length: 4n * MiB };

const readSnapshot = { ...at, sn: 1n, offset: 0n, length: 4n * KiB };

const hash = { ...at, offset: 0n, length: CHUNK };

const recover = { ...at, offset: 1n * MiB, length: 1n * MiB };

const chunkSource = { poolId: 1, copysetId: 3, chunkId: 9n, sn: 2n };

const objectSource = { key: "snapshots/vol-1/42", offset: 0n };

const createClone = {
  ...at,
  sn: 1n,
  correctedSn: 0n,
  source: { kind: { case: "chunk" as const, value: chunkSource } },
};

const peers = [
  { id: 1, address: "10.0.0.1:8200" },
  { id: 2, address: "10.0.0.2:8200" },
  { id: 3, address: "10.0.0.3:8200" },
];

const spec = { poolId: 1, copysetId: 7, peers };

export const chunkSamples: ValidationSample[] = [
  sample(ChunkCloneSourceSchema, chunkSource, [
    { why: "pool id is positive", init: { ...chunkSource, poolId: 0 }, ruleId: "uint32.gt" },
    {
      why: "copyset id is positive",
      init: { ...chunkSource, copysetId: 0 },
      ruleId: "uint32.gt",
    },
    { why: "chunk id is positive", init: { ...chunkSource, chunkId: 0n }, ruleId: "uint64.gt" },
    {
      why: "source sn, when present, is at least 1",
      init: { ...chunkSource, sn: 0n },
      ruleId: "uint64.gte",
    },
  ]),
  sample(ObjectCloneSourceSchema, objectSource, [
    {
      why: "object key is not empty",
      init: { ...objectSource, key: "" },
      ruleId: "string.min_len",
    },
    {
      why: "object key is at most 1024 bytes",
      init: { ...objectSource, key: "k".repeat(1025) },
      ruleId: "string.max_len",
    },
  ]),
  sample(CloneSourceSchema, { kind: { case: "object", value: objectSource } }, [
    { why: "a source kind is required", init: {}, ruleId: "required" },
    {
      why: "the chosen source's rules apply",
      init: { kind: { case: "chunk", value: { ...chunkSource, chunkId: 0n } } },
      ruleId: "uint64.gt",
    },
  ]),
  sample(WriteChunkRequestSchema, write, [
    { why: "pool id is positive", init: { ...write, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is positive", init: { ...write, copysetId: 0 }, ruleId: "uint32.gt" },
    { why: "chunk id is positive", init: { ...write, chunkId: 0n }, ruleId: "uint64.gt" },
    { why: "sn is at least 1", init: { ...write, sn: 0n }, ruleId: "uint64.gte" },
    {
      why: "at least one page of data",
      init: { ...write, data: new Uint8Array(0) },
      ruleId: "bytes.min_len",
    },
    {
      why: "at most 4 MiB of data per call",
      init: { ...write, offset: 0n, data: new Uint8Array(4 * 1024 * 1024 + 4096) },
      ruleId: "bytes.max_len",
    },
    {
      why: "offset is page aligned",
      init: { ...write, offset: 512n },
      ruleId: "write_chunk.offset_page_aligned",
    },
    {
      why: "data length is a multiple of the page size",
      init: { ...write, data: new Uint8Array(4096 + 512) },
      ruleId: "write_chunk.data_page_aligned",
    },
    {
      why: "the write stays inside the 16 MiB chunk",
      init: { ...write, offset: CHUNK - 4096n },
      ruleId: "write_chunk.range_within_chunk",
    },
    {
      why: "an offset near 2^64 does not wrap around",
      init: { ...write, offset: 18446744073709547520n },
      ruleId: "write_chunk.range_within_chunk",
    },
    {
      why: "epoch needs file_id",
      init: { ...write, fileId: undefined },
      ruleId: "write_chunk.fencing_pair",
    },
    {
      why: "file_id needs epoch",
      init: { ...write, epoch: undefined },
      ruleId: "write_chunk.fencing_pair",
    },
    { why: "file id is positive", init: { ...write, fileId: 0n }, ruleId: "uint64.gt" },
  ]),
  sample(ReadChunkRequestSchema, read, [
    { why: "pool id is positive", init: { ...read, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is positive", init: { ...read, copysetId: 0 }, ruleId: "uint32.gt" },
    { why: "chunk id is positive", init: { ...read, chunkId: 0n }, ruleId: "uint64.gt" },
    { why: "at least one page", init: { ...read, length: 0n }, ruleId: "uint64.gte_lte" },
    {
      why: "at most 4 MiB per call",
      init: { ...read, offset: 0n, length: 8n * MiB },
      ruleId: "uint64.gte_lte",
    },
    {
      why: "offset is page aligned",
      init: { ...read, offset: 100n },
      ruleId: "read_chunk.offset_page_aligned",
    },
    {
      why: "length is a multiple of the page size",
      init: { ...read, length: 6000n },
      ruleId: "read_chunk.length_page_aligned",
    },
    {
      why: "the read stays inside the chunk",
      init: { ...read, offset: 14n * MiB },
      ruleId: "read_chunk.range_within_chunk",
    },
  ]),
  sample(DeleteChunkRequestSchema, { ...at, sn: 3n }, [
    { why: "pool id is positive", init: { ...at, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is positive", init: { ...at, copysetId: 0 }, ruleId: "uint32.gt" },
    { why: "chunk id is positive", init: { ...at, chunkId: 0n }, ruleId: "uint64.gt" },
    { why: "sn, when present, is at least 1", init: { ...at, sn: 0n }, ruleId: "uint64.gte" },
  ]),
  sample(ReadChunkSnapshotRequestSchema, readSnapshot, [
    { why: "chunk id is positive", init: { ...readSnapshot, chunkId: 0n }, ruleId: "uint64.gt" },
    { why: "sn is at least 1", init: { ...readSnapshot, sn: 0n }, ruleId: "uint64.gte" },
    {
      why: "at most 4 MiB per call",
      init: { ...readSnapshot, length: 5n * MiB },
      ruleId: "uint64.gte_lte",
    },
    {
      why: "offset is page aligned",
      init: { ...readSnapshot, offset: 4095n },
      ruleId: "read_chunk_snapshot.offset_page_aligned",
    },
    {
      why: "length is a multiple of the page size",
      init: { ...readSnapshot, length: 4097n },
      ruleId: "read_chunk_snapshot.length_page_aligned",
    },
    {
      why: "the read stays inside the chunk",
      init: { ...readSnapshot, offset: CHUNK, length: 4096n },
      ruleId: "read_chunk_snapshot.range_within_chunk",
    },
  ]),
  sample(DeleteChunkSnapshotOrCorrectSnRequestSchema, { ...at, correctedSn: 2n }, [
    {
      why: "pool id is positive",
      init: { ...at, poolId: 0, correctedSn: 2n },
      ruleId: "uint32.gt",
    },
    { why: "corrected sn is at least 1", init: { ...at, correctedSn: 0n }, ruleId: "uint64.gte" },
  ]),
  sample(GetChunkInfoRequestSchema, at, [
    { why: "pool id is positive", init: { ...at, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is positive", init: { ...at, copysetId: 0 }, ruleId: "uint32.gt" },
    { why: "chunk id is positive", init: { ...at, chunkId: 0n }, ruleId: "uint64.gt" },
  ]),
  sample(GetChunkHashRequestSchema, hash, [
    { why: "chunk id is positive", init: { ...hash, chunkId: 0n }, ruleId: "uint64.gt" },
    {
      why: "at most the whole chunk",
      init: { ...hash, length: CHUNK + 4096n },
      ruleId: "uint64.gte_lte",
    },
    {
      why: "offset is page aligned",
      init: { ...hash, offset: 1n, length: 4096n },
      ruleId: "get_chunk_hash.offset_page_aligned",
    },
    {
      why: "length is a multiple of the page size",
      init: { ...hash, length: 10000n },
      ruleId: "get_chunk_hash.length_page_aligned",
    },
    {
      why: "the range stays inside the chunk",
      init: { ...hash, offset: 4096n },
      ruleId: "get_chunk_hash.range_within_chunk",
    },
  ]),
  sample(CreateCloneChunkRequestSchema, createClone, [
    { why: "chunk id is positive", init: { ...createClone, chunkId: 0n }, ruleId: "uint64.gt" },
    { why: "sn is at least 1", init: { ...createClone, sn: 0n }, ruleId: "uint64.gte" },
    { why: "source is required", init: { ...at, sn: 1n }, ruleId: "required" },
    {
      why: "the source names a kind",
      init: { ...createClone, source: {} },
      ruleId: "required",
    },
    {
      why: "a chunk is not its own source",
      init: {
        ...createClone,
        source: { kind: { case: "chunk", value: { poolId: 1, copysetId: 7, chunkId: 42n } } },
      },
      ruleId: "create_clone_chunk.source_not_self",
    },
    {
      why: "an object source has a key",
      init: { ...createClone, source: { kind: { case: "object", value: { key: "" } } } },
      ruleId: "string.min_len",
    },
  ]),
  sample(RecoverChunkRequestSchema, recover, [
    { why: "chunk id is positive", init: { ...recover, chunkId: 0n }, ruleId: "uint64.gt" },
    {
      why: "at most 4 MiB per call",
      init: { ...recover, length: 8n * MiB },
      ruleId: "uint64.gte_lte",
    },
    {
      why: "offset is page aligned",
      init: { ...recover, offset: 2048n },
      ruleId: "recover_chunk.offset_page_aligned",
    },
    {
      why: "length is a multiple of the page size",
      init: { ...recover, length: 4096n + 1n },
      ruleId: "recover_chunk.length_page_aligned",
    },
    {
      why: "the range stays inside the chunk",
      init: { ...recover, offset: 15n * MiB + 512n * KiB },
      ruleId: "recover_chunk.range_within_chunk",
    },
  ]),
  sample(UpdateEpochRequestSchema, { fileId: 1001n, epoch: 4n }, [
    { why: "file id is positive", init: { fileId: 0n, epoch: 4n }, ruleId: "uint64.gt" },
  ]),
  sample(CopysetSpecSchema, spec, [
    { why: "pool id is positive", init: { ...spec, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is positive", init: { ...spec, copysetId: 0 }, ruleId: "uint32.gt" },
    {
      why: "at most 9 peers",
      init: {
        ...spec,
        peers: Array.from({ length: 10 }, (_, i) => ({
          id: i + 1,
          address: `10.0.0.${i + 1}:8200`,
        })),
      },
      ruleId: "repeated.max_items",
    },
    {
      why: "peer addresses are unique",
      init: { ...spec, peers: [...peers, { id: 4, address: "10.0.0.1:8200" }] },
      ruleId: "copyset_spec.peers_unique",
    },
    {
      why: "each peer has an address",
      init: { ...spec, peers: [{ id: 1, address: "" }] },
      ruleId: "string.min_len",
    },
  ]),
  sample(
    CreateCopysetNodeRequestSchema,
    {
      copysets: [spec, { poolId: 1, copysetId: 8, peers }, { poolId: 2, copysetId: 7, peers: [] }],
    },
    [
      { why: "at least one copyset", init: { copysets: [] }, ruleId: "repeated.min_items" },
      {
        why: "at most 256 copysets",
        init: {
          copysets: Array.from({ length: 257 }, (_, i) => ({ poolId: 1, copysetId: i + 1, peers })),
        },
        ruleId: "repeated.max_items",
      },
      {
        why: "each copyset is listed once",
        init: { copysets: [spec, { ...spec, peers: [] }] },
        ruleId: "create_copyset_node.copysets_unique",
      },
      {
        why: "each copyset's own rules apply",
        init: { copysets: [{ ...spec, copysetId: 0 }] },
        ruleId: "uint32.gt",
      },
    ],
  ),
  sample(
    GetCopysetStatusRequestSchema,
    { poolId: 1, copysetId: 7, peer: "10.0.0.1:8200", queryHash: true },
    [
      { why: "pool id is positive", init: { poolId: 0, copysetId: 7 }, ruleId: "uint32.gt" },
      { why: "copyset id is positive", init: { poolId: 1, copysetId: 0 }, ruleId: "uint32.gt" },
      {
        why: "peer, when present, is a host:port",
        init: { poolId: 1, copysetId: 7, peer: "" },
        ruleId: "string.min_len",
      },
    ],
  ),
];
