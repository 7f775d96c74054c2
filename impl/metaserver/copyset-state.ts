/**
 * The state machine of a metaserver COPYSET (one Raft group): all its partitions, the last
 * applied log index, and the snapshot of both.
 *
 * Idempotent replay: the applied index is part of the state (and of every snapshot), so an
 * entry at or below it — replayed after a restart from an older snapshot plus the log — is
 * skipped without effect.
 *
 * Snapshot format (little-endian, deterministic: the same state gives the same bytes, so the
 * CRC of a snapshot doubles as a checksum replicas can compare):
 *
 *   "CRVMSNAP" | u32 format version | u64 applied index | u32 pool id | u32 copyset id
 *   | u32 partition count | partitions by ascending id | u32 CRC-32C of everything before it
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../errors.js";
import { FsType, PartitionStatus } from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import {
  type CreatePartitionRequest,
  type CreatePartitionResponse,
  CreatePartitionResponseSchema,
  type DeletePartitionRequest,
  type DeletePartitionResponse,
  DeletePartitionResponseSchema,
} from "../gen/curve/metaserver/v1/metaserver_pb.js";
import { crc32c } from "../storage/crc32c.js";
import { ByteReader, ByteWriter } from "./binary-io.js";
import { decodeOp, type Op, OpType } from "./ops.js";
import { type ApplyResult, Partition } from "./partition.js";

const SNAPSHOT_MAGIC = new TextEncoder().encode("CRVMSNAP");
/** The snapshot format written by this build. */
export const SNAPSHOT_FORMAT_VERSION = 1;
const CRC_BYTES = 4;

function fail(reason: ErrorReason, message: string, metadata?: Record<string, string>): never {
  throw new CurveError(reason, message, { metadata });
}

export class CopysetState {
  /** The index of the last log entry applied (0: none). */
  appliedIndex = 0n;
  private readonly partitions = new Map<number, Partition>();

  constructor(
    readonly poolId: number,
    readonly copysetId: number,
  ) {}

  /** The partition with this id; PARTITION_NOT_FOUND when this copyset does not host it. */
  partition(partitionId: number): Partition {
    const partition = this.partitions.get(partitionId);
    if (partition === undefined) {
      fail(ErrorReason.PARTITION_NOT_FOUND, `partition ${partitionId} is not hosted here`, {
        partition_id: String(partitionId),
      });
    }
    return partition;
  }

  /** The hosted partitions by ascending id. */
  list(): Partition[] {
    return [...this.partitions.keys()].sort((a, b) => a - b).map((id) => this.partition(id));
  }

  /** Decodes and applies a log entry (see apply). Undecodable entries throw. */
  applyEntry(bytes: Uint8Array, logIndex: bigint): ApplyResult | undefined {
    if (logIndex <= this.appliedIndex) return undefined;
    return this.apply(decodeOp(bytes), logIndex);
  }

  /**
   * Applies one op at `logIndex`. Returns undefined when the index was already applied (a
   * replay: no effect), else the response or the RPC's error.
   */
  apply(op: Op, logIndex: bigint): ApplyResult | undefined {
    if (logIndex <= this.appliedIndex) return undefined;
    this.appliedIndex = logIndex;
    try {
      switch (op.type) {
        case OpType.CREATE_PARTITION:
          return this.createPartition(op.request);
        case OpType.DELETE_PARTITION:
          return this.deletePartition(op.request);
        case OpType.PARTITION_REMOVE:
          return this.removePartition(op.request);
        default:
          return this.partition(op.request.partitionId).apply(op, logIndex);
      }
    } catch (error) {
      if (error instanceof CurveError) return error;
      throw error;
    }
  }

  /** Records an entry that carries no metaserver op (an empty or configuration entry). */
  markApplied(logIndex: bigint): void {
    if (logIndex > this.appliedIndex) this.appliedIndex = logIndex;
  }

  private checkCopyset(poolId: number, copysetId: number): void {
    if (poolId !== this.poolId || copysetId !== this.copysetId) {
      fail(ErrorReason.GROUP_NOT_FOUND, `no copyset ${poolId}/${copysetId} here`, {
        pool_id: String(poolId),
        copyset_id: String(copysetId),
      });
    }
  }

  private createPartition(r: CreatePartitionRequest): CreatePartitionResponse {
    const p = r.partition;
    if (p === undefined || p.start > p.end || p.end < 3n) {
      fail(ErrorReason.INVALID_ARGUMENT, "partition needs a range with an id >= 3", {
        field: "partition",
      });
    }
    if (r.fsType !== FsType.S3 && r.fsType !== FsType.VOLUME) {
      fail(ErrorReason.INVALID_ARGUMENT, "fs_type must be S3 or VOLUME", { field: "fs_type" });
    }
    this.checkCopyset(p.poolId, p.copysetId);
    const existing = this.partitions.get(p.partitionId);
    if (existing !== undefined) {
      if (existing.status === PartitionStatus.DELETING) {
        fail(ErrorReason.PARTITION_DELETING, `partition ${p.partitionId} is being deleted`);
      }
      const c = existing.config;
      if (c.fsId === p.fsId && c.start === p.start && c.end === p.end && c.fsType === r.fsType) {
        return create(CreatePartitionResponseSchema, { partition: existing.info() });
      }
      fail(ErrorReason.PARTITION_ALREADY_EXISTS, `partition ${p.partitionId} exists differently`, {
        partition_id: String(p.partitionId),
      });
    }
    for (const other of this.partitions.values()) {
      const c = other.config;
      if (c.fsId === p.fsId && c.start <= p.end && p.start <= c.end) {
        fail(
          ErrorReason.PARTITION_ALREADY_EXISTS,
          `range overlaps partition ${c.partitionId} of fs ${c.fsId}`,
          { partition_id: String(c.partitionId) },
        );
      }
    }
    const partition = new Partition({
      fsId: p.fsId,
      poolId: p.poolId,
      copysetId: p.copysetId,
      partitionId: p.partitionId,
      start: p.start,
      end: p.end,
      fsType: r.fsType,
    });
    this.partitions.set(p.partitionId, partition);
    return create(CreatePartitionResponseSchema, { partition: partition.info() });
  }

  private deletePartition(r: DeletePartitionRequest): DeletePartitionResponse {
    this.checkCopyset(r.poolId, r.copysetId);
    const partition = this.partitions.get(r.partitionId);
    if (partition === undefined) return create(DeletePartitionResponseSchema, { removed: true });
    if (partition.config.fsId !== r.fsId) {
      fail(ErrorReason.PARTITION_MISMATCH, `partition belongs to fs ${partition.config.fsId}`, {
        fs_id: String(r.fsId),
      });
    }
    if (partition.status !== PartitionStatus.DELETING) {
      if (partition.isEmpty) {
        this.partitions.delete(r.partitionId);
        return create(DeletePartitionResponseSchema, { removed: true });
      }
      partition.beginDeletion();
    }
    return create(DeletePartitionResponseSchema, { removed: false });
  }

  /** PARTITION_REMOVE: the last step of emptying a DELETING partition. */
  private removePartition(r: DeletePartitionRequest): DeletePartitionResponse {
    this.checkCopyset(r.poolId, r.copysetId);
    const partition = this.partitions.get(r.partitionId);
    if (partition === undefined) return create(DeletePartitionResponseSchema, { removed: true });
    if (partition.config.fsId !== r.fsId || partition.status !== PartitionStatus.DELETING) {
      fail(ErrorReason.INTERNAL, `partition ${r.partitionId} is not being deleted`);
    }
    if (partition.inodes.size > 0) {
      return create(DeletePartitionResponseSchema, { removed: false });
    }
    this.partitions.delete(r.partitionId);
    return create(DeletePartitionResponseSchema, { removed: true });
  }

  // --- snapshot ---

  /** The whole state as snapshot bytes. */
  snapshot(): Uint8Array {
    const w = new ByteWriter();
    w.raw(SNAPSHOT_MAGIC).u32(SNAPSHOT_FORMAT_VERSION);
    w.u64(this.appliedIndex).u32(this.poolId).u32(this.copysetId);
    const partitions = this.list();
    w.u32(partitions.length);
    for (const partition of partitions) partition.write(w);
    const body = w.finish();
    w.u32(crc32c(body));
    return w.finish().slice();
  }

  /** A checksum of the whole state: equal on replicas that applied the same entries. */
  checksum(): number {
    const bytes = this.snapshot();
    return new DataView(bytes.buffer, bytes.byteLength - CRC_BYTES).getUint32(0, true);
  }

  /**
   * The state a snapshot holds. A snapshot whose CRC, magic or layout does not check is
   * DATA_CORRUPTED; a format version this build does not know is INTERNAL.
   */
  static restore(bytes: Uint8Array): CopysetState {
    const headerBytes = SNAPSHOT_MAGIC.length + 4;
    if (bytes.length < headerBytes + CRC_BYTES) {
      fail(ErrorReason.DATA_CORRUPTED, "snapshot shorter than its header");
    }
    const body = bytes.subarray(0, bytes.length - CRC_BYTES);
    const stored = new DataView(bytes.buffer, bytes.byteOffset + body.length, CRC_BYTES).getUint32(
      0,
      true,
    );
    if (crc32c(body) !== stored) fail(ErrorReason.DATA_CORRUPTED, "snapshot checksum mismatch");
    if (!SNAPSHOT_MAGIC.every((b, i) => body[i] === b)) {
      fail(ErrorReason.DATA_CORRUPTED, "not a metaserver copyset snapshot (bad magic)");
    }
    const r = new ByteReader(body.subarray(SNAPSHOT_MAGIC.length), "snapshot");
    const version = r.u32();
    if (version !== SNAPSHOT_FORMAT_VERSION) {
      fail(ErrorReason.INTERNAL, `unknown snapshot format version ${version}`, {
        version: String(version),
      });
    }
    const appliedIndex = r.u64();
    const state = new CopysetState(r.u32(), r.u32());
    state.appliedIndex = appliedIndex;
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const partition = Partition.read(r);
      state.partitions.set(partition.config.partitionId, partition);
    }
    if (r.remaining !== 0) fail(ErrorReason.DATA_CORRUPTED, "snapshot has trailing bytes");
    return state;
  }
}
