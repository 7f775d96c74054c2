/** A copyset state with helpers that build requests and apply them at increasing log indexes. */
import { create, type Message } from "@bufbuild/protobuf";
import { type Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { expect } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { FsType, PartitionInfoSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import type { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  CreateDentryRequestSchema,
  type CreateDentryResponse,
  CreateInodeRequestSchema,
  type CreateInodeResponse,
  CreatePartitionRequestSchema,
  CreateRootInodeRequestSchema,
  GetDentryRequestSchema,
  ListDentryRequestSchema,
} from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { CopysetState } from "../../impl/metaserver/copyset-state.js";
import { type Op, OpType, op } from "../../impl/metaserver/ops.js";
import type { ApplyResult } from "../../impl/metaserver/partition.js";

export const FS = 7;
export const POOL = 1;
export const COPYSET = 1;
export const PART = 100;

export function ts(seconds: number, nanos = 0): Timestamp {
  return create(TimestampSchema, { seconds: BigInt(seconds), nanos });
}

export function ok<T extends Message>(result: ApplyResult | undefined): T {
  if (result instanceof CurveError)
    throw new Error(`unexpected ${result.reason}: ${result.message}`);
  if (result === undefined) throw new Error("entry was skipped as already applied");
  return result as T;
}

export function expectError(result: ApplyResult | undefined, reason: ErrorReason): CurveError {
  expect(result).toBeInstanceOf(CurveError);
  expect((result as CurveError).reason).toBe(reason);
  return result as CurveError;
}

export function expectThrows(fn: () => unknown, reason: ErrorReason): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CurveError);
    expect((error as CurveError).reason).toBe(reason);
    return;
  }
  throw new Error(`expected ${reason}`);
}

export class Harness {
  index = 0n;

  constructor(readonly state = new CopysetState(POOL, COPYSET)) {
    this.index = state.appliedIndex;
  }

  /** Applies `entry` at the next log index. */
  run(entry: Op): ApplyResult | undefined {
    this.index++;
    return this.state.apply(entry, this.index);
  }

  /** Applies `entry` twice at two new log indexes; returns both results. */
  twice(entry: Op): [ApplyResult | undefined, ApplyResult | undefined] {
    return [this.run(entry), this.run(entry)];
  }

  get partition() {
    return this.state.partition(PART);
  }

  createPartition(
    start = 0n,
    end = (1n << 20n) - 1n,
    fsType = FsType.S3,
    partitionId = PART,
    fsId = FS,
  ): ApplyResult | undefined {
    return this.run(
      op(
        OpType.CREATE_PARTITION,
        create(CreatePartitionRequestSchema, {
          partition: create(PartitionInfoSchema, {
            fsId,
            poolId: POOL,
            copysetId: COPYSET,
            partitionId,
            start,
            end,
          }),
          fsType,
        }),
      ),
    );
  }

  createRoot(): void {
    ok(
      this.run(
        op(
          OpType.CREATE_ROOT_INODE,
          create(CreateRootInodeRequestSchema, {
            fsId: FS,
            partitionId: PART,
            mode: 0o1777,
            time: ts(1000),
          }),
        ),
      ),
    );
  }

  createInode(
    type = FileType.REGULAR,
    parentInodeId = 1n,
    extra: Partial<{ symlinkTarget: string; rdev: bigint; time: Timestamp }> = {},
  ): ApplyResult | undefined {
    return this.run(
      op(
        OpType.CREATE_INODE,
        create(CreateInodeRequestSchema, {
          fsId: FS,
          partitionId: PART,
          parentInodeId,
          type,
          mode: 0o644,
          uid: 10,
          gid: 20,
          time: extra.time ?? ts(2000),
          ...extra,
        }),
      ),
    );
  }

  newInodeId(type = FileType.REGULAR, parent = 1n): bigint {
    return ok<CreateInodeResponse>(this.createInode(type, parent)).attr?.inodeId as bigint;
  }

  createDentry(
    name: string,
    inodeId: bigint,
    type = FileType.REGULAR,
    parentInodeId = 1n,
    txId = 0n,
    time = ts(3000),
  ): ApplyResult | undefined {
    return this.run(
      op(
        OpType.CREATE_DENTRY,
        create(CreateDentryRequestSchema, {
          fsId: FS,
          partitionId: PART,
          parentInodeId,
          name,
          inodeId,
          type,
          time,
          txId,
        }),
      ),
    );
  }

  /** CreateInode + CreateDentry in `parent`. */
  file(name: string, parent = 1n, type = FileType.REGULAR): bigint {
    const id = this.newInodeId(type, parent);
    ok<CreateDentryResponse>(this.createDentry(name, id, type, parent));
    return id;
  }
}

/** A harness with partition PART (S3, ids [0, 2^20)) and its root. */
export function withRoot(fsType = FsType.S3): Harness {
  const h = new Harness();
  ok(h.createPartition(0n, (1n << 20n) - 1n, fsType));
  h.createRoot();
  return h;
}

export const list = (
  h: Harness,
  fields: Partial<{ pageSize: number; pageToken: string; txId: bigint; directoriesOnly: boolean }>,
  parentInodeId = 1n,
) =>
  h.partition.listDentry(
    create(ListDentryRequestSchema, { fsId: FS, partitionId: PART, parentInodeId, ...fields }),
  );

export const getDentry = (h: Harness, name: string, txId = 0n, parentInodeId = 1n) =>
  h.partition.getDentry(
    create(GetDentryRequestSchema, { fsId: FS, partitionId: PART, parentInodeId, name, txId }),
  );
