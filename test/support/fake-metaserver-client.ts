/**
 * A FAKE MetaServerClient for unit tests of MDS logic: an in-memory stand-in for the
 * metaservers (there are none yet, issue 6). It keeps just enough state to check what the MDS
 * asked for (copysets, partitions, inodes 1 and 2, dentries), follows the idempotency rules of
 * metaserver.proto for those calls, and can be told to fail. It is not a metaserver: it has no
 * Raft, no leader and no routing; a copyset location is accepted as given.
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../../impl/errors.js";
import {
  type FsType,
  type PartitionInfo,
  PartitionInfoSchema,
  PartitionStatus,
} from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import {
  FileType,
  type InodeAttr,
  InodeAttrSchema,
} from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { ManageInodeType } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import type {
  CopysetLocation,
  CopysetPeer,
  CreateDentryInput,
  CreateManageInodeInput,
  CreateRootInodeInput,
  DeleteInodeInput,
  MetaServerClient,
  PartitionRef,
} from "../../impl/mds/metaserver-client.js";

/** The methods of MetaServerClient that can be made to fail. */
export type FakeMethod = Exclude<keyof MetaServerClient, "close">;

/** One recorded call. */
export interface FakeCall {
  readonly method: FakeMethod;
  readonly copyset: string | undefined;
  readonly detail: string;
}

interface FakePartition {
  info: PartitionInfo;
  readonly fsType: FsType;
  readonly copyset: string;
  readonly inodes: Map<bigint, InodeAttr>;
  /** "<parent>/<name>" → inode id. */
  readonly dentries: Map<string, bigint>;
  deleting: boolean;
}

interface Failure {
  readonly method: FakeMethod;
  readonly error: () => Error;
  remaining: number;
}

/** The fake; see the module comment. */
export class FakeMetaServerClient implements MetaServerClient {
  readonly copysets = new Map<string, readonly CopysetPeer[]>();
  readonly partitions = new Map<number, FakePartition>();
  readonly calls: FakeCall[] = [];
  /** A DELETING partition with content is removed after this many more DeletePartition calls. */
  deleteRounds = 1;
  #failures: Failure[] = [];
  #deleteCalls = new Map<number, number>();

  /**
   * Makes the next `times` calls of `method` fail (default: every call until `heal`). The
   * default error is what an unreachable copyset gives: `unavailable` LEADER_UNKNOWN.
   */
  failOn(
    method: FakeMethod,
    options: { readonly times?: number; readonly error?: () => Error } = {},
  ): void {
    this.#failures.push({
      method,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      error:
        options.error ??
        (() => new CurveError(ErrorReason.LEADER_UNKNOWN, `fake: ${method} failed (unreachable)`)),
    });
  }

  /** Removes every injected failure. */
  heal(): void {
    this.#failures = [];
  }

  /** The calls of one method, in order. */
  callsOf(method: FakeMethod): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The partitions of one fs still hosted. */
  partitionsOf(fsId: number): PartitionInfo[] {
    return [...this.partitions.values()].filter((p) => p.info.fsId === fsId).map((p) => p.info);
  }

  /** An inode of one fs, wherever it is hosted. */
  inode(fsId: number, inodeId: bigint): InodeAttr | undefined {
    for (const p of this.partitions.values()) {
      if (p.info.fsId === fsId && p.inodes.has(inodeId)) return p.inodes.get(inodeId);
    }
    return undefined;
  }

  /** The inode id a dentry of one fs names, wherever it is hosted. */
  dentry(fsId: number, parent: bigint, name: string): bigint | undefined {
    for (const p of this.partitions.values()) {
      if (p.info.fsId !== fsId) continue;
      const id = p.dentries.get(`${parent}/${name}`);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  async createCopysetNode(
    peers: readonly CopysetPeer[],
    copyset: { readonly poolId: number; readonly copysetId: number },
  ): Promise<void> {
    const id = copysetId(copyset);
    this.#enter("createCopysetNode", id, peers.map((p) => p.address).join(","));
    const existing = this.copysets.get(id);
    if (existing && !sameAddresses(existing, peers)) {
      throw new CurveError(ErrorReason.GROUP_ALREADY_EXISTS, `fake: copyset ${id} has other peers`);
    }
    this.copysets.set(id, [...peers]);
  }

  async createPartition(
    copyset: CopysetLocation,
    partition: PartitionInfo,
    fsType: FsType,
  ): Promise<PartitionInfo> {
    const id = copysetId(copyset);
    this.#enter("createPartition", id, `partition ${partition.partitionId}`);
    const existing = this.partitions.get(partition.partitionId);
    if (existing) {
      if (existing.deleting) {
        throw new CurveError(ErrorReason.PARTITION_DELETING, "fake: partition is being deleted");
      }
      const same =
        existing.info.fsId === partition.fsId &&
        existing.copyset === id &&
        existing.info.start === partition.start &&
        existing.info.end === partition.end &&
        existing.fsType === fsType;
      if (!same) {
        throw new CurveError(ErrorReason.PARTITION_ALREADY_EXISTS, "fake: partition differs");
      }
      return existing.info;
    }
    const info = create(PartitionInfoSchema, {
      fsId: partition.fsId,
      poolId: partition.poolId,
      copysetId: partition.copysetId,
      partitionId: partition.partitionId,
      start: partition.start,
      end: partition.end,
      txId: 0n,
      nextId: partition.start > 3n ? partition.start : 3n,
      status: PartitionStatus.READ_WRITE,
    });
    this.partitions.set(partition.partitionId, {
      info,
      fsType,
      copyset: id,
      inodes: new Map(),
      dentries: new Map(),
      deleting: false,
    });
    return info;
  }

  async deletePartition(
    copyset: CopysetLocation,
    partition: PartitionRef,
  ): Promise<{ removed: boolean }> {
    this.#enter("deletePartition", copysetId(copyset), `partition ${partition.partitionId}`);
    const existing = this.partitions.get(partition.partitionId);
    if (!existing) return { removed: true };
    if (existing.info.fsId !== partition.fsId) {
      throw new CurveError(ErrorReason.PARTITION_MISMATCH, "fake: partition of another fs");
    }
    const empty = existing.inodes.size === 0 && existing.dentries.size === 0;
    const rounds = (this.#deleteCalls.get(partition.partitionId) ?? 0) + 1;
    this.#deleteCalls.set(partition.partitionId, rounds);
    if (empty || (existing.deleting && rounds > this.deleteRounds)) {
      this.partitions.delete(partition.partitionId);
      return { removed: true };
    }
    existing.deleting = true;
    existing.info = { ...existing.info, status: PartitionStatus.DELETING };
    return { removed: false };
  }

  async createRootInode(
    copyset: CopysetLocation,
    request: CreateRootInodeInput,
  ): Promise<InodeAttr> {
    this.#enter("createRootInode", copysetId(copyset), `fs ${request.fsId}`);
    const attr = create(InodeAttrSchema, {
      inodeId: 1n,
      fsId: request.fsId ?? 0,
      type: FileType.DIRECTORY,
      uid: request.uid ?? 0,
      gid: request.gid ?? 0,
      mode: request.mode ?? 0,
      nlink: 2,
      length: 4096n,
      ...(request.time ? timesOf(request.time) : {}),
    });
    return this.#putReserved(request.partitionId ?? 0, request.fsId ?? 0, attr);
  }

  async createManageInode(
    copyset: CopysetLocation,
    request: CreateManageInodeInput,
  ): Promise<InodeAttr> {
    this.#enter("createManageInode", copysetId(copyset), `fs ${request.fsId}`);
    if (request.manageType !== ManageInodeType.RECYCLE) {
      throw new CurveError(ErrorReason.INVALID_ARGUMENT, "fake: only the recycle inode exists");
    }
    const attr = create(InodeAttrSchema, {
      inodeId: 2n,
      fsId: request.fsId ?? 0,
      type: FileType.DIRECTORY,
      uid: request.uid ?? 0,
      gid: request.gid ?? 0,
      mode: request.mode ?? 0,
      nlink: 2,
      length: 4096n,
      parentInodeIds: [1n],
      ...(request.time ? timesOf(request.time) : {}),
    });
    return this.#putReserved(request.partitionId ?? 0, request.fsId ?? 0, attr);
  }

  async createDentry(copyset: CopysetLocation, request: CreateDentryInput): Promise<void> {
    this.#enter("createDentry", copysetId(copyset), `${request.parentInodeId}/${request.name}`);
    const partition = this.#partition(request.partitionId ?? 0, request.fsId ?? 0);
    const key = `${request.parentInodeId}/${request.name}`;
    const existing = partition.dentries.get(key);
    if (existing !== undefined && existing !== request.inodeId) {
      throw new CurveError(ErrorReason.DENTRY_ALREADY_EXISTS, `fake: ${key} names another inode`);
    }
    partition.dentries.set(key, request.inodeId ?? 0n);
  }

  async deleteInode(copyset: CopysetLocation, request: DeleteInodeInput): Promise<void> {
    this.#enter("deleteInode", copysetId(copyset), `inode ${request.inodeId}`);
    const partition = this.#partition(request.partitionId ?? 0, request.fsId ?? 0);
    partition.inodes.delete(request.inodeId ?? 0n);
  }

  async close(): Promise<void> {}

  #enter(method: FakeMethod, copyset: string | undefined, detail: string): void {
    this.calls.push({ method, copyset, detail });
    const failure = this.#failures.find((f) => f.method === method && f.remaining > 0);
    if (failure) {
      failure.remaining--;
      throw failure.error();
    }
  }

  #partition(partitionId: number, fsId: number): FakePartition {
    const partition = this.partitions.get(partitionId);
    if (!partition) {
      throw new CurveError(ErrorReason.PARTITION_NOT_FOUND, `fake: no partition ${partitionId}`);
    }
    if (partition.info.fsId !== fsId) {
      throw new CurveError(ErrorReason.PARTITION_MISMATCH, "fake: partition of another fs");
    }
    if (partition.deleting) {
      throw new CurveError(ErrorReason.PARTITION_DELETING, "fake: partition is being deleted");
    }
    return partition;
  }

  #putReserved(partitionId: number, fsId: number, attr: InodeAttr): InodeAttr {
    const partition = this.#partition(partitionId, fsId);
    if (attr.inodeId < partition.info.start || attr.inodeId > partition.info.end) {
      throw new CurveError(ErrorReason.PARTITION_MISMATCH, "fake: id outside the range");
    }
    const existing = partition.inodes.get(attr.inodeId);
    if (existing) {
      const same =
        existing.type === attr.type &&
        existing.uid === attr.uid &&
        existing.gid === attr.gid &&
        existing.mode === attr.mode;
      if (!same) throw new CurveError(ErrorReason.INODE_ALREADY_EXISTS, "fake: inode differs");
      return existing;
    }
    partition.inodes.set(attr.inodeId, attr);
    return attr;
  }
}

function copysetId(copyset: { readonly poolId: number; readonly copysetId: number }): string {
  return `${copyset.poolId}/${copyset.copysetId}`;
}

function sameAddresses(a: readonly CopysetPeer[], b: readonly CopysetPeer[]): boolean {
  const left = new Set(a.map((p) => p.address));
  return a.length === b.length && b.every((p) => left.has(p.address));
}

function timesOf(time: NonNullable<CreateRootInodeInput["time"]>) {
  return { atime: time, mtime: time, ctime: time };
}
