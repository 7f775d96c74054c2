/** ChunkService and the chunkserver's CopysetService, on the runner's chunk copyset. */
import { Code } from "@connectrpc/connect";
import { ChunkService } from "../../../impl/gen/curve/chunk/v1/chunk_pb.js";
import { CopysetService } from "../../../impl/gen/curve/chunk/v1/copyset_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { crc32c } from "../../../impl/storage/crc32c.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { type ExpectedError, expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  CHUNK_BYTES,
  CHUNK_POOL_ID,
  type ChunkCopyset,
  chunkCopyset,
  PAGE,
  pages,
} from "./chunk-fixture.js";

const m = ChunkService.method;
const c = CopysetService.method;
const chunkNotFound: ExpectedError = { code: Code.NotFound, reason: ErrorReason.CHUNK_NOT_FOUND };
const sequenceBackward: ExpectedError = {
  code: Code.FailedPrecondition,
  reason: ErrorReason.SEQUENCE_BACKWARD,
};
const epochTooOld: ExpectedError = {
  code: Code.FailedPrecondition,
  reason: ErrorReason.EPOCH_TOO_OLD,
};
const key = { poolId: CHUNK_POOL_ID, copysetId: 1, chunkId: 1n };

function at(cs: ChunkCopyset, chunkId: bigint) {
  return { poolId: cs.poolId, copysetId: cs.copysetId, chunkId };
}

function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(a, b) === 0;
}

export const chunkCases: ConformanceCase[] = [
  rejects({
    id: "chunk.write_chunk.offset_not_page_aligned",
    method: m.writeChunk,
    spec: "offset must be a multiple of 4096 (rule write_chunk.offset_page_aligned).",
    request: { ...key, offset: 100n, data: pages(1, 1), sn: 1n },
    expect: invalidArgument(),
  }),
  rejects({
    id: "chunk.write_chunk.data_not_whole_pages",
    method: m.writeChunk,
    spec: "the length of data must be a multiple of 4096.",
    request: { ...key, offset: 0n, data: new Uint8Array(100), sn: 1n },
    expect: invalidArgument(),
  }),
  rejects({
    id: "chunk.write_chunk.past_chunk_end",
    method: m.writeChunk,
    spec: "chunk size: 16 MiB. Every offset + length stays within [0, 16777216].",
    request: { ...key, offset: BigInt(CHUNK_BYTES - PAGE), data: pages(2, 1), sn: 1n },
    expect: invalidArgument(),
  }),
  rejects({
    id: "chunk.write_chunk.sn_zero",
    method: m.writeChunk,
    spec: "its sequence number `sn` (>= 1)",
    request: { ...key, offset: 0n, data: pages(1, 1), sn: 0n },
    expect: invalidArgument("sn"),
  }),
  rejects({
    id: "chunk.read_chunk.length_not_page_multiple",
    method: m.readChunk,
    spec: "page size: 4 KiB (4096 bytes). Every offset and length is a multiple of 4096.",
    request: { ...key, offset: 0n, length: 100n },
    expect: invalidArgument(),
  }),
  rejects({
    id: "chunk.get_chunk_hash.past_chunk_end",
    method: m.getChunkHash,
    spec: "The first byte hashed: a multiple of 4096, `offset + length <= 16777216`.",
    request: { ...key, offset: BigInt(CHUNK_BYTES), length: BigInt(PAGE) },
    expect: invalidArgument(),
  }),
  rejects({
    id: "chunk.create_clone_chunk.source_missing",
    method: m.createCloneChunk,
    spec: "CloneSource … Required.",
    request: { ...key, sn: 1n },
    expect: invalidArgument("source"),
  }),
  rejects({
    id: "chunk.update_epoch.file_id_zero",
    method: m.updateEpoch,
    spec: "The file whose writers are fenced. Greater than 0.",
    request: { fileId: 0n, epoch: 1n },
    expect: invalidArgument("file_id"),
  }),
  steps({
    id: "chunk.write_chunk.round_trip_and_repeat",
    method: m.writeChunk,
    spec: "Idempotent: repeating a write with the same chunk, `offset`, `data` and `sn` leaves the chunk as the first write left it … Pages never written read as zeros.",
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      const data = pages(2, 0x5a);
      const write = { ...at(cs, id), offset: BigInt(PAGE), data, sn: 1n, crc32c: crc32c(data) };
      await cs.chunks.writeChunk(write);
      await cs.chunks.writeChunk(write);
      const read = await cs.chunks.readChunk({
        ...at(cs, id),
        offset: 0n,
        length: BigInt(4 * PAGE),
      });
      const expected = new Uint8Array(4 * PAGE);
      expected.set(data, PAGE);
      check(
        same(read.data, expected),
        "the bytes read differ from those written (with zeros around them)",
      );
      check(read.crc32c === crc32c(expected), "the read's crc32c does not match its data");
    },
  }),
  steps({
    id: "chunk.write_chunk.crc_mismatch",
    method: m.writeChunk,
    spec: "`data_loss` ERROR_REASON_DATA_CORRUPTED: `crc32c` is present and does not match `data`",
    reasons: [ErrorReason.DATA_CORRUPTED],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const data = pages(1, 7);
      await expectError(
        cs.chunks.writeChunk({
          ...at(cs, BigInt(ctx.uniqueNumber())),
          offset: 0n,
          data,
          sn: 1n,
          crc32c: crc32c(data) ^ 1,
        }),
        { code: Code.DataLoss, reason: ErrorReason.DATA_CORRUPTED },
      );
    },
  }),
  steps({
    id: "chunk.write_chunk.sequence_backward",
    method: m.writeChunk,
    spec: "`failed_precondition` ERROR_REASON_SEQUENCE_BACKWARD: `sn` is lower than the chunk's",
    reasons: [ErrorReason.SEQUENCE_BACKWARD],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 1), sn: 3n });
      await expectError(
        cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 2), sn: 2n }),
        sequenceBackward,
      );
    },
  }),
  steps({
    id: "chunk.write_chunk.epoch_too_old",
    method: m.writeChunk,
    spec: "`failed_precondition` ERROR_REASON_EPOCH_TOO_OLD: `epoch` is lower than the epoch recorded",
    reasons: [ErrorReason.EPOCH_TOO_OLD],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const fileId = BigInt(ctx.uniqueNumber());
      await cs.chunks.updateEpoch({ fileId, epoch: 5n });
      await expectError(
        cs.chunks.writeChunk({
          ...at(cs, BigInt(ctx.uniqueNumber())),
          offset: 0n,
          data: pages(1, 1),
          sn: 1n,
          fileId,
          epoch: 4n,
        }),
        epochTooOld,
      );
    },
  }),
  steps({
    id: "chunk.read_chunk.absent_not_found",
    method: m.readChunk,
    spec: "`not_found` ERROR_REASON_CHUNK_NOT_FOUND: the chunk does not exist",
    reasons: [ErrorReason.CHUNK_NOT_FOUND],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      await expectError(
        cs.chunks.readChunk({
          ...at(cs, BigInt(ctx.uniqueNumber())),
          offset: 0n,
          length: BigInt(PAGE),
        }),
        chunkNotFound,
      );
    },
  }),
  steps({
    id: "chunk.delete_chunk.then_absent_and_repeat_ok",
    method: m.deleteChunk,
    spec: "Idempotent: deleting an absent chunk returns OK, so a retry after a lost reply sees OK.",
    reasons: [ErrorReason.CHUNK_NOT_FOUND],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 1), sn: 1n });
      await cs.chunks.deleteChunk(at(cs, id));
      await cs.chunks.deleteChunk(at(cs, id));
      await expectError(
        cs.chunks.readChunk({ ...at(cs, id), offset: 0n, length: BigInt(PAGE) }),
        chunkNotFound,
      );
    },
  }),
  steps({
    id: "chunk.delete_chunk.sequence_backward",
    method: m.deleteChunk,
    spec: "`failed_precondition` ERROR_REASON_SEQUENCE_BACKWARD: `sn` is present and lower than the chunk's",
    reasons: [ErrorReason.SEQUENCE_BACKWARD],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 1), sn: 4n });
      await expectError(cs.chunks.deleteChunk({ ...at(cs, id), sn: 2n }), sequenceBackward);
    },
  }),
  steps({
    id: "chunk.read_chunk_snapshot.keeps_older_version",
    method: m.readChunkSnapshot,
    spec: "at most one snapshot version, with `snapshot_sn < sn`: the content the chunk had at `snapshot_sn`, kept by copy-on-write.",
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 0x11), sn: 1n });
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 0x22), sn: 2n });
      const old = await cs.chunks.readChunkSnapshot({
        ...at(cs, id),
        sn: 1n,
        offset: 0n,
        length: BigInt(PAGE),
      });
      check(same(old.data, pages(1, 0x11)), "the snapshot version does not hold the bytes of sn 1");
      const live = await cs.chunks.readChunk({ ...at(cs, id), offset: 0n, length: BigInt(PAGE) });
      check(same(live.data, pages(1, 0x22)), "the live version does not hold the bytes of sn 2");
    },
  }),
  steps({
    id: "chunk.read_chunk_snapshot.absent_not_found",
    method: m.readChunkSnapshot,
    spec: "`not_found` ERROR_REASON_CHUNK_NOT_FOUND: the chunk does not exist, or has no version `sn`",
    reasons: [ErrorReason.CHUNK_NOT_FOUND],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      await expectError(
        cs.chunks.readChunkSnapshot({
          ...at(cs, BigInt(ctx.uniqueNumber())),
          sn: 1n,
          offset: 0n,
          length: BigInt(PAGE),
        }),
        chunkNotFound,
      );
    },
  }),
  steps({
    id: "chunk.delete_chunk_snapshot_or_correct_sn.removes_snapshot",
    method: m.deleteChunkSnapshotOrCorrectSn,
    spec: "3. The snapshot version, if any, is deleted. … Idempotent: a repeat finds no snapshot version and the same `corrected_sn`, and changes nothing",
    reasons: [ErrorReason.CHUNK_NOT_FOUND],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 1), sn: 1n });
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 2), sn: 2n });
      await cs.chunks.deleteChunkSnapshotOrCorrectSn({ ...at(cs, id), correctedSn: 2n });
      await cs.chunks.deleteChunkSnapshotOrCorrectSn({ ...at(cs, id), correctedSn: 2n });
      await expectError(
        cs.chunks.readChunkSnapshot({ ...at(cs, id), sn: 1n, offset: 0n, length: BigInt(PAGE) }),
        chunkNotFound,
      );
    },
  }),
  steps({
    id: "chunk.delete_chunk_snapshot_or_correct_sn.sequence_backward",
    method: m.deleteChunkSnapshotOrCorrectSn,
    spec: "2. If `corrected_sn` is lower than the chunk's current sequence … → SEQUENCE_BACKWARD",
    reasons: [ErrorReason.SEQUENCE_BACKWARD],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 1), sn: 3n });
      await expectError(
        cs.chunks.deleteChunkSnapshotOrCorrectSn({ ...at(cs, id), correctedSn: 2n }),
        sequenceBackward,
      );
    },
  }),
  steps({
    id: "chunk.get_chunk_info.absent_and_written",
    method: m.getChunkInfo,
    spec: "An absent chunk is not an error: the response has an empty `chunk_sn` list.",
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const id = BigInt(ctx.uniqueNumber());
      const absent = await cs.chunks.getChunkInfo(at(cs, id));
      check(
        absent.chunkSn.length === 0,
        `an absent chunk reports versions ${absent.chunkSn.join(",")}`,
      );
      await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 1), sn: 2n });
      const written = await cs.chunks.getChunkInfo(at(cs, id));
      check(
        written.chunkSn.includes(2n),
        `versions ${written.chunkSn.join(",")} do not include sn 2`,
      );
    },
  }),
  steps({
    id: "chunk.get_chunk_hash.absent_and_equal_data",
    method: m.getChunkHash,
    spec: "Computes the CRC32C of a range of the live version of a chunk … `not_found` ERROR_REASON_CHUNK_NOT_FOUND: this replica has no such chunk.",
    reasons: [ErrorReason.CHUNK_NOT_FOUND],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const [x, y] = [BigInt(ctx.uniqueNumber()), BigInt(ctx.uniqueNumber())];
      await expectError(
        cs.chunks.getChunkHash({ ...at(cs, x), offset: 0n, length: BigInt(PAGE) }),
        chunkNotFound,
      );
      for (const id of [x, y])
        await cs.chunks.writeChunk({ ...at(cs, id), offset: 0n, data: pages(1, 9), sn: 1n });
      const hx = await cs.chunks.getChunkHash({
        ...at(cs, x),
        offset: 0n,
        length: BigInt(2 * PAGE),
      });
      const hy = await cs.chunks.getChunkHash({
        ...at(cs, y),
        offset: 0n,
        length: BigInt(2 * PAGE),
      });
      check(
        hx.hash === hy.hash && hx.hash !== "",
        `equal chunks hash differently: ${hx.hash} vs ${hy.hash}`,
      );
    },
  }),
  steps({
    id: "chunk.create_clone_chunk.repeat_ok_other_source_exists",
    method: m.createCloneChunk,
    spec: "Idempotent: when the chunk exists as a clone chunk with the same `source`, `sn` and `corrected_sn` … the call returns OK … `already_exists` ERROR_REASON_CHUNK_ALREADY_EXISTS: the chunk exists and is not a clone chunk, or is a clone chunk with another source",
    reasons: [ErrorReason.CHUNK_ALREADY_EXISTS],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const [source, clone] = [BigInt(ctx.uniqueNumber()), BigInt(ctx.uniqueNumber())];
      await cs.chunks.writeChunk({ ...at(cs, source), offset: 0n, data: pages(1, 3), sn: 1n });
      const request = {
        ...at(cs, clone),
        sn: 1n,
        source: { kind: { case: "chunk" as const, value: at(cs, source) } },
      };
      await cs.chunks.createCloneChunk(request);
      await cs.chunks.createCloneChunk(request);
      const read = await cs.chunks.readChunk({
        ...at(cs, clone),
        offset: 0n,
        length: BigInt(PAGE),
      });
      check(
        same(read.data, pages(1, 3)),
        "an unfilled clone page does not read through to its source",
      );
      await expectError(cs.chunks.createCloneChunk({ ...request, chunkId: source }), {
        code: Code.AlreadyExists,
        reason: ErrorReason.CHUNK_ALREADY_EXISTS,
      });
    },
  }),
  steps({
    id: "chunk.recover_chunk.absent_not_found",
    method: m.recoverChunk,
    spec: "`not_found` ERROR_REASON_CHUNK_NOT_FOUND: the chunk does not exist.",
    reasons: [ErrorReason.CHUNK_NOT_FOUND],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      await expectError(
        cs.chunks.recoverChunk({
          ...at(cs, BigInt(ctx.uniqueNumber())),
          offset: 0n,
          length: BigInt(PAGE),
        }),
        chunkNotFound,
      );
    },
  }),
  steps({
    id: "chunk.update_epoch.backwards_refused_equal_ok",
    method: m.updateEpoch,
    spec: "Idempotent: an epoch equal to the recorded one returns OK and changes nothing. … `failed_precondition` ERROR_REASON_EPOCH_TOO_OLD: `epoch` is lower than the epoch already recorded",
    reasons: [ErrorReason.EPOCH_TOO_OLD],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const fileId = BigInt(ctx.uniqueNumber());
      await cs.chunks.updateEpoch({ fileId, epoch: 3n });
      const again = await cs.chunks.updateEpoch({ fileId, epoch: 3n });
      check(again.epoch === 3n, `epoch ${again.epoch} after a repeat`);
      await expectError(cs.chunks.updateEpoch({ fileId, epoch: 2n }), epochTooOld);
    },
  }),
  rejects({
    id: "chunk.create_copyset_node.empty_batch",
    method: c.createCopysetNode,
    spec: "The copysets to create: at least one.",
    request: { copysets: [] },
    expect: invalidArgument("copysets"),
  }),
  steps({
    id: "chunk.create_copyset_node.repeat_creates_nothing",
    method: c.createCopysetNode,
    spec: "The copysets this call created, in request order; the ones that existed already with the same peers are not listed",
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const reply = await cs.copysets.createCopysetNode({
        copysets: [
          { poolId: cs.poolId, copysetId: cs.copysetId, peers: [{ address: cs.address }] },
        ],
      });
      check(
        reply.created.length === 0,
        `a repeat listed ${reply.created.length} copysets as created`,
      );
    },
  }),
  steps({
    id: "chunk.create_copyset_node.peers_without_self",
    method: c.createCopysetNode,
    spec: "`failed_precondition` ERROR_REASON_PEER_MISMATCH: a listed copyset has a non-empty peer list that does not contain this chunkserver's own address. Nothing is created.",
    reasons: [ErrorReason.PEER_MISMATCH],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      await expectError(
        cs.copysets.createCopysetNode({
          copysets: [
            {
              poolId: cs.poolId,
              copysetId: ctx.uniqueNumber(),
              peers: [{ address: "127.0.0.1:9" }],
            },
          ],
        }),
        { code: Code.FailedPrecondition, reason: ErrorReason.PEER_MISMATCH },
      );
    },
  }),
  steps({
    id: "chunk.get_copyset_status.describes_copyset",
    method: c.getCopysetStatus,
    spec: "Reports the Raft state of the local node of a copyset, as this chunkserver sees it",
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      const status = await cs.copysets.getCopysetStatus({
        poolId: cs.poolId,
        copysetId: cs.copysetId,
      });
      check(status.leader === cs.address, `leader "${status.leader}"`);
      check(
        status.peers.map((p) => p.address).join(",") === cs.address,
        "peers differ from the copyset's one member",
      );
    },
  }),
  steps({
    id: "chunk.get_copyset_status.unknown_copyset",
    method: c.getCopysetStatus,
    spec: "`not_found` ERROR_REASON_GROUP_NOT_FOUND: this chunkserver hosts no such copyset.",
    reasons: [ErrorReason.GROUP_NOT_FOUND],
    run: async (ctx) => {
      const cs = await chunkCopyset(ctx);
      await expectError(
        cs.copysets.getCopysetStatus({ poolId: cs.poolId, copysetId: 4_000_000_000 }),
        {
          code: Code.NotFound,
          reason: ErrorReason.GROUP_NOT_FOUND,
        },
      );
    },
  }),
];
